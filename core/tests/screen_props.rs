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
    (1u32..=31, 1u32..=12, 0u32..=99, 0u32..=999).prop_filter_map(
        "no valid check digit for this individual number",
        move |(day, month, year, ind)| {
            let day = if d_number { day + 40 } else { day };
            let mut d = nine_digits(day, month, year, ind);
            d.push(check_digit(&K1, &d)?);
            d.push(check_digit(&K2, &d)?);
            Some(to_text(&d))
        },
    )
}

/// Surrounding text without digits, '@', '+' or '.', with letters of more
/// than one byte so character and byte offsets differ.
fn filler() -> impl Strategy<Value = String> {
    "[a-zA-ZæøåÆØÅé😀 ,;:!?()-]{0,20}"
}

/// How the 11 digits are written: run together, or date part and rest
/// apart by one space or dot.
fn id_separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", "."])
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
        assert_single(&text, FindingKind::NationalId, before.chars().count(), id.len());
    }

    #[test]
    fn valid_d_number_is_flagged_as_d_number(
        id in valid_id(true), sep in id_separator(), before in filler(), after in filler()
    ) {
        let id = written(&id, sep);
        let text = format!("{before}{id}{after}");
        assert_single(&text, FindingKind::DNumber, before.chars().count(), id.len());
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
                f.kind, FindingKind::NationalId | FindingKind::DNumber)), "{:?}", found);
        }
    }

    #[test]
    fn longer_digit_runs_are_not_ids(
        id in valid_id(false), extra in 0u32..=9, front in any::<bool>(), before in filler()
    ) {
        let text = if front { format!("{before}{extra}{id}") } else { format!("{before}{id}{extra}") };
        prop_assert_eq!(find_personal_data(&text), vec![], "text {:?}", text);
    }

    #[test]
    fn phone_numbers_are_flagged(
        first in 2u32..=9,
        rest in prop::array::uniform7(0u32..=9),
        groups in prop::sample::select(vec![vec![8], vec![3, 2, 3], vec![2, 2, 2, 2], vec![4, 4]]),
        sep in prop::sample::select(vec![" ", "."]),
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
        let phone = format!("{prefix}{number}");
        let text = format!("{before}{phone}{after}");
        assert_single(&text, FindingKind::Phone, before.chars().count(), phone.len());
    }
}
