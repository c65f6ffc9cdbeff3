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

/// Appends an entry for a record a change was merged into (or the server
/// wrote): the entry points at the record, and a pull sends the record as
/// it is then (see [`page`]), so no field is copied here and a redaction
/// reaches every later pull. Returns its seq.
pub fn insert_change(
    conn: &Connection,
    unit: UnitId,
    kind: RecordKind,
    record: Uuid,
    origin: Option<DeviceId>,
    clamped: bool,
    now_ms: i64,
) -> rusqlite::Result<u64> {
    conn.prepare_cached(
        "INSERT INTO changelog (unit_id, entry, kind, record_id, origin_device, clamped, created_ms)
         VALUES (?1, 'change', ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        unit.to_string(),
        kind.as_str(),
        record.to_string(),
        origin.map(|d| d.to_string()),
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
    /// The unit's worker directory, or its words or "not a person"
    /// setting, changed (no reference): the page then carries both.
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
    /// A record another device (or the server) changed, as it is now: one
    /// change per stamp ([`feltlogg_core::change::RecordState::as_changes`]).
    Record(Vec<Change>),
    /// A signed decision.
    Decision(SignedDecision),
    /// One of this device's changes that was refused.
    Refusal(Refusal),
    /// The directory changed.
    Directory,
}

/// Up to `limit` entries after `after` that `device` of `unit` should see:
/// records changed by others (and its own clamped changes), decisions,
/// directory changes, and its own refusals. Returns `(seq, entry)` pairs in
/// order. A record is read as it is now, in the caller's snapshot.
pub fn page(
    conn: &Connection,
    unit: UnitId,
    device: DeviceId,
    after: u64,
    limit: usize,
) -> rusqlite::Result<Vec<(u64, PullEntry)>> {
    // Each kind's table joined on its own condition, so one query reads a
    // page of mixed kinds with the records' current state.
    let mut stmt = conn.prepare_cached(
        "SELECT c.seq, c.entry, c.kind, c.record_id,
                coalesce(s.fields, m.fields, e.fields, f.fields),
                coalesce(s.clocks, m.clocks, e.clocks, f.clocks),
                d.signed, r.record_id, r.kind, r.batch_seq, r.reason, r.code
           FROM changelog c
           LEFT JOIN shifts s ON c.kind = 'shift' AND s.id = c.record_id
           LEFT JOIN shift_members m ON c.kind = 'shift_member' AND m.id = c.record_id
           LEFT JOIN encounters e ON c.kind = 'encounter' AND e.id = c.record_id
           LEFT JOIN referrals f ON c.kind = 'referral' AND f.id = c.record_id
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
    let entry: String = r.get(1)?;
    let entry = match entry.as_str() {
        "change" => PullEntry::Record(record_col(r)?),
        "decision" => PullEntry::Decision(json_col(r, 6)?),
        "refusal" => {
            let kind: String = r.get(8)?;
            PullEntry::Refusal(Refusal {
                change_id_or_record: super::parse_id(r, 7)?,
                kind: RecordKind::parse(&kind).map_err(|e| bad_text(8, e))?,
                batch_seq: u64::try_from(r.get::<_, i64>(9)?).unwrap_or(0),
                reason: r.get(10)?,
                code: RefusalCode::from_wire(&r.get::<_, String>(11)?),
            })
        }
        _ => PullEntry::Directory,
    };
    Ok((seq, entry))
}

/// The record a change entry points at, as changes. Records are never
/// removed (a delete is a tombstone field), so it is there.
fn record_col(r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<Change>> {
    let kind: String = r.get(2)?;
    let kind = RecordKind::parse(&kind).map_err(|e| bad_text(2, e))?;
    let id = super::parse_id(r, 3)?;
    let state =
        super::records::state_from_json(kind, &r.get::<_, String>(4)?, &r.get::<_, String>(5)?)?;
    Ok(state.as_changes(id))
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

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use rusqlite_migration::Migrations;

    /// Migration 0007 keeps each change entry's kind and drops the copied
    /// change (with whatever text it held) from databases made before it.
    #[test]
    fn migration_keeps_the_kind_and_drops_the_copy() -> anyhow::Result<()> {
        let mut conn = Connection::open_in_memory()?;
        let migrations = Migrations::from_slice(super::super::MIGRATIONS);
        migrations.to_version(&mut conn, 6)?;
        conn.execute(
            "INSERT INTO changelog (unit_id, entry, record_id, change, created_ms)
             VALUES ('u', 'change', 'r', '{\"kind\":\"encounter\",\"fields\":{\"note\":\"synthetic\"}}', 1)",
            [],
        )?;
        let old_seq = conn.last_insert_rowid();
        migrations.to_latest(&mut conn)?;
        let kind: String = conn.query_row("SELECT kind FROM changelog", [], |r| r.get(0))?;
        assert_eq!(kind, "encounter");
        let copied = conn.prepare("SELECT change FROM changelog");
        assert!(copied.is_err(), "the change column is gone");
        // Seqs are pull cursors: the rebuilt table goes on after the old one's.
        conn.execute("DELETE FROM changelog", [])?;
        let unit = feltlogg_core::ids::UnitId(uuid::Uuid::now_v7());
        let seq = super::insert_ref(&conn, unit, super::RefEntry::Directory, None, None, None, 2)?;
        assert_eq!(seq, u64::try_from(old_seq)? + 1);
        Ok(())
    }
}
