//! Measurements, not checks: run with
//! `cargo test -p feltlogg-server --release --test server measure -- --ignored --nocapture`.

use crate::util::*;
use axum::http::StatusCode;
use std::time::Instant;

#[tokio::test]
#[ignore = "measurement; run with --ignored --nocapture"]
async fn measure_push_and_pull() {
    let env = Env::new();
    let mut a = env.enrol().await;
    let b = env.enrol().await;
    let (s, _, changes) = started_shift(&env, &mut a);
    let sealed = a.next(changes);
    assert_eq!(env.push(&a, sealed).await.0, StatusCode::OK);

    let mut total = std::time::Duration::ZERO;
    for _ in 0..5 {
        let batch: Vec<_> = (0..1_000)
            .map(|_| {
                let e = encounter(s.id);
                a.create(e.id.uuid(), &e)
            })
            .collect();
        let sealed = a.next(batch);
        let t = Instant::now();
        let (status, _) = env.push(&a, sealed).await;
        total += t.elapsed();
        assert_eq!(status, StatusCode::OK);
    }
    eprintln!(
        "push: 5 batches of 1,000 encounters, {:?} per batch",
        total / 5
    );

    let t = Instant::now();
    for _ in 0..50 {
        let e = encounter(s.id);
        let change = a.create(e.id.uuid(), &e);
        let sealed = a.next(vec![change]);
        assert_eq!(env.push(&a, sealed).await.0, StatusCode::OK);
    }
    eprintln!(
        "push: 50 batches of 1 change, {:?} per batch (one fsync'd commit each)",
        t.elapsed() / 50
    );

    let t = Instant::now();
    let mut cursor = 0;
    let mut pages = 0;
    loop {
        let page = env.pull(&b, cursor).await;
        pages += 1;
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    eprintln!(
        "pull: {pages} pages to cursor {cursor} in {:?}",
        t.elapsed()
    );
}
