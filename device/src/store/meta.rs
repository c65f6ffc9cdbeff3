//! Queries on the `device` table: who this device is and its last HLC
//! stamp, so the clock resumes after a restart and never goes back.

use super::error::Result;
use super::table::{json, parsed};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, UnitId};
use rusqlite::{Connection, OptionalExtension, params};

/// The enrolled identity and the last stamp, if enrolled.
pub(crate) fn load(conn: &Connection) -> Result<Option<(DeviceId, UnitId, Hlc)>> {
    Ok(conn
        .query_row(
            "SELECT device_id, unit_id, last_hlc FROM device WHERE singleton = 1",
            [],
            |r| Ok((parsed(r, 0)?, parsed(r, 1)?, json(r, 2)?)),
        )
        .optional()?)
}

/// Stores the identity (first run).
pub(crate) fn insert(conn: &Connection, device: DeviceId, unit: UnitId, last: Hlc) -> Result<()> {
    conn.execute(
        "INSERT INTO device (singleton, device_id, unit_id, last_hlc) VALUES (1, ?1, ?2, ?3)",
        params![
            device.to_string(),
            unit.to_string(),
            serde_json::to_string(&last)?
        ],
    )?;
    Ok(())
}

/// Persists the clock's last stamp (inside the operation's transaction).
pub(crate) fn save_clock(conn: &Connection, last: Hlc) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE device SET last_hlc = ?1 WHERE singleton = 1")?;
    stmt.execute([serde_json::to_string(&last)?])?;
    Ok(())
}
