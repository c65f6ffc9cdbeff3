//! `decisions`: team-lead approvals and returns, signed by the server.

use feltlogg_core::ids::{ShiftId, UnitId, UserId};
use feltlogg_core::sync::SignedDecision;
use rusqlite::{Connection, params};

/// Stores a signed decision; returns its id.
pub fn insert(
    conn: &Connection,
    shift: ShiftId,
    unit: UnitId,
    by: UserId,
    signed: &SignedDecision,
    now_ms: i64,
) -> rusqlite::Result<i64> {
    let json = serde_json::to_string(signed)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.execute(
        "INSERT INTO decisions (shift_id, unit_id, decided_by, signed, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            shift.to_string(),
            unit.to_string(),
            by.to_string(),
            json,
            now_ms
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
