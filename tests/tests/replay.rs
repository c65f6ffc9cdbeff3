//! A replay is answered only for the same bytes. Every push the server
//! journalled, sent again with flipped bits, cut short, spliced with another
//! seq's header, or re-signed with other changes under its seq: never 200,
//! never a change on the server or on the phones. A phone that sends a used
//! seq with other changes (a phone restored from its own old copy) keeps
//! them and says so in plain words.

use feltlogg_core::sync::envelope::HEADER_LEN;
use feltlogg_core::sync::{Batch, seal_batch};
use feltlogg_device::sync::ClientError;
use feltlogg_server::now_ms;
use feltlogg_tests::{MINUTE, Phone, Server, count, new_encounter, seed_unit, snapshot};
use std::path::Path;

/// The server's journal: (device id, seq, envelope) of every applied push.
fn journal(db: &Path) -> Vec<(String, u64, Vec<u8>)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT device_id, seq, envelope FROM batches ORDER BY device_id, seq")
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            r.get::<_, Vec<u8>>(2)?,
        ))
    })
    .expect("query")
    .map(|r| r.expect("row"))
    .collect()
}

async fn post(url: &str, token: &str, body: Vec<u8>) -> (u16, String) {
    let resp = reqwest::Client::new()
        .post(format!("{url}/api/v1/sync/push"))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    (status, resp.text().await.expect("body"))
}

/// Mutations of one recorded push: flipped bits across header, body and
/// signature; cuts; the header of `other` on its body.
fn mutations(envelope: &[u8], other: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let step = (envelope.len() / 40).max(1);
    let positions = (0..HEADER_LEN)
        .step_by(3)
        .chain((HEADER_LEN..envelope.len()).step_by(step));
    for pos in positions.chain([envelope.len() - 1]) {
        let mut bad = envelope.to_vec();
        bad[pos] ^= 0x04;
        out.push(bad);
    }
    for len in [
        0,
        4,
        HEADER_LEN,
        HEADER_LEN + 16,
        envelope.len() / 2,
        envelope.len() - 1,
    ] {
        out.push(envelope[..len].to_vec());
    }
    let mut spliced = other[..HEADER_LEN].to_vec();
    spliced.extend_from_slice(&envelope[HEADER_LEN..]);
    out.push(spliced);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recorded_push_mutated_or_re_signed_is_never_acked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Tøyen");
    let a = Phone::enrol(&server.url, &server.state, unit.id).await;
    let b = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 4 * 60 * MINUTE;
    let shift = a.start_shift(&unit, t0);
    a.client.sync_once(&a.store).await.expect("a");
    b.client.sync_once(&b.store).await.expect("b");
    for round in 0..3 {
        for phone in [&a, &b] {
            phone.encounter(shift, t0 + (10 + round * 10) * MINUTE);
            phone.client.sync_once(&phone.store).await.expect("sync");
        }
    }
    // Both phones up to date before the replays.
    a.client.sync_once(&a.store).await.expect("a");
    let recorded = journal(&db);
    assert!(recorded.len() >= 6, "{}", recorded.len());
    let before = snapshot(&db);
    let phones_before: Vec<usize> = [&a, &b]
        .iter()
        .map(|p| p.store().list_encounters(shift).expect("list").len())
        .collect();

    let mut sent = 0;
    for phone in [&a, &b] {
        let creds = phone.credentials();
        let device = creds.device_id.to_string();
        let own: Vec<_> = recorded.iter().filter(|(d, _, _)| *d == device).collect();
        for (i, (_, seq, envelope)) in own.iter().enumerate() {
            let other = &own[(i + 1) % own.len()].2;
            for bad in mutations(envelope, other) {
                let (status, body) = post(&server.url, &creds.token, bad).await;
                assert_ne!(status, 200, "device {device} seq {seq}: {body}");
                sent += 1;
            }
            // Correctly signed, other changes, the used seq.
            let batch = Batch {
                device_id: creds.device_id,
                seq: *seq,
                changes: vec![{
                    let e = new_encounter(shift, t0 + 200 * MINUTE);
                    let mut clock = feltlogg_core::hlc::Clock::new(creds.device_id);
                    feltlogg_core::change::Change {
                        kind: feltlogg_core::record::RecordKind::Encounter,
                        id: e.id.uuid(),
                        fields: feltlogg_core::record::Record::to_fields(&e),
                        hlc: clock.tick(now_ms()),
                    }
                }],
            };
            let signer = creds.signer().expect("signer");
            let resealed =
                seal_batch(&batch, creds.key_id, &creds.device_key, &signer).expect("seal");
            let (status, body) = post(&server.url, &creds.token, resealed).await;
            assert_eq!(status, 409, "{body}");
            assert!(body.contains("seq_reused"), "{body}");
            sent += 1;
        }
    }
    assert!(sent > 300, "{sent} replays");
    assert_eq!(snapshot(&db), before, "nothing changed on the server");
    assert_eq!(journal(&db), recorded, "nothing journalled");
    for (phone, n) in [&a, &b].iter().zip(phones_before) {
        let r = phone.client.sync_once(&phone.store).await.expect("sync");
        assert_eq!(r.pull.changes, 0, "nothing new for the phones: {r:?}");
        assert_eq!(phone.store().list_encounters(shift).expect("list").len(), n);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_that_reuses_a_seq_keeps_its_changes_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Sagene");
    let phone = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = phone.start_shift(&unit, t0);
    phone.encounter(shift, t0 + 10 * MINUTE);
    // The phone as it is now, before it syncs: what an old copy would hold.
    let old_copy = phone.twin();
    phone.client.sync_once(&phone.store).await.expect("sync");
    assert_eq!(count(&db, "encounters"), 1);
    let before = snapshot(&db);

    let extra = old_copy.encounter(shift, t0 + 20 * MINUTE);
    let pending = old_copy.store().pending_changes().expect("pending");
    let err = old_copy
        .client
        .sync_once(&old_copy.store)
        .await
        .expect_err("seq 1 is used by other bytes");
    assert!(matches!(&err, ClientError::SeqReused { seq: 1 }), "{err:?}");
    let words = err.to_string();
    assert!(
        words.contains("did not save these changes") && words.contains("kept on this phone"),
        "{words}"
    );
    assert_eq!(
        old_copy.store().pending_changes().expect("pending"),
        pending,
        "the changes stay in the outbox"
    );
    assert!(old_copy.store().encounter(extra).expect("read").is_some());
    let status = feltlogg_device::sync::status(&old_copy.store).expect("status");
    assert_eq!(status.last_error.as_deref(), Some(words.as_str()));
    assert_eq!(snapshot(&db), before, "nothing applied");
    server.stop().await;
}
