//! The youths' anonymous feedback (DOMAIN.md, "Feedback"): the question
//! set, how a posted form becomes an [`Answer`] (validated against that
//! set, nothing else accepted), and the threshold under which nothing is
//! shown. The server renders the form, screens the free text with
//! [`crate::screen`] and stores the answer; this module decides what a
//! valid answer is.
//!
//! The questions ask about the service, never about the young person:
//! no name, school, place, time or event, so an answer cannot point at
//! anyone. The only thing about the person is a coarse age group, one of
//! the app's own groups ([`FORM_AGE_GROUPS`]).
//!
//! What they follow: the themes of Finland's Sovari outcome survey for
//! youth work (being listened to, getting support or being guided to it,
//! trust in the workers; one short anonymous form, a five-step scale,
//! results only from 7 respondents); FHI's Ung Arena work on youth
//! participation (a QR code, a few minutes, young people as evaluators,
//! as Oslostandarden asks); and plain-language advice for young readers
//! (Språkrådet's klarspråk, easy-to-read: one thing per question, short
//! everyday words, "du"). Reaching the workers comes first because
//! outreach work is judged by whether young people find and approach it.

use crate::AgeGroup;

/// One question on the five-step scale. Wire names are stable: they are
/// the form's field names and the server's column names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Question {
    /// Was it easy to get in touch with the workers?
    EasyToReach,
    /// Did the workers listen?
    Listened,
    /// Did they help, or show where to get help?
    Helped,
    /// Does the young person trust that what they said stays with them?
    Trust,
    /// An overall grade.
    Overall,
}

impl Question {
    /// Every question, in the form's order.
    pub const ALL: [Question; 5] = [
        Question::EasyToReach,
        Question::Listened,
        Question::Helped,
        Question::Trust,
        Question::Overall,
    ];

    /// The stable wire name (form field and column).
    pub fn as_str(self) -> &'static str {
        match self {
            Question::EasyToReach => "easy_to_reach",
            Question::Listened => "listened",
            Question::Helped => "helped",
            Question::Trust => "trust",
            Question::Overall => "overall",
        }
    }

    /// The question's place in [`Question::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The lowest and highest step of the scale.
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=5;

/// Steps on the scale.
pub const STEPS: usize = 5;

/// The age groups a young person may pick (the app's groups without
/// "unknown": not picking one is the form's "rather not say").
pub const FORM_AGE_GROUPS: [AgeGroup; 5] = [
    AgeGroup::Under13,
    AgeGroup::From13To15,
    AgeGroup::From16To18,
    AgeGroup::From19To23,
    AgeGroup::Over23,
];

/// Most characters in the free text ("Noe du vil si til oss?").
pub const MAX_FREE_TEXT_CHARS: usize = 500;

/// The free-text field's name.
pub const FREE_TEXT_FIELD: &str = "text";

/// The age group field's name.
pub const AGE_FIELD: &str = "age";

/// Fewest answers before a unit's results for a period are shown
/// (Sovari's rule; the dashboard setting can raise it).
pub const DEFAULT_MIN_ANSWERS: u64 = 7;

/// The setting can never go below this.
pub const FLOOR_MIN_ANSWERS: u64 = 5;

/// Highest threshold the setting takes.
pub const CEILING_MIN_ANSWERS: u64 = 1000;

/// A young person's answer, every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// One step per question of [`Question::ALL`], `None` when skipped.
    pub grades: [Option<u8>; 5],
    /// Their age group, if they gave one.
    pub age_group: Option<AgeGroup>,
    /// The free text, trimmed; `None` when empty. Not yet screened.
    pub text: Option<String>,
}

impl Answer {
    /// The step given to `q`, if any.
    pub fn grade(&self, q: Question) -> Option<u8> {
        self.grades[q.index()]
    }

    /// Whether nothing at all was answered.
    pub fn is_empty(&self) -> bool {
        self.grades.iter().all(Option::is_none) && self.age_group.is_none() && self.text.is_none()
    }
}

/// Why a posted form is not an answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    /// A field the question set does not have.
    #[error("the form has no field {0:?}; send only the form's own fields")]
    UnknownField(String),
    /// A field given twice.
    #[error("field {0:?} was sent twice; send each field once")]
    Repeated(String),
    /// A step outside the scale, or not a number.
    #[error("{field}: {value:?} is not a step from 1 to 5; pick one or leave it empty")]
    BadGrade {
        /// The question's field.
        field: &'static str,
        /// What was sent.
        value: String,
    },
    /// Not one of [`FORM_AGE_GROUPS`].
    #[error("age: {0:?} is not one of the form's age groups; pick one or leave it empty")]
    BadAgeGroup(String),
    /// The free text is too long.
    #[error("text: {0} characters is over the limit of 500; shorten it")]
    TooLong(usize),
    /// A threshold outside what the rule allows.
    #[error(
        "{0:?} is not a usable answer threshold; give a whole number from 5 to 1000 (default 7)"
    )]
    Threshold(String),
}

/// Reads a posted form into an [`Answer`]. `fields` are the form's
/// name/value pairs; names in `ignore` (the page's own: token, language,
/// buttons) are skipped, every other name must be one of the questions,
/// [`AGE_FIELD`] or [`FREE_TEXT_FIELD`], each at most once. An empty value
/// is a skipped question.
///
/// # Errors
/// [`FeedbackError`] naming the first field that does not fit.
pub fn parse_answer<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ignore: &[&str],
) -> Result<Answer, FeedbackError> {
    let mut answer = Answer::default();
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in fields {
        if ignore.contains(&name) {
            continue;
        }
        if seen.contains(&name) {
            return Err(FeedbackError::Repeated(name.to_owned()));
        }
        seen.push(name);
        let value = value.trim();
        if let Some(q) = Question::ALL.into_iter().find(|q| q.as_str() == name) {
            answer.grades[q.index()] = parse_grade(q, value)?;
        } else if name == AGE_FIELD {
            answer.age_group = parse_age(value)?;
        } else if name == FREE_TEXT_FIELD {
            let n = value.chars().count();
            if n > MAX_FREE_TEXT_CHARS {
                return Err(FeedbackError::TooLong(n));
            }
            answer.text = (!value.is_empty()).then(|| value.to_owned());
        } else {
            return Err(FeedbackError::UnknownField(name.chars().take(40).collect()));
        }
    }
    Ok(answer)
}

fn parse_grade(q: Question, value: &str) -> Result<Option<u8>, FeedbackError> {
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u8>() {
        Ok(n) if SCALE.contains(&n) => Ok(Some(n)),
        _ => Err(FeedbackError::BadGrade {
            field: q.as_str(),
            value: value.chars().take(20).collect(),
        }),
    }
}

fn parse_age(value: &str) -> Result<Option<AgeGroup>, FeedbackError> {
    if value.is_empty() {
        return Ok(None);
    }
    FORM_AGE_GROUPS
        .into_iter()
        .find(|g| g.as_str() == value)
        .map(Some)
        .ok_or_else(|| FeedbackError::BadAgeGroup(value.chars().take(20).collect()))
}

/// Parses the answer threshold setting.
///
/// # Errors
/// [`FeedbackError::Threshold`] for anything but a whole number from
/// [`FLOOR_MIN_ANSWERS`] to [`CEILING_MIN_ANSWERS`]: below 5 a result could
/// be traced to one young person too easily.
pub fn parse_min_answers(text: &str) -> Result<u64, FeedbackError> {
    match text.trim().parse::<u64>() {
        Ok(n) if (FLOOR_MIN_ANSWERS..=CEILING_MIN_ANSWERS).contains(&n) => Ok(n),
        _ => Err(FeedbackError::Threshold(text.chars().take(20).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_form_reads_and_skipped_questions_are_none() {
        let a = parse_answer(
            [
                ("csrf", "x"),
                ("easy_to_reach", "5"),
                ("listened", ""),
                ("overall", " 3 "),
                ("age", "16_18"),
                ("text", "  Fint å prate med dere  "),
            ],
            &["csrf"],
        )
        .expect("valid");
        assert_eq!(a.grade(Question::EasyToReach), Some(5));
        assert_eq!(a.grade(Question::Listened), None);
        assert_eq!(a.grade(Question::Overall), Some(3));
        assert_eq!(a.age_group, Some(AgeGroup::From16To18));
        assert_eq!(a.text.as_deref(), Some("Fint å prate med dere"));
        assert!(!a.is_empty());
        assert!(parse_answer([], &[]).expect("empty").is_empty());
    }

    #[test]
    fn anything_outside_the_question_set_is_refused() {
        let bad =
            |pairs: &[(&str, &str)]| parse_answer(pairs.iter().copied(), &[]).expect_err("bad");
        assert_eq!(
            bad(&[("name", "Ola")]),
            FeedbackError::UnknownField("name".into())
        );
        assert!(matches!(
            bad(&[("trust", "6")]),
            FeedbackError::BadGrade { .. }
        ));
        assert!(matches!(
            bad(&[("trust", "0")]),
            FeedbackError::BadGrade { .. }
        ));
        assert!(matches!(
            bad(&[("trust", "x")]),
            FeedbackError::BadGrade { .. }
        ));
        assert!(matches!(
            bad(&[("age", "unknown")]),
            FeedbackError::BadAgeGroup(_)
        ));
        assert_eq!(
            bad(&[("helped", "4"), ("helped", "5")]),
            FeedbackError::Repeated("helped".into())
        );
        let long = "a".repeat(MAX_FREE_TEXT_CHARS + 1);
        assert_eq!(bad(&[("text", &long)]), FeedbackError::TooLong(501));
        let fits = "å".repeat(MAX_FREE_TEXT_CHARS);
        assert!(parse_answer([("text", fits.as_str())], &[]).is_ok());
    }

    #[test]
    fn the_threshold_never_goes_below_five() {
        assert_eq!(parse_min_answers("7"), Ok(7));
        assert_eq!(parse_min_answers("5"), Ok(5));
        assert!(parse_min_answers("4").is_err());
        assert!(parse_min_answers("1001").is_err());
        assert!(parse_min_answers("sju").is_err());
    }

    #[test]
    fn wire_names_are_the_fields_and_in_order() {
        let names: Vec<&str> = Question::ALL.iter().map(|q| q.as_str()).collect();
        assert_eq!(
            names,
            ["easy_to_reach", "listened", "helped", "trust", "overall"]
        );
        assert!(
            Question::ALL
                .iter()
                .enumerate()
                .all(|(i, q)| q.index() == i)
        );
        assert_eq!(
            Question::ALL.len() + 1,
            6,
            "six questions with the age group"
        );
    }
}
