//! The rules that span records: two workers in the field, one open shift
//! per worker, and the shift life cycle (approved is final). The device
//! calls these before it saves; the server calls them again on merge.

use crate::error::{Error, Result};
use crate::ids::{ShiftId, UserId};
use crate::record::{RecordKind, ShiftMember, UnixMs};
use crate::vocab::ShiftStatus;
use std::collections::BTreeSet;

/// The fewest workers that may be in the field together (Oslostandarden).
pub const MIN_WORKERS: usize = 2;

/// A shift may start only with two or more distinct workers.
///
/// # Errors
/// [`Error::NeedTwoToStart`] with the number of distinct workers given.
pub fn check_start(workers: &[UserId]) -> Result<()> {
    let distinct: BTreeSet<_> = workers.iter().collect();
    if distinct.len() < MIN_WORKERS {
        return Err(Error::NeedTwoToStart {
            found: distinct.len(),
        });
    }
    Ok(())
}

/// Distinct workers checked in at `at`.
pub fn present_at(members: &[ShiftMember], at: UnixMs) -> usize {
    members
        .iter()
        .filter(|m| m.present_at(at))
        .map(|m| m.worker_id)
        .collect::<BTreeSet<_>>()
        .len()
}

/// An encounter or referral may be logged at `at` only while two or more
/// distinct workers are checked in.
///
/// # Errors
/// [`Error::NeedTwoToLog`] with the number checked in at `at`.
pub fn check_can_log(members: &[ShiftMember], at: UnixMs) -> Result<()> {
    let checked_in = present_at(members, at);
    if checked_in < MIN_WORKERS {
        return Err(Error::NeedTwoToLog { checked_in });
    }
    Ok(())
}

/// A worker may check in only if not already checked in on this shift nor
/// on another open shift. `open_elsewhere` is the worker's open shifts where
/// they have not checked out, as the caller's store knows them.
///
/// # Errors
/// [`Error::AlreadyCheckedIn`] or [`Error::AlreadyOnOpenShift`].
pub fn check_can_check_in(
    worker: UserId,
    shift: ShiftId,
    members: &[ShiftMember],
    open_elsewhere: &[ShiftId],
) -> Result<()> {
    if members
        .iter()
        .any(|m| m.worker_id == worker && m.checked_out_ms.is_none())
    {
        return Err(Error::AlreadyCheckedIn {
            worker: worker.to_string(),
        });
    }
    if let Some(other) = open_elsewhere.iter().find(|s| **s != shift) {
        return Err(Error::AlreadyOnOpenShift {
            worker: worker.to_string(),
            shift: other.to_string(),
        });
    }
    Ok(())
}

/// Whether a change to a record of `kind` that writes `fields` may be made
/// in a shift whose status is `status`. Approved is final, with one
/// exception: a referral's status may still move on (suggested → made →
/// followed up), because the follow-up happens after the shift is reviewed.
///
/// # Errors
/// [`Error::ShiftLocked`] when the shift is approved.
pub fn check_editable<'a>(
    status: ShiftStatus,
    kind: RecordKind,
    mut fields: impl Iterator<Item = &'a str>,
) -> Result<()> {
    if status != ShiftStatus::Approved {
        return Ok(());
    }
    let referral_status_only = kind == RecordKind::Referral && fields.all(|f| f == "status");
    if referral_status_only {
        return Ok(());
    }
    Err(Error::ShiftLocked {
        status,
        what: "an approved shift cannot be changed; ask the team lead to return it",
    })
}

/// The shift life cycle: open → closed (workers) → approved or returned
/// (team lead); a returned shift is corrected and closed again.
///
/// # Errors
/// [`Error::BadTransition`] for any other move.
pub fn check_transition(from: ShiftStatus, to: ShiftStatus) -> Result<()> {
    use ShiftStatus::*;
    match (from, to) {
        (Open, Closed) | (Closed, Approved) | (Closed, Returned) | (Returned, Closed) => Ok(()),
        _ => Err(Error::BadTransition { from, to }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MemberId;

    fn member(worker: UserId, shift: ShiftId, inn: UnixMs, out: Option<UnixMs>) -> ShiftMember {
        ShiftMember {
            id: MemberId::new(),
            shift_id: shift,
            worker_id: worker,
            checked_in_ms: inn,
            checked_out_ms: out,
        }
    }

    #[test]
    fn start_needs_two_distinct_workers() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(check_start(&[a]), Err(Error::NeedTwoToStart { found: 1 }));
        assert_eq!(
            check_start(&[a, a]),
            Err(Error::NeedTwoToStart { found: 1 })
        );
        assert!(check_start(&[a, b]).is_ok());
    }

    #[test]
    fn logging_pauses_when_one_leaves() {
        let s = ShiftId::new();
        let (a, b) = (UserId::new(), UserId::new());
        let members = [member(a, s, 0, None), member(b, s, 0, Some(100))];
        assert!(check_can_log(&members, 50).is_ok());
        assert_eq!(
            check_can_log(&members, 100),
            Err(Error::NeedTwoToLog { checked_in: 1 })
        );
    }

    #[test]
    fn same_worker_twice_counts_once() {
        let s = ShiftId::new();
        let a = UserId::new();
        let members = [member(a, s, 0, None), member(a, s, 0, None)];
        assert!(check_can_log(&members, 10).is_err());
    }

    #[test]
    fn check_in_refused_when_on_another_open_shift() {
        let (s, other) = (ShiftId::new(), ShiftId::new());
        let a = UserId::new();
        let err = check_can_check_in(a, s, &[], &[other]).expect_err("refused");
        assert!(matches!(err, Error::AlreadyOnOpenShift { .. }));
        assert!(check_can_check_in(a, s, &[], &[s]).is_ok());
    }

    #[test]
    fn approved_is_final_except_referral_status() {
        let f = ["note"];
        assert!(
            check_editable(ShiftStatus::Approved, RecordKind::Encounter, f.into_iter()).is_err()
        );
        assert!(
            check_editable(
                ShiftStatus::Approved,
                RecordKind::Referral,
                ["status"].into_iter()
            )
            .is_ok()
        );
        assert!(
            check_editable(
                ShiftStatus::Approved,
                RecordKind::Referral,
                ["status", "note"].into_iter()
            )
            .is_err()
        );
        assert!(
            check_editable(ShiftStatus::Returned, RecordKind::Encounter, f.into_iter()).is_ok()
        );
    }

    #[test]
    fn life_cycle() {
        use ShiftStatus::*;
        assert!(check_transition(Open, Closed).is_ok());
        assert!(check_transition(Returned, Closed).is_ok());
        assert!(check_transition(Open, Approved).is_err());
        assert!(check_transition(Approved, Returned).is_err());
    }
}
