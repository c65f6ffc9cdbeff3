//! Merging one change, and the rules the server checks again on the merged
//! result, never trusting the device: the record is in the device's unit,
//! approved shifts are locked, devices only close shifts, the merged record
//! is valid, the worker belongs to the unit and is on no other open shift,
//! and two workers were checked in when an encounter or referral happened.
//! Every rule itself lives in `feltlogg_core`; this module gathers what the
//! server knows and calls it.

use super::cache::BatchCache;
use crate::db::devices::Device;
use crate::db::{records, users};
use crate::error::ApiError;
use feltlogg_core::change::{Change, RecordState};
use feltlogg_core::ids::{ShiftId, UserId};
use feltlogg_core::record::{Encounter, Fields, Record, RecordKind, Referral, Shift, ShiftMember};
use feltlogg_core::screen::Policy;
use feltlogg_core::{Error as CoreError, RefusalCode, ShiftStatus, rules, validate};
use rusqlite::Connection;
use std::borrow::Cow;
use uuid::Uuid;

/// What became of one change.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Merged.
    Merged {
        /// Whether it won any field (only then did the record change, and
        /// only then does it go in the pull log).
        won_any: bool,
    },
    /// Refused with a stable code and a reason.
    Refused {
        /// Stable code, e.g. `shift_locked`.
        code: RefusalCode,
        /// What was wrong, in words.
        reason: String,
    },
}

fn refused(code: RefusalCode, reason: String) -> Outcome {
    Outcome::Refused { code, reason }
}

fn refused_core(e: &CoreError) -> Outcome {
    refused(RefusalCode::of(e), e.to_string())
}

/// Merges `change` (its stamp already clamped) if every rule allows it.
///
/// # Errors
/// Only database failures; a rule violation is an [`Outcome::Refused`].
pub(super) fn merge_one(
    tx: &Connection,
    cache: &mut BatchCache,
    device: &Device,
    change: &Change,
    now_ms: i64,
) -> Result<Outcome, ApiError> {
    if change.hlc.device != device.id {
        return Ok(refused(
            RefusalCode::BadStamp,
            format!(
                "change is stamped by device {}, but device {} sent it; a device stamps only its own changes",
                change.hlc.device, device.id
            ),
        ));
    }
    let stored = records::load(tx, change.kind, change.id)?;
    if let Some(s) = &stored
        && s.unit_id != device.unit_id
    {
        return Ok(wrong_unit(change.id));
    }
    let before = stored.map(|s| s.state);
    let shift_status = match shift_of(tx, cache, device, change, before.as_ref())? {
        Ok(status) => status,
        Err(outcome) => return Ok(outcome),
    };
    if let Err(e) = rules::check_editable(
        shift_status.unwrap_or(ShiftStatus::Open),
        change.kind,
        change.fields.keys().map(String::as_str),
    ) {
        return Ok(refused_core(&e));
    }
    let mut state = before
        .clone()
        .unwrap_or_else(|| RecordState::new(change.kind));
    let won = state.merge(change);
    if won.is_empty() {
        return Ok(Outcome::Merged { won_any: false });
    }
    let merged = Merged {
        change,
        before: before.as_ref(),
        after: &state,
        won: &won,
    };
    let checked = match check_merged(tx, cache, device, &merged)? {
        Ok(checked) => checked,
        Err(outcome) => return Ok(outcome),
    };
    cache.wrote(change.kind);
    let write = records::Write {
        id: change.id,
        unit: device.unit_id,
        state: &state,
        values: &checked.values,
        encounter: checked.encounter.as_ref(),
        existed: before.is_some(),
        origin: Some(device.id),
        now_ms,
    };
    records::write(tx, &mut cache.codes, &write)?;
    Ok(Outcome::Merged { won_any: true })
}

fn wrong_unit(id: Uuid) -> Outcome {
    refused(
        RefusalCode::WrongUnit,
        format!(
            "record {id} belongs to another unit; a device changes only its own unit's records"
        ),
    )
}

/// The status of the shift the change belongs to, as stored before it (the
/// shift itself for a shift change). `Err` carries a refusal: the shift is
/// unknown or in another unit.
fn shift_of(
    tx: &Connection,
    cache: &mut BatchCache,
    device: &Device,
    change: &Change,
    before: Option<&RecordState>,
) -> Result<Result<Option<ShiftStatus>, Outcome>, ApiError> {
    if change.kind == RecordKind::Shift {
        return Ok(Ok(before.and_then(status_of)));
    }
    let shift_id = change
        .fields
        .get("shift_id")
        .or_else(|| before.and_then(|b| b.fields.get("shift_id").map(|s| &s.value)))
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok());
    let Some(shift_id) = shift_id else {
        return Ok(Err(refused(
            RefusalCode::Malformed,
            format!(
                "{} record {} names no shift_id",
                change.kind.as_str(),
                change.id
            ),
        )));
    };
    match cache.shift(tx, shift_id)? {
        None => Ok(Err(refused(
            RefusalCode::ShiftUnknown,
            format!(
                "shift {shift_id} is not known to the server; sync the phone that started it first"
            ),
        ))),
        Some(s) if s.unit_id != device.unit_id => Ok(Err(wrong_unit(shift_id))),
        Some(s) => Ok(Ok(status_of(&s.state))),
    }
}

fn status_of(state: &RecordState) -> Option<ShiftStatus> {
    state
        .fields
        .get("status")
        .and_then(|s| s.value.as_str())
        .and_then(|s| ShiftStatus::parse(s).ok())
}

/// A change merged into its record, before the rules have seen it.
struct Merged<'a> {
    change: &'a Change,
    before: Option<&'a RecordState>,
    after: &'a RecordState,
    won: &'a [String],
}

/// What the rules made of a merged record, for its write: its values and,
/// for an encounter, the typed record, each worked out once.
struct Checked<'a> {
    values: Cow<'a, Fields>,
    encounter: Option<Encounter>,
}

/// The rules on the merged record; `Err` is a refusal.
fn check_merged<'a>(
    tx: &Connection,
    cache: &mut BatchCache,
    device: &Device,
    merged: &Merged<'a>,
) -> Result<Result<Checked<'a>, Outcome>, ApiError> {
    let Merged {
        change,
        before,
        after,
        ..
    } = *merged;
    // A new record (most of a batch) holds exactly the change's fields:
    // read them there rather than copy them out of the merged state.
    let values = match before {
        None => Cow::Borrowed(&change.fields),
        Some(_) => Cow::Owned(after.values()),
    };
    let encounter = match change.kind {
        RecordKind::Encounter => Encounter::from_fields(&values).ok(),
        _ => None,
    };
    // The unit's words and setting: a name finding is lifted only by a
    // word on its list, or by a confirmation of exactly its span in the
    // change when the unit allows them; nothing else ever is.
    let policy = cache.policy(tx, device.unit_id)?.policy();
    if let Err(e) = validate_record(change.kind, &values, encounter.as_ref(), &policy) {
        return Ok(Err(refused_core(&e)));
    }
    let outcome = if after.is_deleted() {
        None
    } else {
        check_live(tx, cache, device, merged, &values, encounter.as_ref())?
    };
    Ok(match outcome {
        Some(refusal) => Err(refusal),
        None => Ok(Checked { values, encounter }),
    })
}

/// [`validate::record`] on an encounter already parsed: the same verdict
/// (a malformed one goes the general way), without parsing it again.
fn validate_record(
    kind: RecordKind,
    values: &Fields,
    encounter: Option<&Encounter>,
    policy: &Policy<'_>,
) -> Result<(), CoreError> {
    match encounter.map(|e| validate::encounter(e, policy)) {
        Some(Err(CoreError::Malformed { .. })) | None => validate::record(kind, values, policy),
        Some(verdict) => verdict,
    }
}

/// The rules on a merged record that is not deleted; `Some` is a refusal.
fn check_live(
    tx: &Connection,
    cache: &mut BatchCache,
    device: &Device,
    merged: &Merged<'_>,
    values: &Fields,
    encounter: Option<&Encounter>,
) -> Result<Option<Outcome>, ApiError> {
    let Merged {
        change,
        before,
        won,
        ..
    } = *merged;
    if let Some(name) = unknown_field(cache, change.kind, values) {
        return Ok(Some(refused(
            RefusalCode::UnknownField,
            format!(
                "{} records have no field {name:?}; update the app",
                change.kind.as_str()
            ),
        )));
    }
    let created = before.is_none();
    let touched = |f: &str| created || won.iter().any(|w| w == f);
    let outcome = match change.kind {
        RecordKind::Shift => check_shift(device, before, values)?,
        RecordKind::ShiftMember => check_member(tx, device, change.id, created, values)?,
        RecordKind::Encounter if touched("at_ms") || touched("shift_id") => {
            // Validated above, so it read as an encounter.
            let e = encounter.ok_or_else(|| {
                ApiError::Internal(format!(
                    "encounter {} validated but did not parse",
                    change.id
                ))
            })?;
            check_pair(tx, cache, e.shift_id.uuid(), e.at_ms)?
        }
        RecordKind::Referral if touched("encounter_id") || touched("shift_id") => {
            let r = Referral::from_fields(values).map_err(|e| ApiError::Internal(e.to_string()))?;
            match records::encounter_time(tx, r.encounter_id.uuid())? {
                Some(at) => check_pair(tx, cache, r.shift_id.uuid(), at)?,
                None => Some(refused(
                    RefusalCode::EncounterUnknown,
                    format!(
                        "encounter {} is not known to the server; sync it first",
                        r.encounter_id
                    ),
                )),
            }
        }
        _ => None,
    };
    Ok(outcome)
}

/// The first field of a record that its kind does not have: the typed
/// record (from core) decides which fields exist. Called only on records
/// that validated, so they read as their typed record.
fn unknown_field(cache: &mut BatchCache, kind: RecordKind, values: &Fields) -> Option<String> {
    let known = cache.known_fields(kind, || {
        match kind {
            RecordKind::Shift => Shift::from_fields(values).map(|r| r.to_fields()),
            RecordKind::ShiftMember => ShiftMember::from_fields(values).map(|r| r.to_fields()),
            RecordKind::Encounter => Encounter::from_fields(values).map(|r| r.to_fields()),
            RecordKind::Referral => Referral::from_fields(values).map(|r| r.to_fields()),
        }
        .ok()
    })?;
    values
        .keys()
        .find(|k| !known.contains(*k) && k.as_str() != feltlogg_core::change::DELETED)
        .cloned()
}

/// A shift stays in the device's unit, and a device may only close it
/// (open → closed, returned → closed); approving and returning are a team
/// lead's, through the server.
fn check_shift(
    device: &Device,
    before: Option<&RecordState>,
    values: &Fields,
) -> Result<Option<Outcome>, ApiError> {
    let shift = Shift::from_fields(values).map_err(|e| ApiError::Internal(e.to_string()))?;
    if shift.unit_id != device.unit_id {
        return Ok(Some(wrong_unit(shift.id.uuid())));
    }
    let from = before.and_then(status_of);
    let to = shift.status;
    let allowed = match from {
        None => matches!(to, ShiftStatus::Open | ShiftStatus::Closed),
        Some(from) if from == to => true,
        Some(from) => to == ShiftStatus::Closed && rules::check_transition(from, to).is_ok(),
    };
    if allowed {
        return Ok(None);
    }
    let e = match from {
        Some(from) => CoreError::BadTransition { from, to },
        None => CoreError::BadTransition {
            from: ShiftStatus::Open,
            to,
        },
    };
    Ok(Some(refused(
        RefusalCode::BadTransition,
        format!("{e}; only a team lead can approve or return a shift"),
    )))
}

/// The worker is an active worker of the unit and, when checking in, not
/// already checked in here or on another open shift.
fn check_member(
    tx: &Connection,
    device: &Device,
    id: Uuid,
    created: bool,
    values: &Fields,
) -> Result<Option<Outcome>, ApiError> {
    let m = ShiftMember::from_fields(values).map_err(|e| ApiError::Internal(e.to_string()))?;
    if !users::is_worker_in(tx, m.worker_id, device.unit_id)? {
        return Ok(Some(refused(
            RefusalCode::UnknownWorker,
            format!(
                "worker {} is not an active worker of this unit; update the directory",
                m.worker_id
            ),
        )));
    }
    if !created || m.checked_out_ms.is_some() {
        return Ok(None);
    }
    let members = records::members_of_shift(tx, m.shift_id.uuid())?;
    let elsewhere: Vec<ShiftId> = records::open_shifts_of_worker(tx, m.worker_id, id)?;
    Ok(check_in(m.worker_id, m.shift_id, &members, &elsewhere).err())
}

fn check_in(
    worker: UserId,
    shift: ShiftId,
    members: &[ShiftMember],
    elsewhere: &[ShiftId],
) -> Result<(), Outcome> {
    rules::check_can_check_in(worker, shift, members, elsewhere).map_err(|e| refused_core(&e))
}

/// Two workers were checked in on the shift at `at`, as the server knows
/// the shift's members.
fn check_pair(
    tx: &Connection,
    cache: &mut BatchCache,
    shift: Uuid,
    at: i64,
) -> Result<Option<Outcome>, ApiError> {
    let members = cache.members(tx, shift)?;
    Ok(rules::check_can_log(members, at)
        .err()
        .map(|e| refused_core(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltlogg_core::ids::{EncounterId, ShiftId};
    use feltlogg_core::{Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Topic};

    fn encounter() -> Encounter {
        Encounter {
            id: EncounterId::new(),
            shift_id: ShiftId::new(),
            at_ms: 1_780_000_000_000,
            bydel: "030102".into(),
            place_type: PlaceType::Park,
            youth_count: 2,
            age_group: AgeGroup::ALL[0],
            gender: Gender::ALL[0],
            contact_kind: ContactKind::Known,
            topics: vec![Topic::School],
            actions: vec![Action::Conversation],
            residence: Residence::ThisBydel,
            note: None,
            not_a_person: Vec::new(),
        }
    }

    /// The merge's validation of an encounter it parsed once gives the
    /// same verdict as core's `validate::record` on the field map, for
    /// valid, invalid, personal-data, malformed and deleted records.
    #[test]
    fn parsed_once_validates_as_core_does() {
        let mut cases: Vec<Fields> = vec![
            encounter().to_fields(),
            Encounter {
                youth_count: 0,
                ..encounter()
            }
            .to_fields(),
            Encounter {
                topics: vec![Topic::School, Topic::School],
                ..encounter()
            }
            .to_fields(),
            Encounter {
                note: Some("Ring meg på 912 34 567".into()),
                ..encounter()
            }
            .to_fields(),
        ];
        let mut malformed = encounter().to_fields();
        malformed.insert("youth_count".into(), serde_json::json!("two"));
        cases.push(malformed.clone());
        malformed.insert(
            feltlogg_core::change::DELETED.into(),
            serde_json::json!(true),
        );
        cases.push(malformed);
        let mut refused = 0;
        for values in &cases {
            let parsed = Encounter::from_fields(values).ok();
            let policy = Policy::default_for_unit();
            let ours = validate_record(RecordKind::Encounter, values, parsed.as_ref(), &policy);
            let core = validate::record(RecordKind::Encounter, values, &policy);
            refused += usize::from(core.is_err());
            assert_eq!(
                ours.map_err(|e| e.to_string()),
                core.map_err(|e| e.to_string()),
                "{values:?}"
            );
        }
        assert!(
            refused >= 4,
            "the cases exercise refusals: {refused} refused"
        );
    }
}
