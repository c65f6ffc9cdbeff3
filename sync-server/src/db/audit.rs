//! `audit_log`: who approved, returned, exported, enrolled, revoked or
//! changed whom, and when. Append-only: the schema's triggers refuse every
//! update and delete, and this module offers neither. An entry is written
//! only inside a [`Transaction`]: the one holding the change it records,
//! so the two are on disk together or not at all.

use feltlogg_core::ids::UserId;
use rusqlite::{Connection, Transaction, params};

/// Who acts: a dashboard user, or the CLI's operator (named by `--by`;
/// no user id). Every operation that changes state takes one and writes
/// it in its audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user's id; `None` for the CLI's operator.
    pub user: Option<UserId>,
    /// The username at the time, or the operator's name.
    pub name: String,
}

impl Actor {
    /// A signed-in dashboard user.
    pub fn user(id: UserId, username: &str) -> Self {
        Self {
            user: Some(id),
            name: username.to_owned(),
        }
    }

    /// The CLI's operator, as named by `--by`.
    pub fn operator(name: &str) -> Self {
        Self {
            user: None,
            name: name.to_owned(),
        }
    }
}

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Row id (increasing).
    pub id: i64,
    /// When, Unix ms.
    pub at_ms: i64,
    /// Who (the username at the time).
    pub username: String,
    /// What, a stable code such as `shift_approve`.
    pub action: String,
    /// On what (a shift id, a device id, a username, a period).
    pub target: String,
    /// More detail (a return comment, an export format). Never a secret.
    pub detail: String,
}

/// Appends an entry by `by`, in the transaction holding the change.
pub fn record(
    tx: &Transaction<'_>,
    at_ms: i64,
    by: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    insert(tx, at_ms, by.user, &by.name, action, target, detail)
}

/// Appends an entry (also one with no known user, such as a failed
/// sign-in), in the transaction holding the change.
pub fn insert(
    conn: &Transaction<'_>,
    at_ms: i64,
    user: Option<UserId>,
    username: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at_ms, user_id, username, action, target, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        at_ms,
        user.map(|u| u.to_string()),
        username,
        action,
        target,
        detail
    ])?;
    Ok(())
}

/// Entries newest first, `limit` of them starting below id `before`
/// (None: from the newest).
pub fn list(conn: &Connection, before: Option<i64>, limit: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at_ms, username, action, target, detail FROM audit_log
          WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![before.unwrap_or(i64::MAX), limit], |r| {
        Ok(Entry {
            id: r.get(0)?,
            at_ms: r.get(1)?,
            username: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// Number of entries with `action` (for tests and checks).
pub fn count_action(conn: &Connection, action: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE action = ?1",
        [action],
        |r| r.get(0),
    )
}
