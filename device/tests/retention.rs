//! What a phone keeps for a server that goes back to a backup: the sealed
//! batches the server acknowledged (pruned by age and size), the last
//! signed decision per shift, and undoing a decision the server lost.

mod common;

use common::{T0, apply, decide, encounter, fixture};
use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::ShiftId;
use feltlogg_device::store::{Retention, Store, StoreError};

const DAY: i64 = feltlogg_core::time::DAY_MS;

/// Cuts and acks one batch per outbox change; returns the sealed sizes.
fn cut_and_ack(store: &mut Store, fill: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    while let Some(seq) = store
        .cut_batch(1, |b| {
            // A stand-in for the sealed bytes: distinct, of a known size.
            let mut bytes = vec![u8::try_from(b.seq % 251).unwrap_or(0); fill];
            bytes.extend_from_slice(&b.seq.to_be_bytes());
            Ok::<_, StoreError>(bytes)
        })
        .expect("cut")
    {
        store.ack_batch(seq, &[]).expect("ack");
        sizes.push(fill + 8);
    }
    sizes
}

#[test]
fn acked_batches_are_kept_sealed_and_pruned_by_age_and_size() {
    let mut f = fixture();
    let shift = f.start_ab();
    for i in 0..4 {
        f.store
            .add_encounter(encounter(shift, T0 + i, None), T0 + i)
            .expect("add");
    }
    let sizes = cut_and_ack(&mut f.store, 100);
    assert!(sizes.len() >= 5, "{sizes:?}");
    let kept = f.store.acked_batches_after(0).expect("kept");
    assert_eq!(kept.len(), sizes.len(), "every acked batch is kept");
    assert_eq!(f.store.retention().expect("r"), Retention::default());
    let last = f.store.acked_seq().expect("acked");
    assert_eq!(kept.last().map(|(s, _)| *s), Some(last));
    assert_eq!(kept[0].1.len(), 108, "the very bytes");
    assert_eq!(
        f.store.acked_batches_after(last - 2).expect("kept").len(),
        2
    );

    // By size: room for two batches keeps the two newest.
    let two = Retention {
        days: 30,
        max_bytes: 2 * 108,
    };
    f.store.set_retention(two, store_now()).expect("retention");
    let kept: Vec<u64> = seqs(&f.store);
    assert_eq!(kept, vec![last - 1, last]);

    // By age: 31 days later nothing is kept.
    let pruned = f.store.prune_acked(store_now() + 31 * DAY).expect("prune");
    assert_eq!(pruned, 2);
    assert!(seqs(&f.store).is_empty());
    assert_eq!(f.store.retention().expect("r"), two, "the setting persists");
}

fn store_now() -> i64 {
    feltlogg_device::store::now_ms()
}

fn seqs(store: &Store) -> Vec<u64> {
    store
        .acked_batches_after(0)
        .expect("kept")
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

#[test]
fn a_held_decision_is_the_latest_and_undoing_it_reverts_the_status() {
    let mut f = fixture();
    let shift = f.start_ab();
    f.store
        .close_shift(shift, Some("Rolig"), T0 + 60_000)
        .expect("close");
    let returned = decide(shift, ShiftStatus::Returned, T0 + 100_000, Some("mangler"));
    let approved = decide(shift, ShiftStatus::Approved, T0 + 200_000, None);
    f.store.hold_decision(&approved).expect("hold");
    f.store
        .hold_decision(&returned)
        .expect("an older one does not replace it");
    assert_eq!(
        f.store.held_decisions().expect("held"),
        vec![approved.signed().clone()]
    );

    // As a pull applies an approval: the server's status change.
    let mut fields = feltlogg_core::record::Fields::new();
    fields.insert("status".into(), serde_json::json!("approved"));
    let change = feltlogg_core::change::Change {
        kind: feltlogg_core::record::RecordKind::Shift,
        id: shift.0,
        fields,
        hlc: feltlogg_core::hlc::Hlc {
            wall_ms: T0 + 200_000,
            counter: 0,
            device: feltlogg_core::hlc::SERVER_STAMP_DEVICE,
        },
    };
    apply(&mut f.store, &[change], std::slice::from_ref(&approved));
    let status = |s: &Store| s.shift(shift).expect("read").expect("shift").status;
    assert_eq!(status(&f.store), ShiftStatus::Approved);

    // The server holds only the older return: back to it, held in its place.
    assert!(
        f.store
            .undo_decision(shift, Some(&returned))
            .expect("undo to the older decision")
    );
    assert_eq!(status(&f.store), ShiftStatus::Returned);
    assert_eq!(
        f.store.held_decisions().expect("held"),
        vec![returned.signed().clone()]
    );
    assert_eq!(
        f.store.decision_comment(shift).expect("comment").as_deref(),
        Some("mangler")
    );
    // The server holds none: back to closed, nothing held.
    assert!(f.store.undo_decision(shift, None).expect("undo"));
    assert_eq!(status(&f.store), ShiftStatus::Closed);
    assert!(f.store.held_decisions().expect("held").is_empty());
    // A decision on another shift restores nothing.
    let other = decide(ShiftId::new(), ShiftStatus::Approved, T0 + 300_000, None);
    assert!(f.store.undo_decision(shift, Some(&other)).is_err());
    assert_eq!(status(&f.store), ShiftStatus::Closed);
    // A reopened store reads the same.
    drop(f.store);
    let again = feltlogg_device::vault::open_file(&f.path).expect("reopen");
    assert_eq!(status(&again), ShiftStatus::Closed);
}
