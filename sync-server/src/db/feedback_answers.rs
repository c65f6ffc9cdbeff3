//! `feedback_answers`: the youths' anonymous answers, by unit and Oslo
//! date only (migration 0009). Read back raw for the results module,
//! which decides what may be shown.

use feltlogg_core::AgeGroup;
use feltlogg_core::feedback::{Answer, Question};
use feltlogg_core::ids::UnitId;
use jiff::civil::Date;
use rusqlite::{Connection, params};

/// Stores one screened answer for `unit` on `day`.
pub fn insert(conn: &Connection, unit: UnitId, day: Date, a: &Answer) -> rusqlite::Result<()> {
    let g = |q: Question| a.grade(q).map(i64::from);
    conn.prepare_cached(
        "INSERT INTO feedback_answers
           (unit_id, day, age_group, easy_to_reach, listened, helped, trust, overall, free_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        unit.to_string(),
        day.to_string(),
        a.age_group.map(AgeGroup::as_str),
        g(Question::EasyToReach),
        g(Question::Listened),
        g(Question::Helped),
        g(Question::Trust),
        g(Question::Overall),
        a.text,
    ])?;
    Ok(())
}

/// Every answer of `unit` from `first` to `last` (inclusive), without
/// the free text. Order carries nothing: by grades, not by arrival.
pub fn grades(
    conn: &Connection,
    unit: UnitId,
    first: Date,
    last: Date,
) -> rusqlite::Result<Vec<Answer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT age_group, easy_to_reach, listened, helped, trust, overall
           FROM feedback_answers WHERE unit_id = ?1 AND day BETWEEN ?2 AND ?3
          ORDER BY 1, 2, 3, 4, 5, 6",
    )?;
    let rows = stmt.query_map(
        params![unit.to_string(), first.to_string(), last.to_string()],
        |r| {
            let age: Option<String> = r.get(0)?;
            let mut grades = [None; 5];
            for (i, g) in grades.iter_mut().enumerate() {
                *g = r.get::<_, Option<u8>>(i + 1)?;
            }
            Ok(Answer {
                grades,
                age_group: age.and_then(|a| AgeGroup::parse(&a).ok()),
                text: None,
            })
        },
    )?;
    rows.collect()
}

/// The free texts of `unit` from `first` to `last`, sorted as text, so
/// their order says nothing about when (or from whom) they came.
pub fn texts(
    conn: &Connection,
    unit: UnitId,
    first: Date,
    last: Date,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT free_text FROM feedback_answers
          WHERE unit_id = ?1 AND day BETWEEN ?2 AND ?3 AND free_text IS NOT NULL
          ORDER BY free_text",
    )?;
    let rows = stmt.query_map(
        params![unit.to_string(), first.to_string(), last.to_string()],
        |r| r.get(0),
    )?;
    rows.collect()
}

/// Answers of `unit` in all, for checks and tests.
pub fn count(conn: &Connection, unit: UnitId) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM feedback_answers WHERE unit_id = ?1",
        [unit.to_string()],
        |r| r.get(0),
    )
}
