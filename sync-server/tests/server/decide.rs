//! Decisions: approve only a closed shift, return only with a comment, and
//! an approved shift is locked against later device changes, which are
//! refused, kept and reported back.

use crate::push::phone_close;
use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::Ack;
use feltlogg_server::db::{records, refusals};
use feltlogg_server::review::decide::Verdict;
use serde_json::json;

async fn push_ok(env: &Env, phone: &mut Phone, changes: Vec<feltlogg_core::change::Change>) -> Ack {
    let sealed = phone.next(changes);
    let (status, body) = env.push(phone, sealed).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).expect("ack")
}

#[tokio::test]
async fn only_closed_shifts_are_decided_and_returns_need_a_comment() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (s, _, changes) = started_shift(&env, &mut phone);
    push_ok(&env, &mut phone, changes).await;
    let err = env.decide(s.id, Verdict::Approve).expect_err("open shift");
    assert_eq!(err.code(), "shift_not_closed", "{err}");
    let close = phone_close(&mut phone, s.id);
    push_ok(&env, &mut phone, vec![close]).await;
    let err = env
        .decide(
            s.id,
            Verdict::Return {
                comment: "  ".into(),
            },
        )
        .expect_err("no comment");
    assert!(err.to_string().contains("comment"), "{err}");
    let signed = env
        .decide(
            s.id,
            Verdict::Return {
                comment: "mangler refleksjon".into(),
            },
        )
        .expect("return");
    signed
        .verify(&env.state.server_public)
        .expect("signed by the server");
    // Returned, the shift can be corrected and closed again, then approved.
    let fix = phone.edit(
        RecordKind::Shift,
        s.id.uuid(),
        fields(&[("reflection", json!("rolig kveld"))]),
    );
    let close = phone_close(&mut phone, s.id);
    let a = push_ok(&env, &mut phone, vec![fix, close]).await;
    assert!(a.refused.is_empty(), "{:?}", a.refused);
    env.decide(s.id, Verdict::Approve).expect("approve");
}

#[tokio::test]
async fn change_to_an_approved_shift_is_refused_kept_and_reported() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (s, e, mut changes) = started_shift(&env, &mut phone);
    changes.push(phone_close(&mut phone, s.id));
    push_ok(&env, &mut phone, changes).await;
    env.decide(s.id, Verdict::Approve).expect("approve");

    let late = phone.edit(
        RecordKind::Encounter,
        e.id.uuid(),
        fields(&[("youth_count", json!(9))]),
    );
    let reopen = phone.edit(
        RecordKind::Shift,
        s.id.uuid(),
        fields(&[("status", json!("open"))]),
    );
    let a = push_ok(&env, &mut phone, vec![late, reopen]).await;
    assert_eq!((a.applied, a.refused.len()), (0, 2), "{a:?}");
    assert!(a.refused[0].reason.contains("approved"), "{:?}", a.refused);
    assert_eq!(a.refused[0].change_id_or_record, e.id.uuid());

    let stored = env
        .db(|c| records::load(c, RecordKind::Encounter, e.id.uuid()))
        .expect("exists");
    assert_eq!(stored.state.values()["youth_count"], json!(3), "not merged");
    let status = env.db(|c| records::shift_status(c, s.id.uuid()));
    assert_eq!(status, Some(ShiftStatus::Approved));
    let kept = env.db(|c| refusals::list_for_unit(c, env.unit));
    assert_eq!(kept.len(), 2);
    assert!(
        kept.iter()
            .any(|r| r.code == "shift_locked" && r.change.contains("youth_count"))
    );

    let page = env.pull(&phone, 0).await;
    assert_eq!(page.refused.len(), 2, "refusals reported on pull");
    assert_eq!(page.decisions.len(), 1);
    let d = page.decisions[0]
        .verify(&phone.server_key())
        .expect("verifies");
    assert_eq!((d.shift_id, d.status), (s.id, ShiftStatus::Approved));
}
