//! The anonymity screen for free text (DOMAIN.md rule 2).
//!
//! Notes, the planned area and the closing reflection are screened before
//! anything is saved. The screen looks for four things a worker might type
//! without thinking: a fødselsnummer, a D-number, a Norwegian phone number
//! and an e-mail address. It is a hand-written scanner rather than regexes
//! because the fødselsnummer needs its mod-11 check digits computed, and
//! because every position must be reported in characters (what the UI can
//! highlight), not bytes.
//!
//! The screen errs on the side of finding things: a checksum-valid
//! 11-digit number is flagged even when a worker meant something else by
//! it. It does not flag an 11-digit number whose check digits fail, nor
//! digits that are part of a longer digit run (an account or case number).

use serde::{Deserialize, Serialize};

/// What kind of personal data was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A checksum-valid fødselsnummer.
    NationalId,
    /// A checksum-valid D-number.
    DNumber,
    /// A Norwegian phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// A checksum-valid H-number (helsenummer: month plus 40).
    HNumber,
    /// A social-media handle (`@name`, or a name after snap, insta, tiktok).
    Handle,
    /// A person's name.
    Name,
    /// A home address (street and house number).
    Address,
}

impl FindingKind {
    /// What was found, in plain English words with an article; the UI
    /// translates by kind.
    pub fn describe(self) -> &'static str {
        match self {
            FindingKind::NationalId => "a national identity number (fødselsnummer)",
            FindingKind::DNumber => "a D-number (temporary national identity number)",
            FindingKind::Phone => "a phone number",
            FindingKind::Email => "an e-mail address",
            FindingKind::HNumber => "an H-number (health-service identity number)",
            FindingKind::Handle => "a social-media handle",
            FindingKind::Name => "a person's name",
            FindingKind::Address => "a home address",
        }
    }

    /// The neutral text that replaces a finding of this kind when a note is
    /// fixed: English for `lang` "en", bokmål for anything else. No
    /// placeholder is itself ever flagged by the screen.
    pub fn placeholder(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match (self, en) {
            (FindingKind::NationalId | FindingKind::DNumber | FindingKind::HNumber, false) => {
                "[fødselsnummer]"
            }
            (FindingKind::NationalId | FindingKind::DNumber | FindingKind::HNumber, true) => {
                "[id-number]"
            }
            (FindingKind::Phone, false) => "[telefon]",
            (FindingKind::Phone, true) => "[phone]",
            (FindingKind::Email, false) => "[e-post]",
            (FindingKind::Email, true) => "[e-mail]",
            (FindingKind::Handle, false) => "[brukernavn]",
            (FindingKind::Handle, true) => "[handle]",
            (FindingKind::Name, false) => "[navn]",
            (FindingKind::Name, true) => "[name]",
            (FindingKind::Address, false) => "[adresse]",
            (FindingKind::Address, true) => "[address]",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// One piece of personal data found in a text: its kind and where it is,
/// as character (not byte) offsets, end exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// First character, counted from 0.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl std::fmt::Display for Finding {
    /// Positions are shown counted from 1, both ends included, as a person
    /// counts: "a phone number at characters 5-12".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at characters {}-{}",
            self.kind,
            self.start + 1,
            self.end
        )
    }
}

/// Every piece of personal data found in `text`, ordered by start. Offsets
/// count characters (Unicode scalar values), not bytes. Findings never
/// overlap: digits inside an e-mail address count as part of the address.
pub fn find_personal_data(text: &str) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = find_emails(&chars);
    let emails = found.clone();
    let mut i = 0;
    while i < chars.len() {
        if let Some(e) = emails.iter().find(|e| e.start <= i && i < e.end) {
            i = e.end;
            continue;
        }
        match national_id_at(&chars, i).or_else(|| phone_at(&chars, i)) {
            Some(f) => {
                i = f.end;
                found.push(f);
            }
            None => i += 1,
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    found
}

/// `text` with every finding's span replaced by its kind's placeholder in
/// `lang` (see [`FindingKind::placeholder`]); everything else is kept.
/// Findings are char offsets as [`find_personal_data`] gives them; ones
/// that overlap an earlier one or reach past the end are skipped.
pub fn redact(text: &str, findings: &[Finding], lang: &str) -> String {
    let len = text.chars().count();
    let mut sorted: Vec<&Finding> = findings.iter().filter(|f| f.end <= len).collect();
    sorted.sort_by_key(|f| (f.start, f.end));
    let mut out = String::with_capacity(text.len());
    let mut next = sorted.into_iter().peekable();
    let mut skip_until = 0;
    for (i, c) in text.chars().enumerate() {
        while let Some(f) = next.peek() {
            if f.start < i || f.start < skip_until || f.end <= f.start {
                next.next();
            } else {
                break;
            }
        }
        if let Some(f) = next.peek().filter(|f| f.start == i) {
            out.push_str(f.kind.placeholder(lang));
            skip_until = f.end;
            next.next();
        }
        if i >= skip_until {
            out.push(c);
        }
    }
    out
}

/// Screens one free-text field.
///
/// # Errors
/// [`crate::Error::PersonalData`] naming `field` and the first finding
/// when `text` holds a fødselsnummer, D-number, phone number or e-mail
/// address.
pub fn screen(field: &'static str, text: &str) -> crate::Result<()> {
    match find_personal_data(text).into_iter().next() {
        Some(finding) => Err(crate::Error::PersonalData { field, finding }),
        None => Ok(()),
    }
}

/// Length of the run of ASCII digits starting at `i`.
fn digit_run(chars: &[char], i: usize) -> usize {
    chars.get(i..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

/// Whether `i` is the first digit of a run (nothing digit just before).
fn run_starts_at(chars: &[char], i: usize) -> bool {
    chars.get(i).is_some_and(char::is_ascii_digit) && (i == 0 || !chars[i - 1].is_ascii_digit())
}

fn is_separator(c: Option<&char>) -> bool {
    matches!(c, Some(' ' | '.'))
}

fn digits(chars: &[char]) -> Vec<u32> {
    chars.iter().filter_map(|c| c.to_digit(10)).collect()
}

/// A fødselsnummer or D-number starting at `i`: 11 digits in one run, or a
/// 6-digit run and a 5-digit run with one space or dot between them.
fn national_id_at(chars: &[char], i: usize) -> Option<Finding> {
    if !run_starts_at(chars, i) {
        return None;
    }
    let first = digit_run(chars, i);
    let end = if first == 11 {
        i + 11
    } else if first == 6 && is_separator(chars.get(i + 6)) && digit_run(chars, i + 7) == 5 {
        i + 12
    } else {
        return None;
    };
    let kind = national_id_kind(&digits(&chars[i..end]))?;
    Some(Finding {
        kind,
        start: i,
        end,
    })
}

/// The kind of a checksum-valid, plausibly dated 11-digit number, or
/// `None` when it is not an identity number.
fn national_id_kind(d: &[u32]) -> Option<FindingKind> {
    let d: &[u32; 11] = d.try_into().ok()?;
    const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let check = |weights: &[u32], digits: &[u32]| -> Option<u32> {
        let sum: u32 = weights.iter().zip(digits).map(|(w, d)| w * d).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    if check(&K1, &d[..9])? != d[9] || check(&K2, &d[..10])? != d[10] {
        return None;
    }
    // The date part only has to look like a date: months may carry +40
    // (H-numbers) or +80 (synthetic test numbers), which are still ids.
    let day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    if !matches!(month, 1..=12 | 41..=52 | 81..=92) {
        return None;
    }
    match day {
        1..=31 => Some(FindingKind::NationalId),
        41..=71 => Some(FindingKind::DNumber),
        _ => None,
    }
}

/// How Norwegians group an 8-digit number: as one run, or in the common
/// mobile and landline groupings. A date like 23.03.2024 (2-2-4) is none of
/// them, so it is not mistaken for a phone number.
const PHONE_GROUPS: [&[usize]; 4] = [&[8], &[3, 2, 3], &[2, 2, 2, 2], &[4, 4]];

/// A phone number starting at `i`, with its +47 / 0047 prefix if any.
fn phone_at(chars: &[char], i: usize) -> Option<Finding> {
    let prefix = ["+47", "0047"].into_iter().find_map(|p| {
        let p: Vec<char> = p.chars().collect();
        let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
        (chars.get(i..i + p.len()) == Some(&p[..]) && !digit_before).then_some(p.len())
    });
    if let Some(len) = prefix {
        let mut j = i + len;
        if chars.get(j) == Some(&' ') {
            j += 1;
        }
        if let Some(end) = phone_number_end(chars, j) {
            return Some(Finding {
                kind: FindingKind::Phone,
                start: i,
                end,
            });
        }
    }
    if !run_starts_at(chars, i) {
        return None;
    }
    phone_number_end(chars, i).map(|end| Finding {
        kind: FindingKind::Phone,
        start: i,
        end,
    })
}

/// The end of an 8-digit national number starting at `j` (first digit
/// 2-9) in one of [`PHONE_GROUPS`], with one kind of separator throughout.
fn phone_number_end(chars: &[char], j: usize) -> Option<usize> {
    if !matches!(chars.get(j), Some('2'..='9')) {
        return None;
    }
    PHONE_GROUPS.iter().find_map(|groups| {
        let mut at = j;
        let mut separator = None;
        for (n, &len) in groups.iter().enumerate() {
            if n > 0 {
                let sep = *chars.get(at).filter(|c| matches!(c, ' ' | '.'))?;
                if *separator.get_or_insert(sep) != sep {
                    return None;
                }
                at += 1;
            }
            if digit_run(chars, at) != len {
                return None;
            }
            at += len;
        }
        Some(at)
    })
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

/// E-mail addresses: `local@domain.tld`, pragmatic rather than RFC 5322.
/// The domain needs at least one dot and a top-level part of two or more
/// letters, so "@" used as "at" ("møtes @ Oslo S") is not flagged.
fn find_emails(chars: &[char]) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        if found.last().is_some_and(|f| at < f.end) {
            continue;
        }
        let mut start = at;
        while start > 0 && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        while start < at && chars[start] == '.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        if start < at && valid_domain(&chars[at + 1..end]) {
            found.push(Finding {
                kind: FindingKind::Email,
                start,
                end,
            });
        }
    }
    found
}

fn valid_domain(domain: &[char]) -> bool {
    let text: String = domain.iter().collect();
    let labels: Vec<&str> = text.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic fødselsnummer: the nine given digits plus computed
    /// check digits, or `None` when no valid check digit exists.
    fn with_check_digits(nine: &str) -> Option<String> {
        let d: Vec<u32> = nine.chars().filter_map(|c| c.to_digit(10)).collect();
        let k = |w: &[u32], d: &[u32]| {
            let r = 11 - w.iter().zip(d).map(|(a, b)| a * b).sum::<u32>() % 11;
            match r {
                11 => Some(0),
                10 => None,
                r => Some(r),
            }
        };
        let k1 = k(&[3, 7, 6, 1, 8, 9, 4, 5, 2], &d)?;
        let mut ten = d.clone();
        ten.push(k1);
        let k2 = k(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2], &ten)?;
        Some(format!("{nine}{k1}{k2}"))
    }

    /// The first individual number from `start` that gives valid checks.
    fn synthetic(date: &str, start: u32) -> String {
        (start..1000)
            .find_map(|i| with_check_digits(&format!("{date}{i:03}")))
            .expect("some individual number gives valid check digits")
    }

    fn kinds(text: &str) -> Vec<(FindingKind, usize, usize)> {
        find_personal_data(text)
            .into_iter()
            .map(|f| (f.kind, f.start, f.end))
            .collect()
    }

    #[test]
    fn flags_checksum_valid_national_id_with_char_offsets() {
        let id = synthetic("150599", 123);
        let text = format!("Møtte gutt, fnr {id} ifølge ham");
        assert_eq!(kinds(&text), [(FindingKind::NationalId, 16, 27)]);
        let spaced = format!("{} {}", &id[..6], &id[6..]);
        assert_eq!(kinds(&spaced), [(FindingKind::NationalId, 0, 12)]);
        let dotted = format!("nr. {}.{}", &id[..6], &id[6..]);
        assert_eq!(kinds(&dotted), [(FindingKind::NationalId, 4, 16)]);
    }

    #[test]
    fn flags_d_number() {
        let id = synthetic("550599", 500);
        assert_eq!(kinds(&id), [(FindingKind::DNumber, 0, 11)]);
    }

    #[test]
    fn ignores_failed_check_digits_and_longer_runs() {
        let id = synthetic("010203", 0);
        let mut bad = id.clone().into_bytes();
        bad[10] = b'0' + (bad[10] - b'0' + 1) % 10;
        let bad = String::from_utf8(bad).expect("ascii");
        assert!(find_personal_data(&bad).is_empty(), "{bad}");
        assert!(find_personal_data(&format!("{id}9")).is_empty());
        assert!(find_personal_data(&format!("9{id}")).is_empty());
        assert!(find_personal_data("12345678901").is_empty());
    }

    #[test]
    fn flags_phone_numbers_in_common_formats() {
        for (text, start, end) in [
            ("ring 91234567 i kveld", 5, 13),
            ("912 34 567", 0, 10),
            ("tlf 91.23.45.67.", 4, 15),
            ("+47 91234567", 0, 12),
            ("+4791234567", 0, 11),
            ("0047 22 33 44 55", 0, 16),
            ("nr: 2233 4455", 4, 13),
        ] {
            assert_eq!(kinds(text), [(FindingKind::Phone, start, end)], "{text}");
        }
    }

    #[test]
    fn ignores_non_phone_numbers() {
        for text in [
            "12345678",              // starts with 1
            "912345678",             // nine digits
            "4791234567",            // +47 without plus is just a long run
            "møttes 23.03.2024",     // a date
            "kl 21.30 22.15",        // two times, mixed separators
            "3 ungdommer, 2 jenter", // small numbers
            "12345678901",           // 11 digits, bad checks
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn flags_email_but_not_at_sign_alone() {
        assert_eq!(
            kinds("skriv til ola.nordmann91234567@eksempel.no."),
            [(FindingKind::Email, 10, 42)]
        );
        assert_eq!(kinds("å@ø.no"), [(FindingKind::Email, 0, 6)]);
        assert!(kinds("møtes @ Oslo S").is_empty());
        assert!(kinds("a@localhost").is_empty());
        assert!(kinds("@eksempel.no").is_empty());
    }

    #[test]
    fn reports_all_findings_in_order() {
        let id = synthetic("311299", 42);
        let text = format!("x@y.no, {id} og 98765432");
        let got: Vec<_> = kinds(&text).into_iter().map(|k| k.0).collect();
        assert_eq!(
            got,
            [
                FindingKind::Email,
                FindingKind::NationalId,
                FindingKind::Phone
            ]
        );
    }

    const ALL_KINDS: [FindingKind; 8] = [
        FindingKind::NationalId,
        FindingKind::DNumber,
        FindingKind::HNumber,
        FindingKind::Phone,
        FindingKind::Email,
        FindingKind::Handle,
        FindingKind::Name,
        FindingKind::Address,
    ];

    #[test]
    fn redact_replaces_spans_and_placeholders_pass_the_screen() {
        let text = "ring 912 34 567 eller skriv ola@eksempel.no i dag";
        let found = find_personal_data(text);
        assert_eq!(
            redact(text, &found, "nb"),
            "ring [telefon] eller skriv [e-post] i dag"
        );
        assert_eq!(
            redact(text, &found, "en"),
            "ring [phone] eller skriv [e-mail] i dag"
        );
        for lang in ["nb", "en", "nn"] {
            for kind in ALL_KINDS {
                let f = Finding {
                    kind,
                    start: 4,
                    end: 7,
                };
                let redacted = redact("Han Ola (15) sa at", &[f], lang);
                assert!(redacted.contains(kind.placeholder(lang)), "{redacted}");
                assert_eq!(find_personal_data(&redacted), vec![], "{redacted}");
            }
        }
    }

    #[test]
    fn screen_names_field_kind_and_place() {
        let err = screen("note", "ring meg på 912 34 567").expect_err("phone");
        assert_eq!(
            err.to_string(),
            "note: a phone number at characters 13-22; remove it before saving"
        );
        assert!(screen("note", "tre jenter, snakket om skole").is_ok());
    }
}
