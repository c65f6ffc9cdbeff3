//! Reading a unit's answers for a period and summarising them under the
//! rules of [`super::results`]: which periods may be shown at all, and a
//! year checked against its quarters.

use super::results::{Summary, summarise, year_allowed};
use crate::db::feedback_answers;
use crate::error::ApiError;
use crate::export::Period;
use feltlogg_core::ids::UnitId;
use jiff::civil::Date;
use rusqlite::Connection;

/// Why a period's feedback cannot be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodProblem {
    /// Only whole quarters and years.
    NotQuarterOrYear,
    /// The period has not ended yet (on `today`).
    NotEnded,
}

/// Whether `period` may show feedback on `today`: a whole quarter or
/// year whose last day has passed.
///
/// # Errors
/// The [`PeriodProblem`].
pub fn check_period(period: &Period, today: Date) -> Result<(), PeriodProblem> {
    let label = &period.label;
    let year = label.len() == 4 && label.bytes().all(|b| b.is_ascii_digit());
    let quarter = label.len() == 7 && label.contains("-Q");
    if !(year || quarter) {
        return Err(PeriodProblem::NotQuarterOrYear);
    }
    if period.last_day >= today {
        return Err(PeriodProblem::NotEnded);
    }
    Ok(())
}

/// The summary of `unit` in `period` (checked with [`check_period`]):
/// for a year, hidden entirely when its quarters would give a small
/// group away.
///
/// # Errors
/// [`ApiError::Internal`] when the database fails.
pub fn summary(
    conn: &Connection,
    unit: UnitId,
    period: &Period,
    threshold: u64,
) -> Result<Summary, ApiError> {
    let answers = feedback_answers::grades(conn, unit, period.first_day, period.last_day)?;
    let mut s = summarise(&answers, threshold);
    if s.shown && period.label.len() == 4 {
        let mut quarters = Vec::new();
        for q in 1..=4 {
            let qp = Period::parse(&format!("{}-Q{q}", period.label))
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let list = feedback_answers::grades(conn, unit, qp.first_day, qp.last_day)?;
            quarters.push(summarise(&list, threshold));
        }
        if !year_allowed(&quarters, threshold) {
            s = summarise(&[], threshold);
            s.n = answers.len() as u64;
        }
    }
    Ok(s)
}

/// The free texts of `unit` in `period`, only when its summary is shown;
/// for the unit's own team lead, never exported.
///
/// # Errors
/// [`ApiError::Internal`] when the database fails.
pub fn texts(
    conn: &Connection,
    unit: UnitId,
    period: &Period,
    summary: &Summary,
) -> Result<Vec<String>, ApiError> {
    if !summary.shown {
        return Ok(Vec::new());
    }
    Ok(feedback_answers::texts(
        conn,
        unit,
        period.first_day,
        period.last_day,
    )?)
}

/// The last quarter that has ended on `today`, as `Period::parse` text.
pub fn last_ended_quarter(today: Date) -> String {
    let q = (today.month() - 1) / 3 + 1;
    if q == 1 {
        format!("{}-Q4", today.year() - 1)
    } else {
        format!("{}-Q{}", today.year(), q - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_ended_quarters_and_years() {
        let today = Date::constant(2026, 12, 3);
        let p = |t: &str| Period::parse(t).expect("period");
        assert_eq!(check_period(&p("2026-Q3"), today), Ok(()));
        assert_eq!(check_period(&p("2025"), today), Ok(()));
        assert_eq!(
            check_period(&p("2026-Q4"), today),
            Err(PeriodProblem::NotEnded)
        );
        assert_eq!(
            check_period(&p("2026"), today),
            Err(PeriodProblem::NotEnded)
        );
        assert_eq!(
            check_period(&p("2026-07"), today),
            Err(PeriodProblem::NotQuarterOrYear)
        );
        assert_eq!(
            check_period(&p("2026-01-01..2026-03-31"), today),
            Err(PeriodProblem::NotQuarterOrYear)
        );
        assert_eq!(last_ended_quarter(today), "2026-Q3");
        assert_eq!(last_ended_quarter(Date::constant(2027, 2, 1)), "2026-Q4");
    }
}
