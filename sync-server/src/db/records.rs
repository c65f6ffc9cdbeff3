//! `shifts`, `shift_members`, `encounters`, `referrals`: the merged records,
//! one typed table per kind. Each row keeps its field values (`fields`) and
//! the HLC stamp of each (`clocks`), which together are a
//! [`RecordState`]; the typed columns are generated from `fields`.

use super::encounter_facts::{self, LazyCodes};
use feltlogg_core::ShiftStatus;
use feltlogg_core::change::{RecordState, Stamped};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Fields, Record, RecordKind, ShiftMember};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A merged record with its unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    /// The unit the record belongs to.
    pub unit_id: UnitId,
    /// Its fields with their stamps.
    pub state: RecordState,
}

/// The table of a kind. A fixed match, so table names never come from input.
fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Shift => "shifts",
        RecordKind::ShiftMember => "shift_members",
        RecordKind::Encounter => "encounters",
        RecordKind::Referral => "referrals",
    }
}

/// A record by kind and id.
pub fn load(conn: &Connection, kind: RecordKind, id: Uuid) -> rusqlite::Result<Option<Stored>> {
    let sql = match kind {
        RecordKind::Shift => "SELECT unit_id, fields, clocks FROM shifts WHERE id = ?1",
        RecordKind::ShiftMember => {
            "SELECT unit_id, fields, clocks FROM shift_members WHERE id = ?1"
        }
        RecordKind::Encounter => "SELECT unit_id, fields, clocks FROM encounters WHERE id = ?1",
        RecordKind::Referral => "SELECT unit_id, fields, clocks FROM referrals WHERE id = ?1",
    };
    conn.prepare_cached(sql)?
        .query_row([id.to_string()], |r| {
            let fields: String = r.get(1)?;
            let clocks: String = r.get(2)?;
            Ok(Stored {
                unit_id: super::parse_id(r, 0)?,
                state: state_from_json(kind, &fields, &clocks)?,
            })
        })
        .optional()
}

/// Inserts or replaces a record's merged state, and an encounter's export
/// fact row with it (`codes` are read on first use and kept by the caller).
pub fn upsert(
    conn: &Connection,
    codes: &mut LazyCodes,
    id: Uuid,
    unit: UnitId,
    state: &RecordState,
    origin: Option<DeviceId>,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let values = state.values();
    let encounter = (state.kind == RecordKind::Encounter)
        .then(|| Encounter::from_fields(&values).ok())
        .flatten();
    write(
        conn,
        codes,
        &Write {
            id,
            unit,
            state,
            values: &values,
            encounter: encounter.as_ref(),
            existed: true,
            origin,
            now_ms,
        },
    )
}

/// A merged record to write, with what the merge already worked out, so
/// nothing is copied or parsed a second time.
#[derive(Debug)]
pub struct Write<'a> {
    /// The record's id.
    pub id: Uuid,
    /// Its unit.
    pub unit: UnitId,
    /// Its merged state.
    pub state: &'a RecordState,
    /// `state.values()`.
    pub values: &'a Fields,
    /// The merged encounter, typed, when the record is one and reads as one.
    pub encounter: Option<&'a Encounter>,
    /// Whether a row may exist already (its old fact row then goes first).
    pub existed: bool,
    /// The device whose change it was (none for the server's own).
    pub origin: Option<DeviceId>,
    /// Now, Unix ms.
    pub now_ms: i64,
}

/// Writes `w` (see [`upsert`]).
pub fn write(conn: &Connection, codes: &mut LazyCodes, w: &Write<'_>) -> rusqlite::Result<()> {
    let kind = w.state.kind;
    if kind == RecordKind::Encounter && w.existed {
        encounter_facts::remove(conn, w.id)?;
    }
    let (fields, clocks) = state_to_json(w.state, w.values)?;
    conn.prepare_cached(upsert_sql(kind))?.execute(params![
        w.id.to_string(),
        w.unit.to_string(),
        fields,
        clocks,
        w.origin.map(|d| d.to_string()),
        w.now_ms
    ])?;
    // A deleted encounter, or one that does not read as an encounter, has
    // no fact row: exports never count it.
    if let Some(e) = w.encounter
        && kind == RecordKind::Encounter
        && !w.state.is_deleted()
    {
        encounter_facts::insert(conn, codes, e)?;
    }
    Ok(())
}

/// The upsert of a kind, spelled out per table so a merge's thousands of
/// writes look up their cached statement without building the SQL again.
fn upsert_sql(kind: RecordKind) -> &'static str {
    macro_rules! upsert {
        ($table:literal) => {
            concat!(
                "INSERT INTO ", $table, " (id, unit_id, fields, clocks, origin_device, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, clocks = excluded.clocks,
                     origin_device = excluded.origin_device, updated_ms = excluded.updated_ms"
            )
        };
    }
    match kind {
        RecordKind::Shift => upsert!("shifts"),
        RecordKind::ShiftMember => upsert!("shift_members"),
        RecordKind::Encounter => upsert!("encounters"),
        RecordKind::Referral => upsert!("referrals"),
    }
}

/// Number of records of a kind (for tests and the dashboard).
pub fn count(conn: &Connection, kind: RecordKind) -> rusqlite::Result<i64> {
    conn.query_row(&format!("SELECT count(*) FROM {}", table(kind)), [], |r| {
        r.get(0)
    })
}

/// A shift's status as stored, if the shift exists and has one.
pub fn shift_status(conn: &Connection, shift: Uuid) -> rusqlite::Result<Option<ShiftStatus>> {
    let status: Option<Option<String>> = conn
        .prepare_cached("SELECT status FROM shifts WHERE id = ?1")?
        .query_row([shift.to_string()], |r| r.get(0))
        .optional()?;
    Ok(status.flatten().and_then(|s| ShiftStatus::parse(&s).ok()))
}

/// The members of a shift that can be read as members and are not deleted:
/// who the server knows was checked in, and when.
pub fn members_of_shift(conn: &Connection, shift: Uuid) -> rusqlite::Result<Vec<ShiftMember>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fields FROM shift_members WHERE shift_id = ?1 AND deleted = 0 ORDER BY id",
    )?;
    let rows = stmt.query_map([shift.to_string()], |r| r.get::<_, String>(0))?;
    let mut members = Vec::new();
    for json in rows {
        let fields: Fields = serde_json::from_str(&json?).unwrap_or_default();
        if let Ok(member) = ShiftMember::from_fields(&fields) {
            members.push(member);
        }
    }
    Ok(members)
}

/// The open shifts (status `open`, not deleted) on which `worker` is
/// checked in and not out, other than through the member record `except`.
pub fn open_shifts_of_worker(
    conn: &Connection,
    worker: UserId,
    except: Uuid,
) -> rusqlite::Result<Vec<ShiftId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT s.id FROM shift_members m JOIN shifts s ON s.id = m.shift_id
          WHERE m.worker_id = ?1 AND m.id != ?2 AND m.deleted = 0 AND m.checked_out_ms IS NULL
            AND s.status = 'open' AND s.deleted = 0",
    )?;
    let rows = stmt.query_map(params![worker.to_string(), except.to_string()], |r| {
        super::parse_id(r, 0)
    })?;
    rows.collect()
}

/// The time an encounter happened, if it exists.
pub fn encounter_time(conn: &Connection, encounter: Uuid) -> rusqlite::Result<Option<i64>> {
    let at: Option<Option<i64>> = conn
        .prepare_cached("SELECT at_ms FROM encounters WHERE id = ?1 AND deleted = 0")?
        .query_row([encounter.to_string()], |r| r.get(0))
        .optional()?;
    Ok(at.flatten())
}

/// `fields` as a JSON object and `clocks` grouped by stamp:
/// `[[stamp, [field, …]], …]`. A record's fields mostly share one stamp
/// (a new record arrives as one change), so this writes one stamp where a
/// map per field wrote the same one a dozen times: about 1 KB less per
/// encounter row to build, write and parse back.
fn state_to_json(state: &RecordState, values: &Fields) -> rusqlite::Result<(String, String)> {
    let groups = state.stamp_groups();
    let to_sql = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    Ok((
        serde_json::to_string(values).map_err(to_sql)?,
        serde_json::to_string(&groups).map_err(to_sql)?,
    ))
}

/// Reads `clocks` in either form: grouped by stamp (an array, written
/// since 2026-11), or the earlier object from field to stamp.
fn clocks_from_json(clocks: &str) -> serde_json::Result<BTreeMap<String, Hlc>> {
    if clocks.trim_start().starts_with('[') {
        let groups: Vec<(Hlc, Vec<String>)> = serde_json::from_str(clocks)?;
        Ok(groups
            .into_iter()
            .flat_map(|(hlc, names)| names.into_iter().map(move |n| (n, hlc)))
            .collect())
    } else {
        serde_json::from_str(clocks)
    }
}

/// A record's state from its `fields` and `clocks` columns.
pub(crate) fn state_from_json(
    kind: RecordKind,
    fields: &str,
    clocks: &str,
) -> rusqlite::Result<RecordState> {
    let from_sql = |idx: usize| {
        move |e: serde_json::Error| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
        }
    };
    let values: Fields = serde_json::from_str(fields).map_err(from_sql(1))?;
    let mut clocks = clocks_from_json(clocks).map_err(from_sql(2))?;
    let mut state = RecordState::new(kind);
    for (name, value) in values {
        // Every stored field has its stamp: both are written together above.
        if let Some(hlc) = clocks.remove(&name) {
            state.fields.insert(name, Stamped { value, hlc });
        }
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltlogg_core::hlc::Clock;

    fn stamp(clock: &mut Clock, at: i64) -> Hlc {
        clock.tick(at)
    }

    #[test]
    fn clocks_grouped_by_stamp_read_back_per_field() -> anyhow::Result<()> {
        let mut clock = Clock::new(DeviceId::new());
        let (first, later) = (stamp(&mut clock, 1_000), stamp(&mut clock, 2_000));
        let mut state = RecordState::new(RecordKind::Encounter);
        for (name, hlc) in [("at_ms", first), ("note", later), ("youth_count", first)] {
            let value = serde_json::json!(name.len());
            state.fields.insert(name.into(), Stamped { value, hlc });
        }
        let (fields, clocks) = state_to_json(&state, &state.values())?;
        let groups: Vec<(Hlc, Vec<String>)> = serde_json::from_str(&clocks)?;
        assert_eq!(groups.len(), 2, "one group per distinct stamp: {clocks}");
        assert_eq!(
            state_from_json(RecordKind::Encounter, &fields, &clocks)?,
            state
        );
        Ok(())
    }

    #[test]
    fn clocks_written_per_field_still_read() -> anyhow::Result<()> {
        let mut clock = Clock::new(DeviceId::new());
        let hlc = stamp(&mut clock, 1_000);
        let mut state = RecordState::new(RecordKind::Shift);
        let value = serde_json::json!("030102");
        state.fields.insert("bydel".into(), Stamped { value, hlc });
        let old_form = serde_json::to_string(&BTreeMap::from([("bydel", hlc)]))?;
        let fields = serde_json::to_string(&state.values())?;
        assert_eq!(
            state_from_json(RecordKind::Shift, &fields, &old_form)?,
            state
        );
        Ok(())
    }
}
