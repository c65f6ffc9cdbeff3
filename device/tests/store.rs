//! The device store against a real SQLite file in a temp dir: the pairing
//! rule, PINs and their growing delay, the anonymity screen, one outbox
//! change per changed record, approved shifts and pulled changes. All data
//! is synthetic.

mod common;

use common::*;
use feltlogg_core::change::Change;
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{ShiftId, UserId};
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_core::secret::SecretError;
use feltlogg_core::{Error, ReferralService, ReferralStatus, ShiftStatus};
use feltlogg_device::store::{RemotePage, StoreError};

#[test]
fn not_enrolled_store_refuses_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = feltlogg_device::vault::open_file(&dir.path().join("x.db")).expect("open");
    let err = store
        .start_shift(
            BYDEL,
            "",
            &[(UserId::new(), PIN_A), (UserId::new(), PIN_B)],
            T0,
        )
        .expect_err("not enrolled");
    assert!(matches!(err, StoreError::NotEnrolled), "{err:?}");
    let json = serde_json::to_value(&err).expect("serialise");
    assert_eq!(json["kind"], "not_enrolled");
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("enrol"))
    );
    assert_eq!(
        store.areas().expect("areas").len(),
        17,
        "oslo bydeler seeded"
    );
}

#[test]
fn shift_needs_two_distinct_workers() {
    let mut f = fixture();
    let one = f
        .store
        .start_shift(BYDEL, "", &[(f.a, PIN_A)], T0)
        .expect_err("one");
    assert_eq!(rule(one), Error::NeedTwoToStart { found: 1 });
    let same = f
        .store
        .start_shift(BYDEL, "", &[(f.a, PIN_A), (f.a, PIN_A)], T0)
        .expect_err("same twice");
    assert_eq!(rule(same), Error::NeedTwoToStart { found: 1 });
    let dup = f
        .store
        .start_shift(BYDEL, "", &[(f.a, PIN_A), (f.b, PIN_B), (f.a, PIN_A)], T0)
        .expect_err("one worker listed twice");
    assert!(matches!(rule(dup), Error::AlreadyCheckedIn { .. }));
    assert_eq!(f.pending(), 0);
    assert!(f.store.list_shifts_today(T0).expect("list").is_empty());
}

#[test]
fn wrong_pin_refuses_the_shift_and_writes_nothing() {
    let mut f = fixture();
    let err = f
        .store
        .start_shift(BYDEL, "", &[(f.a, PIN_A), (f.b, "999999")], T0)
        .expect_err("wrong pin");
    assert!(
        matches!(err, StoreError::Pin(SecretError::Mismatch)),
        "{err:?}"
    );
    assert_eq!(err.kind(), "pin");
    assert_eq!(f.pending(), 0);
    assert!(f.store.list_shifts_today(T0).expect("list").is_empty());
    assert!(f.store.open_shift().expect("open shift").is_none());
}

#[test]
fn wrong_pins_bring_a_growing_delay_that_survives_restart() {
    let mut f = fixture();
    let a = f.a;
    for _ in 0..4 {
        let e = f.store.verify_pin(a, "000000", T0).expect_err("wrong");
        assert!(matches!(e, StoreError::Pin(SecretError::Mismatch)), "{e:?}");
    }
    // The fifth wrong PIN starts the delay: 30 s.
    let e = f.store.verify_pin(a, "000000", T0).expect_err("wrong");
    assert!(
        matches!(e, StoreError::PinLocked { wait_secs: 30 }),
        "{e:?}"
    );
    // Even the right PIN is refused while it runs, and the message says how long.
    let e = f.store.verify_pin(a, PIN_A, T0 + 500).expect_err("locked");
    assert!(
        matches!(e, StoreError::PinLocked { wait_secs: 30 }),
        "{e:?}"
    );
    assert!(e.to_string().contains("wait 30 s"), "{e}");
    // After it: a sixth wrong PIN doubles it, a seventh doubles again.
    let e = f
        .store
        .verify_pin(a, "000000", T0 + 30_000)
        .expect_err("wrong");
    assert!(
        matches!(e, StoreError::PinLocked { wait_secs: 60 }),
        "{e:?}"
    );
    let e = f
        .store
        .verify_pin(a, "000000", T0 + 90_000)
        .expect_err("wrong");
    assert!(
        matches!(e, StoreError::PinLocked { wait_secs: 120 }),
        "{e:?}"
    );
    // Another worker is not affected.
    f.store
        .verify_pin(f.b, PIN_B, T0 + 90_000)
        .expect("other worker");
    // The count survives a restart.
    let path = f.path.clone();
    drop(std::mem::replace(
        &mut f.store,
        feltlogg_device::vault::open_file(&path).expect("reopen"),
    ));
    let e = f
        .store
        .verify_pin(a, PIN_A, T0 + 150_000)
        .expect_err("still locked");
    assert!(
        matches!(e, StoreError::PinLocked { wait_secs: 60 }),
        "{e:?}"
    );
    // The right PIN after the delay resets the count.
    f.store
        .verify_pin(a, PIN_A, T0 + 210_000)
        .expect("right pin after delay");
    let e = f
        .store
        .verify_pin(a, "000000", T0 + 210_000)
        .expect_err("wrong");
    assert!(matches!(e, StoreError::Pin(SecretError::Mismatch)), "{e:?}");
    // A malformed PIN is refused without counting as a guess.
    let e = f
        .store
        .verify_pin(a, "12", T0 + 210_000)
        .expect_err("format");
    assert!(
        matches!(e, StoreError::Pin(SecretError::PinFormat { len: 2 })),
        "{e:?}"
    );
}

#[test]
fn encounter_needs_two_checked_in() {
    let mut f = fixture();
    let shift = f.start_ab();
    f.store.check_out(shift, f.b, T0 + 1_000).expect("b leaves");
    let before = f.pending();
    let err = f
        .store
        .add_encounter(encounter(shift, T0 + 2_000, None), T0 + 2_000)
        .expect_err("only one in");
    assert_eq!(rule(err), Error::NeedTwoToLog { checked_in: 1 });
    assert_eq!(f.pending(), before);
    assert_eq!(f.store.encounter_count().expect("count"), 0);
    f.store
        .check_in(shift, f.c, PIN_C, T0 + 3_000)
        .expect("c joins");
    f.store
        .add_encounter(encounter(shift, T0 + 4_000, None), T0 + 4_000)
        .expect("two in again");
    assert_eq!(f.store.list_encounters(shift).expect("list").len(), 1);
}

#[test]
fn worker_cannot_be_on_two_open_shifts() {
    let mut f = fixture();
    let first = f.start_ab();
    let err = f
        .store
        .start_shift(BYDEL, "", &[(f.a, PIN_A), (f.c, PIN_C)], T0 + 10)
        .expect_err("a already out");
    assert!(matches!(rule(err), Error::AlreadyOnOpenShift { .. }));
    let err = f
        .store
        .check_in(first, f.a, PIN_A, T0 + 20)
        .expect_err("twice");
    assert!(matches!(rule(err), Error::AlreadyCheckedIn { .. }));
    f.store.close_shift(first, None, T0 + 30).expect("close");
    f.store
        .start_shift(BYDEL, "", &[(f.a, PIN_A), (f.c, PIN_C)], T0 + 40)
        .expect("free again after close");
}

#[test]
fn fodselsnummer_in_a_note_is_refused_and_nothing_written() {
    let mut f = fixture();
    let shift = f.start_ab();
    let fnr = (100..999)
        .find_map(|i| fodselsnummer(&format!("010190{i}")))
        .expect("a valid synthetic number");
    let before = f.pending();
    let note = format!("ungdommen oppga {fnr} til oss");
    let err = f
        .store
        .add_encounter(encounter(shift, T0 + 1_000, Some(&note)), T0 + 1_000)
        .expect_err("personal data");
    assert!(matches!(
        rule(err),
        Error::PersonalData { field: "note", .. }
    ));
    assert_eq!(f.pending(), before);
    assert_eq!(f.store.encounter_count().expect("count"), 0);

    // Eleven digits whose check digits do not add up are not a fødselsnummer.
    let last = fnr
        .chars()
        .last()
        .and_then(|c| c.to_digit(10))
        .expect("digit");
    let bad = format!("{}{}", &fnr[..10], (last + 1) % 10);
    let note = format!("saksnummer {bad}");
    f.store
        .add_encounter(encounter(shift, T0 + 2_000, Some(&note)), T0 + 2_000)
        .expect("bad check digits are accepted");
    assert_eq!(f.pending(), before + 1);
}

#[test]
fn every_operation_leaves_one_outbox_change_per_changed_record() {
    let mut f = fixture();
    let mut expect = 0;
    let shift = f.start_ab();
    expect += 3; // shift + two members
    assert_eq!(f.pending(), expect, "start_shift");
    f.store
        .check_in(shift, f.c, PIN_C, T0 + 100)
        .expect("check in");
    expect += 1;
    assert_eq!(f.pending(), expect, "check_in");
    let e = f
        .store
        .add_encounter(encounter(shift, T0 + 200, None), T0 + 200)
        .expect("add");
    expect += 1;
    assert_eq!(f.pending(), expect, "add_encounter");
    let mut edited = f.store.encounter(e).expect("get").expect("there");
    edited.note = Some("trengte hjelp med buss".into());
    assert!(f.store.edit_encounter(&edited, T0 + 300).expect("edit"));
    expect += 1;
    assert_eq!(f.pending(), expect, "edit_encounter");
    let change = last_change(&f.store);
    assert_eq!(
        change.fields.keys().collect::<Vec<_>>(),
        ["not_a_person", "note"],
        "only the changed field, with the text's confirmations (one stamp for both)"
    );
    assert!(
        !f.store
            .edit_encounter(&edited, T0 + 310)
            .expect("no-op edit")
    );
    assert_eq!(f.pending(), expect, "unchanged edit writes nothing");
    let r = f
        .store
        .add_referral(e, ReferralService::ALL[0], None, T0 + 400)
        .expect("referral");
    expect += 1;
    assert_eq!(f.pending(), expect, "add_referral");
    f.store
        .update_referral(r, ReferralStatus::Made, None, T0 + 500)
        .expect("update");
    expect += 1;
    assert_eq!(f.pending(), expect, "update_referral");
    f.store.delete_encounter(e, T0 + 600).expect("delete");
    expect += 2; // the encounter and its referral
    assert_eq!(f.pending(), expect, "delete_encounter");
    assert!(last_change(&f.store).is_delete());
    assert!(f.store.list_encounters(shift).expect("list").is_empty());
    f.store.check_out(shift, f.a, T0 + 700).expect("check out");
    expect += 1;
    assert_eq!(f.pending(), expect, "check_out");
    f.store
        .close_shift(shift, Some("god kveld, følg opp parken"), T0 + 800)
        .expect("close");
    expect += 3; // the shift and the two still checked in
    assert_eq!(f.pending(), expect, "close_shift");
    assert!(
        f.store
            .shift_members(shift)
            .expect("members")
            .iter()
            .all(|m| m.checked_out_ms.is_some())
    );

    // The sync client's view: in order, then removed after an ack.
    let batch = f.store.outbox_batch(5).expect("batch");
    assert_eq!(batch.len(), 5);
    assert!(
        batch
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1.hlc < w[1].1.hlc)
    );
    assert_eq!(batch[0].1.kind, RecordKind::Shift);
    let removed = f.store.remove_outbox_through(batch[4].0).expect("remove");
    assert_eq!(removed, 5);
    assert_eq!(f.pending(), expect - 5);
}

#[test]
fn approved_shift_refuses_edits() {
    let mut f = fixture();
    let shift = f.start_ab();
    let e = f
        .store
        .add_encounter(encounter(shift, T0 + 100, None), T0 + 100)
        .expect("add");
    let r = f
        .store
        .add_referral(e, ReferralService::ALL[1], Some("avtalt time"), T0 + 150)
        .expect("referral");
    f.store.close_shift(shift, None, T0 + 200).expect("close");
    let before = f.pending();
    let approval = decide(shift, ShiftStatus::Approved, T0 + 60_000, None);
    let applied = apply(
        &mut f.store,
        &[status_change(shift, ShiftStatus::Approved, T0 + 60_000)],
        &[approval],
    );
    assert_eq!(applied.unsigned_dropped, 0, "a signed approval");
    assert_eq!(f.pending(), before, "a pulled change is not pushed back");
    let s = f.store.shift(shift).expect("get").expect("there");
    assert_eq!(s.status, ShiftStatus::Approved);

    let mut edited = f.store.encounter(e).expect("get").expect("there");
    edited.youth_count = 4;
    let err = f
        .store
        .edit_encounter(&edited, T0 + 70_000)
        .expect_err("locked");
    assert!(
        err.to_string().contains("approved shift cannot be changed"),
        "{err}"
    );
    assert!(matches!(
        rule(err),
        Error::ShiftLocked {
            status: ShiftStatus::Approved,
            ..
        }
    ));
    assert!(f.store.delete_encounter(e, T0 + 70_000).is_err());
    assert!(
        f.store
            .add_encounter(encounter(shift, T0 + 100, None), T0 + 70_000)
            .is_err()
    );
    assert!(
        f.store
            .update_referral(r, ReferralStatus::Made, Some("ny tekst"), T0 + 70_000)
            .is_err()
    );
    assert!(f.store.close_shift(shift, None, T0 + 70_000).is_err());
    assert_eq!(f.pending(), before);
    // A referral's status still moves on after approval (the follow-up comes later).
    f.store
        .update_referral(
            r,
            ReferralStatus::FollowedUp,
            Some("avtalt time"),
            T0 + 80_000,
        )
        .expect("status only");
    assert_eq!(f.pending(), before + 1);

    // Returned: correctable again.
    let returned = decide(shift, ShiftStatus::Returned, T0 + 90_000, Some("mangler"));
    apply(
        &mut f.store,
        &[status_change(shift, ShiftStatus::Returned, T0 + 90_000)],
        &[returned],
    );
    assert!(f.store.edit_encounter(&edited, T0 + 95_000).expect("edit"));
    f.store
        .close_shift(shift, None, T0 + 96_000)
        .expect("close again");
}

#[test]
fn pulled_changes_merge_field_by_field() {
    let mut f = fixture();
    let shift = f.start_ab();
    let e = f
        .store
        .add_encounter(encounter(shift, T0 + 100, Some("første")), T0 + 100)
        .expect("add");
    // An older remote write loses to the local one, a newer one wins.
    let mut note = Fields::new();
    note.insert("note".into(), serde_json::json!("eldre"));
    apply(
        &mut f.store,
        &[server_change(
            RecordKind::Encounter,
            e.uuid(),
            note.clone(),
            T0 + 50,
        )],
        &[],
    );
    let got = f.store.encounter(e).expect("get").expect("there");
    assert_eq!(got.note.as_deref(), Some("første"));
    note.insert("note".into(), serde_json::json!("nyere"));
    let newer = server_change(RecordKind::Encounter, e.uuid(), note, T0 + 10_000);
    apply(&mut f.store, std::slice::from_ref(&newer), &[]);
    apply(&mut f.store, std::slice::from_ref(&newer), &[]);
    let got = f.store.encounter(e).expect("get").expect("there");
    assert_eq!(got.note.as_deref(), Some("nyere"));
    assert_eq!(got.youth_count, 3, "other fields untouched");

    // A local edit after the pull orders after the pulled stamp, even with
    // the device's wall clock behind.
    let mut edited = got.clone();
    edited.youth_count = 5;
    f.store.edit_encounter(&edited, T0 + 200).expect("edit");
    assert!(last_change(&f.store).hlc > newer.hlc);

    // A record from another device, its status arriving before its creation.
    let other = ShiftId::new();
    apply(
        &mut f.store,
        &[status_change(other, ShiftStatus::Closed, T0 + 5_000)],
        &[],
    );
    assert!(
        f.store.shift(other).expect("get").is_none(),
        "not whole yet"
    );
    let whole = feltlogg_core::record::Shift {
        id: other,
        unit_id: f.unit,
        bydel: BYDEL.into(),
        area_note: String::new(),
        started_ms: T0,
        closed_ms: None,
        status: ShiftStatus::Open,
        reflection: None,
        not_a_person: Vec::new(),
    };
    use feltlogg_core::record::Record;
    apply(
        &mut f.store,
        &[server_change(
            RecordKind::Shift,
            other.uuid(),
            whole.to_fields(),
            T0 + 1_000,
        )],
        &[],
    );
    let got = f.store.shift(other).expect("get").expect("whole now");
    assert_eq!(
        got.status,
        ShiftStatus::Closed,
        "the later status stamp wins"
    );

    // A pulled tombstone deletes.
    let mut del = Fields::new();
    del.insert("_deleted".into(), serde_json::json!(true));
    f.store
        .apply_remote(RemotePage {
            changes: vec![server_change(
                RecordKind::Encounter,
                e.uuid(),
                del,
                T0 + 20_000,
            )],
            cursor: Some(42),
            ..RemotePage::default()
        })
        .expect("tombstone");
    assert!(f.store.encounter(e).expect("get").is_none());
    assert_eq!(f.store.pull_cursor().expect("cursor"), 42);
}

#[test]
fn clock_resumes_after_restart() {
    let mut f = fixture();
    let shift = f.start_ab();
    let before = last_change(&f.store).hlc;
    let path = f.path.clone();
    drop(f.store);
    let mut store = feltlogg_device::vault::open_file(&path).expect("reopen");
    // The wall clock went back an hour: the stamp still moves forward.
    store
        .add_encounter(encounter(shift, T0 + 1, None), T0 - 3_600_000)
        .expect("add");
    assert!(last_change(&store).hlc > before);
}

/// The phone's clock ran ahead: the server clamped the stamp of its note
/// and sent the change back. The phone takes the clamped stamp, so another
/// phone's note stamped between the two wins here as it did on the server.
#[test]
fn a_clamped_echo_of_our_own_write_lowers_its_stamp() {
    let mut f = fixture();
    let shift = f.start_ab();
    let e = f
        .store
        .add_encounter(encounter(shift, T0 + 100, Some("vår")), T0 + 100)
        .expect("add");
    let ours = last_change(&f.store);
    let minute = 60_000;
    let echo = Change {
        hlc: Hlc {
            wall_ms: ours.hlc.wall_ms - 5 * minute,
            ..ours.hlc
        },
        ..ours.clone()
    };
    apply(&mut f.store, std::slice::from_ref(&echo), &[]);
    let mut note = Fields::new();
    note.insert("note".into(), serde_json::json!("deres"));
    let between = server_change(
        RecordKind::Encounter,
        e.uuid(),
        note,
        ours.hlc.wall_ms - 2 * minute,
    );
    apply(&mut f.store, std::slice::from_ref(&between), &[]);
    let got = f.store.encounter(e).expect("get").expect("there");
    assert_eq!(got.note.as_deref(), Some("deres"), "as on the server");
    assert_eq!(got.youth_count, 3, "untouched fields stay");
}
