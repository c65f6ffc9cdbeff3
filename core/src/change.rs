//! Changes and the merge: field-level last-writer-wins by HLC.
//!
//! A change names one record and the fields it wrote, stamped with one HLC.
//! Merging keeps, per field, the value with the greatest stamp; a delete is
//! the field [`DELETED`] set to `true`, a tombstone that merges like any
//! other field. Taking the maximum per field is commutative, associative
//! and idempotent, so any order and any number of deliveries of the same
//! changes give the same state (proved by the property tests below).

use crate::hlc::Hlc;
use crate::record::{Fields, Record, RecordKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The tombstone field: `true` once a record is deleted.
pub const DELETED: &str = "_deleted";

/// One write to one record. Wire type: do not rename fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The record's kind.
    pub kind: RecordKind,
    /// The record's id.
    pub id: Uuid,
    /// The fields written, by name.
    pub fields: Fields,
    /// When, in HLC terms.
    pub hlc: Hlc,
}

impl Change {
    /// Whether this change deletes its record.
    pub fn is_delete(&self) -> bool {
        self.fields.get(DELETED) == Some(&serde_json::Value::Bool(true))
    }
}

/// A field's current value and the stamp that wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    /// The value.
    pub value: serde_json::Value,
    /// The stamp of the write that won.
    pub hlc: Hlc,
}

/// The merged state of one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    /// The record's kind.
    pub kind: RecordKind,
    /// Each field with its winning write.
    pub fields: BTreeMap<String, Stamped>,
}

impl RecordState {
    /// An empty record of `kind`.
    pub fn new(kind: RecordKind) -> Self {
        Self {
            kind,
            fields: BTreeMap::new(),
        }
    }

    /// `record` as one write stamped `hlc` leaves it: every field with that
    /// stamp (a record created in one change).
    pub fn of_record<R: Record>(record: &R, hlc: Hlc) -> Self {
        let mut state = Self::new(R::KIND);
        for (name, value) in record.to_fields() {
            state.fields.insert(name, Stamped { value, hlc });
        }
        state
    }

    /// Merges one change into this record; returns the names of the fields
    /// it won (empty when every field already held a later write).
    pub fn merge(&mut self, change: &Change) -> Vec<String> {
        if self.fields.is_empty() {
            // A new record (most of what a server merges): every field
            // wins, and the map is built from the change's sorted fields
            // at once instead of by one insert each.
            self.fields = change
                .fields
                .iter()
                .map(|(name, value)| {
                    let stamped = Stamped {
                        value: value.clone(),
                        hlc: change.hlc,
                    };
                    (name.clone(), stamped)
                })
                .collect();
            return change.fields.keys().cloned().collect();
        }
        let mut won = Vec::new();
        for (name, value) in &change.fields {
            let incoming = Stamped {
                value: value.clone(),
                hlc: change.hlc,
            };
            let wins = match self.fields.get(name) {
                None => true,
                Some(current) => beats(&incoming, current),
            };
            if wins {
                self.fields.insert(name.clone(), incoming);
                won.push(name.clone());
            }
        }
        won
    }

    /// Takes the server's clamped stamp for this device's own writes.
    ///
    /// A device whose clock runs fast has its stamps clamped by the server
    /// (to at most five minutes ahead of the server's clock), and gets its
    /// change back with the clamped stamp. Plain merging would ignore it
    /// (the local stamp is later), leaving the device with a stamp the
    /// server does not have: a write by another device stamped between the
    /// two would then win on the server and lose on this device, forever.
    /// So a field still holding that very write (the same value, device and
    /// counter; a clamp only lowers the wall time) takes the server's
    /// stamp. Returns the fields whose stamp changed.
    pub fn adopt_clamped(&mut self, change: &Change) -> Vec<String> {
        let mut adopted = Vec::new();
        for (name, value) in &change.fields {
            let Some(current) = self.fields.get_mut(name) else {
                continue;
            };
            let same_write = current.value == *value
                && current.hlc.device == change.hlc.device
                && current.hlc.counter == change.hlc.counter
                && current.hlc.wall_ms > change.hlc.wall_ms;
            if same_write {
                current.hlc = change.hlc;
                adopted.push(name.clone());
            }
        }
        adopted
    }

    /// The current values, without stamps.
    pub fn values(&self) -> Fields {
        self.fields
            .iter()
            .map(|(k, s)| (k.clone(), s.value.clone()))
            .collect()
    }

    /// The field names grouped by the stamp that wrote them, in the order
    /// each stamp first appears: a record's fields mostly share one stamp
    /// (a new record arrives as one change).
    pub fn stamp_groups(&self) -> Vec<(Hlc, Vec<&str>)> {
        let mut groups: Vec<(Hlc, Vec<&str>)> = Vec::new();
        for (name, stamped) in &self.fields {
            match groups.iter_mut().find(|(hlc, _)| *hlc == stamped.hlc) {
                Some((_, names)) => names.push(name),
                None => groups.push((stamped.hlc, vec![name])),
            }
        }
        groups
    }

    /// This state as changes to record `id`, one per distinct stamp, each
    /// with the fields that stamp won: what merging it into any replica
    /// does is what merging the writes that built it would do. (The
    /// server's pull sends records this way: see its changelog.)
    pub fn as_changes(&self, id: Uuid) -> Vec<Change> {
        self.stamp_groups()
            .into_iter()
            .map(|(hlc, names)| Change {
                kind: self.kind,
                id,
                fields: names
                    .into_iter()
                    .filter_map(|n| Some((n.to_owned(), self.fields.get(n)?.value.clone())))
                    .collect(),
                hlc,
            })
            .collect()
    }

    /// Whether the record is deleted.
    pub fn is_deleted(&self) -> bool {
        self.fields
            .get(DELETED)
            .is_some_and(|s| s.value == serde_json::Value::Bool(true))
    }
}

/// Whether `a` replaces `b`. Stamps decide; equal stamps (only possible for
/// a redelivered change, or a buggy device) fall back to comparing the
/// values' text so the result never depends on arrival order.
fn beats(a: &Stamped, b: &Stamped) -> bool {
    match a.hlc.cmp(&b.hlc) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            let (x, y) = (a.value.to_string(), b.value.to_string());
            x > y
        }
    }
}

/// A set of merged records, keyed by id: the reference model of the merge
/// that the device store and the server each persist in their own tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MergedSet {
    /// Records by id.
    pub records: BTreeMap<Uuid, RecordState>,
}

impl MergedSet {
    /// Merges one change.
    ///
    /// # Errors
    /// [`crate::Error::Malformed`] when the id is already known as a
    /// different kind of record; nothing is changed then.
    pub fn apply(&mut self, change: &Change) -> crate::Result<Vec<String>> {
        let state = self
            .records
            .entry(change.id)
            .or_insert_with(|| RecordState::new(change.kind));
        if state.kind != change.kind {
            return Err(crate::Error::Malformed {
                kind: change.kind.as_str(),
                detail: format!(
                    "id {} already names a {} record",
                    change.id,
                    state.kind.as_str()
                ),
            });
        }
        Ok(state.merge(change))
    }
}

#[cfg(test)]
mod tests {
    //! What the property tests in `core/tests/merge_props.rs` do not pin:
    //! what a merge reports as won, the tombstone test, the tie-break's
    //! direction and when an echo's stamp is adopted (`cargo mutants`,
    //! issue 19).
    use super::*;
    use crate::ids::DeviceId;
    use serde_json::Value;

    fn stamp(wall_ms: i64, counter: u32, device: u128) -> Hlc {
        Hlc {
            wall_ms,
            counter,
            device: DeviceId(Uuid::from_u128(device)),
        }
    }

    fn write(fields: &[(&str, Value)], hlc: Hlc) -> Change {
        Change {
            kind: RecordKind::Encounter,
            id: Uuid::from_u128(7),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            hlc,
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_merge_reports_the_fields_it_won_and_a_redelivery_wins_none() {
        let first = write(
            &[("note", "a".into()), ("youth_count", 2.into())],
            stamp(10, 0, 1),
        );
        let mut state = RecordState::new(RecordKind::Encounter);
        assert_eq!(state.merge(&first), names(&["note", "youth_count"]));
        assert!(state.merge(&first).is_empty(), "the same change again");
        let older = write(&[("note", "b".into())], stamp(9, 0, 2));
        assert!(state.merge(&older).is_empty());
        let later = write(
            &[("note", "c".into()), ("status", "made".into())],
            stamp(11, 0, 2),
        );
        assert_eq!(state.merge(&later), names(&["note", "status"]));
        assert_eq!(state.values()["note"], "c");
        assert_eq!(state.values()["youth_count"], 2);
    }

    #[test]
    fn equal_stamps_keep_the_value_whose_text_sorts_last() {
        // Every replica must pick the same value whatever the arrival order.
        let hlc = stamp(10, 0, 1);
        let (low, high) = (
            write(&[("note", "a".into())], hlc),
            write(&[("note", "b".into())], hlc),
        );
        for (first, second, won) in [(&low, &high, true), (&high, &low, false)] {
            let mut state = RecordState::new(RecordKind::Encounter);
            state.merge(first);
            assert_eq!(!state.merge(second).is_empty(), won);
            assert_eq!(state.values()["note"], "b");
        }
    }

    #[test]
    fn a_set_applies_changes_and_refuses_an_id_of_another_kind() {
        let mut set = MergedSet::default();
        let c = write(&[("note", "a".into())], stamp(10, 0, 1));
        assert_eq!(set.apply(&c).expect("apply"), names(&["note"]));
        assert_eq!(set.records[&c.id].values()["note"], "a");
        let shift = Change {
            kind: RecordKind::Shift,
            ..c.clone()
        };
        assert!(matches!(
            set.apply(&shift),
            Err(crate::Error::Malformed { .. })
        ));
        assert_eq!(set.records[&c.id].kind, RecordKind::Encounter);
    }

    #[test]
    fn only_a_true_tombstone_deletes() {
        let hlc = stamp(10, 0, 1);
        let delete = write(&[(DELETED, Value::Bool(true))], hlc);
        assert!(delete.is_delete());
        for not in [
            write(&[(DELETED, Value::Bool(false))], hlc),
            write(&[("note", Value::Bool(true))], hlc),
        ] {
            assert!(!not.is_delete(), "{not:?}");
            let mut state = RecordState::new(RecordKind::Encounter);
            state.merge(&not);
            assert!(!state.is_deleted());
        }
        let mut state = RecordState::new(RecordKind::Encounter);
        state.merge(&write(&[("note", "a".into())], stamp(9, 0, 1)));
        assert!(!state.is_deleted());
        state.merge(&delete);
        assert!(state.is_deleted());
    }

    #[test]
    fn an_echo_is_adopted_only_when_it_lowers_the_stamp_of_the_same_write() {
        let mut state = RecordState::new(RecordKind::Encounter);
        state.merge(&write(&[("note", "a".into())], stamp(100, 3, 1)));
        // The very stamp again is no clamp: nothing changes.
        let same = write(&[("note", "a".into())], stamp(100, 3, 1));
        assert!(state.adopt_clamped(&same).is_empty());
        // A later stamp is no clamp either (a clamp only lowers the wall time).
        assert!(
            state
                .adopt_clamped(&write(&[("note", "a".into())], stamp(101, 3, 1)))
                .is_empty()
        );
        // Another device, counter or value is another write.
        for other in [stamp(90, 3, 2), stamp(90, 4, 1)] {
            let echo = write(&[("note", "a".into())], other);
            assert!(state.adopt_clamped(&echo).is_empty(), "{other:?}");
        }
        let other_value = write(&[("note", "b".into())], stamp(90, 3, 1));
        assert!(state.adopt_clamped(&other_value).is_empty());
        // A field the record does not hold is skipped.
        let clamped = stamp(90, 3, 1);
        let echo = write(&[("note", "a".into()), ("status", "made".into())], clamped);
        assert_eq!(state.adopt_clamped(&echo), names(&["note"]));
        assert_eq!(state.fields["note"].hlc, clamped);
        assert!(!state.fields.contains_key("status"));
    }
}
