//! A worker's "Dette er ikke en person" in the demo (issue 15): per unit,
//! the note of the last encounter of its latest closed shift names an
//! artist or a venue the screen takes for a person, with that span
//! confirmed as not a person, as the phone's accepted change stores it. The lead then finds
//! it marked on the shift page and listed on `/review/screen`, with the
//! one click that adds the word to the unit's words.

use super::legacy::store_as_accepted;
use super::{DemoError, Phone, Unit};
use crate::db::notes;
use feltlogg_core::change::Change;
use feltlogg_core::record::{Fields, NOT_A_PERSON, NotAPerson, RecordKind};
use feltlogg_core::screen::{FindingKind, Span, find_personal_data};
use rusqlite::{Connection, TransactionBehavior};

/// Notes naming an artist or a venue, not a person (synthetic); the
/// first in which today's screen finds names and nothing else is used.
pub const NOTES: [&str; 2] = [
    "Snakket om konserten til Aurora",
    "Møtte gjengen utenfor Vega Scene",
];

/// The note the demo confirms, with its name spans confirmed; `None`
/// when the screen finds no name in any of [`NOTES`] (or more than names).
pub fn note() -> Option<(&'static str, Vec<NotAPerson>)> {
    NOTES.iter().find_map(|&note| {
        let found = find_personal_data(note);
        let only_names = !found.is_empty() && found.iter().all(|f| f.kind == FindingKind::Name);
        only_names.then(|| {
            let confirmed = found
                .iter()
                .map(|f| NotAPerson::new("note", Span::from(f)))
                .collect();
            (note, confirmed)
        })
    })
}

/// Writes the confirmed notes; returns how many (none without a [`note`]).
pub(super) fn seed(
    conn: &mut Connection,
    units: &[Unit],
    phones: &mut [Phone],
    now_ms: i64,
) -> Result<i64, DemoError> {
    let Some((text, confirmed)) = note() else {
        return Ok(0);
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut written = 0;
    for (unit, phone) in units.iter().zip(phones.iter_mut()) {
        let Some(shift) = notes::latest_shift(&tx, unit.id, "closed")? else {
            continue;
        };
        let Some(encounter) = notes::last_encounter(&tx, shift)? else {
            continue;
        };
        let mut fields = Fields::new();
        fields.insert("note".into(), text.into());
        fields.insert(
            NOT_A_PERSON.into(),
            serde_json::to_value(&confirmed).map_err(crate::ApiError::from)?,
        );
        let change = Change {
            kind: RecordKind::Encounter,
            id: encounter,
            fields,
            hlc: phone.clock.tick(now_ms - 30 * 60_000),
        };
        if store_as_accepted(&tx, &change, Some(phone.id), now_ms)? {
            written += 1;
        }
    }
    tx.commit()?;
    Ok(written)
}
