//! Property tests of the field-level last-writer-wins merge: any order,
//! any duplication and any grouping of the same changes give the same
//! merged state. That is what lets phones deliver batches late, twice and
//! out of order (DOMAIN.md rule 5).

use feltlogg_core::change::{Change, DELETED, MergedSet};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::DeviceId;
use feltlogg_core::record::{Fields, RecordKind};
use proptest::prelude::*;
use uuid::Uuid;

/// A few records, each with a fixed kind, so that changes collide often.
const RECORDS: [(u128, RecordKind); 3] = [
    (1, RecordKind::Shift),
    (2, RecordKind::Encounter),
    (3, RecordKind::Referral),
];
const FIELD_NAMES: [&str; 4] = ["note", "youth_count", "status", DELETED];

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        (-3i64..=3).prop_map(serde_json::Value::from),
        "[a-c]{0,2}".prop_map(serde_json::Value::from),
    ]
}

/// Stamps from a small space (two or three devices, few millis, few
/// counters) so equal wall times and even equal stamps occur.
fn hlc(devices: usize) -> impl Strategy<Value = Hlc> {
    (0i64..4, 0u32..3, 0..devices).prop_map(|(wall_ms, counter, d)| Hlc {
        wall_ms,
        counter,
        device: DeviceId(Uuid::from_u128(100 + d as u128)),
    })
}

fn change(devices: usize) -> impl Strategy<Value = Change> {
    let fields = prop::collection::btree_map(
        prop::sample::select(FIELD_NAMES.to_vec()).prop_map(str::to_owned),
        json_value(),
        1..=3,
    )
    .prop_map(|m| m.into_iter().collect::<Fields>());
    let tombstone = any::<bool>();
    (
        prop::sample::select(RECORDS.to_vec()),
        fields,
        tombstone,
        hlc(devices),
    )
        .prop_map(|((id, kind), mut fields, tombstone, hlc)| {
            if tombstone {
                fields.insert(DELETED.into(), serde_json::Value::Bool(true));
            }
            Change {
                kind,
                id: Uuid::from_u128(id),
                fields,
                hlc,
            }
        })
}

fn changes() -> impl Strategy<Value = Vec<Change>> {
    (2usize..=3).prop_flat_map(|devices| prop::collection::vec(change(devices), 0..24))
}

fn merged<'a>(changes: impl IntoIterator<Item = &'a Change>) -> MergedSet {
    let mut set = MergedSet::default();
    for c in changes {
        set.apply(c).expect("ids keep one kind");
    }
    set
}

/// Merges set `other` into `into`, each field as the change that won it:
/// merging two replicas' states.
fn merge_sets(into: &mut MergedSet, other: &MergedSet) {
    for (id, state) in &other.records {
        for (name, stamped) in &state.fields {
            let change = Change {
                kind: state.kind,
                id: *id,
                fields: Fields::from([(name.clone(), stamped.value.clone())]),
                hlc: stamped.hlc,
            };
            into.apply(&change).expect("ids keep one kind");
        }
    }
}

/// Merges set `other` into `into` as the server's pull sends records:
/// each record as its `RecordState::as_changes`.
fn merge_sets_as_pulled(into: &mut MergedSet, other: &MergedSet) {
    for (id, state) in &other.records {
        for change in state.as_changes(*id) {
            into.apply(&change).expect("ids keep one kind");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_order_and_duplication_gives_the_same_state(
        (original, shuffled, dups) in changes().prop_flat_map(|cs| {
            let n = cs.len();
            (
                Just(cs.clone()),
                Just(cs).prop_shuffle(),
                prop::collection::vec((0..n.max(1), 0..=n), 0..10),
            )
        })
    ) {
        let expected = merged(&original);
        let mut delivered = shuffled.clone();
        for (which, at) in dups {
            if let Some(c) = shuffled.get(which) {
                delivered.insert(at.min(delivered.len()), c.clone());
            }
        }
        prop_assert_eq!(merged(&delivered), expected.clone());
        // Delivering everything again changes nothing.
        let mut twice = expected.clone();
        for c in &shuffled {
            twice.apply(c).expect("ids keep one kind");
        }
        prop_assert_eq!(twice, expected);
    }

    #[test]
    fn any_grouping_gives_the_same_state(
        (cs, i, j) in changes().prop_flat_map(|cs| {
            let n = cs.len();
            (Just(cs), 0..=n, 0..=n)
        })
    ) {
        let (i, j) = (i.min(j), i.max(j));
        let (a, b, c) = (merged(&cs[..i]), merged(&cs[i..j]), merged(&cs[j..]));
        let sequential = merged(&cs);

        // (a · b) · c
        let mut left = a.clone();
        merge_sets(&mut left, &b);
        merge_sets(&mut left, &c);
        // a · (b · c)
        let mut bc = b.clone();
        merge_sets(&mut bc, &c);
        let mut right = a.clone();
        merge_sets(&mut right, &bc);
        // (c · b) · a: grouping and order both changed
        let mut reversed = c.clone();
        merge_sets(&mut reversed, &b);
        merge_sets(&mut reversed, &a);

        prop_assert_eq!(&left, &sequential);
        prop_assert_eq!(&right, &sequential);
        prop_assert_eq!(&reversed, &sequential);
    }

    /// A replica that receives other replicas' records as pulled (the
    /// record's state, one change per stamp) ends where one that received
    /// every change ends: pulling the current record instead of the log of
    /// changes loses nothing.
    #[test]
    fn records_as_pulled_merge_as_their_changes(
        (cs, i) in changes().prop_flat_map(|cs| {
            let n = cs.len();
            (Just(cs), 0..=n)
        })
    ) {
        let (mine, theirs) = (merged(&cs[..i]), merged(&cs[i..]));
        let mut pulled = mine.clone();
        merge_sets_as_pulled(&mut pulled, &theirs);
        prop_assert_eq!(&pulled, &merged(&cs));
        for (id, state) in &theirs.records {
            let sent = state.as_changes(*id);
            let stamps: std::collections::BTreeSet<_> =
                state.fields.values().map(|s| s.hlc).collect();
            prop_assert_eq!(sent.len(), stamps.len(), "one change per stamp");
            prop_assert!(sent.iter().all(|c| c.id == *id && c.kind == state.kind));
        }
    }

    #[test]
    fn tombstone_wins_only_by_its_stamp(cs in changes()) {
        let set = merged(&cs);
        for (id, state) in &set.records {
            let last_delete = cs
                .iter()
                .filter(|c| c.id == *id && c.fields.contains_key(DELETED))
                .map(|c| c.hlc)
                .max();
            let deleted_stamp = state.fields.get(DELETED).map(|s| s.hlc);
            prop_assert_eq!(deleted_stamp, last_delete);
        }
    }
}

/// A phone with a fast clock: the server clamps its stamp and sends the
/// change back; a second phone then writes between the clamped and the
/// original stamp. The server and the fast phone must agree.
#[test]
fn a_clamped_stamp_is_adopted_so_a_later_write_wins_everywhere() {
    use feltlogg_core::change::RecordState;
    let (fast, other) = (DeviceId(Uuid::from_u128(1)), DeviceId(Uuid::from_u128(2)));
    let now = 1_800_000_000_000;
    let minute = 60_000;
    let write = |value: &str, hlc: Hlc| Change {
        kind: RecordKind::Encounter,
        id: Uuid::from_u128(9),
        fields: Fields::from([("note".to_owned(), serde_json::Value::from(value))]),
        hlc,
    };
    let original = write(
        "fra A",
        Hlc {
            wall_ms: now + 10 * minute,
            counter: 0,
            device: fast,
        },
    );
    let (clamped, was_clamped) = original.hlc.clamp_to(now);
    assert!(was_clamped);
    let echo = Change {
        hlc: clamped,
        ..original.clone()
    };
    let (mut server, mut phone) = (
        RecordState::new(RecordKind::Encounter),
        RecordState::new(RecordKind::Encounter),
    );
    server.merge(&echo);
    phone.merge(&original);
    assert!(
        phone.merge(&echo).is_empty(),
        "plain merging ignores the echo"
    );
    assert_eq!(phone.adopt_clamped(&echo), vec!["note".to_owned()]);
    let later = write(
        "fra B",
        Hlc {
            wall_ms: now + 7 * minute,
            counter: 0,
            device: other,
        },
    );
    server.merge(&later);
    phone.merge(&later);
    assert_eq!(phone, server, "both hold B's later write");
    assert_eq!(phone.values()["note"], "fra B");
}

/// A write the phone made after the clamped one (another value) keeps its
/// own stamp: it is still on its way to the server.
#[test]
fn a_newer_own_write_is_not_rebased_by_an_older_echo() {
    use feltlogg_core::change::RecordState;
    let fast = DeviceId(Uuid::from_u128(1));
    let now = 1_800_000_000_000;
    let at = |value: &str, wall_ms: i64, counter: u32| Change {
        kind: RecordKind::Encounter,
        id: Uuid::from_u128(9),
        fields: Fields::from([("note".to_owned(), serde_json::Value::from(value))]),
        hlc: Hlc {
            wall_ms,
            counter,
            device: fast,
        },
    };
    let first = at("en", now + 600_000, 0);
    let echo = Change {
        hlc: first.hlc.clamp_to(now).0,
        ..first.clone()
    };
    let mut phone = RecordState::new(RecordKind::Encounter);
    phone.merge(&first);
    phone.merge(&at("to", now + 600_001, 0));
    let before = phone.clone();
    assert!(phone.adopt_clamped(&echo).is_empty());
    assert_eq!(phone, before);
}
