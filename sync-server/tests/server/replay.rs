//! A replay is answered only for the same bytes: a used seq with flipped
//! bits, cut short, under another seq's header, or re-signed with other
//! changes never gets the stored ack; a pull cursor ahead of the log is
//! refused with its own code.

use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::Ack;
use feltlogg_core::sync::envelope::HEADER_LEN;
use feltlogg_server::db::settings;

fn kinds(env: &Env) -> [i64; 4] {
    [
        RecordKind::Shift,
        RecordKind::ShiftMember,
        RecordKind::Encounter,
        RecordKind::Referral,
    ]
    .map(|k| env.count(k))
}

/// Two applied batches of one phone: (sealed seq 1, sealed seq 2, ack 1).
async fn two_batches(env: &Env, phone: &mut Phone) -> (Vec<u8>, Vec<u8>, Ack) {
    let (s, _, changes) = started_shift(env, phone);
    let one = phone.next(changes);
    let (status, body) = env.push(phone, one.clone()).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let ack: Ack = serde_json::from_slice(&body).expect("ack");
    let e = encounter(s.id);
    let change = phone.create(e.id.uuid(), &e);
    let two = phone.next(vec![change]);
    let (status, _) = env.push(phone, two.clone()).await;
    assert_eq!(status, StatusCode::OK);
    (one, two, ack)
}

#[tokio::test]
async fn the_same_bytes_get_the_stored_ack_with_the_epoch() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (one, _, first) = two_batches(&env, &mut phone).await;
    let epoch = env.db(|c| settings::epoch(c));
    assert_eq!(epoch.len(), 32, "a random 128-bit epoch: {epoch:?}");
    assert_eq!(first.epoch, epoch);
    let (status, body) = env.push(&phone, one).await;
    assert_eq!(status, StatusCode::OK);
    let again: Ack = serde_json::from_slice(&body).expect("ack");
    assert_eq!((again.seq, again.applied, again.high_water), (1, 4, 2));
    assert_eq!(again.epoch, epoch);
    assert_eq!(env.pull(&phone, 0).await.epoch, epoch);
}

#[tokio::test]
async fn other_changes_under_a_used_seq_are_seq_reused_and_change_nothing() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, _) = two_batches(&env, &mut phone).await;
    let before = kinds(&env);
    let (_, _, other) = started_shift(&env, &mut phone);
    let (status, body) = env.push(&phone, phone.seal(1, other)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let v = json(&body);
    assert_eq!(v["code"], "seq_reused");
    let message = v["message"].as_str().expect("message");
    assert!(
        message.contains("seq 1") && message.contains("not saved") && message.contains("seq 3"),
        "{message}"
    );
    assert_eq!(kinds(&env), before, "nothing applied");
}

#[tokio::test]
async fn a_used_seq_flipped_cut_or_spliced_is_never_acked() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (one, two, _) = two_batches(&env, &mut phone).await;
    let before = kinds(&env);
    let mut tried = 0;
    // Every byte of the header and samples of the body and signature.
    let positions = (0..one.len()).filter(|i| *i < HEADER_LEN || i % 7 == 0);
    for pos in positions {
        for bit in [0x01u8, 0x80] {
            let mut bad = one.clone();
            bad[pos] ^= bit;
            let (status, body) = env.push(&phone, bad).await;
            assert_ne!(
                status,
                StatusCode::OK,
                "byte {pos} bit {bit:#x}: {}",
                String::from_utf8_lossy(&body)
            );
            tried += 1;
        }
    }
    for len in [0, 10, HEADER_LEN, one.len() / 2, one.len() - 1] {
        let (status, _) = env.push(&phone, one[..len].to_vec()).await;
        assert_ne!(status, StatusCode::OK, "cut to {len} bytes");
        tried += 1;
    }
    // Seq 2's header on seq 1's body, and the other way round.
    for (head, rest) in [(&two, &one), (&one, &two)] {
        let mut spliced = head[..HEADER_LEN].to_vec();
        spliced.extend_from_slice(&rest[HEADER_LEN..]);
        let (status, _) = env.push(&phone, spliced).await;
        assert_ne!(status, StatusCode::OK, "spliced");
        tried += 1;
    }
    assert!(tried > 200, "{tried}");
    assert_eq!(kinds(&env), before, "nothing applied");
    assert_eq!(env.pull(&phone, 0).await.high_water, Some(2));
}

#[tokio::test]
async fn a_cursor_ahead_of_the_log_is_cursor_ahead() {
    let env = Env::new();
    let mut a = env.enrol().await;
    let b = env.enrol().await;
    two_batches(&env, &mut a).await;
    let page = env.pull(&b, 0).await;
    assert!(page.cursor > 0);
    assert!(
        !env.pull(&b, page.cursor).await.more,
        "the end itself is fine"
    );
    for after in [page.cursor + 1, 1 << 63, u64::MAX] {
        let (status, body) = env.pull_raw(&b, after).await;
        assert_eq!(status, StatusCode::CONFLICT, "after={after}");
        let v = json(&body);
        assert_eq!(v["code"], "cursor_ahead");
        assert!(
            v["message"].as_str().expect("message").contains("restored"),
            "{v}"
        );
    }
}
