//! What a unit's screen reads besides the text (issue 15): the words the
//! unit and the municipality have said are no person ("Blå Kors", the
//! local youth club, a street nickname), and the spans a worker confirmed
//! as "not a person". Both only ever lift a `Name` finding: identity
//! numbers, phones, e-mail, handles and addresses stay hard refusals
//! whatever a list or a confirmation says.

use super::{Finding, FindingKind, normalise::Normalised};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Words and phrases that are never a person's name in a unit: its own
/// curated words together with the municipality's. Entries are kept
/// folded (normalised, lower-cased, one space between words), so "Blå
/// Kors", "blå  kors" and a decomposed "Blå" are one entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowedWords {
    entries: BTreeSet<String>,
}

impl AllowedWords {
    /// No words: the screen as the bundled lists alone have it.
    pub fn none() -> &'static AllowedWords {
        static NONE: AllowedWords = AllowedWords {
            entries: BTreeSet::new(),
        };
        &NONE
    }

    /// The allowed words from a list of entries as a lead typed them.
    /// Empty entries are skipped.
    pub fn new<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries = words
            .into_iter()
            .map(|w| fold(w.as_ref()))
            .filter(|w| !w.is_empty())
            .collect();
        AllowedWords { entries }
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `phrase` (as it stands in a text) is on the list, or is
    /// made only of words on it ("Kiwi Storo" when "kiwi" and "storo" are).
    pub fn allows(&self, phrase: &str) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let folded = fold(phrase);
        self.entries.contains(&folded)
            || folded
                .split(' ')
                .all(|w| self.entries.contains(w) || self.entries.contains(genitive_stem(w)))
    }
}

/// The word without a genitive "s" ("Kiwis" → "Kiwi").
fn genitive_stem(w: &str) -> &str {
    w.strip_suffix('s').unwrap_or(w)
}

/// Normalised (NFKC, spaces and dashes folded), lower-cased, words joined
/// by one space, punctuation at either end dropped.
fn fold(text: &str) -> String {
    let chars: String = Normalised::new(text).chars.into_iter().collect();
    chars
        .to_lowercase()
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A span of a text that a worker confirmed is not a person: character
/// (not byte) offsets of the text as typed, end exclusive, as a
/// [`Finding`] has them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Span {
    /// First character, counted from 0.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl From<&Finding> for Span {
    fn from(f: &Finding) -> Self {
        Span {
            start: f.start,
            end: f.end,
        }
    }
}

/// How a unit screens its texts: the words it allows, and whether its
/// workers may confirm a name finding as "not a person" (a unit setting;
/// off, every name finding is a refusal as before).
#[derive(Clone, Copy, Debug)]
pub struct Policy<'a> {
    /// The unit's and the municipality's words together.
    pub allowed: &'a AllowedWords,
    /// Whether a confirmed span lifts a name finding.
    pub confirmations: bool,
}

impl Policy<'static> {
    /// No allowed words, confirmations on: the default of a unit that has
    /// set nothing.
    pub fn default_for_unit() -> Self {
        Policy {
            allowed: AllowedWords::none(),
            confirmations: true,
        }
    }
}

/// The findings that block saving `text` under `policy` with the worker's
/// `confirmed` spans: every finding, except a `Name` finding whose span a
/// confirmation matches exactly (and only when the policy allows
/// confirmations). A confirmation for any other kind, or for a span that
/// is no name finding, lifts nothing.
pub fn blocking(findings: Vec<Finding>, policy: &Policy<'_>, confirmed: &[Span]) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| {
            let lifted = policy.confirmations
                && f.kind == FindingKind::Name
                && confirmed.contains(&Span::from(f));
            !lifted
        })
        .collect()
}

/// The confirmations that match a name finding in `text` today: what the
/// server keeps and shows the lead. A span that matches nothing (the text
/// was edited, or it was smuggled for a phone number) is dropped.
pub fn effective_confirmations(
    findings: &[Finding],
    policy: &Policy<'_>,
    confirmed: &[Span],
) -> Vec<Span> {
    if !policy.confirmations {
        return Vec::new();
    }
    let mut kept: Vec<Span> = confirmed
        .iter()
        .copied()
        .filter(|s| {
            findings
                .iter()
                .any(|f| f.kind == FindingKind::Name && Span::from(f) == *s)
        })
        .collect();
    kept.sort_unstable();
    kept.dedup();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_words_fold_case_space_and_decomposition() {
        let words = AllowedWords::new(["Blå  Kors", "", "kiwi", "Storo"]);
        assert!(words.allows("blå kors"));
        assert!(words.allows("Bla\u{030A} Kors"), "decomposed å");
        assert!(words.allows("Kiwi Storo"));
        assert!(words.allows("Kiwis"));
        assert!(!words.allows("Kiwi Hansen"));
        assert!(!AllowedWords::none().allows("Kiwi"));
    }

    #[test]
    fn only_an_exact_name_span_is_lifted() {
        let name = Finding {
            kind: FindingKind::Name,
            start: 4,
            end: 9,
        };
        let phone = Finding {
            kind: FindingKind::Phone,
            start: 12,
            end: 20,
        };
        let policy = Policy::default_for_unit();
        let found = vec![name.clone(), phone.clone()];
        let all = [Span::from(&name), Span::from(&phone)];
        assert_eq!(blocking(found.clone(), &policy, &all), vec![phone.clone()]);
        let near = [Span { start: 4, end: 8 }];
        assert_eq!(blocking(found.clone(), &policy, &near).len(), 2);
        let off = Policy {
            confirmations: false,
            ..policy
        };
        assert_eq!(blocking(found.clone(), &off, &all).len(), 2);
        assert_eq!(
            effective_confirmations(&found, &policy, &all),
            vec![Span::from(&name)]
        );
        assert!(effective_confirmations(&found, &off, &all).is_empty());
    }
}
