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

/// Whether the workers' screens offer edits to a shift in `status`: open
/// and returned (being corrected) shifts. A closed shift waits for the team
/// lead and is shown read-only, though [`check_editable`] still accepts a
/// change to it (a partner phone may sync what it logged before the close);
/// an approved shift is locked.
pub fn offers_edits(status: ShiftStatus) -> bool {
    matches!(status, ShiftStatus::Open | ShiftStatus::Returned)
}

/// One member's time in the field, in ms: from check-in to check-out (to
/// `shift_end` while still checked in), clamped to the shift's own
/// `[shift_start, shift_end]`, never negative. The phone's summary and the
/// export count field time with this one function.
pub fn member_field_ms(
    shift_start: UnixMs,
    shift_end: UnixMs,
    checked_in: UnixMs,
    checked_out: Option<UnixMs>,
) -> i64 {
    let from = checked_in.max(shift_start);
    let to = checked_out.unwrap_or(shift_end).min(shift_end);
    (to - from).max(0)
}

/// A shift's field time, in hours: the sum of its members' [`member_field_ms`].
pub fn field_hours(shift_start: UnixMs, shift_end: UnixMs, members: &[ShiftMember]) -> f64 {
    let ms: i64 = members
        .iter()
        .map(|m| member_field_ms(shift_start, shift_end, m.checked_in_ms, m.checked_out_ms))
        .sum();
    #[allow(clippy::cast_precision_loss)] // hours, shown to one decimal
    let hours = ms as f64 / crate::time::HOUR_MS as f64;
    hours
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
    fn check_in_refused_only_for_the_same_worker_still_checked_in() {
        let s = ShiftId::new();
        let (a, b) = (UserId::new(), UserId::new());
        let a_in = [member(a, s, 0, None)];
        assert_eq!(
            check_can_check_in(a, s, &a_in, &[]),
            Err(Error::AlreadyCheckedIn {
                worker: a.to_string()
            })
        );
        // Another worker checked in does not stop this one.
        assert!(check_can_check_in(b, s, &a_in, &[]).is_ok());
        // Checked out earlier, the same worker may check in again.
        assert!(check_can_check_in(a, s, &[member(a, s, 0, Some(10))], &[]).is_ok());
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
        // Only a referral's status moves on: another kind's "status" is locked.
        assert!(
            check_editable(
                ShiftStatus::Approved,
                RecordKind::Encounter,
                ["status"].into_iter()
            )
            .is_err()
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

    #[test]
    fn field_time_is_clamped_to_the_shift() {
        let (start, end) = (1_000, 1_000 + 3_600_000);
        // Checked in before the start, still in at the end: the whole shift.
        assert_eq!(member_field_ms(start, end, 0, None), 3_600_000);
        // Checked out after the end counts to the end.
        assert_eq!(member_field_ms(start, end, start, Some(end + 5)), 3_600_000);
        // Out before in (a clock step back) counts nothing.
        assert_eq!(member_field_ms(start, end, 5_000, Some(4_000)), 0);
        let (a, b, s) = (UserId::new(), UserId::new(), ShiftId::new());
        let members = [
            member(a, s, start, Some(start + 1_800_000)),
            member(b, s, start, None),
        ];
        assert!((field_hours(start, end, &members) - 1.5).abs() < 1e-9);
    }

    #[test]
    fn screens_offer_edits_only_where_the_rules_accept_them() {
        for status in ShiftStatus::ALL {
            if offers_edits(*status) {
                let ok = check_editable(*status, RecordKind::Encounter, ["note"].into_iter());
                assert!(ok.is_ok(), "{status}");
            }
        }
        assert!(!offers_edits(ShiftStatus::Closed) && !offers_edits(ShiftStatus::Approved));
        assert!(offers_edits(ShiftStatus::Open) && offers_edits(ShiftStatus::Returned));
    }
}
