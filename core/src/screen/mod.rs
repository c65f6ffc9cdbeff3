//! The anonymity screen for free text (DOMAIN.md rule 2, issues 9 and 15).
//!
//! Notes, the planned area, the closing reflection, referral text and a
//! lead's return comment are screened before anything is saved or sent.
//! The screen looks for what a person would recognise as identifying:
//! national identity numbers (fødselsnummer, D- and H-numbers, check digits
//! verified) in every writing, Norwegian phone numbers in every grouping,
//! e-mail addresses plain and obfuscated, social-media handles, person
//! names, home addresses, a youth's birth date and vehicle registrations.
//! Every recogniser has one shape (the `Recogniser` trait in `registry.rs`) and one place in
//! an ordered registry over one shared scan: identity numbers, phones,
//! e-mail, handles, birth dates, registrations and addresses by exact
//! rules; person names by a learned sequence model ([`model`], trained
//! on NorNE) beside the hand rules where their evidence is specific. A
//! unit's own words and a worker's confirmed "not a person" lift a name
//! finding, never another kind ([`Policy`]). One module per kind; `normalise` first folds
//! the text (NFKC, every space a space, every dash '-') and every finding is
//! reported in characters of the text as typed, which is what the UI
//! highlights and [`redact`] replaces.
//!
//! Context decides the doubtful cases, as careful tools do it: words like
//! tlf, mob, ring raise a number's confidence; buss, linje, saksnr, ref,
//! kr, år, antall lower it, so routes, references, amounts, years and
//! counts pass. Public service numbers and helplines, public places and
//! streets without a house number in a home context are never flagged: a
//! worker must be able to write where they were. The word lists are in
//! `core/data/screen/` (see its README for sources and licences).
//!
//! The screen errs on the side of finding things: a checksum-valid
//! 11-digit number is flagged even when a worker meant something else by
//! it; a number whose check digits fail never is.

mod address;
mod birth_date;
mod context;
mod email;
mod handle;
mod lists;
pub mod model;
mod name;
mod name_words;
mod national_id;
mod normalise;
mod phone;
mod policy;
mod registry;
mod vehicle;

use normalise::{Normalised, tokens};
pub use policy::{AllowedWords, Policy, Span, blocking, effective_confirmations};
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
    /// A youth's birth date ("født 12.03.2009").
    BirthDate,
    /// A vehicle registration number ("EL 48213").
    VehicleRegistration,
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
            FindingKind::BirthDate => "a birth date",
            FindingKind::VehicleRegistration => "a vehicle registration number",
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
            (FindingKind::BirthDate, false) => "[fødselsdato]",
            (FindingKind::BirthDate, true) => "[birth-date]",
            (FindingKind::VehicleRegistration, false) => "[regnr]",
            (FindingKind::VehicleRegistration, true) => "[reg-number]",
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
/// count characters (Unicode scalar values) of `text` as given, although
/// the recognisers read a normalised copy (see [`normalise`]). Findings
/// never overlap: digits inside an e-mail address count as part of it.
pub fn find_personal_data(text: &str) -> Vec<Finding> {
    find_personal_data_with(text, AllowedWords::none())
}

/// [`find_personal_data`] for a unit: a `Name` finding made only of words
/// `allowed` holds (the unit's and the municipality's) is not reported.
/// Nothing else is ever lifted by the list.
pub fn find_personal_data_with(text: &str, allowed: &AllowedWords) -> Vec<Finding> {
    let mut found = find_all_by(text, NameSource::Both);
    if !allowed.is_empty() {
        found.retain(|f| {
            f.kind != FindingKind::Name || !allowed.allows(&slice_chars(text, f.start, f.end))
        });
    }
    found
}

/// The characters `start..end` of `text`.
fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// A text read for screening: normalised, tokenised, with the tokens of
/// public places and those the hand-written name rules take for a name
/// marked. Every recogniser and the name model read this one scan.
#[derive(Debug)]
pub(crate) struct Scan {
    pub norm: Normalised,
    pub toks: Vec<normalise::Token>,
    pub place: Vec<bool>,
    pub rule: Vec<bool>,
    pub rule_names: Vec<(usize, usize)>,
}

impl Scan {
    pub fn new(text: &str) -> Self {
        let norm = Normalised::new(text);
        let toks = tokens(&norm.chars);
        let place = address::place_tokens(&norm.chars, &toks);
        let rule_names = name::find(&norm.chars, &toks, &place);
        let rule = toks
            .iter()
            .map(|t| rule_names.iter().any(|&(s, e)| s <= t.start && t.end <= e))
            .collect();
        Scan {
            norm,
            toks,
            place,
            rule,
            rule_names,
        }
    }
}

/// Which name recognisers to use: both in the screen; one alone only to
/// measure it (the NorNE bench).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSource {
    /// The hand-written rules and the model.
    Both,
    /// The hand-written rules alone.
    Rules,
    /// The learned model alone.
    Model,
}

/// Every finding, with names from `source`: for the NorNE bench, which
/// reports the rules and the model apart.
#[doc(hidden)]
pub fn find_all_by(text: &str, source: NameSource) -> Vec<Finding> {
    find_all_using(text, source, &model::bundled())
}

/// [`find_all_by`] with a given name model (the training example scores
/// each pass this way).
pub(crate) fn find_all_using(
    text: &str,
    source: NameSource,
    model: &model::Model<'_>,
) -> Vec<Finding> {
    let scan = Scan::new(text);
    let names = registry::Names { source, model };
    registry::scan_all(&scan, &names)
        .into_iter()
        .map(|(kind, s, e)| {
            let (start, end) = scan.norm.original_span(s, e);
            Finding { kind, start, end }
        })
        .collect()
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

/// [`redact`], kept within `max_chars`: a placeholder can be longer than
/// what it replaces ("[navn]" for "Ola"), and a stored text at its limit
/// must stay valid when nobody is there to shorten it (the server's
/// redaction of old notes). What does not fit is cut from the end and the
/// cut marked with "…".
pub fn redact_within(text: &str, findings: &[Finding], lang: &str, max_chars: usize) -> String {
    let out = redact(text, findings, lang);
    if out.chars().count() <= max_chars {
        return out;
    }
    let mut cut: String = out.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Screens one free-text field with no unit words and no confirmations.
///
/// # Errors
/// [`crate::Error::PersonalData`] naming `field` and the first finding
/// when `text` holds any kind of personal data ([`FindingKind`]).
pub fn screen(field: &'static str, text: &str) -> crate::Result<()> {
    screen_with(field, text, &Policy::default_for_unit(), &[])
}

/// Screens one free-text field under a unit's `policy`, with the spans
/// the worker `confirmed` as "not a person".
///
/// # Errors
/// [`crate::Error::PersonalData`] naming `field` and the first finding
/// that still blocks (see [`blocking`]).
pub fn screen_with(
    field: &'static str,
    text: &str,
    policy: &Policy<'_>,
    confirmed: &[Span],
) -> crate::Result<()> {
    let found = find_personal_data_with(text, policy.allowed);
    match blocking(found, policy, confirmed).into_iter().next() {
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

    const ALL_KINDS: [FindingKind; 10] = [
        FindingKind::BirthDate,
        FindingKind::VehicleRegistration,
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
    fn redaction_of_a_text_at_its_limit_stays_within_it() {
        let max = crate::validate::MAX_NOTE_CHARS;
        let head = "Ola (15) sa at han gruer seg til eksamen. ";
        let text = format!("{head}{}", "Rolig kveld. ".repeat(80));
        let text: String = text.chars().take(max).collect();
        let found = find_personal_data(&text);
        assert!(!found.is_empty(), "the name is found");
        assert!(redact(&text, &found, "nb").chars().count() > max);
        let fitted = redact_within(&text, &found, "nb", max);
        assert_eq!(fitted.chars().count(), max);
        assert!(fitted.starts_with("[navn] (15) sa at") && fitted.ends_with('…'));
        assert_eq!(find_personal_data(&fitted), vec![]);
        let short = "Ola (15) sa at";
        assert_eq!(
            redact_within(short, &find_personal_data(short), "nb", max),
            "[navn] (15) sa at"
        );
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
