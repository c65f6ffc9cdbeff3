//! The public form's words: one table per language ([`nb`], [`en`]), each
//! a value of [`Texts`], so a language that lacks a text does not compile.
//! Another language is one more file and one more [`FormLang`] variant.
//!
//! Bokmål is written "lettlest": short sentences, everyday words, one
//! thing per sentence, "du" and "vi" (Språkrådet's klarspråk advice and
//! the easy-to-read guidelines for young readers).

mod en;
mod nb;

use feltlogg_core::screen::FindingKind;

/// Every text of the public form and the printed card in one language.
#[derive(Debug)]
pub struct Texts {
    /// The language's name in itself, for the switch link.
    pub name: &'static str,
    /// The page's heading.
    pub title: &'static str,
    /// Lines under the heading.
    pub intro: [&'static str; 4],
    /// The questions, in `Question::ALL` order.
    pub questions: [&'static str; 5],
    /// The scale's steps 1–5 for the first four questions.
    pub scale: [&'static str; 5],
    /// The steps 1–5 of the overall question.
    pub overall_scale: [&'static str; 5],
    /// The choice that leaves a question unanswered.
    pub skip: &'static str,
    /// The age question.
    pub age_question: &'static str,
    /// The age groups, in `FORM_AGE_GROUPS` order.
    pub ages: [&'static str; 5],
    /// The choice that gives no age.
    pub age_skip: &'static str,
    /// The free-text question.
    pub text_question: &'static str,
    /// The advice under it.
    pub text_hint: &'static str,
    /// The send button.
    pub send: &'static str,
    /// Above a flagged text.
    pub found: &'static str,
    /// The one-tap fix button.
    pub fix: &'static str,
    /// After the fix.
    pub fixed: &'static str,
    /// What was found: id number, phone, e-mail, handle, name, address,
    /// birth date, vehicle registration.
    pub findings: [&'static str; 8],
    /// A post with nothing answered.
    pub nothing: &'static str,
    /// A post whose token did not fit (a restart in between).
    pub resend: &'static str,
    /// The thank-you page: heading and text.
    pub thanks: [&'static str; 2],
    /// An unknown, used or expired code: heading and text.
    pub refused: [&'static str; 2],
    /// Too many unusable codes from one address: heading and text.
    pub busy: [&'static str; 2],
    /// A form that does not fit the question set: heading and text.
    pub bad: [&'static str; 2],
    /// The card: what it is for.
    pub card_line: &'static str,
    /// The card: before the address.
    pub card_scan: &'static str,
    /// The card: `{d}` is the last day.
    pub card_valid: &'static str,
}

impl Texts {
    /// What a finding of `kind` is called.
    pub fn finding(&self, kind: FindingKind) -> &'static str {
        let i = match kind {
            FindingKind::NationalId | FindingKind::DNumber | FindingKind::HNumber => 0,
            FindingKind::Phone => 1,
            FindingKind::Email => 2,
            FindingKind::Handle => 3,
            FindingKind::Name => 4,
            FindingKind::Address => 5,
            FindingKind::BirthDate => 6,
            FindingKind::VehicleRegistration => 7,
        };
        self.findings[i]
    }
}

/// A language of the public form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FormLang {
    /// Norwegian bokmål (the default).
    #[default]
    Nb,
    /// English.
    En,
}

impl FormLang {
    /// Every language, the default first.
    pub const ALL: [FormLang; 2] = [FormLang::Nb, FormLang::En];

    /// The `lang` attribute and the `?lang=` value.
    pub fn code(self) -> &'static str {
        match self {
            FormLang::Nb => "nb",
            FormLang::En => "en",
        }
    }

    /// The texts.
    pub fn texts(self) -> &'static Texts {
        match self {
            FormLang::Nb => &nb::TEXTS,
            FormLang::En => &en::TEXTS,
        }
    }

    /// The language of `code` (`nb`, `no`, `en`…), if the form has it.
    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "nb" | "no" | "nn" => Some(FormLang::Nb),
            "en" => Some(FormLang::En),
            _ => None,
        }
    }

    /// The language asked for (`lang` of the query or form), else the
    /// browser's first language the form has, else bokmål. Read for this
    /// answer only; never stored.
    pub fn choose(asked: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(l) = asked.and_then(Self::parse) {
            return l;
        }
        accept_language
            .into_iter()
            .flat_map(|h| h.split(','))
            .filter_map(|part| Self::parse(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_chosen_by_asking_then_by_the_browser() {
        assert_eq!(FormLang::choose(Some("en"), None), FormLang::En);
        assert_eq!(
            FormLang::choose(Some("xx"), Some("en-GB,en;q=0.8")),
            FormLang::En
        );
        assert_eq!(FormLang::choose(None, Some("sv,nb;q=0.5")), FormLang::Nb);
        assert_eq!(FormLang::choose(None, Some("de")), FormLang::Nb);
        assert_eq!(FormLang::choose(None, None), FormLang::Nb);
    }

    #[test]
    fn every_text_is_filled_in_every_language() {
        for lang in FormLang::ALL {
            let t = lang.texts();
            let all = [
                t.name,
                t.title,
                t.skip,
                t.age_question,
                t.age_skip,
                t.text_question,
            ]
            .into_iter()
            .chain([
                t.text_hint,
                t.send,
                t.found,
                t.fix,
                t.fixed,
                t.nothing,
                t.resend,
            ])
            .chain([t.card_line, t.card_scan, t.card_valid])
            .chain(t.intro)
            .chain(t.questions)
            .chain(t.scale)
            .chain(t.overall_scale)
            .chain(t.ages)
            .chain(t.findings)
            .chain(t.thanks)
            .chain(t.refused)
            .chain(t.busy)
            .chain(t.bad);
            for text in all {
                assert!(!text.trim().is_empty(), "{lang:?}");
            }
            assert!(t.card_valid.contains("{d}"), "{lang:?}");
        }
    }
}
