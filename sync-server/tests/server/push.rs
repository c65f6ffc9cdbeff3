//! Push: acks, exactly-once replays, gaps, tampering, revocation, and the
//! rules the server checks again on merge.

use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::{Ack, Batch, DeviceKey, KeyId, SigningKey, seal_batch};
use feltlogg_server::db::{batches, devices};
use feltlogg_server::{admin, now_ms};
use serde_json::json;

fn ack(status: StatusCode, body: &[u8]) -> Ack {
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(body));
    serde_json::from_slice(body).expect("ack json")
}

fn counts(env: &Env) -> [i64; 4] {
    [
        RecordKind::Shift,
        RecordKind::ShiftMember,
        RecordKind::Encounter,
        RecordKind::Referral,
    ]
    .map(|k| env.count(k))
}

#[tokio::test]
async fn push_is_acked_and_a_replay_gets_the_same_ack_without_duplicates() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    let first = ack_ok(&env, &phone, sealed.clone()).await;
    assert_eq!(
        (first.seq, first.high_water, first.applied, first.clamped),
        (1, 1, 4, 0)
    );
    assert!(first.refused.is_empty(), "{:?}", first.refused);
    assert_eq!(counts(&env), [1, 2, 1, 0]);

    let (status, body) = env.push(&phone, sealed).await;
    assert_eq!(ack(status, &body), first, "same bytes, same ack");
    // Other bytes under the used seq are not a replay (tests/server/replay.rs).
    let (_, _, other) = started_shift(&env, &mut phone);
    let (status, _) = env.push(&phone, phone.seal(1, other)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(counts(&env), [1, 2, 1, 0], "no duplicate rows");
    let device = phone.enrolled.device_id;
    let journalled = env.db(|c| batches::count(c, device));
    assert_eq!(journalled, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_pushes_of_one_seq_apply_it_once() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    let (x, y, z) = tokio::join!(
        env.push(&phone, sealed.clone()),
        env.push(&phone, sealed.clone()),
        env.push(&phone, sealed)
    );
    let acks = [ack(x.0, &x.1), ack(y.0, &y.1), ack(z.0, &z.1)];
    assert!(acks.iter().all(|a| *a == acks[0]), "{acks:?}");
    assert_eq!(counts(&env), [1, 2, 1, 0]);
    let device = phone.enrolled.device_id;
    assert_eq!(env.db(|c| batches::count(c, device)), 1);
}

#[tokio::test]
async fn a_gap_is_409_naming_the_expected_seq() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    ack_ok(&env, &phone, sealed).await;
    let (status, body) = env.push(&phone, phone.seal(3, vec![])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let v = json(&body);
    assert_eq!(v["code"], "seq_gap");
    assert!(v["message"].as_str().expect("msg").contains("seq 2"), "{v}");
    let (status, body) = env.push(&phone, phone.seal(0, vec![])).await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (StatusCode::BAD_REQUEST, "seq_invalid".into())
    );
}

async fn ack_ok(env: &Env, phone: &Phone, sealed: Vec<u8>) -> Ack {
    let (status, body) = env.push(phone, sealed).await;
    ack(status, &body)
}

#[tokio::test]
async fn tampered_or_foreign_envelopes_are_refused_and_change_nothing() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let other = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let good = phone.seal(1, changes.clone());
    let batch = Batch {
        device_id: phone.enrolled.device_id,
        seq: 1,
        changes,
    };
    let mut flipped = good.clone();
    flipped[120] ^= 0x01;
    let wrong_key = seal_batch(
        &batch,
        phone.key_id(),
        &DeviceKey::generate().expect("key"),
        &phone.signer,
    )
    .expect("seal");
    let wrong_signer = seal_batch(
        &batch,
        phone.key_id(),
        &phone.key,
        &SigningKey::generate().expect("k").0,
    )
    .expect("seal");
    let wrong_key_id = seal_batch(
        &batch,
        KeyId(phone.key_id().0 ^ 1),
        &phone.key,
        &phone.signer,
    )
    .expect("seal");
    let cases: Vec<(&str, String, Vec<u8>, StatusCode, &str)> = vec![
        (
            "flipped bit",
            phone.enrolled.token.clone(),
            flipped,
            StatusCode::BAD_REQUEST,
            "bad_signature",
        ),
        (
            "wrong device key",
            phone.enrolled.token.clone(),
            wrong_key,
            StatusCode::BAD_REQUEST,
            "bad_tag",
        ),
        (
            "wrong signer",
            phone.enrolled.token.clone(),
            wrong_signer,
            StatusCode::BAD_REQUEST,
            "bad_signature",
        ),
        (
            "wrong key id",
            phone.enrolled.token.clone(),
            wrong_key_id,
            StatusCode::BAD_REQUEST,
            "unknown_key_id",
        ),
        (
            "other device's token",
            other.enrolled.token.clone(),
            good.clone(),
            StatusCode::FORBIDDEN,
            "device_mismatch",
        ),
        (
            "truncated",
            phone.enrolled.token.clone(),
            good[..100].to_vec(),
            StatusCode::BAD_REQUEST,
            "truncated",
        ),
        (
            "no token",
            String::new(),
            good.clone(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "unknown token",
            "bm90IGEgdG9rZW4".into(),
            good.clone(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
    ];
    for (what, token, bytes, want_status, want_code) in cases {
        let (status, body) = env.push_with_token(&token, bytes).await;
        let v = json(&body);
        assert_eq!(
            (status, v["code"].as_str().expect("code")),
            (want_status, want_code),
            "{what}: {v}"
        );
    }
    assert_eq!(counts(&env), [0, 0, 0, 0], "nothing merged");
    let device = phone.enrolled.device_id;
    let hw = env
        .db(|c| devices::get(c, device))
        .expect("exists")
        .high_water;
    assert_eq!(hw, 0);
    assert_eq!(
        ack_ok(&env, &phone, good).await.applied,
        4,
        "the genuine batch still applies"
    );
}

#[tokio::test]
async fn revoked_device_gets_403_with_a_message_the_app_can_show() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let device = phone.enrolled.device_id;
    env.state
        .db
        .write_blocking(|c| admin::revoke_device(c, &operator(), device, now_ms()))
        .expect("revoke");
    let sealed = phone.next(vec![]);
    for (status, body) in [
        env.push(&phone, sealed).await,
        env.pull_raw(&phone, 0).await,
    ] {
        assert_eq!(status, StatusCode::FORBIDDEN);
        let v = json(&body);
        assert_eq!(v["code"], "device_revoked");
        assert!(
            v["message"]
                .as_str()
                .expect("msg")
                .contains("revoked by an administrator"),
            "{v}"
        );
    }
}

#[tokio::test]
async fn rules_are_checked_again_and_refusals_never_block_the_queue() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (s, e, mut changes) = started_shift(&env, &mut phone);
    // Personal data in a note: refused, the rest applies.
    let mut leaky = encounter(s.id);
    leaky.note = Some("ring meg på 98765432".into());
    changes.push(phone.create(leaky.id.uuid(), &leaky));
    // A device cannot approve its own shift.
    changes.push(phone.edit(
        RecordKind::Shift,
        s.id.uuid(),
        fields(&[("status", json!("approved"))]),
    ));
    // Ola, still checked in on the first open shift, cannot check in on a
    // second one; with nobody checked in, its encounter is refused (pairing).
    let solo_shift = shift(env.unit);
    changes.push(phone.create(solo_shift.id.uuid(), &solo_shift));
    let m = crate::util::member(solo_shift.id, env.workers[1]);
    changes.push(phone.create(m.id.uuid(), &m));
    let solo = encounter(solo_shift.id);
    changes.push(phone.create(solo.id.uuid(), &solo));
    // A stamp a day ahead of the server's clock is clamped, and still applies.
    let mut ahead = phone.edit(
        RecordKind::Encounter,
        e.id.uuid(),
        fields(&[("youth_count", json!(4))]),
    );
    ahead.hlc.wall_ms += 24 * HOUR;
    changes.push(ahead);
    let sealed = phone.next(changes);
    let a = ack_ok(&env, &phone, sealed).await;
    let reasons: Vec<&str> = a.refused.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(a.refused.len(), 4, "{reasons:?}");
    assert!(reasons[0].contains("phone number"), "{reasons:?}");
    assert!(reasons[1].contains("only a team lead"), "{reasons:?}");
    assert!(reasons[2].contains("another open shift"), "{reasons:?}");
    assert!(reasons[3].contains("logging is paused"), "{reasons:?}");
    assert_eq!((a.applied, a.clamped, a.high_water), (6, 1, 1));
    // The refused status change did not land; the next batch applies.
    let close = phone_close(&mut phone, s.id);
    let sealed = phone.next(vec![close]);
    let b = ack_ok(&env, &phone, sealed).await;
    assert_eq!((b.seq, b.applied, b.refused.len()), (2, 1, 0));
    let status = env.db(|c| feltlogg_server::db::records::shift_status(c, s.id.uuid()));
    assert_eq!(status, Some(ShiftStatus::Closed));
}

#[tokio::test]
async fn a_check_out_earlier_in_the_batch_pauses_logging() {
    // The merge caches a shift's members within a batch; a check-out
    // earlier in the same batch must still refuse what follows it.
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (s, _, mut changes) = started_shift(&env, &mut phone);
    let worker = env.workers[1];
    let checked_out = phone.edit(
        RecordKind::ShiftMember,
        member_id(&changes, worker),
        fields(&[("checked_out_ms", json!(now_ms() - HOUR - HOUR / 2))]),
    );
    changes.push(checked_out);
    // At now - 1 h only one worker is checked in: pairing refuses it.
    let alone = encounter(s.id);
    changes.push(phone.create(alone.id.uuid(), &alone));
    let sealed = phone.next(changes);
    let a = ack_ok(&env, &phone, sealed).await;
    let reasons: Vec<&str> = a.refused.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(a.refused.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("logging is paused"), "{reasons:?}");
    assert_eq!(a.refused[0].change_id_or_record, alone.id.uuid());
    assert_eq!(a.applied, 5);
}

/// The id of the member record in `changes` that checks in `worker`.
fn member_id(
    changes: &[feltlogg_core::change::Change],
    worker: feltlogg_core::ids::UserId,
) -> uuid::Uuid {
    let worker = json!(worker.to_string());
    changes
        .iter()
        .find(|c| c.kind == RecordKind::ShiftMember && c.fields.get("worker_id") == Some(&worker))
        .map(|c| c.id)
        .expect("a member change for the worker")
}

/// The change closing a shift.
pub fn phone_close(
    phone: &mut Phone,
    shift: feltlogg_core::ids::ShiftId,
) -> feltlogg_core::change::Change {
    phone.edit(
        RecordKind::Shift,
        shift.uuid(),
        fields(&[("status", json!("closed")), ("closed_ms", json!(now_ms()))]),
    )
}
