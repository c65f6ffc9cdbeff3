//! The anonymity screen's one-tap fix. When a save is refused for personal
//! data, the UI asks what the refused text holds and how it reads with
//! every finding replaced by its neutral placeholder. Both answers come
//! from `core` (the same screen the store ran, the same placeholder words
//! the server uses), so the UI never spells a rule or a placeholder itself.
//!
//! Nothing here saves anything: the worker saves the fixed text again and
//! the store screens it again. No path lets flagged text through.

use crate::error::{AppError, CmdResult, ErrorKind};
use feltlogg_core::screen::{self, FindingKind};
use serde::Serialize;

/// The UI's languages: the placeholders come in these.
const LANGS: [&str; 2] = ["nb", "en"];

/// One finding in a refused text, with the word that replaces it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct Flag {
    /// What was found.
    pub kind: FindingKind,
    /// First character (Unicode scalar value, not UTF-16 unit), from 0.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The neutral placeholder the fix puts in its place, e.g. `[navn]`.
    pub placeholder: String,
}

/// What the screen finds in a text, and the text fixed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct Screened {
    /// Every finding, ordered by start; empty when the text is clean.
    pub findings: Vec<Flag>,
    /// The text with each finding replaced by its placeholder and the rest
    /// kept as written.
    pub redacted: String,
}

/// Screens `text` and redacts it, with placeholders in `lang` ("en" for
/// English, bokmål otherwise).
pub fn screened(text: &str, lang: &str) -> Screened {
    let found = screen::find_personal_data(text);
    let redacted = screen::redact(text, &found, lang);
    let findings = found
        .into_iter()
        .map(|f| Flag {
            kind: f.kind,
            start: f.start,
            end: f.end,
            placeholder: f.kind.placeholder(lang).to_owned(),
        })
        .collect();
    Screened { findings, redacted }
}

/// What the anonymity screen finds in `text` and the text with each finding
/// replaced by a neutral placeholder in `lang` (`nb` or `en`): the refused
/// note's highlight and its one-tap fix. Saves nothing.
///
/// # Errors
/// `invalid` when `lang` is neither `nb` nor `en`.
#[tauri::command]
#[specta::specta]
pub fn screen_text(text: String, lang: String) -> CmdResult<Screened> {
    if !LANGS.contains(&lang.as_str()) {
        let mut e = AppError::new(
            ErrorKind::Invalid,
            format!("language {lang:?} has no placeholders; give \"nb\" or \"en\""),
        );
        e.field = Some("lang".into());
        return Err(e);
    }
    Ok(screened(&text, &lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_spans_and_fixes_the_text_keeping_the_rest() {
        let text = "han (15) sa «ring meg på 912 34 567» før han gikk";
        let s = screened(text, "nb");
        assert_eq!(s.findings.len(), 1, "{s:?}");
        let f = &s.findings[0];
        assert_eq!(f.kind, FindingKind::Phone);
        let span: String = text.chars().skip(f.start).take(f.end - f.start).collect();
        assert_eq!(span, "912 34 567");
        assert_eq!(f.placeholder, "[telefon]");
        assert_eq!(
            s.redacted,
            "han (15) sa «ring meg på [telefon]» før han gikk"
        );
        assert!(screen::find_personal_data(&s.redacted).is_empty());
        assert_eq!(screened(text, "en").findings[0].placeholder, "[phone]");
    }

    #[test]
    fn names_and_addresses_become_their_placeholders() {
        let text = "snakket med Amir (14) om jobb, han bor i Tvetenveien 150";
        let s = screened(text, "nb");
        let spans: Vec<(FindingKind, String)> = s
            .findings
            .iter()
            .map(|f| {
                (
                    f.kind,
                    text.chars().skip(f.start).take(f.end - f.start).collect(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            [
                (FindingKind::Name, "Amir".to_owned()),
                (FindingKind::Address, "Tvetenveien 150".to_owned())
            ]
        );
        assert_eq!(
            s.redacted,
            "snakket med [navn] (14) om jobb, han bor i [adresse]"
        );
        assert_eq!(
            screened(text, "en").redacted,
            "snakket med [name] (14) om jobb, han bor i [address]"
        );
    }

    #[test]
    fn a_clean_text_comes_back_unchanged() {
        let text = "tre jenter i parken, snakket om skole og jobb";
        let s = screened(text, "nb");
        assert!(s.findings.is_empty());
        assert_eq!(s.redacted, text);
    }

    #[test]
    fn several_findings_are_all_fixed() {
        let text = "skriv til ola@eksempel.no eller ring 91234567";
        let s = screened(text, "en");
        let kinds: Vec<_> = s.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FindingKind::Email, FindingKind::Phone]);
        assert_eq!(s.redacted, "skriv til [e-mail] eller ring [phone]");
    }

    #[test]
    fn an_unknown_language_is_refused_by_name() {
        let e = screen_text("ring 91234567".into(), "de".into()).expect_err("de");
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("\"de\""), "{}", e.message);
        assert!(screen_text("ring 91234567".into(), "en".into()).is_ok());
    }

    #[test]
    fn serialises_kinds_as_the_ui_reads_them() {
        let json = serde_json::to_value(screened("ring 91234567", "nb")).expect("json");
        assert_eq!(json["findings"][0]["kind"], "phone");
        assert_eq!(json["findings"][0]["start"], 5);
        assert_eq!(json["findings"][0]["end"], 13);
        assert_eq!(json["redacted"], "ring [telefon]");
    }
}
