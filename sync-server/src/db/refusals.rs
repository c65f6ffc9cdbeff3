//! `refusals`: changes the server refused, kept with their reason.

use super::devices::u64_to_sql;
use feltlogg_core::change::Change;
use feltlogg_core::ids::{DeviceId, UnitId};
use rusqlite::{Connection, params};

/// A refusal to store.
#[derive(Debug)]
pub struct NewRefusal<'a> {
    /// The device that sent the change.
    pub device_id: DeviceId,
    /// Its unit.
    pub unit_id: UnitId,
    /// The batch it came in.
    pub batch_seq: u64,
    /// The change itself, as received.
    pub change: &'a Change,
    /// Stable reason code, e.g. `shift_locked`.
    pub code: &'a str,
    /// The reason in words.
    pub reason: &'a str,
}

/// Stores a refusal; returns its id.
pub fn insert(conn: &Connection, r: &NewRefusal<'_>, now_ms: i64) -> rusqlite::Result<i64> {
    let change = serde_json::to_string(r.change)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO refusals (device_id, unit_id, batch_seq, record_id, kind, change, code, reason, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        r.device_id.to_string(),
        r.unit_id.to_string(),
        u64_to_sql(r.batch_seq),
        r.change.id.to_string(),
        r.change.kind.as_str(),
        change,
        r.code,
        r.reason,
        now_ms
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A stored refusal as the team lead sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRefusal {
    /// The device that sent the change.
    pub device_id: String,
    /// The refused record's id.
    pub record_id: String,
    /// Reason code.
    pub code: String,
    /// Reason in words.
    pub reason: String,
    /// The change, as JSON.
    pub change: String,
}

/// The refusals of a unit, newest first.
pub fn list_for_unit(conn: &Connection, unit: UnitId) -> rusqlite::Result<Vec<StoredRefusal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_id, record_id, code, reason, change FROM refusals
          WHERE unit_id = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([unit.to_string()], |r| {
        Ok(StoredRefusal {
            device_id: r.get(0)?,
            record_id: r.get(1)?,
            code: r.get(2)?,
            reason: r.get(3)?,
            change: r.get(4)?,
        })
    })?;
    rows.collect()
}
