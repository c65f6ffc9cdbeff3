//! Shift operations: PIN check, start, check-in, check-out, close.

use super::error::{Result, StoreError};
use super::{Store, areas, directory, member, pins, require, shift};
use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::{MemberId, ShiftId, UserId};
use feltlogg_core::record::{RecordKind, Shift, ShiftMember, UnixMs, with_confirmed};
use feltlogg_core::screen::{Policy, Span};
use feltlogg_core::secret::{SecretError, check_pin_format, verify_secret};
use feltlogg_core::{Error, rules, validate};
use std::collections::BTreeSet;

impl Store {
    /// Verifies `worker`'s PIN offline against the directory. After five
    /// wrong PINs in a row further attempts are refused for 30, 60, 120, ...
    /// seconds (at most 15 minutes, [`pins::delay_secs`]); the count survives restarts, and a
    /// right PIN resets it. A malformed PIN is refused without counting.
    ///
    /// # Errors
    /// [`StoreError::PinLocked`] while the delay runs (also on the wrong PIN
    /// that starts it), [`StoreError::Pin`] for a wrong or malformed PIN,
    /// [`StoreError::NotFound`] / [`StoreError::WorkerInactive`] for a worker
    /// who cannot check in here, [`StoreError::NotEnrolled`].
    pub fn verify_pin(&mut self, worker: UserId, pin: &str, now: UnixMs) -> Result<()> {
        self.unit()?;
        let wait_secs = pins::wait_secs(&self.conn, worker, now)?;
        if wait_secs > 0 {
            return Err(StoreError::PinLocked { wait_secs });
        }
        let entry = directory::get(&self.conn, worker)?
            .ok_or_else(|| StoreError::not_found("worker", worker))?;
        if !entry.active {
            return Err(StoreError::WorkerInactive {
                worker: worker.to_string(),
            });
        }
        check_pin_format(pin).map_err(StoreError::Pin)?;
        match verify_secret(pin, &entry.pin_verifier) {
            Ok(()) => {
                pins::reset(&self.conn, worker)?;
                Ok(())
            }
            Err(SecretError::Mismatch) => {
                pins::record_failure(&self.conn, worker, now)?;
                let wait_secs = pins::wait_secs(&self.conn, worker, now)?;
                if wait_secs > 0 {
                    Err(StoreError::PinLocked { wait_secs })
                } else {
                    Err(StoreError::Pin(SecretError::Mismatch))
                }
            }
            Err(other) => Err(StoreError::Pin(other)),
        }
    }

    /// Starts a shift in `bydel` with the workers given (each with their
    /// PIN): one shift record and one member record per worker.
    ///
    /// # Errors
    /// [`Error::NeedTwoToStart`] for fewer than two distinct workers,
    /// [`Error::AlreadyCheckedIn`] for a worker given twice,
    /// [`Error::AlreadyOnOpenShift`], validation errors for the bydel or a
    /// screened area note, PIN errors; nothing is written then.
    pub fn start_shift(
        &mut self,
        bydel: &str,
        area_note: &str,
        workers: &[(UserId, &str)],
        now: UnixMs,
    ) -> Result<ShiftId> {
        self.start_shift_confirmed(bydel, area_note, &[], workers, now)
    }

    /// [`Store::start_shift`] with the name spans of `area_note` the
    /// workers confirmed as "not a person".
    ///
    /// # Errors
    /// As [`Store::start_shift`].
    pub fn start_shift_confirmed(
        &mut self,
        bydel: &str,
        area_note: &str,
        confirmed: &[Span],
        workers: &[(UserId, &str)],
        now: UnixMs,
    ) -> Result<ShiftId> {
        let unit = self.unit()?;
        let words = self.screen_policy();
        let policy = words.policy();
        let ids: Vec<UserId> = workers.iter().map(|(w, _)| *w).collect();
        rules::check_start(&ids)?;
        let mut seen = BTreeSet::new();
        if let Some(dup) = ids.iter().find(|w| !seen.insert(**w)) {
            return Err(Error::AlreadyCheckedIn {
                worker: dup.to_string(),
            }
            .into());
        }
        let mut new = Shift {
            id: ShiftId::new(),
            unit_id: unit,
            bydel: bydel.to_owned(),
            area_note: area_note.to_owned(),
            started_ms: now,
            closed_ms: None,
            status: ShiftStatus::Open,
            reflection: None,
            not_a_person: with_confirmed(&[], "area_note", confirmed),
        };
        new.not_a_person = kept(&new, &policy);
        validate::shift(&new, &policy)?;
        self.check_area("bydel", bydel)?;
        for (worker, pin) in workers {
            self.verify_pin(*worker, pin, now)?;
        }
        let id = new.id;
        let mut w = self.write(now)?;
        let mut members = Vec::with_capacity(ids.len());
        for worker in ids {
            let open = member::open_shifts_of(&w.tx, worker)?;
            rules::check_can_check_in(worker, id, &[], &open)?;
            let m = new_member(id, worker, now);
            validate::member(&m)?;
            members.push(m);
        }
        w.insert(new)?;
        for m in members {
            w.insert(m)?;
        }
        w.commit()?;
        Ok(id)
    }

    /// Checks `worker` in on an open shift, after verifying their PIN.
    ///
    /// # Errors
    /// [`Error::ShiftLocked`] unless the shift is open,
    /// [`Error::AlreadyCheckedIn`], [`Error::AlreadyOnOpenShift`], PIN
    /// errors, [`StoreError::NotFound`] for an unknown shift.
    pub fn check_in(
        &mut self,
        shift: ShiftId,
        worker: UserId,
        pin: &str,
        now: UnixMs,
    ) -> Result<MemberId> {
        self.unit()?;
        let s = require::<Shift>(&self.conn, "shift", shift.uuid())?;
        require_open(s.rec.status)?;
        let members = member::for_shift(&self.conn, shift)?;
        let open = member::open_shifts_of(&self.conn, worker)?;
        // Checked before the PIN too, so a refused check-in costs no attempt.
        rules::check_can_check_in(worker, shift, &members, &open)?;
        self.verify_pin(worker, pin, now)?;
        let m = new_member(shift, worker, now);
        validate::member(&m)?;
        let id = m.id;
        let mut w = self.write(now)?;
        let members = member::for_shift(&w.tx, shift)?;
        let open = member::open_shifts_of(&w.tx, worker)?;
        rules::check_can_check_in(worker, shift, &members, &open)?;
        w.insert(m)?;
        w.commit()?;
        Ok(id)
    }

    /// Checks `worker` out of a shift. Logging pauses when fewer than two
    /// remain.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the worker is not checked in there,
    /// [`Error::ShiftLocked`] for an approved shift.
    pub fn check_out(&mut self, shift: ShiftId, worker: UserId, now: UnixMs) -> Result<()> {
        let mut w = self.write(now)?;
        let s = require::<Shift>(&w.tx, "shift", shift.uuid())?;
        rules::check_editable(
            s.rec.status,
            RecordKind::ShiftMember,
            ["checked_out_ms"].into_iter(),
        )?;
        let stored = member::stored_for_shift(&w.tx, shift)?
            .into_iter()
            .find(|m| m.rec.worker_id == worker && m.rec.checked_out_ms.is_none())
            .ok_or_else(|| StoreError::not_found("checked-in worker", worker))?;
        let mut out = stored.rec.clone();
        out.checked_out_ms = Some(now.max(out.checked_in_ms));
        validate::member(&out)?;
        w.update(stored, out)?;
        w.commit()
    }

    /// Closes a shift (open → closed, or returned → closed after
    /// correction), checking out everyone still in. `reflection`, when
    /// given, replaces the pair's reflection.
    ///
    /// # Errors
    /// [`Error::BadTransition`] from any other status, validation errors
    /// for a screened reflection, [`StoreError::NotFound`].
    pub fn close_shift(
        &mut self,
        shift: ShiftId,
        reflection: Option<&str>,
        now: UnixMs,
    ) -> Result<()> {
        self.close_shift_confirmed(shift, reflection, &[], now)
    }

    /// [`Store::close_shift`] with the name spans of `reflection` the
    /// workers confirmed as "not a person" (a reflection not given keeps
    /// what was confirmed in the one before).
    ///
    /// # Errors
    /// As [`Store::close_shift`].
    pub fn close_shift_confirmed(
        &mut self,
        shift: ShiftId,
        reflection: Option<&str>,
        confirmed: &[Span],
        now: UnixMs,
    ) -> Result<()> {
        let words = self.screen_policy();
        let policy = words.policy();
        let mut w = self.write(now)?;
        let old = require::<Shift>(&w.tx, "shift", shift.uuid())?;
        rules::check_transition(old.rec.status, ShiftStatus::Closed)?;
        let mut new = old.rec.clone();
        new.status = ShiftStatus::Closed;
        let end = now.max(new.started_ms);
        // A corrected shift keeps its first closing time: field hours count
        // the time in the field, not the time of the correction.
        new.closed_ms = new.closed_ms.or(Some(end));
        if let Some(r) = reflection {
            new.reflection = Some(r.to_owned());
            new.not_a_person = with_confirmed(&new.not_a_person, "reflection", confirmed);
        }
        new.not_a_person = kept(&new, &policy);
        validate::shift(&new, &policy)?;
        for m in member::stored_for_shift(&w.tx, shift)? {
            if m.rec.checked_out_ms.is_none() {
                let mut out = m.rec.clone();
                out.checked_out_ms = Some(end.max(out.checked_in_ms));
                validate::member(&out)?;
                w.update(m, out)?;
            }
        }
        w.update(old, new)?;
        w.commit()
    }

    /// Refuses an area code that is not in the area table.
    pub(super) fn check_area(&self, field: &'static str, code: &str) -> Result<()> {
        if areas::exists(&self.conn, code)? {
            return Ok(());
        }
        Err(Error::Invalid {
            field,
            problem: format!(
                "area {code:?} is not in this device's area list; choose one from the list"
            ),
        }
        .into())
    }
}

/// The shift's confirmations that still match a name in its texts.
fn kept(s: &Shift, policy: &Policy<'_>) -> Vec<feltlogg_core::record::NotAPerson> {
    let texts = [
        ("area_note", Some(s.area_note.as_str())),
        ("reflection", s.reflection.as_deref()),
    ];
    validate::kept_confirmations(&texts, &s.not_a_person, policy)
}

fn new_member(shift: ShiftId, worker: UserId, now: UnixMs) -> ShiftMember {
    ShiftMember {
        id: MemberId::new(),
        shift_id: shift,
        worker_id: worker,
        checked_in_ms: now,
        checked_out_ms: None,
    }
}

fn require_open(status: ShiftStatus) -> Result<()> {
    if status == ShiftStatus::Open {
        return Ok(());
    }
    Err(Error::ShiftLocked {
        status,
        what: "only an open shift takes check-ins; start a new shift",
    }
    .into())
}

/// A live shift's status, or [`StoreError::NotFound`].
pub(super) fn status_of(conn: &rusqlite::Connection, id: ShiftId) -> Result<ShiftStatus> {
    shift::get(conn, id)?
        .map(|s| s.status)
        .ok_or_else(|| StoreError::not_found("shift", id))
}
