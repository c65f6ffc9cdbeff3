//! Queries on the `pin_attempts` table, and the growing delay after wrong
//! PINs. Kept in the database so a restart does not reset the count.

use super::error::Result;
use feltlogg_core::ids::UserId;
use feltlogg_core::record::UnixMs;
use rusqlite::{Connection, OptionalExtension, params};

/// Wrong PINs allowed in a row before the delay starts (issue 16: five,
/// the same allowance the dashboard gives a password).
pub const FREE_FAILURES: u32 = 5;
/// The first delay, in seconds: long enough that restarting the app
/// (a few seconds) does not outlast it, short enough for a worker who
/// mistyped to wait it out.
pub const FIRST_DELAY_SECS: u64 = 30;
/// The longest delay, in seconds (the dashboard's cap too). At the cap a
/// guesser gets four tries an hour per worker: 6-digit PINs then take
/// years, not hours, even with a copy of the app and no copy of the file.
pub const MAX_DELAY_SECS: u64 = 15 * 60;

/// The delay after `failures` wrong PINs in a row: none for the first
/// four, then 30, 60, 120, ... seconds from the fifth, capped at 15 minutes.
pub fn delay_secs(failures: u32) -> u64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let exp = failures - FREE_FAILURES;
    if exp >= 6 {
        MAX_DELAY_SECS
    } else {
        (FIRST_DELAY_SECS << exp).min(MAX_DELAY_SECS)
    }
}

/// Seconds until `worker` may try again at `now` (0: may try now).
pub(crate) fn wait_secs(conn: &Connection, worker: UserId, now: UnixMs) -> Result<u64> {
    let row: Option<(u32, i64)> = conn
        .query_row(
            "SELECT failures, last_failure_ms FROM pin_attempts WHERE worker_id = ?1",
            [worker.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((failures, last)) = row else {
        return Ok(0);
    };
    let delay_ms = i64::try_from(delay_secs(failures) * 1000).unwrap_or(i64::MAX);
    let remaining = last.saturating_add(delay_ms).saturating_sub(now);
    Ok(u64::try_from(remaining).map_or(0, |ms| ms.div_ceil(1000)))
}

/// Counts one more wrong PIN at `now`.
pub(crate) fn record_failure(conn: &Connection, worker: UserId, now: UnixMs) -> Result<()> {
    conn.execute(
        "INSERT INTO pin_attempts (worker_id, failures, last_failure_ms) VALUES (?1, 1, ?2)
         ON CONFLICT (worker_id) DO UPDATE SET failures = failures + 1, last_failure_ms = ?2",
        params![worker.to_string(), now],
    )?;
    Ok(())
}

/// Forgets the failures after a right PIN.
pub(crate) fn reset(conn: &Connection, worker: UserId) -> Result<()> {
    conn.execute(
        "DELETE FROM pin_attempts WHERE worker_id = ?1",
        [worker.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_starts_at_the_fifth_failure_doubles_and_caps() {
        assert_eq!((0..5).map(delay_secs).collect::<Vec<_>>(), [0; 5]);
        assert_eq!(delay_secs(5), 30);
        assert_eq!(delay_secs(6), 60);
        assert_eq!(delay_secs(9), 480);
        assert_eq!(delay_secs(10), MAX_DELAY_SECS);
        assert_eq!(delay_secs(11), MAX_DELAY_SECS);
        assert_eq!(delay_secs(u32::MAX), MAX_DELAY_SECS);
    }
}
