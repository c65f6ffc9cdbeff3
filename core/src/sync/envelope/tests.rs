//! Unit tests of the envelope; the property tests are in
//! `core/tests/crypto_props.rs`.

use super::*;

struct Keys {
    key: DeviceKey,
    key_id: KeyId,
    device: DeviceId,
    signer: SigningKey,
}

fn keys() -> Keys {
    Keys {
        key: DeviceKey::generate().expect("key"),
        key_id: KeyId::generate().expect("key id"),
        device: DeviceId::new(),
        signer: SigningKey::generate().expect("signer").0,
    }
}

fn page(cursor: u64) -> PullPage {
    PullPage {
        cursor,
        more: false,
        changes: vec![],
        decisions: vec![],
        refused: vec![],
        directory: None,
        areas: Some(crate::area::oslo_bydeler()),
        revoked: false,
        epoch: "e1".into(),
        high_water: Some(cursor),
        words: Some(crate::words::UnitWords::default()),
        revocation: None,
    }
}

#[test]
fn header_layout_is_fixed_and_round_trips() {
    let h = Header {
        version: VERSION,
        direction: Direction::Pull,
        key_id: KeyId(0x0102_0304_0506_0708),
        device_id: DeviceId::new(),
        seq: 9,
        salt: [7; 32],
        nonce: [3; 12],
    };
    let bytes = h.to_bytes();
    assert_eq!(&bytes[..6], b"FLGE\x01\x02");
    assert_eq!(&bytes[6..14], &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(&bytes[30..38], &9u64.to_be_bytes());
    assert_eq!(Header::parse(&bytes).expect("parse"), h);
    assert_eq!(
        Header::parse(&bytes[..81]),
        Err(SyncError::Truncated {
            needed: 82,
            got: 81
        })
    );
}

#[test]
fn seal_open_round_trip_and_peek() {
    let k = keys();
    let sealed = seal(
        Direction::Push,
        k.key_id,
        &k.key,
        k.device,
        3,
        &k.signer,
        b"hei",
    )
    .expect("seal");
    assert_eq!(sealed.len(), MIN_ENVELOPE_LEN + 3);
    let peeked = peek_header(&sealed).expect("peek");
    assert_eq!(
        (peeked.key_id, peeked.device_id, peeked.seq),
        (k.key_id, k.device, 3)
    );
    let vk = k.signer.public_key();
    let (h, plain) = open(&sealed, Direction::Push, &k.key, k.key_id, k.device, &vk).expect("open");
    assert_eq!((h, plain.as_slice()), (peeked, &b"hei"[..]));
    // Same input twice gives different bytes: fresh salt and nonce each time.
    let again = seal(
        Direction::Push,
        k.key_id,
        &k.key,
        k.device,
        3,
        &k.signer,
        b"hei",
    )
    .expect("seal");
    assert_ne!(again, sealed);
}

#[test]
fn batch_seq_must_match_header() {
    let k = keys();
    let batch = Batch {
        device_id: k.device,
        seq: 5,
        changes: vec![],
    };
    let plain = encode(&batch).expect("encode");
    let lying = seal(
        Direction::Push,
        k.key_id,
        &k.key,
        k.device,
        6,
        &k.signer,
        &plain,
    )
    .expect("seal");
    let vk = k.signer.public_key();
    assert_eq!(
        open_batch(&lying, &k.key, k.key_id, k.device, &vk),
        Err(SyncError::SeqMismatch { header: 6, body: 5 })
    );
    let good = seal_batch(&batch, k.key_id, &k.key, &k.signer).expect("seal");
    assert_eq!(
        open_batch(&good, &k.key, k.key_id, k.device, &vk).expect("open"),
        batch
    );
}

#[test]
fn batch_device_must_match_header() {
    let k = keys();
    let other = DeviceId::new();
    let batch = Batch {
        device_id: other,
        seq: 1,
        changes: vec![],
    };
    let plain = encode(&batch).expect("encode");
    let sealed = seal(
        Direction::Push,
        k.key_id,
        &k.key,
        k.device,
        1,
        &k.signer,
        &plain,
    )
    .expect("seal");
    let vk = k.signer.public_key();
    assert_eq!(
        open_batch(&sealed, &k.key, k.key_id, k.device, &vk),
        Err(SyncError::WrongDevice {
            expected: k.device,
            found: other
        })
    );
}

#[test]
fn pull_page_round_trips_and_stale_page_is_refused() {
    let k = keys();
    let vk = k.signer.public_key();
    let sealed = seal_pull_page(&page(40), k.key_id, &k.key, k.device, &k.signer).expect("seal");
    let opened = open_pull_page(&sealed, &k.key, k.key_id, k.device, &vk, 40).expect("open");
    assert_eq!(opened, page(40));
    assert_eq!(
        open_pull_page(&sealed, &k.key, k.key_id, k.device, &vk, 41),
        Err(SyncError::Replayed {
            since: 41,
            found: 40
        })
    );
    // A pull page is not a batch, even with the right keys.
    assert_eq!(
        open_batch(&sealed, &k.key, k.key_id, k.device, &vk),
        Err(SyncError::WrongDirection)
    );
}

#[test]
fn oversized_envelopes_are_refused_before_work() {
    let k = keys();
    let big = vec![0u8; MAX_ENVELOPE_LEN];
    let err = seal(
        Direction::Push,
        k.key_id,
        &k.key,
        k.device,
        1,
        &k.signer,
        &big,
    )
    .expect_err("too large");
    assert!(
        matches!(
            err,
            SyncError::TooLarge {
                limit: MAX_ENVELOPE_LEN,
                ..
            }
        ),
        "{err:?}"
    );
    let err = peek_header(&vec![0u8; MAX_ENVELOPE_LEN + 1]).expect_err("too large");
    assert_eq!(err.code(), "too_large");
    assert_eq!(
        peek_header(b"FLGE"),
        Err(SyncError::Truncated {
            needed: 162,
            got: 4
        })
    );
    assert_eq!(peek_header(&[0u8; 200]), Err(SyncError::NotAnEnvelope));
}

/// Seals `plain` as a push with `k`'s keys and opens it again.
fn round_trip(k: &Keys, plain: &[u8]) -> Result<(usize, Vec<u8>), SyncError> {
    let sealed = seal(
        Direction::Push,
        k.key_id,
        &k.key,
        k.device,
        1,
        &k.signer,
        plain,
    )?;
    let vk = k.signer.public_key();
    let (_, opened) = open(&sealed, Direction::Push, &k.key, k.key_id, k.device, &vk)?;
    Ok((sealed.len(), opened))
}

#[test]
fn an_empty_body_makes_the_shortest_envelope_and_opens() {
    let k = keys();
    assert_eq!(round_trip(&k, b""), Ok((MIN_ENVELOPE_LEN, Vec::new())));
}

#[test]
fn an_envelope_of_exactly_eight_mib_seals_and_opens_and_one_byte_more_does_not() {
    // The limit as the server and the phones count it: 8 MiB, not the
    // constant (a test of the constant against itself holds at any value).
    let limit = 8 << 20;
    let k = keys();
    let plain = vec![7u8; limit - MIN_ENVELOPE_LEN];
    let (len, opened) = round_trip(&k, &plain).expect("exactly at the limit");
    assert_eq!((len, opened.len()), (limit, plain.len()));
    let over = vec![7u8; limit - MIN_ENVELOPE_LEN + 1];
    assert_eq!(
        round_trip(&k, &over),
        Err(SyncError::TooLarge {
            size: limit + 1,
            limit
        })
    );
}

/// Decrypts `sealed` by the module docs alone, with the HKDF `label` given:
/// key = HKDF-SHA256(salt, device key, label ‖ key id ‖ device id ‖ seq),
/// AES-256-GCM with the header as additional data.
fn open_by_the_docs(k: &Keys, sealed: &[u8], label: &[u8]) -> Option<Vec<u8>> {
    let h = Header::parse(sealed).ok()?;
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &h.salt).extract(k.key.as_bytes());
    let (key_id, seq) = (h.key_id.0.to_be_bytes(), h.seq.to_be_bytes());
    let info = [label, &key_id, h.device_id.0.as_bytes(), &seq];
    let okm = prk.expand(&info, &aead::AES_256_GCM).ok()?;
    let key = aead::LessSafeKey::new(aead::UnboundKey::from(okm));
    let mut body = sealed[HEADER_LEN..sealed.len() - SIGNATURE_LEN].to_vec();
    let plain = key
        .open_in_place(
            aead::Nonce::assume_unique_for_key(h.nonce),
            aead::Aad::from(&sealed[..HEADER_LEN]),
            &mut body,
        )
        .ok()?;
    Some(plain.to_vec())
}

#[test]
fn each_direction_has_the_documented_key_and_not_the_other_ones() {
    // The direction byte alone already stops a push read as a pull; the
    // label keeps the keys apart too, and fixes them to the wire spec.
    let k = keys();
    for (direction, label, other) in [
        (Direction::Push, b"feltlogg/v1/push", b"feltlogg/v1/pull"),
        (Direction::Pull, b"feltlogg/v1/pull", b"feltlogg/v1/push"),
    ] {
        let sealed =
            seal(direction, k.key_id, &k.key, k.device, 5, &k.signer, b"hei").expect("seal");
        assert_eq!(
            open_by_the_docs(&k, &sealed, label),
            Some(b"hei".to_vec()),
            "{direction:?}"
        );
        assert_eq!(open_by_the_docs(&k, &sealed, other), None, "{direction:?}");
    }
}
