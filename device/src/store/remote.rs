//! Applying what the server sent: a pull page in one transaction, its
//! changes merged field-level last-writer-wins by HLC (the same merge as
//! `feltlogg_core::change::RecordState`) into the typed tables, under the
//! lock rule of [`super::decision`]. Nothing goes to the outbox: these
//! changes are already on the server.

use super::clocks::Clocks;
use super::crash_point::after;
use super::decision::{self, Decided, VerifiedDecision};
use super::error::{Result, StoreError};
use super::sync_state::{self, PULL_CURSOR};
use super::table::{Stored, Table};
use super::{Enrolment, Store, areas, directory, partial, unit_words};
use feltlogg_core::Error;
use feltlogg_core::area::Area;
use feltlogg_core::change::{Change, DELETED, RecordState};
use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Encounter, RecordKind, Referral, Shift, ShiftMember};
use feltlogg_core::sync::Refusal;
use feltlogg_core::vocab::ShiftStatus;
use feltlogg_core::words::{UnitPolicy, UnitWords};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::sync::Arc;

/// What the server sent that the store takes in one transaction: a pull
/// page (with its cursor), or a few changes and decisions (no cursor).
#[derive(Clone, Debug, Default)]
pub struct RemotePage {
    /// This device's changes the server refused.
    pub refused: Vec<Refusal>,
    /// The unit's worker directory, when it changed.
    pub directory: Option<Vec<WorkerEntry>>,
    /// The unit's areas, when they changed.
    pub areas: Option<Vec<Area>>,
    /// The unit's words and "not a person" setting, when either changed.
    pub words: Option<UnitWords>,
    /// Changes from other devices and the server.
    pub changes: Vec<Change>,
    /// The decisions on the page, verified.
    pub decisions: Vec<VerifiedDecision>,
    /// The pull cursor after the page, stored with it.
    pub cursor: Option<i64>,
}

/// What applying a [`RemotePage`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Changes merged (a decision without its status change counts as one).
    pub changes: u32,
    /// Distinct (shift, status) decisions held.
    pub decisions: u32,
    /// Approvals and returns dropped for want of a verified decision.
    pub unsigned_dropped: u32,
}

impl Store {
    /// Applies what the server sent, all in one transaction: refusals,
    /// directory, areas, words, the decisions held (with their comments),
    /// the changes merged field by field (the later HLC stamp wins), and the
    /// cursor. A shift's status becomes approved or returned only with a
    /// decision on that shift and status held in this same transaction;
    /// any other such status is dropped (and counted). Nothing goes to the
    /// outbox. The device's clock observes every stamp, so later local edits
    /// order after them.
    ///
    /// # Errors
    /// [`Error::Malformed`] when a change cannot be read as its record kind
    /// together with what is stored; [`StoreError::Db`]. Nothing of the page
    /// is written then.
    pub fn apply_remote(&mut self, page: RemotePage) -> Result<Applied> {
        let enrolment = self.enrolment.as_mut().ok_or(StoreError::NotEnrolled)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        replace_unit_facts(&tx, &page)?;
        let applied = merge_decided(&tx, enrolment, &page.changes, &page.decisions)?;
        if let Some(c) = page.cursor {
            sync_state::set(&tx, PULL_CURSOR, &c.to_string())?;
            after("cursor");
        }
        super::meta::save_clock(&tx, enrolment.clock.last())?;
        after("clock");
        tx.commit()?;
        after("commit");
        if let Some(words) = &page.words {
            // The next save screens with them.
            self.words = Arc::new(UnitPolicy::new(words));
        }
        Ok(applied)
    }

    /// Undoes a decision the server no longer holds, in one transaction:
    /// the decision held on `shift` is forgotten and its status goes back to
    /// what the server holds, `back_to` (an older decision, held in its
    /// place) or, without one, `closed`; stamped just above the status it
    /// replaces, so any later decision still wins. False when the shift is
    /// not here.
    ///
    /// # Errors
    /// As [`Store::apply_remote`]; [`StoreError::Corrupt`] when `back_to`
    /// is a decision on another shift.
    pub fn undo_decision(
        &mut self,
        shift: ShiftId,
        back_to: Option<&VerifiedDecision>,
    ) -> Result<bool> {
        if let Some(d) = back_to.filter(|d| d.decision().shift_id != shift) {
            return Err(StoreError::Corrupt(format!(
                "decision on {} cannot restore shift {shift}",
                d.decision().shift_id
            )));
        }
        let enrolment = self.enrolment.as_mut().ok_or(StoreError::NotEnrolled)?;
        let Some(stored) = <Shift as Table>::load(&self.conn, shift.0)? else {
            return Ok(false);
        };
        let at = stored.clocks.get("status");
        let status = back_to.map_or(ShiftStatus::Closed, |d| d.decision().status);
        let change =
            decision::status_change(shift, status, at.wall_ms, at.counter.saturating_add(1));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        decision::forget(&tx, shift)?;
        let older: Vec<VerifiedDecision> = back_to.into_iter().cloned().collect();
        merge_decided(&tx, enrolment, &[change], &older)?;
        super::meta::save_clock(&tx, enrolment.clock.last())?;
        tx.commit()?;
        Ok(true)
    }

    /// The server change sequence number pulled up to (0 before the first pull).
    ///
    /// # Errors
    /// [`StoreError::Db`], [`StoreError::Corrupt`].
    pub fn pull_cursor(&self) -> Result<i64> {
        Ok(sync_state::get_number(&self.conn, PULL_CURSOR)?.unwrap_or(0))
    }
}

/// The page's refusals, directory, areas and words, inside its transaction.
fn replace_unit_facts(tx: &Transaction<'_>, page: &RemotePage) -> Result<()> {
    super::sync_ops::insert_refusals(tx, &page.refused)?;
    after("refusals");
    if let Some(dir) = &page.directory {
        directory::replace(tx, dir)?;
        after("directory");
    }
    if let Some(list) = &page.areas {
        areas::replace(tx, list)?;
        after("areas");
    }
    if let Some(words) = &page.words {
        unit_words::replace(tx, words)?;
        after("words");
    }
    Ok(())
}

/// Holds `decisions`, then merges `changes` under the lock rule
/// ([`decision::signed_statuses`]): the one path by which remote changes
/// reach the record tables.
fn merge_decided(
    tx: &Transaction<'_>,
    enrolment: &mut Enrolment,
    changes: &[Change],
    decisions: &[VerifiedDecision],
) -> Result<Applied> {
    let mut decided = Decided::new();
    for d in decisions {
        decided.insert(decision::hold(tx, d)?);
        after("decision");
    }
    let (changes, dropped) = decision::signed_statuses(changes, decisions, &decided);
    for change in &changes {
        // The server sends this device's own changes back only when it
        // clamped their stamps: take its stamp rather than merge.
        let own = change.hlc.device == enrolment.device;
        match change.kind {
            RecordKind::Shift => merge::<Shift>(tx, change, own)?,
            RecordKind::ShiftMember => merge::<ShiftMember>(tx, change, own)?,
            RecordKind::Encounter => merge::<Encounter>(tx, change, own)?,
            RecordKind::Referral => merge::<Referral>(tx, change, own)?,
        }
        after("change");
        // Observing with now = 0 keeps the clock's own wall time: the
        // stamp only moves it forward.
        enrolment.clock.observe(change.hlc, 0);
    }
    Ok(Applied {
        changes: count(changes.len()),
        decisions: count(decided.len()),
        unsigned_dropped: dropped,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Merges `change` into record `T`: from its typed row, or from the partial
/// state kept while not every field has arrived. An `own_echo` (this
/// device's change, stamp clamped by the server) first lowers the stamps of
/// the writes it echoes ([`RecordState::adopt_clamped`]).
fn merge<T: Table>(conn: &Connection, change: &Change, own_echo: bool) -> Result<()> {
    let (mut state, whole_before) = match T::load(conn, change.id)? {
        Some(s) => (
            s.clocks.to_state(T::KIND, s.rec.to_fields(), s.deleted),
            true,
        ),
        None => match partial::get(conn, change.id)? {
            Some(state) if state.kind != change.kind => {
                return Err(malformed(
                    change,
                    format!("id already names a {} record", state.kind.as_str()),
                ));
            }
            Some(state) => (state, false),
            None => (RecordState::new(T::KIND), false),
        },
    };
    let mut changed = if own_echo {
        state.adopt_clamped(change)
    } else {
        Vec::new()
    };
    // After adopting, the echoed fields tie with the echo and stay; a field
    // this phone no longer has (or never had) is merged as usual.
    changed.extend(state.merge(change));
    if changed.is_empty() {
        return Ok(());
    }
    let mut values = state.values();
    values.remove(DELETED);
    match T::from_fields(&values) {
        Ok(rec) if rec.uuid() != change.id => Err(malformed(
            change,
            format!("field id {} differs from the change's id", rec.uuid()),
        )),
        Ok(rec) => {
            let clocks = Clocks::from_state(&state)
                .ok_or_else(|| malformed(change, "record has no fields".to_owned()))?;
            T::save(
                conn,
                &Stored {
                    rec,
                    deleted: state.is_deleted(),
                    clocks,
                },
            )?;
            if !whole_before {
                partial::remove(conn, change.id)?;
            }
            Ok(())
        }
        // A stored record must stay readable: a change that breaks it is refused.
        Err(e) if whole_before => Err(e.into()),
        Err(_) => partial::put(conn, change.id, &state),
    }
}

fn malformed(change: &Change, detail: String) -> StoreError {
    Error::Malformed {
        kind: change.kind.as_str(),
        detail: format!("change for {}: {detail}", change.id),
    }
    .into()
}
