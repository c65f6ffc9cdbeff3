//! Queries on the `shift_member` table.

use super::clocks::Clocks;
use super::error::Result;
use super::table::{Stored, Table, json, opt, parsed};
use feltlogg_core::ids::{ShiftId, UserId};
use feltlogg_core::record::ShiftMember;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

const COLS: &str = "id, shift_id, worker_id, checked_in_ms, checked_out_ms, deleted, clocks";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Stored<ShiftMember>> {
    Ok(Stored {
        rec: ShiftMember {
            id: parsed(row, 0)?,
            shift_id: parsed(row, 1)?,
            worker_id: parsed(row, 2)?,
            checked_in_ms: row.get(3)?,
            checked_out_ms: opt(row, 4)?,
        },
        deleted: row.get(5)?,
        clocks: json::<Clocks>(row, 6)?,
    })
}

impl Table for ShiftMember {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }

    fn load(conn: &Connection, id: Uuid) -> Result<Option<Stored<Self>>> {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLS} FROM shift_member WHERE id = ?1"))?;
        Ok(stmt.query_row([id.to_string()], from_row).optional()?)
    }

    fn save(conn: &Connection, s: &Stored<Self>) -> Result<()> {
        let r = &s.rec;
        let mut stmt = conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO shift_member ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ))?;
        stmt.execute(params![
            r.id.to_string(),
            r.shift_id.to_string(),
            r.worker_id.to_string(),
            r.checked_in_ms,
            r.checked_out_ms,
            s.deleted,
            s.clocks.to_json()?,
        ])?;
        Ok(())
    }
}

/// The live members of a shift (with their stamps), in check-in order.
pub(crate) fn stored_for_shift(
    conn: &Connection,
    shift: ShiftId,
) -> Result<Vec<Stored<ShiftMember>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM shift_member WHERE shift_id = ?1 AND deleted = 0
         ORDER BY checked_in_ms, id"
    ))?;
    let rows = stmt.query_map([shift.to_string()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The live members of a shift, in check-in order.
pub(crate) fn for_shift(conn: &Connection, shift: ShiftId) -> Result<Vec<ShiftMember>> {
    Ok(stored_for_shift(conn, shift)?
        .into_iter()
        .map(|s| s.rec)
        .collect())
}

/// The open shifts where `worker` is checked in and has not checked out.
pub(crate) fn open_shifts_of(conn: &Connection, worker: UserId) -> Result<Vec<ShiftId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT m.shift_id FROM shift_member m JOIN shift s ON s.id = m.shift_id
         WHERE m.worker_id = ?1 AND m.deleted = 0 AND m.checked_out_ms IS NULL
           AND s.deleted = 0 AND s.status = 'open'",
    )?;
    let rows = stmt.query_map([worker.to_string()], |row| parsed(row, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
