//! A flaky network between phone and server (dropped connections, delays,
//! requests and responses cut mid-way): the outbox drains completely and
//! the server holds every record exactly once.

use feltlogg_device::sync::Backoff;
use feltlogg_server::now_ms;
use feltlogg_tests::{MINUTE, Phone, Server, count, proxy, seed_unit};
use std::sync::atomic::Ordering;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaky_network_drains_the_outbox_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Ustabil");
    let phone = Phone::enrol(&server.url, &server.state, unit.id).await;
    let upstream = server
        .url
        .trim_start_matches("http://")
        .parse()
        .expect("addr");
    let flaky = proxy::start(upstream, 0xFE17_1066).await;
    let phone = phone.via(&flaky.url);

    let t0 = now_ms() - 10 * 60 * MINUTE;
    let shift = phone.start_shift(&unit, t0);
    // Twelve waves of 200 encounters, each synced through the faults until
    // the outbox is empty, as a phone that comes and goes would.
    let (waves, per_wave) = (12, 200);
    let mut backoff = Backoff::new(Duration::from_millis(5), Duration::from_millis(50));
    let mut attempts = 0;
    for wave in 0..waves {
        // Time passes between waves: pooled connections age out.
        tokio::time::sleep(Duration::from_millis(250)).await;
        for i in 0..per_wave {
            phone.encounter(shift, t0 + MINUTE + (wave * per_wave + i) * 100);
        }
        while phone.store().pending_changes().expect("pending") > 0 {
            attempts += 1;
            assert!(attempts <= 1000, "outbox never drained");
            if phone.client.sync_once(&phone.store).await.is_err() {
                tokio::time::sleep(backoff.next_delay()).await;
            }
        }
    }
    let total = waves * per_wave;
    let st = &flaky.stats;
    let faults = st.dropped.load(Ordering::Relaxed)
        + st.cut_request.load(Ordering::Relaxed)
        + st.cut_response.load(Ordering::Relaxed);
    assert!(
        faults >= 3,
        "the proxy must actually have interfered: {st:?}"
    );
    assert!(
        st.cut_response.load(Ordering::Relaxed) >= 1,
        "at least one ack lost after the server applied: {st:?}"
    );
    assert_eq!(
        count(&db, "encounters"),
        total,
        "every encounter exactly once"
    );
    assert_eq!(count(&db, "shift_members"), 2);
    eprintln!("flaky: {attempts} sync attempts, proxy {st:?}");
    server.stop().await;
}
