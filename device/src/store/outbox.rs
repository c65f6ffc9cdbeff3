//! Queries on the `outbox` table: local changes waiting to be pushed.

use super::error::Result;
use feltlogg_core::change::Change;
use rusqlite::{Connection, params};

/// Appends one change; returns its sequence number.
pub(crate) fn append(conn: &Connection, change: &Change) -> Result<i64> {
    let mut stmt = conn
        .prepare_cached("INSERT INTO outbox (record_id, kind, change_json) VALUES (?1, ?2, ?3)")?;
    stmt.execute(params![
        change.id.to_string(),
        change.kind.as_str(),
        serde_json::to_string(change)?,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// How many changes wait.
pub(crate) fn count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The oldest `limit` changes with their sequence numbers.
pub(crate) fn batch(conn: &Connection, limit: usize) -> Result<Vec<(i64, Change)>> {
    // Outbox seqs start at 1 (AUTOINCREMENT), so "after 0" is all of them.
    after(conn, 0, limit)
}

/// Removes every change up to and including `seq`; returns how many went.
pub(crate) fn remove_through(conn: &Connection, seq: i64) -> Result<usize> {
    Ok(conn.execute("DELETE FROM outbox WHERE seq <= ?1", [seq])?)
}

/// Up to `limit` changes after outbox seq `after`, in order: the next batch.
pub(crate) fn after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<(i64, Change)>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT seq, change_json FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, json) = row?;
        out.push((seq, serde_json::from_str(&json)?));
    }
    Ok(out)
}
