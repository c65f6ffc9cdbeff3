//! Queries on the `shift` table.

use super::clocks::Clocks;
use super::error::Result;
use super::table::{Stored, Table, json, opt, parsed, wire};
use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Shift, UnixMs};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

const COLS: &str = "id, unit_id, bydel, area_note, started_ms, closed_ms, status, reflection, deleted, clocks, \
     not_a_person";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Stored<Shift>> {
    Ok(Stored {
        rec: Shift {
            id: parsed(row, 0)?,
            unit_id: parsed(row, 1)?,
            bydel: row.get(2)?,
            area_note: row.get(3)?,
            started_ms: row.get(4)?,
            closed_ms: opt(row, 5)?,
            status: wire(row, 6, ShiftStatus::parse)?,
            reflection: opt(row, 7)?,
            not_a_person: json(row, 10)?,
        },
        deleted: row.get(8)?,
        clocks: json::<Clocks>(row, 9)?,
    })
}

impl Table for Shift {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }

    fn load(conn: &Connection, id: Uuid) -> Result<Option<Stored<Self>>> {
        let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} FROM shift WHERE id = ?1"))?;
        Ok(stmt.query_row([id.to_string()], from_row).optional()?)
    }

    fn save(conn: &Connection, s: &Stored<Self>) -> Result<()> {
        let r = &s.rec;
        let mut stmt = conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO shift ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ))?;
        stmt.execute(params![
            r.id.to_string(),
            r.unit_id.to_string(),
            r.bydel,
            r.area_note,
            r.started_ms,
            r.closed_ms,
            r.status.as_str(),
            r.reflection,
            s.deleted,
            s.clocks.to_json()?,
            serde_json::to_string(&r.not_a_person)?,
        ])?;
        Ok(())
    }
}

/// A live (not deleted) shift by id.
pub(crate) fn get(conn: &Connection, id: ShiftId) -> Result<Option<Shift>> {
    Ok(Shift::load(conn, id.uuid())?
        .filter(|s| !s.deleted)
        .map(|s| s.rec))
}

/// Live shifts started at or after `since`, or still open or returned,
/// newest first.
pub(crate) fn list_recent(conn: &Connection, since: UnixMs) -> Result<Vec<Shift>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM shift WHERE deleted = 0
           AND (started_ms >= ?1 OR status IN ('open', 'returned'))
         ORDER BY started_ms DESC"
    ))?;
    let rows = stmt.query_map([since], from_row)?;
    Ok(rows
        .map(|r| r.map(|s| s.rec))
        .collect::<rusqlite::Result<_>>()?)
}

/// The most recently started live open shift.
pub(crate) fn latest_open(conn: &Connection) -> Result<Option<Shift>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM shift WHERE deleted = 0 AND status = 'open'
         ORDER BY started_ms DESC LIMIT 1"
    ))?;
    Ok(stmt.query_row([], from_row).optional()?.map(|s| s.rec))
}
