//! Property tests of the sync crypto: sealed envelopes round-trip, and any
//! change to their bytes, any wrong key, device, direction or signer fails
//! to open with the error that names it, never with a panic.

use feltlogg_core::change::Change;
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId, UserId};
use feltlogg_core::record::{Encounter, Fields, Record, RecordKind};
use feltlogg_core::sync::envelope::{HEADER_LEN, MIN_ENVELOPE_LEN};
use feltlogg_core::sync::{
    Batch, Decision, DeviceKey, Direction, KeyId, SigningKey, SyncError, encode, open, open_batch,
    seal, seal_batch, sign_decision,
};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, ShiftStatus, Topic,
};
use proptest::prelude::*;
use std::io::Write as _;
use uuid::Uuid;

/// One device's keys, as enrolment would give them.
struct Device {
    key: DeviceKey,
    key_id: KeyId,
    id: DeviceId,
    signer: SigningKey,
}

fn device() -> Device {
    Device {
        key: DeviceKey::generate().expect("key"),
        key_id: KeyId::generate().expect("key id"),
        id: DeviceId::new(),
        signer: SigningKey::generate().expect("signer").0,
    }
}

impl Device {
    fn seal(&self, dir: Direction, seq: u64, plain: &[u8]) -> Vec<u8> {
        seal(
            dir,
            self.key_id,
            &self.key,
            self.id,
            seq,
            &self.signer,
            plain,
        )
        .expect("seal")
    }

    fn open(&self, dir: Direction, bytes: &[u8]) -> Result<Vec<u8>, SyncError> {
        let vk = self.signer.public_key();
        open(bytes, dir, &self.key, self.key_id, self.id, &vk).map(|(_, p)| p)
    }
}

/// The error a single flipped bit at `byte` must give: the header fields
/// checked before the signature name themselves; everything else breaks
/// the signature.
fn expected_for_flip(byte: usize) -> &'static str {
    match byte {
        0..=3 => "not_an_envelope",
        4 => "unknown_version",
        5 => "decode",
        6..=13 => "unknown_key_id",
        14..=29 => "wrong_device",
        _ => "bad_signature",
    }
}

fn arb_direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::Push), Just(Direction::Pull)]
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-zæøå ]{0,40}".prop_map(serde_json::Value::from),
        prop::collection::vec("[a-z_]{1,12}", 0..4).prop_map(serde_json::Value::from),
    ]
}

fn arb_change(device: DeviceId) -> impl Strategy<Value = Change> {
    (
        prop_oneof![
            Just(RecordKind::Shift),
            Just(RecordKind::ShiftMember),
            Just(RecordKind::Encounter),
            Just(RecordKind::Referral),
        ],
        any::<u128>(),
        prop::collection::btree_map("[a-z_]{1,16}", arb_json(), 0..8),
        0i64..4_000_000_000_000,
        any::<u32>(),
    )
        .prop_map(move |(kind, id, fields, wall_ms, counter)| Change {
            kind,
            id: Uuid::from_u128(id),
            fields: fields.into_iter().collect::<Fields>(),
            hlc: Hlc {
                wall_ms,
                counter,
                device,
            },
        })
}

proptest! {
    #[test]
    fn random_plaintext_round_trips(
        plain in prop::collection::vec(any::<u8>(), 0..2048),
        seq in any::<u64>(),
        dir in arb_direction(),
    ) {
        let d = device();
        let sealed = d.seal(dir, seq, &plain);
        prop_assert_eq!(sealed.len(), MIN_ENVELOPE_LEN + plain.len());
        prop_assert_eq!(d.open(dir, &sealed).expect("open"), plain);
    }

    #[test]
    fn random_batch_round_trips(
        seq in 1u64..,
        changes in prop::collection::vec(arb_change(DeviceId(Uuid::from_u128(7))), 0..40),
    ) {
        let d = device();
        let batch = Batch { device_id: d.id, seq, changes };
        let sealed = seal_batch(&batch, d.key_id, &d.key, &d.signer).expect("seal");
        let vk = d.signer.public_key();
        prop_assert_eq!(open_batch(&sealed, &d.key, d.key_id, d.id, &vk).expect("open"), batch);
    }

    #[test]
    fn any_flipped_bit_fails_with_the_right_error(
        plain in prop::collection::vec(any::<u8>(), 0..256),
        bit in any::<prop::sample::Index>(),
        dir in arb_direction(),
    ) {
        let d = device();
        let mut sealed = d.seal(dir, 1, &plain);
        let at = bit.index(sealed.len() * 8);
        sealed[at / 8] ^= 1 << (at % 8);
        let err = d.open(dir, &sealed).expect_err("a flipped bit must not open");
        prop_assert_eq!(err.code(), expected_for_flip(at / 8), "bit {}: {}", at, err);
    }

    #[test]
    fn any_truncation_or_extension_fails(
        plain in prop::collection::vec(any::<u8>(), 0..256),
        cut in any::<prop::sample::Index>(),
        extra in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let d = device();
        let sealed = d.seal(Direction::Push, 1, &plain);
        let len = cut.index(sealed.len());
        let err = d.open(Direction::Push, &sealed[..len]).expect_err("truncated must fail");
        if len < MIN_ENVELOPE_LEN {
            prop_assert_eq!(err, SyncError::Truncated { needed: MIN_ENVELOPE_LEN, got: len });
        } else {
            prop_assert_eq!(err, SyncError::BadSignature);
        }
        let mut longer = sealed.clone();
        longer.extend_from_slice(&extra);
        prop_assert_eq!(d.open(Direction::Push, &longer), Err(SyncError::BadSignature));
    }

    #[test]
    fn wrong_keys_devices_and_directions_fail_by_name(
        plain in prop::collection::vec(any::<u8>(), 0..256),
        dir in arb_direction(),
    ) {
        let d = device();
        let other = device();
        let sealed = d.seal(dir, 7, &plain);
        let vk = d.signer.public_key();
        let other_dir = if dir == Direction::Push { Direction::Pull } else { Direction::Push };
        // Wrong device key, everything else right: only AES-GCM can tell.
        prop_assert_eq!(open(&sealed, dir, &other.key, d.key_id, d.id, &vk), Err(SyncError::BadTag));
        prop_assert_eq!(
            open(&sealed, dir, &d.key, other.key_id, d.id, &vk),
            Err(SyncError::UnknownKeyId(d.key_id))
        );
        prop_assert_eq!(
            open(&sealed, dir, &d.key, d.key_id, other.id, &vk),
            Err(SyncError::WrongDevice { expected: other.id, found: d.id })
        );
        prop_assert_eq!(d.open(other_dir, &sealed), Err(SyncError::WrongDirection));
        // Another signer's key, and another envelope's signature swapped in.
        let other_vk = other.signer.public_key();
        prop_assert_eq!(
            open(&sealed, dir, &d.key, d.key_id, d.id, &other_vk),
            Err(SyncError::BadSignature)
        );
        let twin = d.seal(dir, 7, &plain);
        let mut swapped = sealed.clone();
        let n = swapped.len();
        swapped[n - 64..].copy_from_slice(&twin[n - 64..]);
        prop_assert_eq!(d.open(dir, &swapped), Err(SyncError::BadSignature));
        // A header lifted onto another envelope's body.
        let mut spliced = twin.clone();
        spliced[..HEADER_LEN].copy_from_slice(&sealed[..HEADER_LEN]);
        prop_assert_eq!(d.open(dir, &spliced), Err(SyncError::BadSignature));
    }

    #[test]
    fn decision_with_any_changed_field_fails(
        which in 0usize..6,
        comment in prop::option::of("[a-zæøå ]{0,60}"),
        at in any::<i64>(),
        seq in any::<u64>(),
        approve in any::<bool>(),
    ) {
        let (server, _) = SigningKey::generate().expect("server key");
        let decision = Decision {
            shift_id: ShiftId::new(),
            status: if approve { ShiftStatus::Approved } else { ShiftStatus::Returned },
            comment,
            decided_at_ms: at,
            decided_by: UserId::new(),
            server_seq: seq,
        };
        let signed = sign_decision(&decision, &server).expect("sign");
        prop_assert!(signed.verify(&server.public_key()).is_ok());
        let mut bad = signed.clone();
        let d = &mut bad.decision;
        match which {
            0 => d.shift_id = ShiftId::new(),
            1 => d.status = if approve { ShiftStatus::Returned } else { ShiftStatus::Approved },
            2 => d.comment = Some(format!("{}x", d.comment.clone().unwrap_or_default())),
            3 => d.decided_at_ms = d.decided_at_ms.wrapping_add(1),
            4 => d.decided_by = UserId::new(),
            _ => d.server_seq = d.server_seq.wrapping_add(1),
        }
        prop_assert_eq!(bad.verify(&server.public_key()), Err(SyncError::BadSignature));
    }
}

/// Exhaustive over one envelope: every single bit, each with the right
/// error (the proptest above samples; this covers all positions).
#[test]
fn every_single_bit_flip_of_one_envelope_fails() {
    let d = device();
    let sealed = d.seal(Direction::Pull, 42, b"en liten side");
    for at in 0..sealed.len() * 8 {
        let mut bad = sealed.clone();
        bad[at / 8] ^= 1 << (at % 8);
        let err = d.open(Direction::Pull, &bad).expect_err("must fail");
        assert_eq!(err.code(), expected_for_flip(at / 8), "bit {at}: {err}");
    }
}

/// A small deterministic generator (xorshift), so the size test is
/// repeatable without a random-number dependency.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, all: &[T]) -> T {
        all[(self.next() % all.len() as u64) as usize]
    }

    fn some<T: Copy + PartialEq>(&mut self, all: &[T], max: u64) -> Vec<T> {
        let n = 1 + self.next() % max;
        let mut out = Vec::new();
        for _ in 0..n {
            let v = self.pick(all);
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
}

const NOTES: &[&str] = &[
    "prata om skole og fravær, ønsket info om ungdomshelsestasjonen",
    "gruppe ved t-banen, rolig stemning",
    "spurte om sommerjobb, ga info om NAV ungdom",
    "bekymret for venn, avtalt å møtes neste uke",
];

fn realistic_changes(device: DeviceId, n: usize) -> Vec<Change> {
    let mut g = Gen(0x5eed_f00d_cafe_beef);
    let shifts: Vec<ShiftId> = (0..10).map(|_| ShiftId::new()).collect();
    let bydeler = ["030101", "030102", "030103", "030104", "030105"];
    let mut wall_ms = 1_760_000_000_000i64;
    (0..n)
        .map(|i| {
            wall_ms += 20_000 + (g.next() % 600_000) as i64;
            let encounter = Encounter {
                id: EncounterId::new(),
                shift_id: shifts[i / (n / shifts.len()).max(1) % shifts.len()],
                at_ms: wall_ms,
                bydel: g.pick(&bydeler).to_owned(),
                place_type: g.pick(PlaceType::ALL),
                youth_count: 1 + (g.next() % 6) as u32,
                age_group: g.pick(AgeGroup::ALL),
                gender: g.pick(Gender::ALL),
                contact_kind: g.pick(ContactKind::ALL),
                topics: g.some(Topic::ALL, 3),
                actions: g.some(Action::ALL, 2),
                residence: g.pick(Residence::ALL),
                note: g.next().is_multiple_of(5).then(|| g.pick(NOTES).to_owned()),
                not_a_person: Vec::new(),
            };
            Change {
                kind: RecordKind::Encounter,
                id: encounter.id.uuid(),
                fields: encounter.to_fields(),
                hlc: Hlc {
                    wall_ms,
                    counter: 0,
                    device,
                },
            }
        })
        .collect()
}

#[test]
fn encoded_batch_of_1000_encounters_is_at_most_40_percent_of_json() {
    let d = device();
    let changes = realistic_changes(d.id, 1000);
    let json = serde_json::to_vec(&changes).expect("json");
    let batch = Batch {
        device_id: d.id,
        seq: 1,
        changes,
    };
    let encoded = encode(&batch).expect("encode");
    let sealed = seal_batch(&batch, d.key_id, &d.key, &d.signer).expect("seal");
    let mut cbor = Vec::new();
    ciborium::into_writer(&batch, &mut cbor).expect("cbor");
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&json).expect("deflate");
    let json_deflated = z.finish().expect("deflate").len();
    let ratio = encoded.len() as f64 / json.len() as f64;
    println!(
        "1000 encounter changes: json {} bytes; cbor {} bytes; json+deflate {json_deflated} bytes; \
         cbor+deflate {} bytes ({:.1} % of json); sealed envelope {} bytes",
        json.len(),
        cbor.len(),
        encoded.len(),
        ratio * 100.0,
        sealed.len()
    );
    assert!(ratio <= 0.40, "encoded is {:.1} % of json", ratio * 100.0);
}
