//! Queries on the `directory` table: the unit's workers and PIN verifiers.

use super::error::Result;
use super::table::parsed;
use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::ids::UserId;
use rusqlite::{Connection, OptionalExtension, Row, params};

fn from_row(row: &Row<'_>) -> rusqlite::Result<WorkerEntry> {
    Ok(WorkerEntry {
        id: parsed(row, 0)?,
        unit_id: parsed(row, 1)?,
        display_name: row.get(2)?,
        pin_verifier: row.get(3)?,
        active: row.get(4)?,
    })
}

/// Replaces the whole directory (call inside a transaction).
pub(crate) fn replace(conn: &Connection, entries: &[WorkerEntry]) -> Result<()> {
    conn.execute("DELETE FROM directory", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO directory (worker_id, unit_id, display_name, pin_verifier, active)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in entries {
        stmt.execute(params![
            e.id.to_string(),
            e.unit_id.to_string(),
            e.display_name,
            e.pin_verifier,
            e.active
        ])?;
    }
    Ok(())
}

/// One worker's entry.
pub(crate) fn get(conn: &Connection, worker: UserId) -> Result<Option<WorkerEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT worker_id, unit_id, display_name, pin_verifier, active
         FROM directory WHERE worker_id = ?1",
    )?;
    Ok(stmt.query_row([worker.to_string()], from_row).optional()?)
}

/// Every entry, by display name.
pub(crate) fn all(conn: &Connection) -> Result<Vec<WorkerEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT worker_id, unit_id, display_name, pin_verifier, active
         FROM directory ORDER BY display_name, worker_id",
    )?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
