//! Shared fixture for the store tests: a temp-dir store, enrolled, with
//! three synthetic workers in its directory.

#![allow(dead_code)] // each test binary uses a part

use feltlogg_core::change::Change;
use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, UnixMs};
use feltlogg_core::secret::hash_secret;
use feltlogg_core::sync::{Decision, SigningKey, sign_decision};
use feltlogg_core::{Action, AgeGroup, ContactKind, Error, Gender, PlaceType, Residence, Topic};
use feltlogg_device::store::{Applied, RemotePage, Store, StoreError, VerifiedDecision};
use std::path::PathBuf;

/// 2023-11-14, a Tuesday evening: a fixed synthetic "now".
pub const T0: UnixMs = 1_700_000_000_000;
pub const PIN_A: &str = "111111";
pub const PIN_B: &str = "222222";
pub const PIN_C: &str = "333333";
pub const BYDEL: &str = "030102";

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub store: Store,
    pub unit: UnitId,
    pub a: UserId,
    pub b: UserId,
    pub c: UserId,
}

pub fn worker(unit: UnitId, name: &str, pin: &str) -> WorkerEntry {
    WorkerEntry {
        id: UserId::new(),
        unit_id: unit,
        display_name: name.to_owned(),
        pin_verifier: hash_secret(pin).expect("hash"),
        active: true,
    }
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feltlogg.db");
    let mut store = feltlogg_device::vault::open_file(&path).expect("open");
    let unit = UnitId::new();
    store.init_device(DeviceId::new(), unit).expect("enrol");
    let entries = [
        worker(unit, "Aud", PIN_A),
        worker(unit, "Bjørn", PIN_B),
        worker(unit, "Cecilie", PIN_C),
    ];
    store.replace_directory(&entries).expect("directory");
    Fixture {
        _dir: dir,
        path,
        store,
        unit,
        a: entries[0].id,
        b: entries[1].id,
        c: entries[2].id,
    }
}

impl Fixture {
    pub fn start_ab(&mut self) -> ShiftId {
        self.store
            .start_shift(
                BYDEL,
                "Olaf Ryes plass",
                &[(self.a, PIN_A), (self.b, PIN_B)],
                T0,
            )
            .expect("start shift")
    }

    pub fn pending(&self) -> usize {
        self.store.pending_changes().expect("pending")
    }
}

pub fn encounter(shift: ShiftId, at: UnixMs, note: Option<&str>) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: shift,
        at_ms: at,
        bydel: BYDEL.into(),
        place_type: PlaceType::Park,
        youth_count: 3,
        age_group: AgeGroup::ALL[2],
        gender: Gender::ALL[0],
        contact_kind: ContactKind::ALL[0],
        topics: vec![Topic::ALL[0], Topic::ALL[3]],
        actions: vec![Action::ALL[0]],
        residence: Residence::ThisBydel,
        note: note.map(str::to_owned),
        not_a_person: Vec::new(),
    }
}

/// A checksum-valid synthetic fødselsnummer built from 9 digits, if the
/// digits allow one (mod-11 check digits).
pub fn fodselsnummer(nine: &str) -> Option<String> {
    let d: Vec<u32> = nine.chars().filter_map(|c| c.to_digit(10)).collect();
    let check = |weights: &[u32], digits: &[u32]| {
        let sum: u32 = weights.iter().zip(digits).map(|(w, x)| w * x).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    let k1 = check(&[3, 7, 6, 1, 8, 9, 4, 5, 2], &d)?;
    let mut d10 = d.clone();
    d10.push(k1);
    let k2 = check(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2], &d10)?;
    Some(format!("{nine}{k1}{k2}"))
}

pub fn rule(err: StoreError) -> Error {
    match err {
        StoreError::Rule(e) => e,
        other => panic!("expected a rule error, got {other:?}"),
    }
}

pub fn last_change(store: &Store) -> Change {
    store
        .outbox_batch(usize::MAX)
        .expect("batch")
        .pop()
        .expect("one change")
        .1
}

/// A decision on `shift`, signed by a fresh server key and verified with it.
pub fn decide(
    shift: feltlogg_core::ids::ShiftId,
    status: feltlogg_core::ShiftStatus,
    at: UnixMs,
    comment: Option<&str>,
) -> VerifiedDecision {
    let (key, _) = SigningKey::generate().expect("key");
    let signed = sign_decision(
        &Decision {
            shift_id: shift,
            status,
            comment: comment.map(str::to_owned),
            decided_at_ms: at,
            decided_by: UserId::new(),
            server_seq: 7,
        },
        &key,
    )
    .expect("sign");
    VerifiedDecision::verify(signed, &key.public_key()).expect("verifies")
}

/// Applies `changes` from the server with `decisions`, no cursor.
pub fn apply(store: &mut Store, changes: &[Change], decisions: &[VerifiedDecision]) -> Applied {
    store
        .apply_remote(RemotePage {
            changes: changes.to_vec(),
            decisions: decisions.to_vec(),
            ..RemotePage::default()
        })
        .expect("apply remote")
}

/// A change as another device sent it, stamped at `wall_ms`.
pub fn server_change(
    kind: feltlogg_core::record::RecordKind,
    id: uuid::Uuid,
    fields: feltlogg_core::record::Fields,
    wall_ms: UnixMs,
) -> Change {
    Change {
        kind,
        id,
        fields,
        hlc: feltlogg_core::hlc::Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId::new(),
        },
    }
}

/// A status change on `shift` as the server sends it.
pub fn status_change(
    shift: ShiftId,
    status: feltlogg_core::ShiftStatus,
    wall_ms: UnixMs,
) -> Change {
    let mut fields = feltlogg_core::record::Fields::new();
    fields.insert("status".into(), serde_json::json!(status.as_str()));
    server_change(
        feltlogg_core::record::RecordKind::Shift,
        shift.uuid(),
        fields,
        wall_ms,
    )
}
