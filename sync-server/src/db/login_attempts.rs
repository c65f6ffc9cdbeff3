//! `login_attempts`: failed sign-ins per user and per address, for the
//! growing delay between tries.

use rusqlite::{Connection, OptionalExtension, params};

/// Failures so far and when the last one was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts {
    /// Failed tries since the last success.
    pub failures: i64,
    /// When the last failure was, Unix ms.
    pub last_failure_ms: i64,
}

/// The failures recorded under `key`.
pub fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<Attempts>> {
    conn.prepare_cached("SELECT failures, last_failure_ms FROM login_attempts WHERE key = ?1")?
        .query_row([key], |r| {
            Ok(Attempts {
                failures: r.get(0)?,
                last_failure_ms: r.get(1)?,
            })
        })
        .optional()
}

/// Counts one more failure under `key`.
pub fn fail(conn: &Connection, key: &str, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO login_attempts (key, failures, last_failure_ms) VALUES (?1, 1, ?2)
         ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_failure_ms = excluded.last_failure_ms",
        params![key, now_ms],
    )?;
    Ok(())
}

/// Forgets the failures under `key` (after a success).
pub fn clear(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM login_attempts WHERE key = ?1", [key])?;
    Ok(())
}
