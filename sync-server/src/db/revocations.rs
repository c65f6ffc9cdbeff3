//! `revocations`: the signed instruction (retire, lost) of each revoked
//! phone, stored as sent.

use feltlogg_core::ids::{DeviceId, UserId};
use feltlogg_core::sync::{RevocationKind, SignedRevocation};
use rusqlite::{Connection, OptionalExtension, params};

/// Stores `signed` as the device's instruction, replacing an earlier one
/// (a `retire` that becomes `lost`).
pub fn put(
    conn: &Connection,
    signed: &SignedRevocation,
    by: Option<UserId>,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(signed)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let r = &signed.revocation;
    conn.execute(
        "INSERT INTO revocations (device_id, kind, signed, revoked_by, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (device_id) DO UPDATE SET
           kind = excluded.kind, signed = excluded.signed,
           revoked_by = excluded.revoked_by, created_ms = excluded.created_ms",
        params![
            r.device_id.to_string(),
            r.kind.as_str(),
            json,
            by.map(|u| u.to_string()),
            now_ms
        ],
    )?;
    Ok(())
}

/// The device's signed instruction, if it has one.
pub fn get(conn: &Connection, device: DeviceId) -> rusqlite::Result<Option<SignedRevocation>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT signed FROM revocations WHERE device_id = ?1",
            [device.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|j| {
        serde_json::from_str(&j).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}

/// Reads the `kind` column.
pub(crate) fn kind_of(
    r: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<RevocationKind>> {
    let text: Option<String> = r.get(idx)?;
    text.map(|t| {
        RevocationKind::parse(&t).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}
