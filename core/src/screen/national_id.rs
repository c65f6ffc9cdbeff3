//! Fødselsnummer, D-number and H-number: 11 digits with two mod-11 check
//! digits, written as one run, as 6+5 with a space, dot or hyphen between,
//! or as a birth date (dd.mm.yy or dd.mm.yyyy) followed by the five-digit
//! personnummer. The check digits are always verified, so a random
//! 11-digit number is flagged only about one time in a hundred.

use super::{FindingKind, digit_run, run_starts_at};

/// A national identity number starting at digit `i`: its kind and end.
pub(crate) fn at(chars: &[char], i: usize) -> Option<(FindingKind, usize)> {
    if !run_starts_at(chars, i) {
        return None;
    }
    let (digits, end) = run_of_eleven(chars, i)
        .or_else(|| six_and_five(chars, i))
        .or_else(|| date_and_five(chars, i))
        .or_else(|| grouped(chars, i))?;
    if chars.get(end).is_some_and(char::is_ascii_digit) {
        return None;
    }
    Some((kind(&digits)?, end))
}

fn run_of_eleven(chars: &[char], i: usize) -> Option<(Vec<u32>, usize)> {
    (digit_run(chars, i) == 11).then(|| (to_digits(&chars[i..i + 11]), i + 11))
}

/// How far a separator between digit groups reaches from `j`: one of
/// space, dot, hyphen or slash, possibly with spaces around ("010209 - 10050").
fn separator(chars: &[char], j: usize, allowed: &[char]) -> Option<usize> {
    let mut k = j;
    while chars.get(k) == Some(&' ') {
        k += 1;
    }
    let spaces = k - j;
    match chars.get(k) {
        Some(c) if *c != ' ' && allowed.contains(c) => {
            let mut m = k + 1;
            while chars.get(m) == Some(&' ') {
                m += 1;
            }
            (m - k - 1 <= 1 && spaces <= 1).then_some(m)
        }
        _ => (spaces == 1 && allowed.contains(&' ')).then_some(k),
    }
}

fn six_and_five(chars: &[char], i: usize) -> Option<(Vec<u32>, usize)> {
    if digit_run(chars, i) != 6 {
        return None;
    }
    let j = separator(chars, i + 6, &[' ', '.', '-', '/'])?;
    (digit_run(chars, j) == 5).then(|| {
        let mut d = to_digits(&chars[i..i + 6]);
        d.extend(to_digits(&chars[j..j + 5]));
        (d, j + 5)
    })
}

/// "01.02.09 10050", "01.02.2009-10050", "01 02 09 10050" (a date spoken
/// in pairs); "1/2-09 10050" is not accepted: day and month take two
/// digits each.
fn date_and_five(chars: &[char], i: usize) -> Option<(Vec<u32>, usize)> {
    if digit_run(chars, i) != 2 {
        return None;
    }
    let sep = *chars
        .get(i + 2)
        .filter(|c| matches!(c, '.' | '-' | '/' | ' '))?;
    if digit_run(chars, i + 3) != 2 || chars.get(i + 5) != Some(&sep) {
        return None;
    }
    let year = digit_run(chars, i + 6);
    if year != 2 && year != 4 {
        return None;
    }
    let j = separator(chars, i + 6 + year, &[' ', '-', ','])?;
    if digit_run(chars, j) != 5 {
        return None;
    }
    let mut d = to_digits(&chars[i..i + 2]);
    d.extend(to_digits(&chars[i + 3..i + 5]));
    d.extend(to_digits(&chars[i + 6 + year - 2..i + 6 + year]));
    d.extend(to_digits(&chars[j..j + 5]));
    Some((d, j + 5))
}

/// Eleven digits in two to five groups of two to six, one space, dot or
/// hyphen between each ("070810 531 83", "14 07 09 746 82"): how people
/// read a number out in pieces. The check digits decide.
fn grouped(chars: &[char], i: usize) -> Option<(Vec<u32>, usize)> {
    let mut digits = Vec::with_capacity(11);
    let mut j = i;
    for group in 0..5 {
        let n = digit_run(chars, j);
        if !(2..=6).contains(&n) || digits.len() + n > 11 {
            return None;
        }
        digits.extend(to_digits(&chars[j..j + n]));
        j += n;
        if digits.len() == 11 {
            return (group > 0).then_some((digits, j));
        }
        let sep = chars.get(j).filter(|c| matches!(c, ' ' | '.' | '-'))?;
        let _ = sep;
        j += 1;
    }
    None
}

fn to_digits(chars: &[char]) -> Vec<u32> {
    chars.iter().filter_map(|c| c.to_digit(10)).collect()
}

const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

fn check(weights: &[u32], digits: &[u32]) -> Option<u32> {
    let sum: u32 = weights.iter().zip(digits).map(|(w, d)| w * d).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

/// The kind of a checksum-valid, plausibly dated 11-digit number, or
/// `None` when it is not an identity number. Day + 40 is a D-number, month
/// + 40 an H-number; month + 80 marks synthetic test numbers (still ids).
pub(crate) fn kind(d: &[u32]) -> Option<FindingKind> {
    let d: &[u32; 11] = d.try_into().ok()?;
    if check(&K1, &d[..9])? != d[9] || check(&K2, &d[..10])? != d[10] {
        return None;
    }
    let day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    let h = match month {
        1..=12 | 81..=92 => false,
        41..=52 => true,
        _ => return None,
    };
    match (day, h) {
        (1..=31, false) => Some(FindingKind::NationalId),
        (1..=31, true) => Some(FindingKind::HNumber),
        (41..=71, false) => Some(FindingKind::DNumber),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    //! The kinds [`kind`] tells apart, and the dates it refuses, on numbers
    //! whose check digits are right: the property tests in
    //! `core/tests/screen_props.rs` draw only ordinary, D- and H-numbers,
    //! so `cargo mutants` found the synthetic range (month + 80) and the
    //! refused dates held by no test (issue 19). All numbers synthetic.
    use super::*;

    /// Day, month, year and individual number with both check digits
    /// appended, computed here from the published weights; `None` when the
    /// individual number has no valid check digit.
    fn with_checks(day: u32, month: u32, year: u32, individual: u32) -> Option<Vec<u32>> {
        let digit = |weights: &[u32], d: &[u32]| {
            let sum: u32 = weights.iter().zip(d).map(|(w, x)| w * x).sum();
            match sum % 11 {
                0 => Some(0),
                1 => None,
                r => Some(11 - r),
            }
        };
        let mut d: Vec<u32> = format!("{day:02}{month:02}{year:02}{individual:03}")
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        d.push(digit(&[3, 7, 6, 1, 8, 9, 4, 5, 2], &d)?);
        d.push(digit(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2], &d)?);
        Some(d)
    }

    /// The kind of every checksum-valid number with this date, checked to
    /// be the same for all individual numbers tried.
    fn kind_of(day: u32, month: u32) -> Option<FindingKind> {
        let kinds: Vec<_> = (0..60)
            .filter_map(|ind| with_checks(day, month, 9, ind * 16))
            .map(|d| kind(&d))
            .collect();
        assert!(kinds.len() > 10, "{day}.{month}");
        assert!(
            kinds.windows(2).all(|w| w[0] == w[1]),
            "{day}.{month}: {kinds:?}"
        );
        kinds[0]
    }

    #[test]
    fn the_date_decides_the_kind() {
        use FindingKind::{DNumber, HNumber, NationalId};
        for (day, month, expected) in [
            (1, 1, Some(NationalId)),
            (31, 12, Some(NationalId)),
            (14, 7, Some(NationalId)),
            // Synthetic test numbers (month + 80) are identity numbers too.
            (14, 87, Some(NationalId)),
            (1, 81, Some(NationalId)),
            (31, 92, Some(NationalId)),
            (54, 87, Some(DNumber)),
            (41, 1, Some(DNumber)),
            (71, 12, Some(DNumber)),
            (14, 47, Some(HNumber)),
            (1, 41, Some(HNumber)),
            (31, 52, Some(HNumber)),
            // No such dates: day 0 or 32, month 0 or 13, D and H at once.
            (0, 7, None),
            (32, 7, None),
            (72, 7, None),
            (14, 0, None),
            (14, 13, None),
            (14, 40, None),
            (14, 53, None),
            (14, 80, None),
            (14, 93, None),
            (54, 47, None),
        ] {
            assert_eq!(kind_of(day, month), expected, "{day:02}.{month:02}");
        }
    }

    #[test]
    fn both_check_digits_must_hold() {
        let d = with_checks(14, 7, 9, 123).expect("a valid number");
        assert_eq!(kind(&d), Some(FindingKind::NationalId));
        for which in [9, 10] {
            for delta in 1..10 {
                let mut bad = d.clone();
                bad[which] = (bad[which] + delta) % 10;
                assert_eq!(kind(&bad), None, "digit {which} + {delta}: {bad:?}");
            }
        }
        assert_eq!(kind(&d[..10]), None, "ten digits are no number");
    }

    /// What [`at`] reads at the start of `text`: the kind and how many
    /// characters it covers.
    fn read(text: &str) -> Option<(FindingKind, usize)> {
        let chars: Vec<char> = text.chars().collect();
        at(&chars, 0)
    }

    #[test]
    fn separators_between_the_date_and_the_personnummer() {
        let d = with_checks(14, 7, 9, 123).expect("a valid number");
        let t: String = d.iter().map(u32::to_string).collect();
        let (six, five) = (&t[..6], &t[6..]);
        let id = |sep: &str| format!("{six}{sep}{five}");
        for sep in ["", " ", ".", "-", "/", " - ", "- ", " /"] {
            let text = id(sep);
            let n = text.chars().count();
            assert_eq!(read(&text), Some((FindingKind::NationalId, n)), "{text:?}");
        }
        // Two spaces anywhere, or a letter, is no separator.
        for sep in ["  ", "  - ", " -  ", "x", " x ", "--"] {
            let text = id(sep);
            assert_eq!(read(&text), None, "{text:?}");
        }
    }

    #[test]
    fn a_written_date_then_the_personnummer() {
        let d = with_checks(14, 7, 9, 123).expect("a valid number");
        let t: String = d.iter().map(u32::to_string).collect();
        let (dd, mm, yy, five) = (&t[..2], &t[2..4], &t[4..6], &t[6..]);
        for text in [
            format!("{dd}/{mm}/{yy} {five}"),
            format!("{dd}/{mm}/20{yy} {five}"),
            format!("{dd}.{mm}.{yy},{five}"),
            format!("{dd}/{mm}/{yy} - {five}"),
        ] {
            let n = text.chars().count();
            assert_eq!(read(&text), Some((FindingKind::NationalId, n)), "{text:?}");
        }
        // Day and month apart by one mark, the year by the same mark; a
        // year of two or four digits; at most one space before the rest.
        for text in [
            format!("{dd}/{mm}.{yy} {five}"),
            format!("{dd}/{mm}/{yy}/{five}"),
            format!("{dd}/{mm}/0{yy} {five}"),
            format!("{dd}/{mm}/{yy}  {five}"),
        ] {
            assert_eq!(read(&text), None, "{text:?}");
        }
    }

    #[test]
    fn groups_hold_two_to_six_digits() {
        let d = with_checks(14, 7, 9, 123).expect("a valid number");
        let t: String = d.iter().map(u32::to_string).collect();
        for text in [
            format!("{} {} {}", &t[..6], &t[6..9], &t[9..]),
            format!(
                "{} {} {} {} {}",
                &t[..2],
                &t[2..4],
                &t[4..6],
                &t[6..9],
                &t[9..]
            ),
            format!("{}.{}-{}", &t[..4], &t[4..8], &t[8..]),
        ] {
            let n = text.chars().count();
            assert_eq!(read(&text), Some((FindingKind::NationalId, n)), "{text:?}");
        }
        for text in [
            format!("{} {}", &t[..7], &t[7..]),
            format!("{} {} {}", &t[..1], &t[1..6], &t[6..]),
            format!("{} {} {}", &t[..6], &t[6..10], &t[10..]),
            format!("{}  {}", &t[..4], &t[4..]),
        ] {
            assert_eq!(read(&text), None, "{text:?}");
        }
    }
}
