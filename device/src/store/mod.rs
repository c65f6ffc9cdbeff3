//! The phone's local store: SQLite, one table per record kind, an outbox of
//! changes to push, the worker directory, areas and the device's identity.
//!
//! No Tauri types here: the store builds and tests without a webview.
//!
//! Every operation that changes records is one SQLite transaction that
//! writes the record(s), appends exactly one outbox change per changed
//! record (stamped by the device's hybrid logical clock) and persists the
//! clock, so a crash leaves all of it or none of it. Operations take the
//! time as an explicit `now` (Unix ms, see [`now_ms`]) so tests are
//! deterministic; the id of every record is a fresh UUIDv7.
//!
//! Rules are `feltlogg_core`'s: the store calls them before it writes, and
//! writes nothing when one refuses. Free text is screened with the unit's
//! words and "not a person" setting as the last pull sent them.

mod areas;
mod clocks;
mod crash_point;
pub mod db;
mod decision;
mod directory;
mod encounter;
mod error;
mod log_ops;
mod member;
mod meta;
mod outbox;
mod partial;
pub mod pins;
mod referral;
mod remote;
mod retention;
mod secret;
mod shift;
mod shift_ops;
mod sync_ops;
mod sync_state;
mod table;
mod unit_words;

pub use clocks::Clocks;
#[cfg(feature = "crash-points")]
pub use crash_point::{CRASH_AFTER, STEPS};
pub use decision::VerifiedDecision;
pub use error::{Result, StoreError};
pub use remote::{Applied, RemotePage};
pub use retention::Retention;

use feltlogg_core::area::Area;
use feltlogg_core::change::{Change, DELETED};
use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::hlc::Clock;
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId, UnitId};
use feltlogg_core::record::{Encounter, Referral, Shift, ShiftMember, UnixMs, changed_fields};
use feltlogg_core::words::{UnitPolicy, UnitWords};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::Path;
use std::sync::Arc;
use table::{Stored, Table};

/// How far back [`Store::list_shifts_today`] looks.
pub const TODAY_WINDOW_MS: UnixMs = feltlogg_core::time::DAY_MS;

/// The current wall-clock time in Unix milliseconds (core's), for callers
/// that do not inject their own clock.
pub use feltlogg_core::time::now_ms;

/// Who this device is, once enrolled, and its clock.
#[derive(Debug)]
struct Enrolment {
    device: DeviceId,
    unit: UnitId,
    clock: Clock,
}

/// The device store. One per database file; not shared between threads
/// (wrap it in a mutex in the shell).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    enrolment: Option<Enrolment>,
    /// The unit's screen, read once at open and on every pull that
    /// carries new words (shared, so a save can hold it while it writes).
    words: Arc<UnitPolicy>,
}

impl Store {
    /// Opens (creating and migrating if need be) the encrypted store at
    /// `path` with `key`, and resumes the device's clock from its last
    /// persisted stamp. The app opens it through [`crate::vault::open`],
    /// which holds the key in the phone's keystore.
    ///
    /// # Errors
    /// [`StoreError::WrongKey`] when the file does not open with `key`,
    /// [`StoreError::NoCipher`] for a build without SQLCipher,
    /// [`StoreError::Db`] or [`StoreError::Migration`] when the file cannot
    /// be opened or migrated.
    pub fn open(path: &Path, key: &crate::vault::DbKey) -> Result<Self> {
        Self::with_connection(db::open(path, key)?)
    }

    /// Opens a plain (unencrypted) store as versions before the encrypted
    /// one wrote it: for the upgrade tests' fixtures and the bench's
    /// baseline only. The app never opens one; [`crate::vault::open`]
    /// converts it.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_plain(path: &Path) -> Result<Self> {
        Self::with_connection(db::open_plain(path)?)
    }

    /// An empty store in memory, holding the place of the real one while
    /// it is closed and its files are deleted (the wipe).
    ///
    /// # Errors
    /// [`StoreError::Db`], [`StoreError::Migration`].
    pub fn placeholder() -> Result<Self> {
        Self::with_connection(db::open_memory()?)
    }

    fn with_connection(conn: Connection) -> Result<Self> {
        areas::seed_if_empty(&conn)?;
        let enrolment = meta::load(&conn)?.map(|(device, unit, last)| Enrolment {
            device,
            unit,
            clock: Clock::resume(last),
        });
        let words = unit_words::get(&conn)?.unwrap_or_default();
        Ok(Self {
            conn,
            enrolment,
            words: Arc::new(UnitPolicy::new(&words)),
        })
    }

    /// First-run setup after enrolment: stores the device's identity. Until
    /// then every record operation fails with [`StoreError::NotEnrolled`].
    /// Calling it again with the same ids is harmless.
    ///
    /// # Errors
    /// [`StoreError::AlreadyEnrolled`] if the device is enrolled as another device.
    pub fn init_device(&mut self, device: DeviceId, unit: UnitId) -> Result<()> {
        if let Some(e) = &self.enrolment {
            if e.device == device && e.unit == unit {
                return Ok(());
            }
            return Err(StoreError::AlreadyEnrolled {
                device: e.device.to_string(),
            });
        }
        let clock = Clock::new(device);
        meta::insert(&self.conn, device, unit, clock.last())?;
        self.enrolment = Some(Enrolment {
            device,
            unit,
            clock,
        });
        Ok(())
    }

    /// The device id and unit, once enrolled.
    pub fn device(&self) -> Option<(DeviceId, UnitId)> {
        self.enrolment.as_ref().map(|e| (e.device, e.unit))
    }

    /// Replaces the worker directory (at enrolment; a pull does it in
    /// [`Store::apply_remote`]).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn replace_directory(&mut self, entries: &[WorkerEntry]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        directory::replace(&tx, entries)?;
        tx.commit()?;
        Ok(())
    }

    /// The worker directory, by display name.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn directory(&self) -> Result<Vec<WorkerEntry>> {
        directory::all(&self.conn)
    }

    /// Replaces the areas (at enrolment; a pull does it in
    /// [`Store::apply_remote`]).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn replace_areas(&mut self, list: &[Area]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        areas::replace(&tx, list)?;
        tx.commit()?;
        Ok(())
    }

    /// The areas, by code.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn areas(&self) -> Result<Vec<Area>> {
        areas::all(&self.conn)
    }

    /// Replaces the unit's words and "not a person" setting (a pull does it
    /// in [`Store::apply_remote`]); the next save screens with them.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn replace_unit_words(&mut self, words: &UnitWords) -> Result<()> {
        unit_words::replace(&self.conn, words)?;
        self.words = Arc::new(UnitPolicy::new(words));
        Ok(())
    }

    /// The unit's words and setting as last pulled (none and on, before).
    ///
    /// # Errors
    /// [`StoreError::Db`], [`StoreError::Corrupt`] for an unreadable row.
    pub fn unit_words(&self) -> Result<UnitWords> {
        Ok(unit_words::get(&self.conn)?.unwrap_or_default())
    }

    /// The unit's screen as every save here uses it: what the app's live
    /// marks and its refusal read, so they never disagree with the save.
    pub fn screen_policy(&self) -> Arc<UnitPolicy> {
        Arc::clone(&self.words)
    }

    /// Shifts started in the last 24 hours before `now`, plus every shift
    /// still open or returned for correction, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn list_shifts_today(&self, now: UnixMs) -> Result<Vec<Shift>> {
        shift::list_recent(&self.conn, now.saturating_sub(TODAY_WINDOW_MS))
    }

    /// This device's open shift (the latest, should there be several).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn open_shift(&self) -> Result<Option<Shift>> {
        shift::latest_open(&self.conn)
    }

    /// One shift, if known here and not deleted.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn shift(&self, id: ShiftId) -> Result<Option<Shift>> {
        shift::get(&self.conn, id)
    }

    /// A shift's workers, with check-in and check-out times.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn shift_members(&self, id: ShiftId) -> Result<Vec<ShiftMember>> {
        member::for_shift(&self.conn, id)
    }

    /// A shift's encounters, in time order (deleted ones left out).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn list_encounters(&self, shift: ShiftId) -> Result<Vec<Encounter>> {
        encounter::for_shift(&self.conn, shift)
    }

    /// One encounter, if known here and not deleted.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn encounter(&self, id: EncounterId) -> Result<Option<Encounter>> {
        Ok(live::<Encounter>(&self.conn, id.uuid())?.map(|s| s.rec))
    }

    /// An encounter's referrals (deleted ones left out).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn list_referrals(&self, encounter: EncounterId) -> Result<Vec<Referral>> {
        Ok(referral::stored_for_encounter(&self.conn, encounter)?
            .into_iter()
            .map(|s| s.rec)
            .collect())
    }

    /// How many live encounters the device holds.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn encounter_count(&self) -> Result<usize> {
        encounter::count(&self.conn)
    }

    /// How many changes wait to be pushed.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn pending_changes(&self) -> Result<usize> {
        outbox::count(&self.conn)
    }

    /// The oldest `limit` changes waiting, with their outbox sequence numbers.
    ///
    /// # Errors
    /// [`StoreError::Db`], or [`StoreError::Corrupt`] for an unreadable row.
    pub fn outbox_batch(&self, limit: usize) -> Result<Vec<(i64, Change)>> {
        outbox::batch(&self.conn, limit)
    }

    /// Removes the outbox changes up to and including `seq`, once the server
    /// has acknowledged them; returns how many went.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn remove_outbox_through(&mut self, seq: i64) -> Result<usize> {
        outbox::remove_through(&self.conn, seq)
    }

    /// Runs SQLite's integrity check; `Ok(true)` when the file is sound.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn integrity_ok(&self) -> Result<bool> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(result == "ok")
    }

    fn unit(&self) -> Result<UnitId> {
        self.enrolment
            .as_ref()
            .map(|e| e.unit)
            .ok_or(StoreError::NotEnrolled)
    }

    /// Starts one write: an immediate transaction plus the clock.
    fn write(&mut self, now: UnixMs) -> Result<Write<'_>> {
        let enrolment = self.enrolment.as_mut().ok_or(StoreError::NotEnrolled)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Write {
            tx,
            clock: &mut enrolment.clock,
            now,
        })
    }
}

/// A record by id, unless deleted.
fn live<T: Table>(conn: &Connection, id: uuid::Uuid) -> Result<Option<Stored<T>>> {
    Ok(T::load(conn, id)?.filter(|s| !s.deleted))
}

/// A live record by id, or [`StoreError::NotFound`].
fn require<T: Table>(conn: &Connection, what: &'static str, id: uuid::Uuid) -> Result<Stored<T>> {
    live::<T>(conn, id)?.ok_or_else(|| StoreError::not_found(what, id))
}

/// One local write in progress: the transaction, the clock and the time.
/// Each record method writes the record and its one outbox change.
struct Write<'a> {
    tx: Transaction<'a>,
    clock: &'a mut Clock,
    now: UnixMs,
}

impl Write<'_> {
    /// Writes a new record: all its fields in one change.
    fn insert<T: Table>(&mut self, rec: T) -> Result<()> {
        let hlc = self.clock.tick(self.now);
        let change = Change {
            kind: T::KIND,
            id: rec.uuid(),
            fields: rec.to_fields(),
            hlc,
        };
        let stored = Stored {
            rec,
            deleted: false,
            clocks: Clocks::new(hlc),
        };
        T::save(&self.tx, &stored)?;
        outbox::append(&self.tx, &change)?;
        Ok(())
    }

    /// Writes an edit: only the fields that differ go in the change, and
    /// nothing is written when none do. Returns whether anything changed.
    fn update<T: Table>(&mut self, old: Stored<T>, new: T) -> Result<bool> {
        let fields = changed_fields(Some(&old.rec.to_fields()), &new.to_fields());
        if fields.is_empty() {
            return Ok(false);
        }
        let hlc = self.clock.tick(self.now);
        let mut clocks = old.clocks;
        clocks.stamp(fields.keys(), hlc);
        let change = Change {
            kind: T::KIND,
            id: new.uuid(),
            fields,
            hlc,
        };
        let stored = Stored {
            rec: new,
            deleted: old.deleted,
            clocks,
        };
        T::save(&self.tx, &stored)?;
        outbox::append(&self.tx, &change)?;
        Ok(true)
    }

    /// Deletes a record: a tombstone change `{"_deleted": true}`.
    fn tombstone<T: Table>(&mut self, old: Stored<T>) -> Result<()> {
        let hlc = self.clock.tick(self.now);
        let mut fields = feltlogg_core::record::Fields::new();
        fields.insert(DELETED.to_owned(), serde_json::Value::Bool(true));
        let mut clocks = old.clocks;
        clocks.stamp(fields.keys(), hlc);
        let change = Change {
            kind: T::KIND,
            id: old.rec.uuid(),
            fields,
            hlc,
        };
        let stored = Stored {
            rec: old.rec,
            deleted: true,
            clocks,
        };
        T::save(&self.tx, &stored)?;
        outbox::append(&self.tx, &change)?;
        Ok(())
    }

    /// Persists the clock and commits.
    fn commit(self) -> Result<()> {
        meta::save_clock(&self.tx, self.clock.last())?;
        self.tx.commit()?;
        Ok(())
    }
}
