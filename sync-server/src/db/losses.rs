//! `batch_losses` and `lost_decisions`: what phones reported after the
//! server went back to a backup (migration 0006).

use super::devices::u64_to_sql;
use feltlogg_core::ids::{DeviceId, ShiftId, UnitId};
use rusqlite::{Connection, params};

/// Records batches `from..=to` of `device` as lost; false when that range
/// was recorded before.
pub fn insert_batch_loss(
    conn: &Connection,
    device: DeviceId,
    from: u64,
    to: u64,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO batch_losses (device_id, from_seq, to_seq, reported_ms)
         VALUES (?1, ?2, ?3, ?4)",
        params![device.to_string(), u64_to_sql(from), u64_to_sql(to), now_ms],
    )?;
    Ok(n > 0)
}

/// Whether the server holds a decision on `shift` made at or after
/// `decided_at_ms` (the one a phone reports, or a later one).
pub fn holds_decision(
    conn: &Connection,
    shift: ShiftId,
    decided_at_ms: i64,
) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM decisions WHERE shift_id = ?1 AND created_ms >= ?2)",
        params![shift.to_string(), decided_at_ms],
        |r| r.get(0),
    )
}

/// A decision the restored server lost, as a phone reported it.
#[derive(Debug)]
pub struct LostDecision<'a> {
    /// The shift.
    pub shift: ShiftId,
    /// Its unit.
    pub unit: UnitId,
    /// `approved` or `returned`.
    pub status: &'a str,
    /// When it was decided.
    pub decided_at_ms: i64,
    /// The signed decision, JSON, as the phone sent it.
    pub signed_json: &'a str,
    /// The reporting device.
    pub reported_by: DeviceId,
}

/// Records a lost decision; false when another phone reported it first.
pub fn insert_lost_decision(
    conn: &Connection,
    d: &LostDecision<'_>,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO lost_decisions
           (shift_id, unit_id, status, decided_at_ms, signed, reported_by, reported_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            d.shift.to_string(),
            d.unit.to_string(),
            d.status,
            d.decided_at_ms,
            d.signed_json,
            d.reported_by.to_string(),
            now_ms
        ],
    )?;
    Ok(n > 0)
}

/// A shift that needs a decision again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedsDecision {
    /// The shift.
    pub shift: ShiftId,
    /// Its unit.
    pub unit: UnitId,
    /// The decision that was lost (`approved` or `returned`).
    pub lost_status: String,
    /// When that decision had been made.
    pub decided_at_ms: i64,
}

/// Shifts of `unit` (all units when `None`) whose decision was lost in a
/// restore and not made again since, oldest first.
pub fn needing_decision(
    conn: &Connection,
    unit: Option<UnitId>,
) -> rusqlite::Result<Vec<NeedsDecision>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.shift_id, l.status, max(l.decided_at_ms), l.unit_id FROM lost_decisions l
         WHERE (?1 IS NULL OR l.unit_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM decisions d
                           WHERE d.shift_id = l.shift_id AND d.created_ms >= l.decided_at_ms)
         GROUP BY l.shift_id ORDER BY 3",
    )?;
    let rows = stmt.query_map([unit.map(|u| u.to_string())], |r| {
        Ok(NeedsDecision {
            shift: super::parse_id(r, 0)?,
            lost_status: r.get(1)?,
            decided_at_ms: r.get(2)?,
            unit: super::parse_id(r, 3)?,
        })
    })?;
    rows.collect()
}

/// A reported batch loss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLoss {
    /// The device.
    pub device: DeviceId,
    /// Its unit.
    pub unit: UnitId,
    /// Its name.
    pub device_name: String,
    /// First lost seq.
    pub from: u64,
    /// Last lost seq.
    pub to: u64,
    /// When reported.
    pub reported_ms: i64,
}

/// Batch losses reported by devices of `unit` (all units when `None`),
/// newest first.
pub fn batch_losses(conn: &Connection, unit: Option<UnitId>) -> rusqlite::Result<Vec<BatchLoss>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.device_id, d.name, l.from_seq, l.to_seq, l.reported_ms, d.unit_id
         FROM batch_losses l JOIN devices d ON d.id = l.device_id
         WHERE (?1 IS NULL OR d.unit_id = ?1) ORDER BY l.reported_ms DESC",
    )?;
    let rows = stmt.query_map([unit.map(|u| u.to_string())], |r| {
        Ok(BatchLoss {
            device: super::parse_id(r, 0)?,
            device_name: r.get(1)?,
            from: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
            to: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
            reported_ms: r.get(4)?,
            unit: super::parse_id(r, 5)?,
        })
    })?;
    rows.collect()
}
