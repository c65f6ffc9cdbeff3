//! "Legacy" notes: a few free texts stored as if written before the
//! anonymity screen caught names and handles (issue #9), so the old-data
//! scan (`feltlogg-server scan-notes`, the dashboard's /review/screen) has
//! something to find in the demo. Per unit: a full name in the note of the
//! last encounter of its latest approved shift, and a handle and a
//! hyphenated phone number in the reflection of its latest closed shift.
//! Names, handles and numbers are synthetic.
//!
//! These are the one part of the demo written around the push path: the
//! merge screens every change with today's screen and would refuse them,
//! which is the point. They are written as the merge writes an accepted
//! change (the record's merged state, its changelog entry under the unit's
//! phone), stamped by that phone's clock.

use super::{DemoError, Phone, Unit};
use crate::db::encounter_facts::LazyCodes;
use crate::db::{changelog, notes, records};
use feltlogg_core::change::Change;
use feltlogg_core::codes::RefusalCode;
use feltlogg_core::ids::DeviceId;
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_core::screen::find_personal_data;
use feltlogg_core::sync::Refusal;
use rusqlite::{Connection, TransactionBehavior};
use uuid::Uuid;

/// The legacy encounter note (a full name and an age).
pub const NAME_NOTE: &str = "Jonas Berggren (15) sa at han vil slutte på skolen etter jul.";
/// The legacy reflection (a Snapchat handle and a hyphenated mobile number).
pub const HANDLE_REFLECTION: &str =
    "Rolig kveld. Ny jente ga oss snap: lina.k2010, ring henne på 912-34-567 neste uke.";

/// Writes the legacy texts; returns how many.
pub(super) fn seed(
    conn: &mut Connection,
    units: &[Unit],
    phones: &mut [Phone],
    now_ms: i64,
) -> Result<i64, DemoError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut written = 0;
    for (unit, phone) in units.iter().zip(phones.iter_mut()) {
        if let Some(shift) = notes::latest_shift(&tx, unit.id, "approved")?
            && let Some(encounter) = notes::last_encounter(&tx, shift)?
        {
            write(
                &tx,
                phone,
                RecordKind::Encounter,
                encounter,
                "note",
                NAME_NOTE,
                now_ms,
            )?;
            written += 1;
        }
        if let Some(shift) = notes::latest_shift(&tx, unit.id, "closed")? {
            let text = HANDLE_REFLECTION;
            write(
                &tx,
                phone,
                RecordKind::Shift,
                shift,
                "reflection",
                text,
                now_ms,
            )?;
            written += 1;
        }
    }
    tx.commit()?;
    Ok(written)
}

/// One field set as the merge would store an accepted change to it.
fn write(
    tx: &Connection,
    phone: &mut Phone,
    kind: RecordKind,
    id: Uuid,
    field: &str,
    text: &str,
    now_ms: i64,
) -> Result<(), DemoError> {
    let mut fields = Fields::new();
    fields.insert(field.to_owned(), serde_json::Value::String(text.to_owned()));
    let change = Change {
        kind,
        id,
        fields,
        hlc: phone.clock.tick(now_ms - 60 * 60_000),
    };
    store_as_accepted(tx, &change, Some(phone.id), now_ms)?;
    Ok(())
}

/// Stores `change` as the merge stored an accepted change before the
/// screen caught what it holds: the record's merged state and a changelog
/// entry from `origin`. Also how the end-to-end tests make a legacy note.
/// False when the record does not exist.
///
/// # Errors
/// The database's.
pub fn store_as_accepted(
    conn: &Connection,
    change: &Change,
    origin: Option<DeviceId>,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let Some(stored) = records::load(conn, change.kind, change.id)? else {
        return Ok(false);
    };
    let mut state = stored.state;
    state.merge(change);
    let (unit, codes) = (stored.unit_id, &mut LazyCodes::default());
    records::upsert(conn, codes, change.id, unit, &state, origin, now_ms)?;
    changelog::insert_change(conn, unit, change.kind, change.id, origin, false, now_ms)?;
    Ok(true)
}

/// Demo text is synthetic and harmless by design, so a demo change the
/// anonymity screen refuses is the screen's false positive: named here,
/// with the text, rather than surfacing later as "no shift with id …"
/// when the refused shift is reviewed.
///
/// # Errors
/// [`DemoError::Screened`] for the first such refusal.
pub(super) fn check_not_screened(changes: &[Change], refused: &[Refusal]) -> Result<(), DemoError> {
    let Some(r) = refused.iter().find(|r| r.code == RefusalCode::PersonalData) else {
        return Ok(());
    };
    let text = changes
        .iter()
        .filter(|c| c.id == r.change_id_or_record)
        .flat_map(|c| c.fields.values().filter_map(|v| v.as_str()))
        .find(|t| !find_personal_data(t).is_empty())
        .unwrap_or_default();
    Err(DemoError::Screened(format!(
        "{} {:?}: {}",
        r.kind.as_str(),
        text,
        r.reason
    )))
}
