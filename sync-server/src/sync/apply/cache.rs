//! What the rule checks read again and again within one batch. A phone's
//! batch is mostly encounters of one shift: without this, every encounter
//! loaded and parsed its shift and its shift's members from SQLite. The
//! cache lives for one batch inside its transaction, so nothing outside
//! can change what it holds; the batch's own writes to shifts and members
//! drop it (see [`BatchCache::wrote`]).

use crate::db::encounter_facts::LazyCodes;
use crate::db::records::{self, Stored};
use feltlogg_core::ids::UnitId;
use feltlogg_core::record::{Fields, RecordKind, ShiftMember};
use feltlogg_core::words::UnitPolicy;
use rusqlite::Connection;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Per-batch cache of shifts, their members, each kind's field names, and
/// the device's unit's screen policy.
#[derive(Debug, Default)]
pub(super) struct BatchCache {
    policy: Option<UnitPolicy>,
    shifts: HashMap<Uuid, Option<Stored>>,
    members: HashMap<Uuid, Vec<ShiftMember>>,
    known: HashMap<RecordKind, BTreeSet<String>>,
    /// The export codes the batch's encounter writes need.
    pub(super) codes: LazyCodes,
}

impl BatchCache {
    /// The stored shift `id`, as [`records::load`] would return it.
    pub(super) fn shift(&mut self, tx: &Connection, id: Uuid) -> rusqlite::Result<Option<&Stored>> {
        let stored = match self.shifts.entry(id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(records::load(tx, RecordKind::Shift, id)?),
        };
        Ok(stored.as_ref())
    }

    /// The screen policy of `unit` (a batch comes from one device, so one
    /// unit), read from its words and setting the first time.
    pub(super) fn policy(
        &mut self,
        tx: &Connection,
        unit: UnitId,
    ) -> rusqlite::Result<&UnitPolicy> {
        let policy = match self.policy.take() {
            Some(p) => p,
            None => crate::unit_words::policy(tx, unit)?,
        };
        Ok(self.policy.insert(policy))
    }

    /// The members of shift `id`, as [`records::members_of_shift`] would
    /// return them.
    pub(super) fn members(
        &mut self,
        tx: &Connection,
        id: Uuid,
    ) -> rusqlite::Result<&[ShiftMember]> {
        let members = match self.members.entry(id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(records::members_of_shift(tx, id)?),
        };
        Ok(members)
    }

    /// The field names a record of `kind` has, taken from `fields` (the
    /// `to_fields` of a valid record) the first time. Records are plain
    /// serde structs that write every field, so the names are the same for
    /// every record of a kind.
    pub(super) fn known_fields(
        &mut self,
        kind: RecordKind,
        fields: impl FnOnce() -> Option<Fields>,
    ) -> Option<&BTreeSet<String>> {
        let names = match self.known.entry(kind) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(fields()?.into_keys().collect()),
        };
        Some(names)
    }

    /// The batch wrote a record of `kind`: a shift or member write may
    /// change any cached shift or member list, so both are dropped (rare:
    /// a batch has a few of those and many encounters).
    pub(super) fn wrote(&mut self, kind: RecordKind) {
        if matches!(kind, RecordKind::Shift | RecordKind::ShiftMember) {
            self.shifts.clear();
            self.members.clear();
        }
    }
}
