//! Queries on the `sync_state` table: the sync client's small facts by key
//! (pull cursor, acked batch seq, last success, last error).

use super::error::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension, params};

/// The server change seq pulled up to.
pub(crate) const PULL_CURSOR: &str = "pull_cursor";
/// The highest batch seq the server has acknowledged.
pub(crate) const ACKED_SEQ: &str = "acked_batch_seq";

/// The value stored under `key`.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The number stored under `key`.
pub(crate) fn get_number<T: std::str::FromStr>(conn: &Connection, key: &str) -> Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    get(conn, key)?
        .map(|s| {
            s.parse()
                .map_err(|e| StoreError::Corrupt(format!("{key} {s:?}: {e}")))
        })
        .transpose()
}

/// Stores `value` under `key`.
pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

/// Removes `key`.
pub(crate) fn delete(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM sync_state WHERE key = ?1", [key])?;
    Ok(())
}
