//! Applying changes pulled from the server: field-level last-writer-wins
//! by HLC, the same merge as `feltlogg_core::change::RecordState`, persisted
//! in the typed tables. Nothing goes to the outbox: these changes are
//! already on the server.

use super::clocks::Clocks;
use super::error::{Result, StoreError};
use super::table::{Stored, Table};
use super::{Store, partial};
use feltlogg_core::Error;
use feltlogg_core::change::{Change, DELETED, RecordState};
use feltlogg_core::record::{Encounter, RecordKind, Referral, Shift, ShiftMember};
use rusqlite::{Connection, TransactionBehavior};

const PULL_CURSOR: &str = "pull_cursor";

impl Store {
    /// Merges one change from the server into the local tables, field by
    /// field (the later HLC stamp wins), without touching the outbox. A
    /// shift's status (approved, returned) arrives this way. The device's
    /// clock observes the stamp, so later local edits order after it.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the change cannot be read as its record
    /// kind together with what is stored; nothing is written then.
    pub fn apply_remote(&mut self, change: &Change) -> Result<()> {
        self.apply_remote_page(std::slice::from_ref(change), None)
    }

    /// Merges a page of pulled changes and, when given, stores the pull
    /// cursor after them, all in one transaction.
    ///
    /// # Errors
    /// As [`Store::apply_remote`]; on error nothing of the page is written.
    pub fn apply_remote_page(&mut self, changes: &[Change], cursor: Option<i64>) -> Result<()> {
        let enrolment = self.enrolment.as_mut().ok_or(StoreError::NotEnrolled)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for change in changes {
            // The server sends this device's own changes back only when it
            // clamped their stamps: take its stamp rather than merge.
            let own = change.hlc.device == enrolment.device;
            match change.kind {
                RecordKind::Shift => merge::<Shift>(&tx, change, own)?,
                RecordKind::ShiftMember => merge::<ShiftMember>(&tx, change, own)?,
                RecordKind::Encounter => merge::<Encounter>(&tx, change, own)?,
                RecordKind::Referral => merge::<Referral>(&tx, change, own)?,
            }
            // Observing with now = 0 keeps the clock's own wall time: the
            // stamp only moves it forward.
            enrolment.clock.observe(change.hlc, 0);
        }
        if let Some(c) = cursor {
            super::sync_state::set(&tx, PULL_CURSOR, &c.to_string())?;
        }
        super::meta::save_clock(&tx, enrolment.clock.last())?;
        tx.commit()?;
        Ok(())
    }

    /// The server change sequence number pulled up to (0 before the first pull).
    ///
    /// # Errors
    /// [`StoreError::Db`], [`StoreError::Corrupt`].
    pub fn pull_cursor(&self) -> Result<i64> {
        Ok(super::sync_state::get_number(&self.conn, PULL_CURSOR)?.unwrap_or(0))
    }
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
