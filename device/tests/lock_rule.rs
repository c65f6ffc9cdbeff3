//! The phone's lock rule, held by the store: a pulled change sets a shift
//! approved or returned only with a verified decision on that shift and
//! status applied in the same transaction. All data synthetic.

mod common;

use common::*;
use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Record, RecordKind, Shift};
use feltlogg_device::store::{RemotePage, Store};

fn status(store: &Store, shift: ShiftId) -> Option<ShiftStatus> {
    store.shift(shift).expect("read").map(|s| s.status)
}

/// A closed shift with one encounter, as a team lead would decide on.
fn closed_shift(f: &mut Fixture) -> (ShiftId, feltlogg_core::record::Encounter) {
    let shift = f.start_ab();
    let e = f
        .store
        .add_encounter(encounter(shift, T0 + 100, None), T0 + 100)
        .expect("add");
    f.store.close_shift(shift, None, T0 + 200).expect("close");
    let e = f.store.encounter(e).expect("get").expect("there");
    (shift, e)
}

/// The unsigned-status test: a page that sets a shift approved without a
/// signed decision leaves it unlocked, its encounters still editable.
#[test]
fn an_unsigned_approval_leaves_the_shift_unlocked() {
    let mut f = fixture();
    let (shift, mut e) = closed_shift(&mut f);
    let applied = f
        .store
        .apply_remote(RemotePage {
            changes: vec![status_change(shift, ShiftStatus::Approved, T0 + 60_000)],
            cursor: Some(9),
            ..RemotePage::default()
        })
        .expect("the page applies");
    assert_eq!(
        status(&f.store, shift),
        Some(ShiftStatus::Closed),
        "unlocked"
    );
    assert_eq!(applied.unsigned_dropped, 1);
    assert_eq!(applied.changes, 0, "nothing else was in the change");
    assert_eq!(
        f.store.pull_cursor().expect("cursor"),
        9,
        "the page went in"
    );
    assert!(f.store.held_decisions().expect("held").is_empty());
    e.youth_count = 4;
    assert!(
        f.store
            .edit_encounter(&e, T0 + 70_000)
            .expect("still editable"),
        "unlocked"
    );
}

/// Only a decision on the same shift and the same status backs a status:
/// another shift's approval, or a return, does not approve this one.
#[test]
fn a_decision_backs_only_its_own_shift_and_status() {
    let mut f = fixture();
    let (shift, _) = closed_shift(&mut f);
    let elsewhere = decide(ShiftId::new(), ShiftStatus::Approved, T0 + 60_000, None);
    let returned = decide(shift, ShiftStatus::Returned, T0 + 50_000, Some("mangler"));
    let mut approve = status_change(shift, ShiftStatus::Approved, T0 + 60_000);
    approve
        .fields
        .insert("reflection".into(), serde_json::json!("Rolig"));
    let applied = apply(&mut f.store, &[approve], &[elsewhere, returned]);
    assert_eq!(applied.unsigned_dropped, 1);
    assert_eq!(applied.decisions, 2);
    // The return is applied from its decision; the rest of the change stays.
    assert_eq!(status(&f.store, shift), Some(ShiftStatus::Returned));
    let s = f.store.shift(shift).expect("read").expect("there");
    assert_eq!(s.reflection.as_deref(), Some("Rolig"));
    assert_eq!(
        f.store.decision_comment(shift).expect("comment").as_deref(),
        Some("mangler")
    );
}

/// A verified decision locks the shift, with or without the server's own
/// status change on the page; a later approval clears the return's comment.
#[test]
fn a_verified_decision_locks_with_or_without_its_status_change() {
    let mut f = fixture();
    let (shift, mut e) = closed_shift(&mut f);
    let returned = decide(shift, ShiftStatus::Returned, T0 + 50_000, Some("mangler"));
    let applied = apply(&mut f.store, &[], &[returned]);
    assert_eq!((applied.changes, applied.decisions), (1, 1));
    assert_eq!(status(&f.store, shift), Some(ShiftStatus::Returned));

    let approved = decide(shift, ShiftStatus::Approved, T0 + 60_000, None);
    let change = status_change(shift, ShiftStatus::Approved, T0 + 60_000);
    let applied = apply(&mut f.store, &[change], std::slice::from_ref(&approved));
    assert_eq!(applied.unsigned_dropped, 0);
    assert_eq!(applied.changes, 1, "the server's change, none made up");
    assert_eq!(status(&f.store, shift), Some(ShiftStatus::Approved));
    assert_eq!(f.store.decision_comment(shift).expect("comment"), None);
    assert_eq!(
        f.store.held_decisions().expect("held"),
        vec![approved.signed().clone()]
    );
    e.youth_count = 4;
    assert!(f.store.edit_encounter(&e, T0 + 70_000).is_err(), "locked");
}

/// A whole shift from another phone arriving already approved (the server
/// sends records as they are now) is kept without its status until the
/// decision comes: never shown approved on an unsigned word.
#[test]
fn a_shift_arriving_approved_waits_for_its_decision() {
    let mut f = fixture();
    let other = ShiftId::new();
    let whole = Shift {
        id: other,
        unit_id: f.unit,
        bydel: BYDEL.into(),
        area_note: String::new(),
        started_ms: T0,
        closed_ms: Some(T0 + 1_000),
        status: ShiftStatus::Approved,
        reflection: None,
        not_a_person: Vec::new(),
    };
    let first = server_change(
        RecordKind::Shift,
        other.uuid(),
        whole.to_fields(),
        T0 + 1_000,
    );
    let applied = apply(&mut f.store, &[first], &[]);
    assert_eq!(applied.unsigned_dropped, 1);
    assert_eq!(status(&f.store, other), None, "not whole without a status");
    let approved = decide(other, ShiftStatus::Approved, T0 + 60_000, None);
    apply(&mut f.store, &[], &[approved]);
    assert_eq!(status(&f.store, other), Some(ShiftStatus::Approved));
}

/// A change that sets other statuses (open, closed) needs no decision.
#[test]
fn closing_needs_no_decision() {
    let mut f = fixture();
    let shift = f.start_ab();
    let applied = apply(
        &mut f.store,
        &[status_change(shift, ShiftStatus::Closed, T0 + 60_000)],
        &[],
    );
    assert_eq!(applied.unsigned_dropped, 0);
    assert_eq!(status(&f.store, shift), Some(ShiftStatus::Closed));
}
