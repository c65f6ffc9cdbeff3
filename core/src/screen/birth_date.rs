//! A youth's birth date written alone ("født 12.03.2009", "f. 3/4-08",
//! "bursdag 14. mai 2010", "fødselsdato: 2008-10-04"): a date with a day,
//! a month and a year, with a word about birth just before it. A date
//! without such a word (a meeting, "17. mai", "møte 12.03.2026") is
//! never flagged: it dates the work, not the person.

use super::normalise::{TokKind, Token};

/// Words right before a date that make it a birth date.
const BIRTH: &[&str] = &[
    "født",
    "fødd",
    "f",
    "fd",
    "f.d",
    "fdato",
    "f.dato",
    "fødselsdato",
    "fødselsdag",
    "fødselsdagen",
    "bursdag",
    "bursdagen",
    "birthday",
    "born",
    "dob",
    "bday",
];

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "des",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "october",
    "december",
];

/// Birth-date spans in normalised chars.
pub(crate) fn find(chars: &[char], toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for n in 0..toks.len() {
        if toks[n].kind != TokKind::Number || !birth_word_before(chars, toks, n) {
            continue;
        }
        if let Some(end) = date_at(chars, toks, n) {
            out.push((toks[n].start, end));
        }
    }
    out
}

/// Whether one of [`BIRTH`] ends within two words before token `n`
/// ("født 12.03", "født den 12.03", "f. 3/4-08", "fødselsdato: 2008-…").
fn birth_word_before(chars: &[char], toks: &[Token], n: usize) -> bool {
    let Some(prev) = n.checked_sub(1) else {
        return false; // a date opening the text has no word before it
    };
    let near = toks[..n].iter().rev().take(2);
    let gap_before_date = &chars[toks[prev].end..toks[n].start];
    let gap_ok = gap_before_date
        .iter()
        .all(|c| matches!(c, ' ' | '.' | ':' | ','));
    near.enumerate().any(|(k, t)| {
        let word = t.kind == TokKind::Word && BIRTH.contains(&t.lower.as_str());
        // "f.d." is tokenised "f", "d": read the two as one.
        let fd = k == 0 && t.lower == "d" && n >= 2 && toks[n - 2].lower == "f";
        (word || fd) && (k == 0 || toks[prev].lower == "den") && gap_ok
    })
}

/// The end of a date that starts with the number token `n`: D.M.Y,
/// D/M-Y, D/M Y, D/M/Y, Y-M-D or "D. month Y", with a valid day and
/// month and a two- or four-digit year.
fn date_at(chars: &[char], toks: &[Token], n: usize) -> Option<usize> {
    let num = |k: usize| -> Option<u32> {
        toks.get(k)
            .filter(|t| t.kind == TokKind::Number && t.end - t.start <= 4)
            .and_then(|t| {
                chars[t.start..t.end]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .ok()
            })
    };
    let sep = |a: usize| -> Option<char> {
        let (x, y) = (toks.get(a)?, toks.get(a + 1)?);
        let gap = &chars[x.end..y.start];
        match gap {
            [c] if matches!(c, '.' | '/' | '-' | ' ') => Some(*c),
            ['.', ' '] => Some('.'),
            _ => None,
        }
    };
    let year_ok = |t: &Token, y: u32| {
        matches!(t.end - t.start, 2 | 4) && (y < 100 || (1900..2100).contains(&y))
    };
    let day_month = |d: u32, m: u32| (1..=31).contains(&d) && (1..=12).contains(&m);
    let (a, b, c) = (num(n)?, num(n + 1), num(n + 2));
    // Y-M-D
    if toks[n].end - toks[n].start == 4 && sep(n) == Some('-') && sep(n + 1) == Some('-') {
        let (m, d) = (b?, c?);
        return day_month(d, m).then(|| toks[n + 2].end);
    }
    // "14. mai 2010"
    if toks
        .get(n + 1)
        .is_some_and(|t| MONTHS.contains(&t.lower.as_str()))
    {
        num(n + 2).filter(|&y| year_ok(&toks[n + 2], y))?;
        return (1..=31).contains(&a).then(|| toks[n + 2].end);
    }
    let (m, y) = (b?, c?);
    let (s1, s2) = (sep(n)?, sep(n + 1)?);
    let shapes = matches!(
        (s1, s2),
        ('.', '.') | ('/', '-') | ('/', ' ') | ('/', '/') | ('-', '-')
    );
    (shapes && day_month(a, m) && year_ok(&toks[n + 2], y)).then(|| toks[n + 2].end)
}
