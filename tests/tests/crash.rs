//! The real server binary, SIGKILLed while it applies batches, twenty
//! times at different moments: after restarts and retries nothing is lost
//! or applied twice, and the database passes `PRAGMA integrity_check`.

use feltlogg_server::now_ms;
use feltlogg_tests::{ChildServer, MINUTE, Phone, Server, count, integrity_ok, seed_unit};
use std::time::Duration;

const EXE: &str = env!("CARGO_BIN_EXE_feltlogg-test-server");
const ROUNDS: u64 = 20;
const PER_ROUND: i64 = 400;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_killed_mid_batch_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    // Set up (unit, enrolment) with an in-process server, then hand the
    // database to the real binary on a fixed port the phone knows.
    let boot = Server::start(&db).await;
    let unit = seed_unit(&boot.state, "Ute Krasj");
    let phone = Phone::enrol(&boot.url, &boot.state, unit.id).await;
    boot.stop().await;
    let first = ChildServer::spawn(EXE, &db, 0);
    let port = first.port;
    first.kill();
    let phone = phone.via(&format!("http://127.0.0.1:{port}"));

    let t0 = now_ms() - 24 * 60 * MINUTE;
    let shift = phone.start_shift(&unit, t0);
    let mut logged = 0i64;
    let mut interrupted = 0;
    for round in 0..ROUNDS {
        for _ in 0..PER_ROUND {
            logged += 1;
            phone.encounter(shift, t0 + MINUTE + logged * 10);
        }
        let server = ChildServer::spawn(EXE, &db, port);
        // Kill at a different moment each round: from at once to well into
        // the second batch.
        let delay = Duration::from_millis(round * 15);
        let push = phone.client.sync_once(&phone.store);
        let outcome = tokio::select! {
            r = push => Some(r),
            () = tokio::time::sleep(delay) => None,
        };
        server.kill();
        if outcome.is_none() {
            interrupted += 1;
        }
        if let Some(Err(e)) = outcome {
            assert!(
                e.is_transient(),
                "round {round}: only network errors expected: {e}"
            );
        }
        assert!(integrity_ok(&db), "round {round}: integrity after SIGKILL");
    }

    // The kills must have landed mid-sync, not only between syncs.
    assert!(
        interrupted >= 5,
        "only {interrupted} of {ROUNDS} rounds were cut mid-sync"
    );
    eprintln!("crash: {interrupted} of {ROUNDS} syncs cut by SIGKILL");
    let server = ChildServer::spawn(EXE, &db, port);
    let mut backoff =
        feltlogg_device::sync::Backoff::new(Duration::from_millis(20), Duration::from_millis(200));
    phone
        .client
        .sync_with_retry(&phone.store, &mut backoff, 20)
        .await
        .expect("final sync drains the outbox");
    server.kill();

    assert_eq!(phone.store().pending_changes().expect("pending"), 0);
    assert_eq!(
        count(&db, "encounters"),
        logged,
        "every encounter exactly once"
    );
    assert_eq!(count(&db, "shift_members"), 2);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (batches, max_seq, high_water): (i64, i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), MAX(seq), (SELECT high_water FROM devices) FROM batches",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("journal");
    assert_eq!(batches, max_seq, "journal is gap-free: seq 1..={max_seq}");
    assert_eq!(high_water, max_seq, "high-water mark matches the journal");
    assert!(integrity_ok(&db));
}
