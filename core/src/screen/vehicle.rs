//! Norwegian vehicle registration numbers ("EL 48213", "DN47720",
//! "BT 71 234", "VH-28374"): two letters and five digits, or two letters
//! and four digits (mopeds, older plates) when a word about a vehicle or
//! a plate is near. A registration identifies its owner in one look-up.

use super::normalise::{TokKind, Token};

/// Two-letter words that are no plate before a number ("kl 2230",
/// "kr 45000", "nr 1234").
const NOT_PLATES: &[&str] = &[
    "kl", "kr", "nr", "ca", "pr", "no", "nb", "mm", "cm", "km", "kg", "uk", "tv",
];

/// Words that say a number belongs to a vehicle.
const VEHICLE: &[&str] = &[
    "skilt",
    "skiltet",
    "skiltnr",
    "skiltnummer",
    "reg",
    "regnr",
    "registreringsnummer",
    "bil",
    "bilen",
    "moped",
    "mopeden",
    "mc",
    "motorsykkel",
    "scooter",
    "varebil",
    "tesla",
    "bmw",
    "audi",
    "golf",
    "kjørte",
    "kjører",
    "plate",
    "car",
];

/// Plate spans in normalised chars.
pub(crate) fn find(chars: &[char], toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (n, t) in toks.iter().enumerate() {
        let letters = &chars[t.start..t.end];
        if t.kind != TokKind::Word
            || letters.len() != 2
            || !letters.iter().all(char::is_ascii_alphabetic)
            || NOT_PLATES.contains(&t.lower.as_str())
        {
            continue;
        }
        let Some((end, digits)) = digits_after(chars, toks, n) else {
            continue;
        };
        let upper = letters.iter().all(char::is_ascii_uppercase);
        if (digits == 5 && (upper || vehicle_near(toks, n)))
            || (digits == 4 && vehicle_near(toks, n))
        {
            out.push((t.start, end));
        }
    }
    out
}

/// The end and digit count of the number after the letters at `n`: run
/// on, or after one space or hyphen, five digits possibly as "71 234".
fn digits_after(chars: &[char], toks: &[Token], n: usize) -> Option<(usize, usize)> {
    let t = &toks[n];
    // "DN47720" is one token of letters then digits? No: letters and
    // digits are separate tokens, so the number is always the next one.
    let a = toks.get(n + 1).filter(|a| a.kind == TokKind::Number)?;
    let gap = &chars[t.end..a.start];
    if !(gap.is_empty() || gap == [' '] || gap == ['-']) {
        return None;
    }
    let len = a.end - a.start;
    if let Some(b) = toks.get(n + 2).filter(|b| {
        len == 2 && b.kind == TokKind::Number && b.end - b.start == 3 && b.start == a.end + 1
    }) {
        return Some((b.end, 5));
    }
    let after_ok = chars.get(a.end).is_none_or(|c| !c.is_alphanumeric());
    (matches!(len, 4 | 5) && after_ok).then_some((a.end, len))
}

/// Whether a vehicle word is within four words either side of `n`.
fn vehicle_near(toks: &[Token], n: usize) -> bool {
    let lo = n.saturating_sub(4);
    toks[lo..toks.len().min(n + 6)]
        .iter()
        .any(|t| t.kind == TokKind::Word && VEHICLE.contains(&t.lower.as_str()))
}
