//! A unit's own words and its "not a person" setting (issue 15): what a
//! team lead curates for their units on the dashboard and an admin for
//! the whole municipality, the [`UnitPolicy`] every screen on the server
//! reads (the merge's checks, the old-data scan, return comments), and
//! what the pull sends the unit's phones.
//!
//! Every change is one transaction with its audit row and a `directory`
//! entry in the changelog for each unit it concerns, so the phones get the
//! new list on their next pull.

use crate::db::changelog::{self, RefEntry};
use crate::db::review::UnitFilter;
use crate::db::{audit, records, unit_words, units};
use crate::error::ApiError;
use feltlogg_core::ids::{UnitId, UserId};
use feltlogg_core::record::{RecordKind, confirmed_in, not_a_person_of};
use feltlogg_core::screen::{Span, effective_confirmations, find_personal_data_with};
use feltlogg_core::validate;
use feltlogg_core::words::{UnitPolicy, UnitWords, check_word};
use rusqlite::{Connection, Transaction};
use uuid::Uuid;

/// Which list: a unit's own, or the municipality's (which every unit reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// A unit's own words.
    Unit(UnitId),
    /// The municipality-wide words (admins keep them).
    Municipality,
}

impl List {
    fn unit(self) -> Option<UnitId> {
        match self {
            List::Unit(u) => Some(u),
            List::Municipality => None,
        }
    }
}

/// Who changes a list, for the authorisation check and the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Editor<'a> {
    /// The user (none for the command line).
    pub user: Option<UserId>,
    /// Their username, as the audit log names them.
    pub username: &'a str,
    /// The units they lead (`None`: all, an admin).
    pub units: UnitFilter<'a>,
}

/// What the screen of `unit` reads: its words and the municipality's,
/// and its setting.
///
/// # Errors
/// Database errors.
pub fn of_unit(conn: &Connection, unit: UnitId) -> rusqlite::Result<UnitWords> {
    Ok(UnitWords {
        words: unit_words::for_unit(conn, unit)?,
        confirmations: units::confirmations(conn, unit)?,
    })
}

/// The screen policy of `unit`, built once for a batch or a page.
///
/// # Errors
/// Database errors.
pub fn policy(conn: &Connection, unit: UnitId) -> rusqlite::Result<UnitPolicy> {
    Ok(UnitPolicy::new(&of_unit(conn, unit)?))
}

/// Adds `word` to `list`; returns the word as kept and whether it is new
/// (a word the list holds already, in any case, changes nothing).
///
/// # Errors
/// [`ApiError::Invalid`] for a word [`check_word`] refuses;
/// [`ApiError::NotFound`] for a unit that does not exist or is not the
/// editor's; [`ApiError::Forbidden`] when a team lead edits the
/// municipality's list.
pub fn add(
    tx: &Transaction<'_>,
    list: List,
    word: &str,
    by: &Editor<'_>,
    now_ms: i64,
) -> Result<(String, bool), ApiError> {
    let word = check_word(word).map_err(invalid)?;
    let target = check_may_edit(tx, list, by)?;
    let new = unit_words::insert(tx, list.unit(), &word, by.username, now_ms)?;
    if new {
        audit::insert(tx, now_ms, by.user, by.username, "word_add", &target, &word)?;
        announce(tx, list, now_ms)?;
    }
    Ok((word, new))
}

/// Removes word `id` from `list`; returns the word removed.
///
/// # Errors
/// [`ApiError::NotFound`] when the list has no such word, or the unit is
/// not the editor's; [`ApiError::Forbidden`] as for [`add`].
pub fn remove(
    tx: &Transaction<'_>,
    list: List,
    id: i64,
    by: &Editor<'_>,
    now_ms: i64,
) -> Result<String, ApiError> {
    let target = check_may_edit(tx, list, by)?;
    let word = unit_words::delete(tx, list.unit(), id)?
        .ok_or_else(|| ApiError::NotFound(format!("the list has no word with id {id}")))?;
    audit::insert(
        tx,
        now_ms,
        by.user,
        by.username,
        "word_remove",
        &target,
        &word,
    )?;
    announce(tx, list, now_ms)?;
    Ok(word)
}

/// Turns `unit`'s "not a person" confirmations on or off.
///
/// # Errors
/// [`ApiError::NotFound`] for a unit that does not exist or is not the
/// editor's.
pub fn set_confirmations(
    tx: &Transaction<'_>,
    unit: UnitId,
    on: bool,
    by: &Editor<'_>,
    now_ms: i64,
) -> Result<(), ApiError> {
    let list = List::Unit(unit);
    let target = check_may_edit(tx, list, by)?;
    if units::confirmations(tx, unit)? != on {
        units::set_confirmations(tx, unit, on)?;
        let detail = format!("not_a_person={}", if on { "on" } else { "off" });
        audit::insert(
            tx,
            now_ms,
            by.user,
            by.username,
            "words_setting",
            &target,
            &detail,
        )?;
        announce(tx, list, now_ms)?;
    }
    Ok(())
}

/// Where a confirmed span lives: the record, its free-text field, the span.
#[derive(Clone, Copy, Debug)]
pub struct ConfirmedSpan<'a> {
    /// The record's kind.
    pub kind: RecordKind,
    /// Its id.
    pub id: Uuid,
    /// The free-text field.
    pub field: &'a str,
    /// The span a worker confirmed as "not a person".
    pub span: Span,
}

/// The lead's one click on a confirmed span: the word it covers goes on
/// the record's unit's list, so the screen no longer takes it for a name
/// there. Returns the unit and the word.
///
/// # Errors
/// [`ApiError::NotFound`] for a record that does not exist or is not in
/// the editor's units; [`ApiError::Invalid`] for a field the kind has no
/// text in, or a span that is no confirmed name finding of that text now.
pub fn add_confirmed(
    tx: &Transaction<'_>,
    at: &ConfirmedSpan<'_>,
    by: &Editor<'_>,
    now_ms: i64,
) -> Result<(UnitId, String), ApiError> {
    let (unit, word) = {
        let not_found = || {
            ApiError::NotFound(format!(
                "no {} with id {} in your units",
                at.kind.as_str(),
                at.id
            ))
        };
        let stored = records::load(tx, at.kind, at.id)?.ok_or_else(not_found)?;
        if by.units.is_some_and(|u| !u.contains(&stored.unit_id)) {
            return Err(not_found());
        }
        if !validate::text_fields(at.kind).contains(&at.field) {
            return Err(invalid_span(at));
        }
        let values = stored.state.values();
        let text = values.get(at.field).and_then(|v| v.as_str()).unwrap_or("");
        let unit_policy = policy(tx, stored.unit_id)?;
        let p = unit_policy.policy();
        let findings = find_personal_data_with(text, p.allowed);
        let confirmed = confirmed_in(&not_a_person_of(&values), at.field);
        if !effective_confirmations(&findings, &p, &confirmed).contains(&at.span) {
            return Err(invalid_span(at));
        }
        let word: String = text
            .chars()
            .skip(at.span.start)
            .take(at.span.end - at.span.start)
            .collect();
        (stored.unit_id, word)
    };
    let (word, _) = add(tx, List::Unit(unit), &word, by, now_ms)?;
    Ok((unit, word))
}

fn invalid_span(at: &ConfirmedSpan<'_>) -> ApiError {
    ApiError::Invalid {
        field: "span",
        problem: format!(
            "{} {} has no confirmed name at {}..{} of its {:?} now; reload the list",
            at.kind.as_str(),
            at.id,
            at.span.start,
            at.span.end,
            at.field
        ),
    }
}

/// The audit target of `list` when `by` may edit it.
fn check_may_edit(tx: &Connection, list: List, by: &Editor<'_>) -> Result<String, ApiError> {
    match list {
        List::Municipality if by.units.is_none() => Ok("municipality".to_owned()),
        List::Municipality => Err(ApiError::Forbidden(format!(
            "user {} may not change the municipality's words; only admins may",
            by.username
        ))),
        List::Unit(u) => {
            let found = units::find(tx, &u.to_string())?;
            match found {
                Some(unit) if by.units.is_none_or(|mine| mine.contains(&u)) => {
                    Ok(format!("unit/{}", unit.name))
                }
                _ => Err(ApiError::NotFound(format!("no unit {u} in your units"))),
            }
        }
    }
}

/// A `directory` entry for each unit the list concerns: their phones'
/// next pull carries the new words.
fn announce(tx: &Connection, list: List, now_ms: i64) -> rusqlite::Result<()> {
    let affected: Vec<UnitId> = match list {
        List::Unit(u) => vec![u],
        List::Municipality => units::list(tx)?.into_iter().map(|u| u.id).collect(),
    };
    for unit in affected {
        changelog::insert_ref(tx, unit, RefEntry::Directory, None, None, None, now_ms)?;
    }
    Ok(())
}

fn invalid(e: feltlogg_core::Error) -> ApiError {
    match e {
        feltlogg_core::Error::Invalid { field, problem } => ApiError::Invalid { field, problem },
        other => ApiError::Invalid {
            field: "word",
            problem: other.to_string(),
        },
    }
}
