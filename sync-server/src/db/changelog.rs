//! `changelog`: what pull pages are cut from. Its `seq` is the pull cursor
//! (never a timestamp): every accepted change, decision, refusal and
//! directory change of a unit gets the next one.

use super::devices::u64_to_sql;
use feltlogg_core::RefusalCode;
use feltlogg_core::change::Change;
use feltlogg_core::ids::{DeviceId, UnitId};
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::{Refusal, SignedDecision};
use rusqlite::{Connection, params};
use uuid::Uuid;

/// Appends an accepted change (only the fields it won, with the stamp the
/// server used); returns its seq.
pub fn insert_change(
    conn: &Connection,
    unit: UnitId,
    change: &Change,
    origin: Option<DeviceId>,
    clamped: bool,
    now_ms: i64,
) -> rusqlite::Result<u64> {
    let json = serde_json::to_string(change)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO changelog (unit_id, entry, record_id, origin_device, change, clamped, created_ms)
         VALUES (?1, 'change', ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        unit.to_string(),
        change.id.to_string(),
        origin.map(|d| d.to_string()),
        json,
        clamped,
        now_ms
    ])?;
    Ok(last_seq(conn))
}

/// What a reference entry points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefEntry {
    /// `decisions.id`.
    Decision,
    /// `refusals.id`, reported to the device that sent the change.
    Refusal,
    /// The unit's worker directory changed (no reference).
    Directory,
}

impl RefEntry {
    fn as_str(self) -> &'static str {
        match self {
            RefEntry::Decision => "decision",
            RefEntry::Refusal => "refusal",
            RefEntry::Directory => "directory",
        }
    }
}

/// Appends a decision, refusal or directory entry; returns its seq.
pub fn insert_ref(
    conn: &Connection,
    unit: UnitId,
    entry: RefEntry,
    record: Option<Uuid>,
    origin: Option<DeviceId>,
    reference: Option<i64>,
    now_ms: i64,
) -> rusqlite::Result<u64> {
    conn.prepare_cached(
        "INSERT INTO changelog (unit_id, entry, record_id, origin_device, ref, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        unit.to_string(),
        entry.as_str(),
        record.map(|r| r.to_string()),
        origin.map(|d| d.to_string()),
        reference,
        now_ms
    ])?;
    Ok(last_seq(conn))
}

/// Points an entry at its referenced row (decisions are signed with their
/// seq, so the entry is written before the decision).
pub fn set_ref(conn: &Connection, seq: u64, reference: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE changelog SET ref = ?2 WHERE seq = ?1",
        params![u64_to_sql(seq), reference],
    )?;
    Ok(())
}

fn last_seq(conn: &Connection) -> u64 {
    u64::try_from(conn.last_insert_rowid()).unwrap_or(0)
}

/// The highest seq written so far (0 when empty).
pub fn max_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let max: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM changelog", [], |r| {
        r.get(0)
    })?;
    Ok(u64::try_from(max).unwrap_or(0))
}

/// One entry of a pull page.
#[derive(Clone, Debug, PartialEq)]
pub enum PullEntry {
    /// Another device's (or the server's) change.
    Change(Change),
    /// A signed decision.
    Decision(SignedDecision),
    /// One of this device's changes that was refused.
    Refusal(Refusal),
    /// The directory changed.
    Directory,
}

/// Up to `limit` entries after `after` that `device` of `unit` should see:
/// changes by others (and its own clamped ones), decisions, directory
/// changes, and its own refusals. Returns `(seq, entry)` pairs in order.
pub fn page(
    conn: &Connection,
    unit: UnitId,
    device: DeviceId,
    after: u64,
    limit: usize,
) -> rusqlite::Result<Vec<(u64, PullEntry)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.seq, c.entry, c.change, d.signed, r.record_id, r.kind, r.batch_seq, r.reason, r.code
           FROM changelog c
           LEFT JOIN decisions d ON c.entry = 'decision' AND d.id = c.ref
           LEFT JOIN refusals r ON c.entry = 'refusal' AND r.id = c.ref
          WHERE c.unit_id = ?1 AND c.seq > ?2 AND (
                (c.entry = 'change' AND (c.origin_device IS NULL OR c.origin_device != ?3 OR c.clamped = 1))
             OR c.entry IN ('decision', 'directory')
             OR (c.entry = 'refusal' AND c.origin_device = ?3))
          ORDER BY c.seq LIMIT ?4",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(
        params![
            unit.to_string(),
            u64_to_sql(after),
            device.to_string(),
            limit
        ],
        entry_row,
    )?;
    rows.collect()
}

fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(u64, PullEntry)> {
    let seq = u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0);
    let kind: String = r.get(1)?;
    let entry = match kind.as_str() {
        "change" => PullEntry::Change(json_col(r, 2)?),
        "decision" => PullEntry::Decision(json_col(r, 3)?),
        "refusal" => {
            let kind: String = r.get(5)?;
            PullEntry::Refusal(Refusal {
                change_id_or_record: super::parse_id(r, 4)?,
                kind: RecordKind::parse(&kind).map_err(|e| bad_text(5, e))?,
                batch_seq: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
                reason: r.get(7)?,
                code: RefusalCode::from_wire(&r.get::<_, String>(8)?),
            })
        }
        _ => PullEntry::Directory,
    };
    Ok((seq, entry))
}

fn json_col<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(idx)?;
    serde_json::from_str(&text).map_err(|e| bad_text(idx, e))
}

fn bad_text(idx: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
}
