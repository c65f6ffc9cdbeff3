//! Property tests of the anonymity screen: synthetic identity numbers and
//! phone numbers, embedded in random text, are found with the right kind
//! and position; numbers whose check digits fail are not.
//!
//! The check digits are computed here independently of the screen, so the
//! test is an oracle, not a copy. All numbers are synthetic.

use feltlogg_core::screen::{Finding, FindingKind, find_personal_data};
use proptest::prelude::*;

const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// The mod-11 check digit for `digits`, or `None` when the remainder is 1.
fn check_digit(weights: &[u32], digits: &[u32]) -> Option<u32> {
    let sum: u32 = weights.iter().zip(digits).map(|(w, d)| w * d).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

fn is_checksum_valid(d: &[u32; 11]) -> bool {
    check_digit(&K1, &d[..9]) == Some(d[9]) && check_digit(&K2, &d[..10]) == Some(d[10])
}

/// Nine digits: day (plus 40 for a D-number), month, year, individual number.
fn nine_digits(day: u32, month: u32, year: u32, individual: u32) -> Vec<u32> {
    format!("{day:02}{month:02}{year:02}{individual:03}")
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect()
}

fn to_text(d: &[u32]) -> String {
    d.iter().map(u32::to_string).collect()
}

/// A valid synthetic number: `d_number` adds 40 to the day.
fn valid_id(d_number: bool) -> impl Strategy<Value = String> {
    valid_id_with(if d_number { 40 } else { 0 }, 0)
}

/// A valid synthetic number with `day_plus` added to the day and
/// `month_plus` to the month (40 for an H-number).
fn valid_id_with(day_plus: u32, month_plus: u32) -> impl Strategy<Value = String> {
    (1u32..=31, 1u32..=12, 0u32..=99, 0u32..=999).prop_filter_map(
        "no valid check digit for this individual number",
        move |(day, month, year, ind)| {
            let (day, month) = (day + day_plus, month + month_plus);
            let mut d = nine_digits(day, month, year, ind);
            d.push(check_digit(&K1, &d)?);
            d.push(check_digit(&K2, &d)?);
            Some(to_text(&d))
        },
    )
}

/// Surrounding text without digits, '@', '+' or '.': neutral words (the
/// screen now reads words, so random capitalised letters could spell a
/// name, and random short words a context word like "kr") with letters of
/// more than one byte, ligatures that NFKC splits ("ﬁn" → "fin"), a
/// full-width letter and no-break spaces, so character offsets in the
/// original and the normalised text differ.
fn filler() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "vi",
        "gikk",
        "rundt",
        "ved",
        "kiosken",
        "stemningen",
        "var",
        "rolig",
        "blåbær",
        "ﬁn",
        "ﬂaks",
        "😀",
        "café",
        "ærlig",
        "østover",
        "ｆint",
        "grå",
        "møtte",
        "parken",
    ]);
    let seps = prop::sample::select(vec![
        " ", ", ", "; ", "! ", "? ", " (", ") ", " - ", "\u{a0}",
    ]);
    prop::collection::vec((words, seps), 0..5)
        .prop_map(|parts| parts.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
}

/// How the 11 digits are written: run together, or date part and rest
/// apart by one space or dot.
fn id_separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", ".", "-", "\u{a0}", " - "])
}

fn written(id: &str, sep: &str) -> String {
    format!("{}{sep}{}", &id[..6], &id[6..])
}

fn assert_single(text: &str, kind: FindingKind, start: usize, len: usize) {
    let expected = vec![Finding {
        kind,
        start,
        end: start + len,
    }];
    assert_eq!(find_personal_data(text), expected, "text {text:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_national_id_is_flagged_where_it_is(
        id in valid_id(false), sep in id_separator(), before in filler(), after in filler()
    ) {
        let id = written(&id, sep);
        let text = format!("{before}{id}{after}");
        assert_single(&text, FindingKind::NationalId, before.chars().count(), id.chars().count());
    }

    #[test]
    fn valid_d_number_is_flagged_as_d_number(
        id in valid_id(true), sep in id_separator(), before in filler(), after in filler()
    ) {
        let id = written(&id, sep);
        let text = format!("{before}{id}{after}");
        assert_single(&text, FindingKind::DNumber, before.chars().count(), id.chars().count());
    }

    #[test]
    fn valid_h_number_is_flagged_as_h_number(
        id in valid_id_with(0, 40), sep in id_separator(), before in filler(), after in filler()
    ) {
        let id = written(&id, sep);
        let text = format!("{before}{id}{after}");
        assert_single(&text, FindingKind::HNumber, before.chars().count(), id.chars().count());
    }

    #[test]
    fn birth_date_and_personnummer_is_flagged(
        id in valid_id(false), long_year in any::<bool>(), sep in prop::sample::select(vec![".", "-", "/"]),
        gap in prop::sample::select(vec![" ", "-", "\u{a0}", " - "]), before in filler(), after in filler()
    ) {
        let year = if long_year { format!("20{}", &id[4..6]) } else { id[4..6].to_string() };
        let written = format!("{}{sep}{}{sep}{year}{gap}{}", &id[..2], &id[2..4], &id[6..]);
        let text = format!("{before}{written}{after}");
        assert_single(&text, FindingKind::NationalId, before.chars().count(), written.chars().count());
    }

    #[test]
    fn wrong_check_digit_is_never_flagged(
        id in prop_oneof![valid_id(false), valid_id(true)],
        which in 9usize..=10,
        delta in 1u32..=9,
        sep in id_separator(),
        before in filler(),
        after in filler(),
    ) {
        let mut d: Vec<u32> = id.chars().filter_map(|c| c.to_digit(10)).collect();
        d[which] = (d[which] + delta) % 10;
        let text = format!("{before}{}{after}", written(&to_text(&d), sep));
        // Nothing else in the text can be personal data either: an 11-digit
        // run is not a phone number.
        prop_assert_eq!(find_personal_data(&text), vec![], "text {:?}", text);
    }

    #[test]
    fn random_eleven_digits_flagged_only_when_checksum_valid(
        d in prop::array::uniform11(0u32..=9), before in filler(), after in filler()
    ) {
        let text = format!("{before}{}{after}", to_text(&d));
        let found = find_personal_data(&text);
        if !is_checksum_valid(&d) {
            prop_assert_eq!(found, vec![], "text {:?}", text);
        } else {
            prop_assert!(found.iter().all(|f| matches!(
                f.kind, FindingKind::NationalId | FindingKind::DNumber | FindingKind::HNumber)), "{:?}", found);
        }
    }

    #[test]
    fn longer_digit_runs_are_not_ids(
        id in valid_id(false), extra in 0u32..=9, front in any::<bool>(), before in filler()
    ) {
        let text = if front { format!("{before}{extra}{id}") } else { format!("{before}{id}{extra}") };
        prop_assert_eq!(find_personal_data(&text), vec![], "text {:?}", text);
    }

    // 8xx numbers are service numbers (not a person's); a 2-2-2-2 number
    // outside Oslo's 2x is as likely a list of counts ("30 30 23 14", the
    // bug in issue 9), so it needs a word like "tlf" before it; dates and
    // year pairs are not phones.
    #[test]
    fn phone_numbers_are_flagged(
        first in prop::sample::select(vec![2u32, 3, 4, 5, 6, 7, 9]),
        rest in prop::array::uniform7(0u32..=9),
        groups in prop::sample::select(vec![
            vec![8], vec![3, 2, 3], vec![2, 2, 2, 2], vec![4, 4], vec![2, 3, 3], vec![3, 5]
        ]),
        sep in prop::sample::select(vec![" ", ".", "-", "\u{a0}", "\u{2011}"]),
        prefix in prop::sample::select(vec!["", "+47", "+47 ", "0047", "0047 "]),
        before in filler(),
        after in filler(),
    ) {
        let digits = format!("{first}{}", to_text(&rest));
        let mut number = String::new();
        let mut at = 0;
        for (i, len) in groups.iter().enumerate() {
            if i > 0 {
                number.push_str(sep);
            }
            number.push_str(&digits[at..at + len]);
            at += len;
        }
        let years = digits[..4].parse::<u32>().is_ok_and(|y| (1900..2100).contains(&y))
            && digits[4..].parse::<u32>().is_ok_and(|y| (1900..2100).contains(&y));
        let (d, m, y) = (&digits[..2], &digits[2..4], &digits[4..]);
        let date = groups == [8] && ("01"..="31").contains(&d) && ("01"..="12").contains(&m)
            && y.parse::<u32>().is_ok_and(|y| (1990..2100).contains(&y));
        prop_assume!(!(years || date));
        let phone = format!("{prefix}{number}");
        let counts_like = groups == [2, 2, 2, 2] && !matches!(first, 2 | 4 | 9) && prefix.is_empty();
        let lead = if counts_like { "tlf " } else { "" };
        let before = format!("{before}{lead}");
        let text = format!("{before}{phone}{after}");
        assert_single(&text, FindingKind::Phone, before.chars().count(), phone.chars().count());
    }
}
