//! `enrol_codes`: one-time device enrolment codes, stored as SHA-256.

use feltlogg_core::ids::{DeviceId, UnitId};
use rusqlite::{Connection, OptionalExtension, params};

/// A stored code, looked up by its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolCode {
    /// The unit a device enrolled with it joins.
    pub unit_id: UnitId,
    /// When it stops working.
    pub expires_ms: i64,
    /// When it was used, if it was.
    pub used_ms: Option<i64>,
}

/// Stores a new code's hash.
pub fn insert(
    conn: &Connection,
    code_hash: &[u8],
    unit: UnitId,
    now_ms: i64,
    expires_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO enrol_codes (code_hash, unit_id, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)",
        params![code_hash, unit.to_string(), now_ms, expires_ms],
    )?;
    Ok(())
}

/// The code with this hash, if any.
pub fn find(conn: &Connection, code_hash: &[u8]) -> rusqlite::Result<Option<EnrolCode>> {
    conn.query_row(
        "SELECT unit_id, expires_ms, used_ms FROM enrol_codes WHERE code_hash = ?1",
        [code_hash],
        |r| {
            Ok(EnrolCode {
                unit_id: super::parse_id(r, 0)?,
                expires_ms: r.get(1)?,
                used_ms: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Marks a code used by `device`; returns false if it was already used
/// (so two racing enrolments cannot both succeed).
pub fn mark_used(
    conn: &Connection,
    code_hash: &[u8],
    device: DeviceId,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE enrol_codes SET used_ms = ?2, device_id = ?3 WHERE code_hash = ?1 AND used_ms IS NULL",
        params![code_hash, now_ms, device.to_string()],
    )?;
    Ok(n == 1)
}
