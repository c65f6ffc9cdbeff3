//! Norwegian phone numbers: eight digits in any common grouping (one run,
//! 3-2-3, 2-2-2-2, 4-4, 2-3-3, 2-2-4, 3-5 …, or one digit at a time) with
//! spaces, dots or hyphens,
//! optionally after +47, 0047 or (+47). Structure gives a base confidence
//! (a mobile number starting with 4 or 9 is likelier than a run starting
//! with 3); context words move it; dates, year pairs, service numbers and
//! published helplines are never phones.

use super::context;
use super::lists::LISTS;
use super::normalise::Token;
use super::{digit_run, run_starts_at};

/// A candidate number: where it starts and ends, its digits and groups.
#[derive(Debug)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    prefixed: bool,
    /// "47" run into the number without "+" or "00": a phone only when a
    /// word around says so ("sms 4791234567"), else just a long run.
    bare_country: bool,
    digits: String,
    groups: Vec<usize>,
    sep: Option<char>,
}

/// A phone-shaped number starting at `i` (the prefix's first character,
/// or the first digit).
pub(crate) fn candidate_at(chars: &[char], i: usize) -> Option<Candidate> {
    if let Some(j) = prefix_end(chars, i) {
        let mut j = j;
        while matches!(chars.get(j), Some(' ' | '-')) && j < i + 6 {
            j += 1;
        }
        if let Some(mut c) = body(chars, j) {
            c.start = i;
            c.prefixed = true;
            return Some(c);
        }
    }
    if !run_starts_at(chars, i) {
        return None;
    }
    // "sms 4791234567": the country code run into a mobile number,
    // written without its plus sign.
    if digit_run(chars, i) == 10
        && chars[i..i + 2] == ['4', '7']
        && matches!(chars[i + 2], '4' | '9')
        && let Some(mut c) = body(chars, i + 2)
    {
        c.start = i;
        c.bare_country = true;
        return Some(c);
    }
    body(chars, i).filter(|c| c.groups[0] > 2 || !continues_list_before(chars, i))
}

/// The end of a +47 / 0047 / (+47) / (0047) prefix at `i`.
fn prefix_end(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    let starts = |s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
            .then(|| i + s.chars().count())
    };
    ["(+47)", "(0047)", "(47)", "+47", "0047", "+ 47"]
        .into_iter()
        .find_map(starts)
}

/// Whether the digits at `i` continue a list of numbers ("12 30 30 23 14").
fn continues_list_before(chars: &[char], i: usize) -> bool {
    i >= 2 && matches!(chars[i - 1], ' ' | '.' | '-' | '/') && chars[i - 2].is_ascii_digit()
}

/// Eight digits from `j` in groups of two or more, one separator kind; or
/// spelled out one digit at a time ("9 1 2 3 4 5 6 7"), as a number is
/// read aloud and noted down.
fn body(chars: &[char], j: usize) -> Option<Candidate> {
    let mut at = j;
    let mut groups = Vec::new();
    let mut sep = None;
    let mut total = 0;
    let one_at_a_time = digit_run(chars, j) == 1;
    loop {
        let run = digit_run(chars, at);
        let fits = if one_at_a_time { run == 1 } else { run >= 2 };
        if !fits || total + run > 8 {
            return None;
        }
        groups.push(run);
        total += run;
        at += run;
        if total == 8 {
            break;
        }
        let s = *chars.get(at).filter(|c| matches!(c, ' ' | '.' | '-'))?;
        if *sep.get_or_insert(s) != s {
            return None;
        }
        at += 1;
    }
    // A further group means a list or a longer number, not a phone.
    let next = chars.get(at);
    let more = next.is_some_and(char::is_ascii_digit)
        || (next.is_some_and(|c| matches!(c, ' ' | '.' | '-' | '/'))
            && chars.get(at + 1).is_some_and(char::is_ascii_digit)
            && (sep.is_none() || next == sep.as_ref()));
    if more {
        return None;
    }
    let digits: String = chars[j..at].iter().filter(|c| c.is_ascii_digit()).collect();
    Some(Candidate {
        start: j,
        end: at,
        prefixed: false,
        bare_country: false,
        digits,
        groups,
        sep,
    })
}

/// Whether the candidate (tokens `first..after`) is a personal phone number.
pub(crate) fn is_phone(c: &Candidate, toks: &[Token], first: usize, after: usize) -> bool {
    let lead = c.digits.as_bytes()[0];
    if !matches!(lead, b'2'..=b'7' | b'9') || LISTS.helplines.contains(&c.digits) {
        return false; // 8xx are service numbers; 0 and 1 are not subscriber numbers
    }
    let ctx = context::adjust(toks, first, after, 5);
    if c.bare_country {
        return ctx > 0;
    }
    if c.prefixed {
        return true;
    }
    if looks_like_date(c) || year_pair(c) {
        return ctx > 0 && c.sep == Some(' ');
    }
    let mobile = matches!(lead, b'4' | b'9');
    if c.groups.iter().all(|&g| g == 1) {
        // Digit by digit: a mobile number, or any number a word calls one.
        return mobile || ctx > 0;
    }
    let base = match (c.groups.as_slice(), mobile) {
        (_, true) => 2,
        ([2, 2, 2, 2], false) => i32::from(lead == b'2'),
        _ => 1,
    };
    base + 2 * ctx >= 1
}

fn group_values(c: &Candidate) -> Vec<u32> {
    let mut at = 0;
    c.groups
        .iter()
        .map(|&len| {
            let v = c.digits[at..at + len].parse().unwrap_or(0);
            at += len;
            v
        })
        .collect()
}

/// dd.mm.yyyy, dd mm yyyy, dd-mm-yy-yy and the like.
fn looks_like_date(c: &Candidate) -> bool {
    let v = group_values(c);
    match c.groups.as_slice() {
        [2, 2, 4] => {
            (1..=31).contains(&v[0]) && (1..=12).contains(&v[1]) && (1900..2100).contains(&v[2])
        }
        [4, 2, 2] => {
            (1900..2100).contains(&v[0]) && (1..=12).contains(&v[1]) && (1..=31).contains(&v[2])
        }
        [8] => {
            let (d, m, y) = (v[0] / 1_000_000, v[0] / 10_000 % 100, v[0] % 10_000);
            (1..=31).contains(&d) && (1..=12).contains(&m) && (1990..2100).contains(&y)
        }
        _ => false,
    }
}

/// "2025 2026", "2025-2026": a school year or a span of years.
fn year_pair(c: &Candidate) -> bool {
    c.groups == [4, 4] && group_values(c).iter().all(|y| (1900..2100).contains(y))
}
