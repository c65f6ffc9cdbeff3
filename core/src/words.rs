//! A unit's own words (issue 15): the words and phrases its team lead
//! (and, for every unit, an admin) has said are no person — the local
//! youth club, a shop, a street nickname, a service the screen takes for
//! a name — and the unit's setting for whether workers may confirm a name
//! finding as "not a person". The server keeps them, sends them to the
//! unit's phones with the pull, and both sides screen with the
//! [`Policy`] they make. They only ever lift a `Name` finding
//! ([`crate::screen::find_personal_data_with`]).

use crate::error::{Error, Result};
use crate::screen::{AllowedWords, FindingKind, Policy, find_personal_data};
use serde::{Deserialize, Serialize};

/// Most characters in one word or phrase.
pub const MAX_WORD_CHARS: usize = 60;
/// Most words in one phrase ("Blå Kors Ungdomsklubb Tøyen" is four).
pub const MAX_PHRASE_WORDS: usize = 6;

/// A unit's screen settings as they travel to its phones: the unit's and
/// the municipality's words together, and the confirmation setting.
/// Wire type (inside the sealed pull page): add only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitWords {
    /// The words, as the leads typed them (the unit's and the
    /// municipality's), sorted.
    pub words: Vec<String>,
    /// Whether a worker's confirmed "not a person" span lifts a name
    /// finding in this unit.
    pub confirmations: bool,
}

impl Default for UnitWords {
    /// No words, confirmations on: a unit that has set nothing.
    fn default() -> Self {
        UnitWords {
            words: Vec::new(),
            confirmations: true,
        }
    }
}

/// A unit's screen, built once from its [`UnitWords`] (the words folded)
/// and lent out as a [`Policy`] for each text.
#[derive(Clone, Debug)]
pub struct UnitPolicy {
    allowed: AllowedWords,
    confirmations: bool,
}

impl Default for UnitPolicy {
    /// The policy of a unit that has set nothing: no words, confirmations on.
    fn default() -> Self {
        UnitPolicy::new(&UnitWords::default())
    }
}

impl UnitPolicy {
    /// The policy of a unit with these settings.
    pub fn new(words: &UnitWords) -> Self {
        UnitPolicy {
            allowed: AllowedWords::new(&words.words),
            confirmations: words.confirmations,
        }
    }

    /// The policy to screen with.
    pub fn policy(&self) -> Policy<'_> {
        Policy {
            allowed: &self.allowed,
            confirmations: self.confirmations,
        }
    }
}

/// A word or phrase a lead typed, as it is kept: trimmed, one space
/// between words.
///
/// # Errors
/// [`Error::Invalid`] (field `word`) for an empty word, one over
/// [`MAX_WORD_CHARS`] characters or [`MAX_PHRASE_WORDS`] words, and one in
/// which the screen finds an identity number, phone number, e-mail
/// address, handle or address: the list lifts only names, so such a word
/// would stay refused whatever the list says.
pub fn check_word(word: &str) -> Result<String> {
    let kept = word.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = kept.chars().count();
    let words = kept.split(' ').count();
    let problem = if n == 0 {
        Some("the word is empty; type the word or phrase the screen takes for a name".to_owned())
    } else if n > MAX_WORD_CHARS || words > MAX_PHRASE_WORDS {
        Some(format!(
            "a word of {n} characters and {words} words is too long; give at most \
             {MAX_WORD_CHARS} characters and {MAX_PHRASE_WORDS} words"
        ))
    } else {
        find_personal_data(&kept)
            .into_iter()
            .find(|f| f.kind != FindingKind::Name)
            .map(|f| {
                format!(
                    "the word holds {f}; the unit's words lift only names, and numbers, e-mail, \
                     handles and addresses are always refused"
                )
            })
    };
    match problem {
        Some(problem) => Err(Error::Invalid {
            field: "word",
            problem,
        }),
        None => Ok(kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::find_personal_data_with;

    #[test]
    fn words_are_kept_trimmed_and_only_names_may_be_listed() {
        assert_eq!(check_word("  Blå   Kors ").as_deref(), Ok("Blå Kors"));
        for bad in [
            "",
            "   ",
            "ring 912 34 567",
            "ola@eksempel.no",
            &"a".repeat(61),
        ] {
            let e = check_word(bad).expect_err(bad);
            assert!(matches!(e, Error::Invalid { field: "word", .. }), "{e}");
        }
        assert!(check_word("en to tre fire fem seks sju").is_err());
    }

    #[test]
    fn a_unit_policy_lifts_its_words_and_keeps_its_setting() {
        let words = UnitWords {
            words: vec!["Kiwi".into()],
            confirmations: false,
        };
        let policy = UnitPolicy::new(&words);
        let p = policy.policy();
        assert!(!p.confirmations);
        let text = "snakket med Kiwi om jobb";
        assert!(find_personal_data_with(text, p.allowed).is_empty());
        assert!(UnitPolicy::default().policy().confirmations);
    }
}
