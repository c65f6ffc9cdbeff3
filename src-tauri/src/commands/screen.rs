//! The anonymity screen's live marks and one-tap fix. While the worker
//! types (and when a save is refused for personal data), the UI asks what
//! the text holds and how it reads with every finding replaced by its
//! neutral placeholder. Both answers come from `core` with the unit's
//! words (the same screen and policy the store runs, the same placeholder
//! words the server uses), so the UI never spells a rule or a placeholder
//! itself, and the marks never disagree with the save.
//!
//! Nothing here saves anything: the worker saves the fixed text again (or
//! confirms its names as "not a person", which only the store judges) and
//! the store screens it again. No path lets flagged text through.

use crate::error::{AppError, CmdResult, ErrorKind};
use crate::state::AppState;
use feltlogg_core::screen::{self, FindingKind, Policy};
use serde::Serialize;
use tauri::State;

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
    /// Whether the worker may confirm the findings as "not a person" and
    /// save: every finding is a name and the unit allows confirmations.
    pub may_confirm: bool,
}

/// Screens `text` under the unit's `policy` and redacts it, with
/// placeholders in `lang` ("en" for English, bokmål otherwise).
pub fn screened(text: &str, lang: &str, policy: &Policy<'_>) -> Screened {
    let found = screen::find_personal_data_with(text, policy.allowed);
    let redacted = screen::redact(text, &found, lang);
    let may_confirm = policy.confirmations
        && !found.is_empty()
        && found.iter().all(|f| f.kind == FindingKind::Name);
    let findings = found
        .into_iter()
        .map(|f| Flag {
            kind: f.kind,
            start: f.start,
            end: f.end,
            placeholder: f.kind.placeholder(lang).to_owned(),
        })
        .collect();
    Screened {
        findings,
        redacted,
        may_confirm,
    }
}

/// What the anonymity screen finds in `text` (with the unit's words) and
/// the text with each finding replaced by a neutral placeholder in `lang`
/// (`nb` or `en`): the live marks while typing, the refused note's
/// highlight and its one-tap fix. Saves nothing.
///
/// # Errors
/// `invalid` when `lang` is neither `nb` nor `en`.
#[tauri::command]
#[specta::specta]
pub async fn screen_text(
    state: State<'_, AppState>,
    text: String,
    lang: String,
) -> CmdResult<Screened> {
    check_lang(&lang)?;
    let policy = state.with_store(|s| Ok(s.screen_policy())).await?;
    Ok(screened(&text, &lang, &policy.policy()))
}

fn check_lang(lang: &str) -> CmdResult<()> {
    if !LANGS.contains(&lang) {
        let mut e = AppError::new(
            ErrorKind::Invalid,
            format!("language {lang:?} has no placeholders; give \"nb\" or \"en\""),
        );
        e.field = Some("lang".into());
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltlogg_core::words::{UnitPolicy, UnitWords};

    fn screened(text: &str, lang: &str) -> Screened {
        super::screened(text, lang, &Policy::default_for_unit())
    }

    #[test]
    fn only_names_may_be_confirmed_and_only_where_the_unit_allows() {
        let name = "snakket med Amir (14) om jobb";
        assert!(screened(name, "nb").may_confirm);
        assert!(!screened("ring 91234567", "nb").may_confirm);
        assert!(!screened(&format!("{name}, ring 91234567"), "nb").may_confirm);
        assert!(!screened("tre jenter i parken", "nb").may_confirm);
        let off = UnitPolicy::new(&UnitWords {
            words: vec![],
            confirmations: false,
        });
        assert!(!super::screened(name, "nb", &off.policy()).may_confirm);
        let word = UnitPolicy::new(&UnitWords {
            words: vec!["Amir".into()],
            confirmations: true,
        });
        assert!(
            super::screened(name, "nb", &word.policy())
                .findings
                .is_empty()
        );
    }

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
        let e = check_lang("de").expect_err("de");
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("\"de\""), "{}", e.message);
        assert!(check_lang("en").is_ok());
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
