//! What the review pages read: the queue of closed shifts, one shift with
//! everything logged in it, and refused changes. Reads across `shifts`,
//! `shift_members`, `encounters`, `referrals`, `refusals`, `decisions`,
//! `users` and `units`; always filtered by the viewer's units.

use feltlogg_core::ids::{ShiftId, UnitId};
use feltlogg_core::record::{Encounter, Fields, Record, Referral};
use rusqlite::{Connection, OptionalExtension, params};

/// The units a query may see: `None` is every unit (admins).
pub type UnitFilter<'a> = Option<&'a [UnitId]>;

/// The filter as a JSON array for `json_each`, or NULL for every unit.
pub(super) fn filter_json(units: UnitFilter<'_>) -> Option<String> {
    units.map(|u| {
        let ids: Vec<String> = u.iter().map(ToString::to_string).collect();
        serde_json::Value::from(ids).to_string()
    })
}

/// One closed shift waiting for review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    /// The shift.
    pub id: ShiftId,
    /// Its unit's name.
    pub unit: String,
    /// Area code.
    pub bydel: String,
    /// Area name (the code when unknown).
    pub bydel_name: String,
    /// Started, Unix ms.
    pub started_ms: Option<i64>,
    /// Closed, Unix ms.
    pub closed_ms: Option<i64>,
    /// Names of the workers checked in, comma-separated.
    pub workers: String,
    /// Encounters logged.
    pub encounters: i64,
    /// Referrals made.
    pub referrals: i64,
    /// Changes to it that the server refused.
    pub refusals: i64,
}

const QUEUE_SQL: &str = "
SELECT s.id, un.name, coalesce(s.bydel, ''), coalesce(a.name, s.bydel, ''), s.started_ms, s.closed_ms,
  (SELECT group_concat(n, ', ') FROM (SELECT DISTINCT w.display_name AS n FROM shift_members m
      JOIN users w ON w.id = m.worker_id WHERE m.shift_id = s.id AND m.deleted = 0 ORDER BY n)),
  (SELECT count(*) FROM encounters e WHERE e.shift_id = s.id AND e.deleted = 0),
  (SELECT count(*) FROM referrals r WHERE r.shift_id = s.id AND r.deleted = 0),
  (SELECT count(*) FROM refusals f WHERE f.unit_id = s.unit_id
      AND (f.record_id = s.id OR json_extract(f.change, '$.fields.shift_id') = s.id))
FROM shifts s JOIN units un ON un.id = s.unit_id LEFT JOIN areas a ON a.code = s.bydel
WHERE s.status = ?1 AND s.deleted = 0
  AND (?2 IS NULL OR s.unit_id IN (SELECT value FROM json_each(?2)))
ORDER BY coalesce(s.closed_ms, s.started_ms), s.id
LIMIT ?3";

/// Shifts with `status` in the viewer's units, oldest first.
pub fn queue(
    conn: &Connection,
    status: &str,
    units: UnitFilter<'_>,
    limit: i64,
) -> rusqlite::Result<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(QUEUE_SQL)?;
    let rows = stmt.query_map(params![status, filter_json(units), limit], |r| {
        Ok(QueueRow {
            id: super::parse_id(r, 0)?,
            unit: r.get(1)?,
            bydel: r.get(2)?,
            bydel_name: r.get(3)?,
            started_ms: r.get(4)?,
            closed_ms: r.get(5)?,
            workers: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            encounters: r.get(7)?,
            referrals: r.get(8)?,
            refusals: r.get(9)?,
        })
    })?;
    rows.collect()
}

/// The unit of a shift, if the shift exists.
pub fn shift_unit(conn: &Connection, shift: ShiftId) -> rusqlite::Result<Option<UnitId>> {
    conn.query_row(
        "SELECT unit_id FROM shifts WHERE id = ?1",
        [shift.to_string()],
        |r| super::parse_id(r, 0),
    )
    .optional()
}

/// A shift's header: the merged fields, its unit's name and area name.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftHead {
    /// The unit.
    pub unit_id: UnitId,
    /// The unit's name.
    pub unit: String,
    /// The area's name (the code when unknown).
    pub bydel_name: String,
    /// The merged fields.
    pub fields: Fields,
}

/// A shift's header.
pub fn shift_head(conn: &Connection, shift: ShiftId) -> rusqlite::Result<Option<ShiftHead>> {
    conn.query_row(
        "SELECT s.unit_id, un.name, coalesce(a.name, s.bydel, ''), s.fields FROM shifts s
           JOIN units un ON un.id = s.unit_id LEFT JOIN areas a ON a.code = s.bydel
          WHERE s.id = ?1",
        [shift.to_string()],
        |r| {
            let json: String = r.get(3)?;
            Ok(ShiftHead {
                unit_id: super::parse_id(r, 0)?,
                unit: r.get(1)?,
                bydel_name: r.get(2)?,
                fields: serde_json::from_str(&json).unwrap_or_default(),
            })
        },
    )
    .optional()
}

/// A worker on a shift, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    /// The worker's display name (or id when unknown).
    pub name: String,
    /// Checked in.
    pub checked_in_ms: Option<i64>,
    /// Checked out.
    pub checked_out_ms: Option<i64>,
}

/// The workers of a shift, in check-in order.
pub fn members(conn: &Connection, shift: ShiftId) -> rusqlite::Result<Vec<MemberRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(w.display_name, m.worker_id, '?'), m.checked_in_ms, m.checked_out_ms
           FROM shift_members m LEFT JOIN users w ON w.id = m.worker_id
          WHERE m.shift_id = ?1 AND m.deleted = 0 ORDER BY m.checked_in_ms, m.id",
    )?;
    let rows = stmt.query_map([shift.to_string()], |r| {
        Ok(MemberRow {
            name: r.get(0)?,
            checked_in_ms: r.get(1)?,
            checked_out_ms: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn fields_of(conn: &Connection, sql: &str, shift: ShiftId) -> rusqlite::Result<Vec<Fields>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([shift.to_string()], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?).unwrap_or_default());
    }
    Ok(out)
}

/// The encounters of a shift that read as encounters, in time order.
pub fn encounters(conn: &Connection, shift: ShiftId) -> rusqlite::Result<Vec<Encounter>> {
    let sql =
        "SELECT fields FROM encounters WHERE shift_id = ?1 AND deleted = 0 ORDER BY at_ms, id";
    Ok(fields_of(conn, sql, shift)?
        .iter()
        .filter_map(|f| Encounter::from_fields(f).ok())
        .collect())
}

/// The referrals of a shift that read as referrals.
pub fn referrals(conn: &Connection, shift: ShiftId) -> rusqlite::Result<Vec<Referral>> {
    let sql = "SELECT fields FROM referrals WHERE shift_id = ?1 AND deleted = 0 ORDER BY id";
    Ok(fields_of(conn, sql, shift)?
        .iter()
        .filter_map(|f| Referral::from_fields(f).ok())
        .collect())
}

/// A refused change as listed for a team lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusalRow {
    /// When it was refused.
    pub at_ms: i64,
    /// The unit's name.
    pub unit: String,
    /// The device's name.
    pub device: String,
    /// Record kind.
    pub kind: String,
    /// The record's id.
    pub record_id: String,
    /// The shift it concerns, when known.
    pub shift_id: Option<String>,
    /// Reason code.
    pub code: String,
    /// Reason in words.
    pub reason: String,
}

const REFUSALS_SQL: &str = "
SELECT f.created_ms, un.name, coalesce(d.name, f.device_id), f.kind, f.record_id,
       CASE WHEN f.kind = 'shift' THEN f.record_id ELSE json_extract(f.change, '$.fields.shift_id') END,
       f.code, f.reason
FROM refusals f JOIN units un ON un.id = f.unit_id LEFT JOIN devices d ON d.id = f.device_id
WHERE (?1 IS NULL OR f.unit_id IN (SELECT value FROM json_each(?1)))
  AND (?2 IS NULL OR f.record_id = ?2 OR json_extract(f.change, '$.fields.shift_id') = ?2)
ORDER BY f.id DESC LIMIT ?3";

/// Refused changes in the viewer's units, newest first; only those of
/// `shift` when given.
pub fn refusals(
    conn: &Connection,
    units: UnitFilter<'_>,
    shift: Option<ShiftId>,
    limit: i64,
) -> rusqlite::Result<Vec<RefusalRow>> {
    let mut stmt = conn.prepare_cached(REFUSALS_SQL)?;
    let shift = shift.map(|s| s.to_string());
    let rows = stmt.query_map(params![filter_json(units), shift, limit], |r| {
        Ok(RefusalRow {
            at_ms: r.get(0)?,
            unit: r.get(1)?,
            device: r.get(2)?,
            kind: r.get(3)?,
            record_id: r.get(4)?,
            shift_id: r.get(5)?,
            code: r.get(6)?,
            reason: r.get(7)?,
        })
    })?;
    rows.collect()
}

/// A decision on a shift, as shown in its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRow {
    /// When.
    pub at_ms: i64,
    /// Who (username).
    pub by: String,
    /// The signed decision as JSON.
    pub signed: String,
}

/// The decisions on a shift, oldest first.
pub fn decisions(conn: &Connection, shift: ShiftId) -> rusqlite::Result<Vec<DecisionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.created_ms, coalesce(u.username, d.decided_by), d.signed FROM decisions d
           LEFT JOIN users u ON u.id = d.decided_by WHERE d.shift_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([shift.to_string()], |r| {
        Ok(DecisionRow {
            at_ms: r.get(0)?,
            by: r.get(1)?,
            signed: r.get(2)?,
        })
    })?;
    rows.collect()
}
