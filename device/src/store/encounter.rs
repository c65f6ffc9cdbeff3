//! Queries on the `encounter` table. Topics and actions are JSON arrays of
//! wire names.

use super::clocks::Clocks;
use super::error::Result;
use super::table::{Stored, Table, json, opt, parsed, wire};
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::Encounter;
use feltlogg_core::{AgeGroup, ContactKind, Gender, PlaceType, Residence};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

const COLS: &str = "id, shift_id, at_ms, bydel, place_type, youth_count, age_group, gender, \
                    contact_kind, topics, actions, residence, note, deleted, clocks, not_a_person";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Stored<Encounter>> {
    Ok(Stored {
        rec: Encounter {
            id: parsed(row, 0)?,
            shift_id: parsed(row, 1)?,
            at_ms: row.get(2)?,
            bydel: row.get(3)?,
            place_type: wire(row, 4, PlaceType::parse)?,
            youth_count: row.get(5)?,
            age_group: wire(row, 6, AgeGroup::parse)?,
            gender: wire(row, 7, Gender::parse)?,
            contact_kind: wire(row, 8, ContactKind::parse)?,
            topics: json(row, 9)?,
            actions: json(row, 10)?,
            residence: wire(row, 11, Residence::parse)?,
            note: opt(row, 12)?,
            not_a_person: json(row, 15)?,
        },
        deleted: row.get(13)?,
        clocks: json::<Clocks>(row, 14)?,
    })
}

impl Table for Encounter {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }

    fn load(conn: &Connection, id: Uuid) -> Result<Option<Stored<Self>>> {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLS} FROM encounter WHERE id = ?1"))?;
        Ok(stmt.query_row([id.to_string()], from_row).optional()?)
    }

    fn save(conn: &Connection, s: &Stored<Self>) -> Result<()> {
        let r = &s.rec;
        let mut stmt = conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO encounter ({COLS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        ))?;
        stmt.execute(params![
            r.id.to_string(),
            r.shift_id.to_string(),
            r.at_ms,
            r.bydel,
            r.place_type.as_str(),
            r.youth_count,
            r.age_group.as_str(),
            r.gender.as_str(),
            r.contact_kind.as_str(),
            serde_json::to_string(&r.topics)?,
            serde_json::to_string(&r.actions)?,
            r.residence.as_str(),
            r.note,
            s.deleted,
            s.clocks.to_json()?,
            serde_json::to_string(&r.not_a_person)?,
        ])?;
        Ok(())
    }
}

/// The live encounters of a shift, in time order.
pub(crate) fn for_shift(conn: &Connection, shift: ShiftId) -> Result<Vec<Encounter>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM encounter WHERE shift_id = ?1 AND deleted = 0 ORDER BY at_ms, id"
    ))?;
    let rows = stmt.query_map([shift.to_string()], from_row)?;
    Ok(rows
        .map(|r| r.map(|s| s.rec))
        .collect::<rusqlite::Result<_>>()?)
}

/// How many live encounters the device holds.
pub(crate) fn count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM encounter WHERE deleted = 0",
        [],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}
