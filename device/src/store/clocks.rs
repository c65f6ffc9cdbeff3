//! Per-field HLC stamps of a stored record, kept beside its typed columns so
//! pulled changes can merge field by field (last writer wins).
//!
//! Stored compactly: one `base` stamp for every field that has no stamp of
//! its own, plus the stamps of fields written later. A record made on this
//! device has only a base; an edit adds the fields it wrote.

use feltlogg_core::change::{DELETED, RecordState, Stamped};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::record::Fields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The stamps of one record's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clocks {
    /// Stamp of every field not listed in `fields`.
    pub base: Hlc,
    /// Fields written after the base, with their stamps. The tombstone
    /// field is always listed here once written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Hlc>,
}

impl Clocks {
    /// Every field written at `hlc`.
    pub fn new(hlc: Hlc) -> Self {
        Self {
            base: hlc,
            fields: BTreeMap::new(),
        }
    }

    /// The stamp of `field`.
    pub fn get(&self, field: &str) -> Hlc {
        self.fields.get(field).copied().unwrap_or(self.base)
    }

    /// Records that `names` were written at `hlc`.
    pub fn stamp<'a>(&mut self, names: impl Iterator<Item = &'a String>, hlc: Hlc) {
        for name in names {
            self.fields.insert(name.clone(), hlc);
        }
    }

    /// Whether the tombstone field has ever been written.
    pub fn has_tombstone(&self) -> bool {
        self.fields.contains_key(DELETED)
    }

    /// The merged state of a record whose values are `values` and whose
    /// tombstone is `deleted`.
    pub fn to_state(
        &self,
        kind: feltlogg_core::record::RecordKind,
        values: Fields,
        deleted: bool,
    ) -> RecordState {
        let mut state = RecordState::new(kind);
        for (name, value) in values {
            let hlc = self.get(&name);
            state.fields.insert(name, Stamped { value, hlc });
        }
        if self.has_tombstone() {
            state.fields.insert(
                DELETED.to_owned(),
                Stamped {
                    value: serde_json::Value::Bool(deleted),
                    hlc: self.get(DELETED),
                },
            );
        }
        state
    }

    /// The stamps of a merged state, with the most common stamp as base.
    pub fn from_state(state: &RecordState) -> Option<Self> {
        let mut counts: BTreeMap<Hlc, usize> = BTreeMap::new();
        for (name, s) in &state.fields {
            if name != DELETED {
                *counts.entry(s.hlc).or_default() += 1;
            }
        }
        let base = counts.iter().max_by_key(|(_, n)| **n).map(|(h, _)| *h)?;
        let fields = state
            .fields
            .iter()
            .filter(|(name, s)| s.hlc != base || name.as_str() == DELETED)
            .map(|(name, s)| (name.clone(), s.hlc))
            .collect();
        Some(Self { base, fields })
    }

    /// As stored in the `clocks` column.
    pub(crate) fn to_json(&self) -> super::Result<String> {
        Ok(serde_json::to_string(self)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltlogg_core::ids::DeviceId;
    use feltlogg_core::record::RecordKind;

    #[test]
    fn state_round_trip_keeps_every_stamp() {
        let d = DeviceId::new();
        let h = |w| Hlc {
            wall_ms: w,
            counter: 0,
            device: d,
        };
        let mut c = Clocks::new(h(1));
        c.stamp([String::from("note")].iter(), h(2));
        c.stamp([String::from(DELETED)].iter(), h(1));
        let mut values = Fields::new();
        values.insert("note".into(), "x".into());
        values.insert("bydel".into(), "030101".into());
        let state = c.to_state(RecordKind::Encounter, values, false);
        assert_eq!(state.fields[DELETED].hlc, h(1));
        let back = Clocks::from_state(&state).expect("clocks");
        assert_eq!(back.get("note"), h(2));
        assert_eq!(back.get("bydel"), h(1));
        assert!(back.has_tombstone());
    }
}
