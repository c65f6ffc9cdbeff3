//! `login_attempts`: failed sign-ins per account, address and known
//! browser, for the growing delay between tries (the rules are in
//! `web::auth::throttle`).

use rusqlite::{Connection, OptionalExtension, params};

/// Failures so far and when the last one was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts {
    /// Failed tries counted (reservations included).
    pub failures: i64,
    /// When the last one was counted, Unix ms.
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

/// Counts one more failure under `key`; a count whose last failure is
/// before `forget_before_ms` starts over at one.
pub fn fail(
    conn: &Connection,
    key: &str,
    now_ms: i64,
    forget_before_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO login_attempts (key, failures, last_failure_ms) VALUES (?1, 1, ?2)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN last_failure_ms < ?3 THEN 1 ELSE failures + 1 END,
           last_failure_ms = excluded.last_failure_ms",
    )?
    .execute(params![key, now_ms, forget_before_ms])?;
    Ok(())
}

/// Takes one failure back from `key` (a reservation that turned out a
/// success).
pub fn give_back(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE login_attempts SET failures = max(failures - 1, 0) WHERE key = ?1",
    )?
    .execute([key])?;
    Ok(())
}

/// Forgets the failures under `key`.
pub fn clear(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM login_attempts WHERE key = ?1", [key])?;
    Ok(())
}
