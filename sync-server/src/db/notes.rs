//! The free text stored on the server, read for the old-data scan
//! (`screen_scan`): a shift's area note and reflection, an encounter's and
//! a referral's note, and a team lead's return comment (inside its signed
//! decision), each with the spans a worker confirmed in it as "not a
//! person". Only non-empty texts are returned.

use super::review::UnitFilter;
use feltlogg_core::ids::UnitId;
use feltlogg_core::record::{NotAPerson, RecordKind, confirmed_in};
use feltlogg_core::screen::Span;
use rusqlite::{Connection, params};
use uuid::Uuid;

/// Where a stored text lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A field of a merged record.
    Record(RecordKind),
    /// The comment of a return decision (`decisions.id`).
    ReturnComment,
}

impl Source {
    /// The name printed and shown: the record kind, or `return_comment`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Record(kind) => kind.as_str(),
            Source::ReturnComment => "return_comment",
        }
    }
}

/// One stored free text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredText {
    /// Where it lives.
    pub source: Source,
    /// The record's id; for a return comment, the shift's.
    pub id: Uuid,
    /// For a return comment, the decision's row id; 0 otherwise.
    pub decision: i64,
    /// The record's unit.
    pub unit_id: UnitId,
    /// The shift the text belongs to (the shift itself for a shift).
    pub shift_id: Option<Uuid>,
    /// The field: `area_note`, `reflection`, `note` or `comment`.
    pub field: &'static str,
    /// The text as stored.
    pub text: String,
    /// The spans of it a worker confirmed as "not a person" (as stored:
    /// whether each still matches a name finding is the screen's to say).
    pub confirmed: Vec<Span>,
}

/// The record tables holding free text, with the column naming the shift.
/// Their fields are core's list (`validate::text_fields`), the one the
/// phone screens and the redaction accepts. Fixed strings, so no SQL comes
/// from input.
const RECORD_TABLES: [(RecordKind, &str, &str); 3] = [
    (RecordKind::Shift, "shifts", "id"),
    (RecordKind::Encounter, "encounters", "shift_id"),
    (RecordKind::Referral, "referrals", "shift_id"),
];

/// Every non-empty free text in `units` (all units for `None`), records
/// first (by kind, field and id), then return comments (oldest first).
/// Deleted records are included: their text is still stored.
pub fn free_texts(conn: &Connection, units: UnitFilter<'_>) -> rusqlite::Result<Vec<StoredText>> {
    let filter = super::review::filter_json(units);
    let mut out = Vec::new();
    let texts = RECORD_TABLES.iter().flat_map(|&(kind, table, shift_col)| {
        let fields = feltlogg_core::validate::text_fields(kind).iter();
        fields.map(move |&field| (kind, table, shift_col, field))
    });
    for (kind, table, shift_col, field) in texts {
        let sql = format!(
            "SELECT id, unit_id, {shift_col}, json_extract(fields, '$.{field}') AS t,
                    json_extract(fields, '$.not_a_person') FROM {table}
              WHERE (?1 IS NULL OR unit_id IN (SELECT value FROM json_each(?1)))
                AND typeof(t) = 'text' AND t != ''
              ORDER BY id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![filter], |r| {
            Ok(StoredText {
                source: Source::Record(kind),
                id: super::parse_id(r, 0)?,
                decision: 0,
                unit_id: super::parse_id(r, 1)?,
                shift_id: r
                    .get::<_, Option<String>>(2)?
                    .and_then(|s| Uuid::parse_str(&s).ok()),
                field,
                text: r.get(3)?,
                confirmed: confirmed_col(r.get(4)?, field),
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    out.extend(return_comments(conn, filter.as_deref())?);
    Ok(out)
}

/// The spans confirmed in `field`, from a record's `not_a_person` JSON
/// (none when it has none or it does not read).
fn confirmed_col(json: Option<String>, field: &str) -> Vec<Span> {
    let list: Vec<NotAPerson> = json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    confirmed_in(&list, field)
}

fn return_comments(conn: &Connection, filter: Option<&str>) -> rusqlite::Result<Vec<StoredText>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, shift_id, unit_id, json_extract(signed, '$.decision.comment') AS t FROM decisions
          WHERE (?1 IS NULL OR unit_id IN (SELECT value FROM json_each(?1)))
            AND typeof(t) = 'text' AND t != ''
          ORDER BY id",
    )?;
    let rows = stmt.query_map(params![filter], |r| {
        let shift: Uuid = super::parse_id(r, 1)?;
        Ok(StoredText {
            source: Source::ReturnComment,
            id: shift,
            decision: r.get(0)?,
            unit_id: super::parse_id(r, 2)?,
            shift_id: Some(shift),
            field: "comment",
            text: r.get(3)?,
            confirmed: Vec::new(),
        })
    })?;
    rows.collect()
}

/// The latest (by start) not-deleted shift of `unit` with `status`.
pub fn latest_shift(
    conn: &Connection,
    unit: UnitId,
    status: &str,
) -> rusqlite::Result<Option<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM shifts WHERE unit_id = ?1 AND status = ?2 AND deleted = 0
          ORDER BY started_ms DESC, id LIMIT 1",
    )?;
    let mut rows = stmt.query_map(params![unit.to_string(), status], |r| super::parse_id(r, 0))?;
    rows.next().transpose()
}

/// The last (by time) not-deleted encounter of `shift`.
pub fn last_encounter(conn: &Connection, shift: Uuid) -> rusqlite::Result<Option<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM encounters WHERE shift_id = ?1 AND deleted = 0
          ORDER BY at_ms DESC, id LIMIT 1",
    )?;
    let mut rows = stmt.query_map([shift.to_string()], |r| super::parse_id(r, 0))?;
    rows.next().transpose()
}
