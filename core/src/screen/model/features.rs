//! The features the name model reads for one token, hashed straight into
//! weight rows: the word, its affixes and shape, what the bundled lists
//! say of it, and the same for the words around it. Training (the
//! `train_names` example) and inference call this one function, so the
//! two can never read a token differently.

use super::super::lists::LISTS;
use super::super::normalise::{TokKind, Token};

/// FNV-1a over a template number and its text: stable across platforms
/// and releases (no `std` hasher, whose seed and algorithm may change).
fn hash(template: u8, parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5 ^ u32::from(template);
    h = h.wrapping_mul(0x0100_0193);
    for p in parts {
        for b in p.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// A word's written shape: "Xx" (capital then small), "X" (all capitals),
/// "x" (small), "d" (digits), "Xd" (mixed).
fn shape(chars: &[char], t: &Token) -> &'static str {
    if t.kind == TokKind::Number {
        return "d";
    }
    let w = &chars[t.start..t.end];
    let upper = w.iter().filter(|c| c.is_uppercase()).count();
    let letters = w.iter().filter(|c| c.is_alphabetic()).count();
    match (t.capital, upper) {
        (true, u) if u == letters && letters > 1 => "X",
        (true, 1) => "Xx",
        (true, _) => "XxX",
        (false, 0) => "x",
        _ => "xX",
    }
}

/// What the lists say of a lower-cased word, as one short code.
fn list_code(lower: &str, place: bool) -> &'static str {
    let l = &LISTS;
    let stem = lower.strip_suffix('s').unwrap_or(lower);
    match () {
        _ if place => "P",
        _ if l.first_names.contains(lower) && l.surnames.contains(lower) => "FS",
        _ if l.first_names.contains(lower) => {
            if l.common.contains(lower) {
                "Fc"
            } else {
                "F"
            }
        }
        _ if l.surnames.contains(lower) => "S",
        _ if l.common.contains(lower) => "c",
        _ if l.dictionary.contains(lower) => "e",
        _ if stem != lower && l.first_names.contains(stem) => "gF",
        _ if stem != lower && l.surnames.contains(stem) => "gS",
        _ => "-",
    }
}

/// A word's length, coarsely.
fn length_band(w: &str) -> &'static str {
    match w.chars().count() {
        0..=2 => "1",
        3..=4 => "3",
        5..=7 => "5",
        _ => "8",
    }
}

/// The last `n` characters of `w` (all of it when shorter).
fn suffix(w: &str, n: usize) -> &str {
    let k = w.char_indices().rev().nth(n - 1).map_or(0, |(b, _)| b);
    &w[k..]
}

/// The first `n` characters of `w`.
fn prefix(w: &str, n: usize) -> &str {
    w.char_indices().nth(n).map_or(w, |(b, _)| &w[..b])
}

/// The character right after token `t`, and right before it ('^' and '$'
/// at either end of the text).
fn around(chars: &[char], t: &Token) -> (char, char) {
    let before = t.start.checked_sub(1).map_or('^', |i| chars[i]);
    let after = chars.get(t.end).copied().unwrap_or('$');
    (before, after)
}

/// What the lists say of each token and how it is written, worked out
/// once per text (each token is read again as a neighbour of four
/// others; list look-ups were half the model's time).
#[derive(Debug)]
pub(crate) struct TokenFacts {
    codes: Vec<&'static str>,
    shapes: Vec<&'static str>,
}

impl TokenFacts {
    pub(crate) fn new(chars: &[char], toks: &[Token], place: &[bool]) -> Self {
        TokenFacts {
            codes: toks
                .iter()
                .zip(place)
                .map(|(t, &p)| list_code(&t.lower, p))
                .collect(),
            shapes: toks.iter().map(|t| shape(chars, t)).collect(),
        }
    }
}

/// Calls `f` with every feature hash of token `n`. `place[n]` marks
/// tokens of a public place or street; `rule[n]` those a hand rule took
/// for part of a name.
pub(crate) fn each(
    chars: &[char],
    toks: &[Token],
    facts: &TokenFacts,
    rule: &[bool],
    n: usize,
    f: &mut impl FnMut(u32),
) {
    let t = &toks[n];
    let w = t.lower.as_str();
    let sh = facts.shapes[n];
    let code = facts.codes[n];
    let start = if t.sentence_start { "S" } else { "m" };
    let (before, after) = around(chars, t);
    let mut b = [0u8; 4];
    let mut a = [0u8; 4];
    let before = &*before.encode_utf8(&mut b);
    let after = &*after.encode_utf8(&mut a);
    f(hash(0, &[]));
    f(hash(1, &[w]));
    f(hash(2, &[suffix(w, 2)]));
    f(hash(3, &[suffix(w, 3)]));
    f(hash(4, &[suffix(w, 4)]));
    f(hash(5, &[prefix(w, 3)]));
    f(hash(6, &[sh, start]));
    f(hash(7, &[code, sh, start]));
    f(hash(8, &[before, after]));
    f(hash(9, &[if rule[n] { "R" } else { "r" }, sh]));
    let stem = w.strip_suffix('s').unwrap_or(w);
    f(hash(50, &[stem, sh]));
    f(hash(51, &[length_band(w), sh, code]));
    let prev = n.checked_sub(1).map(|p| &toks[p]);
    let next = toks.get(n + 1);
    fn lower_of(t: Option<&Token>) -> &str {
        t.map_or("<none>", |t| t.lower.as_str())
    }
    let shape_of = |k: Option<usize>| k.map_or("^", |k| facts.shapes[k]);
    f(hash(52, &[lower_of(prev), w]));
    f(hash(53, &[w, lower_of(next)]));
    let next_at = (n + 1 < toks.len()).then_some(n + 1);
    f(hash(
        54,
        &[shape_of(n.checked_sub(1)), sh, shape_of(next_at), start],
    ));
    for (k, d) in [(-2i32, 10u8), (-1, 20), (1, 30), (2, 40)] {
        let m = n as i32 + k;
        let Some(u) = usize::try_from(m).ok().and_then(|m| toks.get(m)) else {
            f(hash(d, &["<none>"]));
            continue;
        };
        let m = m as usize;
        let ush = facts.shapes[m];
        let ucode = facts.codes[m];
        f(hash(d, &[&u.lower]));
        f(hash(d + 1, &[ush, ucode]));
        f(hash(d + 2, &[ush, sh, code]));
        if k.abs() == 1 {
            f(hash(d + 3, &[&u.lower, sh]));
            f(hash(d + 4, &[if rule[m] { "R" } else { "r" }]));
            f(hash(d + 5, &[suffix(&u.lower, 3), sh]));
        }
    }
}
