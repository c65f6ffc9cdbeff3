//! After a restore: the review queue names the shifts whose decision the
//! restored server lost (reported by a phone, signed by this server) and
//! the phones that lost batches, to the leads of their unit only, until a
//! new decision is made.

use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_core::sync::{Decision, LossReport, SeqRange, sign_decision};
use feltlogg_server::now_ms;
use feltlogg_server::review::decide::{Verdict, decide_shift};
use feltlogg_server::sync::recover;

#[tokio::test]
async fn the_queue_lists_shifts_needing_a_decision_again_and_lost_batches() {
    let env = Env::new();
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 2);
    let (_, token) = env.device(env.unit_a);
    let lost = Decision {
        shift_id: shift,
        status: ShiftStatus::Approved,
        comment: None,
        decided_at_ms: now_ms() - HOUR,
        decided_by: env.lead_a,
        server_seq: 12,
    };
    let report = LossReport {
        lost_batches: Some(SeqRange { from: 1, to: 3 }),
        decisions: vec![sign_decision(&lost, &env.state.server_key).expect("sign")],
    };
    let public = env.state.server_public;
    env.state
        .db
        .write_blocking(|c| recover::report(c, &token, &report, &public, now_ms()))
        .expect("report");

    let lead_a = env.session(Who::LeadA);
    let page = env.get(lead_a.as_ref(), "/review").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"restored\""), "{html}");
    assert!(
        html.contains(&format!("href=\"/shifts/{shift}\"")) && html.contains("needs-decision"),
        "{html}"
    );
    assert!(
        html.contains("batch-loss") && html.contains("1–3"),
        "{html}"
    );
    let lead_b = env.session(Who::LeadB);
    let other = env.get(lead_b.as_ref(), "/review").await.text();
    assert!(
        !other.contains("id=\"restored\""),
        "another unit's loss stays hidden"
    );

    // A new decision settles the shift; the batch loss stays on record.
    let key = env.state.server_key.clone();
    env.state
        .db
        .write_blocking(|c| decide_shift(c, &key, shift, Verdict::Approve, env.lead_a, now_ms()))
        .expect("approve");
    let html = env.get(lead_a.as_ref(), "/review").await.text();
    assert!(!html.contains("needs-decision"), "{html}");
    assert!(html.contains("batch-loss"), "{html}");
}
