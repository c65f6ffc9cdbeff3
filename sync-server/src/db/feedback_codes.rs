//! `feedback_codes`: the one-time codes on the youths' feedback cards,
//! stored as SHA-256 with their unit and expiry only (migration 0009).

use feltlogg_core::ids::UnitId;
use rusqlite::{Connection, OptionalExtension, params};

/// Stores a new code's hash.
pub fn insert(
    conn: &Connection,
    code_hash: &[u8],
    unit: UnitId,
    expires_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO feedback_codes (code_hash, unit_id, expires_ms) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![code_hash, unit.to_string(), expires_ms])?;
    Ok(())
}

/// The unit of the code with this hash, if it is stored and not expired
/// at `now_ms`. One indexed lookup whatever the outcome, so an unknown,
/// a used (deleted) and an expired code cost the same.
pub fn usable(
    conn: &Connection,
    code_hash: &[u8],
    now_ms: i64,
) -> rusqlite::Result<Option<UnitId>> {
    conn.prepare_cached("SELECT unit_id, expires_ms > ?2 FROM feedback_codes WHERE code_hash = ?1")?
        .query_row(params![code_hash, now_ms], |r| {
            let unit: UnitId = super::parse_id(r, 0)?;
            let live: bool = r.get(1)?;
            Ok(live.then_some(unit))
        })
        .optional()
        .map(Option::flatten)
}

/// Uses the code up: deletes its row if it is stored and not expired,
/// returning its unit. Two racing posts of one code cannot both get it:
/// only one delete finds the row.
pub fn take(conn: &Connection, code_hash: &[u8], now_ms: i64) -> rusqlite::Result<Option<UnitId>> {
    conn.prepare_cached(
        "DELETE FROM feedback_codes WHERE code_hash = ?1 AND expires_ms > ?2 RETURNING unit_id",
    )?
    .query_row(params![code_hash, now_ms], |r| super::parse_id(r, 0))
    .optional()
}

/// Deletes every code expired at `now_ms`; returns how many.
pub fn purge_expired(conn: &Connection, now_ms: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM feedback_codes WHERE expires_ms <= ?1",
        [now_ms],
    )
}

/// Codes of `unit` still out and usable at `now_ms`.
pub fn count_usable(conn: &Connection, unit: UnitId, now_ms: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM feedback_codes WHERE unit_id = ?1 AND expires_ms > ?2",
        params![unit.to_string(), now_ms],
        |r| r.get(0),
    )
}
