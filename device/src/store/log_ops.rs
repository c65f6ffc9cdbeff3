//! Logging operations: encounters and referrals. Each checks the shift's
//! status (approved is final), the pairing rule and the record's own
//! validation (including the anonymity screen, with the unit's words and
//! the worker's "not a person" confirmations) before anything is written.

use super::error::Result;
use super::shift_ops::status_of;
use super::{Store, member, referral, require};
use feltlogg_core::ids::{EncounterId, ReferralId};
use feltlogg_core::record::{
    Encounter, NotAPerson, Record, RecordKind, Referral, UnixMs, changed_fields, confirmed_in,
    with_confirmed,
};
use feltlogg_core::screen::{Policy, Span};
use feltlogg_core::{Error, ReferralService, ReferralStatus, rules, validate};

/// The confirmations of a record with one free text, `note`, that still
/// match a name in it (see [`validate::kept_confirmations`]).
fn kept(note: Option<&str>, list: &[NotAPerson], policy: &Policy<'_>) -> Vec<NotAPerson> {
    validate::kept_confirmations(&[("note", note)], list, policy)
}

impl Store {
    /// Logs an encounter on a shift. Its id is new (`EncounterId::new()`);
    /// an id already stored is refused by the database. Its
    /// `not_a_person` spans lift the name findings they match exactly
    /// (when the unit allows it); the others are dropped.
    ///
    /// # Errors
    /// [`Error::NeedTwoToLog`] when fewer than two workers are checked in at
    /// its time, [`Error::ShiftLocked`] for an approved shift,
    /// [`Error::PersonalData`] / [`Error::Invalid`] from validation,
    /// [`super::StoreError::NotFound`] for an unknown shift. Nothing is written then.
    pub fn add_encounter(&mut self, mut e: Encounter, now: UnixMs) -> Result<EncounterId> {
        let words = self.screen_policy();
        let policy = words.policy();
        e.not_a_person = kept(e.note.as_deref(), &e.not_a_person, &policy);
        validate::encounter(&e, &policy)?;
        self.check_area("bydel", &e.bydel)?;
        let id = e.id;
        let mut w = self.write(now)?;
        let status = status_of(&w.tx, e.shift_id)?;
        let fields = e.to_fields();
        rules::check_editable(
            status,
            RecordKind::Encounter,
            fields.keys().map(String::as_str),
        )?;
        rules::check_can_log(&member::for_shift(&w.tx, e.shift_id)?, e.at_ms)?;
        w.insert(e)?;
        w.commit()?;
        Ok(id)
    }

    /// Edits an encounter: `updated` is the whole record as it should be,
    /// its `not_a_person` spans meant for its note as it now reads (a span
    /// that no longer matches a name there is dropped). Only the fields
    /// that differ are written and sent. Returns whether anything changed.
    ///
    /// # Errors
    /// [`Error::ShiftLocked`] for an approved shift, [`Error::Invalid`] when
    /// the shift would change, [`Error::NeedTwoToLog`] when a new time falls
    /// where fewer than two were checked in, validation errors,
    /// [`super::StoreError::NotFound`].
    pub fn edit_encounter(&mut self, updated: &Encounter, now: UnixMs) -> Result<bool> {
        let words = self.screen_policy();
        let policy = words.policy();
        let mut updated = updated.clone();
        updated.not_a_person = kept(updated.note.as_deref(), &updated.not_a_person, &policy);
        validate::encounter(&updated, &policy)?;
        self.check_area("bydel", &updated.bydel)?;
        let mut w = self.write(now)?;
        let old = require::<Encounter>(&w.tx, "encounter", updated.id.uuid())?;
        if old.rec.shift_id != updated.shift_id {
            return Err(Error::Invalid {
                field: "shift_id",
                problem: format!(
                    "an encounter cannot move from shift {} to {}; delete it and log it again",
                    old.rec.shift_id, updated.shift_id
                ),
            }
            .into());
        }
        let diff = changed_fields(Some(&old.rec.to_fields()), &updated.to_fields());
        let status = status_of(&w.tx, updated.shift_id)?;
        rules::check_editable(
            status,
            RecordKind::Encounter,
            diff.keys().map(String::as_str),
        )?;
        if old.rec.at_ms != updated.at_ms {
            rules::check_can_log(&member::for_shift(&w.tx, updated.shift_id)?, updated.at_ms)?;
        }
        let changed = w.update(old, updated)?;
        w.commit()?;
        Ok(changed)
    }

    /// Deletes an encounter and its referrals (tombstones, one change each).
    ///
    /// # Errors
    /// [`Error::ShiftLocked`] for an approved shift, [`super::StoreError::NotFound`].
    pub fn delete_encounter(&mut self, id: EncounterId, now: UnixMs) -> Result<()> {
        let mut w = self.write(now)?;
        let old = require::<Encounter>(&w.tx, "encounter", id.uuid())?;
        let status = status_of(&w.tx, old.rec.shift_id)?;
        let deleted = [feltlogg_core::change::DELETED];
        rules::check_editable(status, RecordKind::Encounter, deleted.into_iter())?;
        for r in referral::stored_for_encounter(&w.tx, id)? {
            w.tombstone(r)?;
        }
        w.tombstone(old)?;
        w.commit()
    }

    /// Adds a referral (status `suggested`) to an encounter. Like an
    /// encounter, it needs two workers checked in at `now`.
    ///
    /// # Errors
    /// [`Error::NeedTwoToLog`], [`Error::ShiftLocked`], validation errors for
    /// a screened note, [`super::StoreError::NotFound`] for an unknown encounter.
    pub fn add_referral(
        &mut self,
        encounter: EncounterId,
        service: ReferralService,
        note: Option<&str>,
        now: UnixMs,
    ) -> Result<ReferralId> {
        self.add_referral_confirmed(encounter, service, note, &[], now)
    }

    /// [`Store::add_referral`] with the name spans of `note` the worker
    /// confirmed as "not a person".
    ///
    /// # Errors
    /// As [`Store::add_referral`].
    pub fn add_referral_confirmed(
        &mut self,
        encounter: EncounterId,
        service: ReferralService,
        note: Option<&str>,
        confirmed: &[Span],
        now: UnixMs,
    ) -> Result<ReferralId> {
        let words = self.screen_policy();
        let policy = words.policy();
        let mut w = self.write(now)?;
        let e = require::<Encounter>(&w.tx, "encounter", encounter.uuid())?;
        let r = Referral {
            id: ReferralId::new(),
            encounter_id: encounter,
            shift_id: e.rec.shift_id,
            service,
            status: ReferralStatus::Suggested,
            note: note.map(str::to_owned),
            not_a_person: kept(note, &with_confirmed(&[], "note", confirmed), &policy),
        };
        validate::referral(&r, &policy)?;
        let status = status_of(&w.tx, r.shift_id)?;
        let fields = r.to_fields();
        rules::check_editable(
            status,
            RecordKind::Referral,
            fields.keys().map(String::as_str),
        )?;
        rules::check_can_log(&member::for_shift(&w.tx, r.shift_id)?, now)?;
        let id = r.id;
        w.insert(r)?;
        w.commit()?;
        Ok(id)
    }

    /// Moves a referral on and sets its note (`None` clears it). In an
    /// approved shift only the status may still change.
    ///
    /// # Errors
    /// [`Error::ShiftLocked`] when an approved shift's note would change,
    /// validation errors, [`super::StoreError::NotFound`].
    pub fn update_referral(
        &mut self,
        id: ReferralId,
        status: ReferralStatus,
        note: Option<&str>,
        now: UnixMs,
    ) -> Result<bool> {
        self.update_referral_confirmed(id, status, note, None, now)
    }

    /// [`Store::update_referral`] with the name spans of `note` the worker
    /// confirmed as "not a person" (`None`: those confirmed before stay
    /// while the note is unchanged, and go with a changed note).
    ///
    /// # Errors
    /// As [`Store::update_referral`].
    pub fn update_referral_confirmed(
        &mut self,
        id: ReferralId,
        status: ReferralStatus,
        note: Option<&str>,
        confirmed: Option<&[Span]>,
        now: UnixMs,
    ) -> Result<bool> {
        let words = self.screen_policy();
        let policy = words.policy();
        let mut w = self.write(now)?;
        let old = require::<Referral>(&w.tx, "referral", id.uuid())?;
        let mut new = old.rec.clone();
        new.status = status;
        new.note = note.map(str::to_owned);
        let spans = match confirmed {
            Some(spans) => spans.to_vec(),
            None if new.note == old.rec.note => confirmed_in(&new.not_a_person, "note"),
            None => Vec::new(),
        };
        new.not_a_person = with_confirmed(&new.not_a_person, "note", &spans);
        new.not_a_person = kept(note, &new.not_a_person, &policy);
        validate::referral(&new, &policy)?;
        let diff = changed_fields(Some(&old.rec.to_fields()), &new.to_fields());
        let shift_status = status_of(&w.tx, new.shift_id)?;
        rules::check_editable(
            shift_status,
            RecordKind::Referral,
            diff.keys().map(String::as_str),
        )?;
        let changed = w.update(old, new)?;
        w.commit()?;
        Ok(changed)
    }
}
