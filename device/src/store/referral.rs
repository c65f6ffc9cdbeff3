//! Queries on the `referral` table.

use super::clocks::Clocks;
use super::error::Result;
use super::table::{Stored, Table, json, opt, parsed, wire};
use feltlogg_core::ids::EncounterId;
use feltlogg_core::record::Referral;
use feltlogg_core::{ReferralService, ReferralStatus};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

const COLS: &str =
    "id, encounter_id, shift_id, service, status, note, deleted, clocks, not_a_person";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Stored<Referral>> {
    Ok(Stored {
        rec: Referral {
            id: parsed(row, 0)?,
            encounter_id: parsed(row, 1)?,
            shift_id: parsed(row, 2)?,
            service: wire(row, 3, ReferralService::parse)?,
            status: wire(row, 4, ReferralStatus::parse)?,
            note: opt(row, 5)?,
            not_a_person: json(row, 8)?,
        },
        deleted: row.get(6)?,
        clocks: json::<Clocks>(row, 7)?,
    })
}

impl Table for Referral {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }

    fn load(conn: &Connection, id: Uuid) -> Result<Option<Stored<Self>>> {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLS} FROM referral WHERE id = ?1"))?;
        Ok(stmt.query_row([id.to_string()], from_row).optional()?)
    }

    fn save(conn: &Connection, s: &Stored<Self>) -> Result<()> {
        let r = &s.rec;
        let mut stmt = conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO referral ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ))?;
        stmt.execute(params![
            r.id.to_string(),
            r.encounter_id.to_string(),
            r.shift_id.to_string(),
            r.service.as_str(),
            r.status.as_str(),
            r.note,
            s.deleted,
            s.clocks.to_json()?,
            serde_json::to_string(&r.not_a_person)?,
        ])?;
        Ok(())
    }
}

/// The live referrals of an encounter, with their stamps.
pub(crate) fn stored_for_encounter(
    conn: &Connection,
    encounter: EncounterId,
) -> Result<Vec<Stored<Referral>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM referral WHERE encounter_id = ?1 AND deleted = 0 ORDER BY id"
    ))?;
    let rows = stmt.query_map([encounter.to_string()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
