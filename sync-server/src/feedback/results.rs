//! What may be shown of a unit's answers in a period (the threshold `T`,
//! 7 unless an admin raised it; never under 5):
//!
//! 1. A unit and period with fewer than `T` answers shows nothing, not
//!    even how many (only "fewer than T").
//! 2. A question shows its count, mean and distribution only when `T` or
//!    more answered it.
//! 3. A breakdown by age group (answers per group; a question's mean per
//!    group) shows a cell only with `T` or more in it, and hides more
//!    cells of the row until the hidden ones hold `T` or more together
//!    (or none): a reader who knows the row's total cannot work out a
//!    hidden cell, nor the mean of a small group from the difference.
//! 4. Periods are whole quarters or years that have ended: a running
//!    period would show each new answer as a change between two looks.
//!    A year is shown only if its hidden quarters hold no answers or `T`
//!    or more together, else "year minus the shown quarters" would be a
//!    small group's result.
//!
//! There is no total across units: a unit under the threshold would be
//! the total minus the others.

use feltlogg_core::AgeGroup;
use feltlogg_core::feedback::{Answer, FORM_AGE_GROUPS, Question, STEPS};

/// A breakdown cell: its group (`None`: no age given) and count; `shown`
/// false when the rule hides it. `mean` only for shown question cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The age group, `None` for answers without one.
    pub group: Option<AgeGroup>,
    /// How many are in it (never to be shown when hidden).
    pub n: u64,
    /// Whether it may be shown.
    pub shown: bool,
    /// The mean grade of the cell (question breakdowns only).
    pub mean: Option<f64>,
}

/// One question's result.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionResult {
    /// The question.
    pub question: Question,
    /// How many answered it.
    pub n: u64,
    /// Whether anything of it may be shown (`n` at or over the threshold).
    pub shown: bool,
    /// Mean grade, 1–5.
    pub mean: f64,
    /// How many gave each grade, 1 first.
    pub dist: [u64; STEPS],
    /// Mean per age group (see the module's rule 3).
    pub by_age: Vec<Cell>,
}

/// A unit's result for one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The threshold applied.
    pub threshold: u64,
    /// Answers in the period (never to be shown when `shown` is false).
    pub n: u64,
    /// Whether the unit's result may be shown at all.
    pub shown: bool,
    /// Answers per age group, groups of the form first, then none given.
    pub ages: Vec<Cell>,
    /// Per question, in the form's order.
    pub questions: Vec<QuestionResult>,
}

/// The groups of a breakdown row: the form's, then "not given".
fn groups() -> impl Iterator<Item = Option<AgeGroup>> {
    FORM_AGE_GROUPS.into_iter().map(Some).chain([None])
}

/// Summarises `answers` under `threshold`. Pure: the caller has checked
/// the period (rule 4).
pub fn summarise(answers: &[Answer], threshold: u64) -> Summary {
    let n = answers.len() as u64;
    let shown = n >= threshold;
    let ages = breakdown(
        groups()
            .map(|g| {
                let count = answers.iter().filter(|a| a.age_group == g).count() as u64;
                (g, count, None)
            })
            .collect(),
        threshold,
        shown,
    );
    let questions = Question::ALL
        .into_iter()
        .map(|q| question(answers, q, threshold, shown))
        .collect();
    Summary {
        threshold,
        n,
        shown,
        ages,
        questions,
    }
}

fn question(answers: &[Answer], q: Question, threshold: u64, unit_shown: bool) -> QuestionResult {
    let given: Vec<(Option<AgeGroup>, u8)> = answers
        .iter()
        .filter_map(|a| a.grade(q).map(|g| (a.age_group, g)))
        .collect();
    let n = given.len() as u64;
    let mut dist = [0u64; STEPS];
    for (_, g) in &given {
        dist[usize::from(g.saturating_sub(1)).min(STEPS - 1)] += 1;
    }
    let overall_mean = mean(given.iter().map(|(_, g)| *g));
    let shown = unit_shown && n >= threshold;
    let by_age = breakdown(
        groups()
            .map(|group| {
                let grades = given.iter().filter(|(a, _)| *a == group).map(|(_, g)| *g);
                let cell: Vec<u8> = grades.collect();
                (group, cell.len() as u64, Some(mean(cell.into_iter())))
            })
            .collect(),
        threshold,
        shown,
    );
    QuestionResult {
        question: q,
        n,
        shown,
        mean: overall_mean,
        dist,
        by_age,
    }
}

fn mean(grades: impl Iterator<Item = u8>) -> f64 {
    let (sum, n) = grades.fold((0u64, 0u64), |(s, n), g| (s + u64::from(g), n + 1));
    if n == 0 { 0.0 } else { sum as f64 / n as f64 }
}

/// Rule 3 on one row whose total is shown (`row_shown`): hide every cell
/// under the threshold, then the smallest shown cells until the hidden
/// ones hold none or at least the threshold together.
fn breakdown(
    cells: Vec<(Option<AgeGroup>, u64, Option<f64>)>,
    threshold: u64,
    row_shown: bool,
) -> Vec<Cell> {
    let mut out: Vec<Cell> = cells
        .into_iter()
        .map(|(group, n, mean)| Cell {
            group,
            n,
            shown: row_shown && (n == 0 || n >= threshold),
            mean,
        })
        .collect();
    loop {
        let hidden: u64 = out.iter().filter(|c| !c.shown).map(|c| c.n).sum();
        if hidden == 0 || hidden >= threshold {
            break;
        }
        let next = out
            .iter_mut()
            .filter(|c| c.shown && c.n > 0)
            .min_by_key(|c| c.n);
        match next {
            Some(c) => c.shown = false,
            None => break,
        }
    }
    for c in &mut out {
        if !c.shown {
            c.mean = None;
        }
    }
    out
}

/// Rule 4 for a year: `quarters` are the year's quarter summaries under
/// the same threshold. The year is shown only if the hidden quarters hold
/// no answer or enough together.
pub fn year_allowed(quarters: &[Summary], threshold: u64) -> bool {
    let hidden: u64 = quarters.iter().filter(|q| !q.shown).map(|q| q.n).sum();
    hidden == 0 || hidden >= threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(age: Option<AgeGroup>, overall: Option<u8>) -> Answer {
        let mut a = Answer {
            age_group: age,
            ..Answer::default()
        };
        a.grades[Question::Overall.index()] = overall;
        a
    }

    #[test]
    fn six_answers_show_nothing_and_seven_show_the_unit() {
        let six: Vec<Answer> = (0..6).map(|_| answer(None, Some(4))).collect();
        let s = summarise(&six, 7);
        assert!(!s.shown);
        assert!(s.questions.iter().all(|q| !q.shown));
        assert!(s.ages.iter().all(|c| !c.shown || c.n == 0));
        let mut seven = six.clone();
        seven.push(answer(None, Some(2)));
        let s = summarise(&seven, 7);
        assert!(s.shown);
        let overall = &s.questions[Question::Overall.index()];
        assert!(overall.shown);
        assert_eq!(overall.dist, [0, 1, 0, 6, 0]);
        assert!((overall.mean - 26.0 / 7.0).abs() < 1e-9);
        assert!(
            !s.questions[Question::Trust.index()].shown,
            "nobody answered it"
        );
    }

    #[test]
    fn a_small_age_group_is_hidden_with_enough_others_to_hide_it() {
        // 3 aged 13–15, 8 aged 16–18, 9 not given: the 3 alone would be
        // total − 8 − 9, so one more cell goes (the 8), and then 11 are
        // hidden together.
        let mut list = Vec::new();
        list.extend((0..3).map(|_| answer(Some(AgeGroup::From13To15), Some(1))));
        list.extend((0..8).map(|_| answer(Some(AgeGroup::From16To18), Some(5))));
        list.extend((0..9).map(|_| answer(None, Some(4))));
        let s = summarise(&list, 7);
        let cell = |cells: &[Cell], g: Option<AgeGroup>| {
            cells.iter().find(|c| c.group == g).cloned().expect("cell")
        };
        assert!(!cell(&s.ages, Some(AgeGroup::From13To15)).shown);
        assert!(!cell(&s.ages, Some(AgeGroup::From16To18)).shown);
        assert!(cell(&s.ages, None).shown);
        assert!(cell(&s.ages, Some(AgeGroup::Over23)).shown, "zero shows");
        let q = &s.questions[Question::Overall.index()];
        assert!(q.shown);
        let young = cell(&q.by_age, Some(AgeGroup::From13To15));
        assert!(!young.shown && young.mean.is_none(), "{young:?}");
        let hidden: u64 = q.by_age.iter().filter(|c| !c.shown).map(|c| c.n).sum();
        assert!(hidden >= 7, "hidden cells hold {hidden}");
        assert_eq!(cell(&q.by_age, None).mean, Some(4.0));
    }

    #[test]
    fn a_year_is_hidden_when_its_hidden_quarters_hold_a_small_group() {
        let q = |n: usize| summarise(&vec![answer(None, Some(3)); n], 7);
        assert!(year_allowed(&[q(8), q(9), q(0), q(7)], 7));
        assert!(!year_allowed(&[q(8), q(9), q(3), q(7)], 7));
        assert!(
            year_allowed(&[q(8), q(4), q(3), q(7)], 7),
            "7 hidden together"
        );
    }
}
