//! `audit_log`: who approved, returned, exported, enrolled, revoked or
//! changed whom, and when. Append-only: the schema's triggers refuse every
//! update and delete, and this module offers neither.

use feltlogg_core::ids::UserId;
use rusqlite::{Connection, params};

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

/// Appends an entry.
pub fn insert(
    conn: &Connection,
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
