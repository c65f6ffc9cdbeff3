//! How the store refuses pulled changes that do not fit what it holds, and
//! keeps each shift's decision comment apart. All data synthetic.

mod common;

use common::*;
use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Record, RecordKind};
use feltlogg_device::store::{RemotePage, Store, StoreError};

fn refused(store: &mut Store, change: feltlogg_core::change::Change) -> StoreError {
    store
        .apply_remote(RemotePage {
            changes: vec![change],
            cursor: Some(5),
            ..RemotePage::default()
        })
        .expect_err("refused")
}

#[test]
fn each_shift_keeps_its_own_decision_comment() {
    let mut f = fixture();
    let (a, b) = (f.start_ab(), ShiftId::new());
    let da = decide(
        a,
        ShiftStatus::Returned,
        T0 + 50_000,
        Some("mangler refleksjon"),
    );
    let db = decide(b, ShiftStatus::Returned, T0 + 60_000, Some("feil bydel"));
    apply(&mut f.store, &[], &[da, db]);
    let comment = |s: ShiftId| f.store.decision_comment(s).expect("comment");
    assert_eq!(comment(a).as_deref(), Some("mangler refleksjon"));
    assert_eq!(comment(b).as_deref(), Some("feil bydel"));
    assert_eq!(comment(ShiftId::new()), None, "no decision, no comment");
}

#[test]
fn an_id_that_names_another_kind_is_refused() {
    let mut f = fixture();
    let id = ShiftId::new();
    // A shift known only in part (its status came first).
    apply(
        &mut f.store,
        &[status_change(id, ShiftStatus::Closed, T0 + 5_000)],
        &[],
    );
    let visit = encounter(f.start_ab(), T0 + 1_000, None);
    let mut fields = visit.to_fields();
    fields.insert("id".into(), serde_json::json!(id.uuid()));
    let err = refused(
        &mut f.store,
        server_change(RecordKind::Encounter, id.uuid(), fields, T0 + 6_000),
    );
    assert!(err.to_string().contains("already names a shift"), "{err}");
    assert_eq!(f.store.pull_cursor().expect("cursor"), 0, "nothing written");
}

#[test]
fn a_change_whose_fields_name_another_id_is_refused() {
    let mut f = fixture();
    let shift = f.start_ab();
    let visit = encounter(shift, T0 + 1_000, None);
    let other = uuid::Uuid::now_v7();
    let err = refused(
        &mut f.store,
        server_change(RecordKind::Encounter, other, visit.to_fields(), T0 + 1_000),
    );
    assert!(
        err.to_string().contains("differs from the change's id"),
        "{err}"
    );
    assert!(f.store.encounter(visit.id).expect("get").is_none());
    assert_eq!(f.store.pull_cursor().expect("cursor"), 0, "nothing written");
}

#[test]
fn a_change_that_breaks_a_stored_record_is_refused() {
    let mut f = fixture();
    let shift = f.start_ab();
    let e = f
        .store
        .add_encounter(encounter(shift, T0 + 100, None), T0 + 100)
        .expect("add");
    let mut fields = feltlogg_core::record::Fields::new();
    fields.insert("youth_count".into(), serde_json::json!("mange"));
    refused(
        &mut f.store,
        server_change(RecordKind::Encounter, e.uuid(), fields, T0 + 10_000),
    );
    let kept = f.store.encounter(e).expect("get").expect("still there");
    assert_eq!(kept.youth_count, 3, "unchanged");
    assert_eq!(f.store.pull_cursor().expect("cursor"), 0, "nothing written");
}
