//! Pull: other devices' changes, decisions, directory and areas; the
//! cursor is the server change seq and advances; pages hold at most 1,000
//! entries.

use crate::push::phone_close;
use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_core::record::RecordKind;
use feltlogg_server::review::decide::Verdict;
use feltlogg_server::sync::pull::PAGE_SIZE;

async fn push(env: &Env, phone: &mut Phone, changes: Vec<feltlogg_core::change::Change>) {
    let sealed = phone.next(changes);
    let (status, body) = env.push(phone, sealed).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn pull_returns_other_devices_changes_and_decisions_and_the_cursor_advances() {
    let env = Env::new();
    let mut a = env.enrol().await;
    let b = env.enrol().await;

    let first = env.pull(&b, 0).await;
    assert_eq!(
        first.directory.as_ref().map(Vec::len),
        Some(2),
        "directory on the first page"
    );
    assert_eq!(first.areas.as_ref().map(Vec::len), Some(17));
    assert!(first.changes.is_empty() && !first.more && !first.revoked);

    let (s, e, mut changes) = started_shift(&env, &mut a);
    changes.push(phone_close(&mut a, s.id));
    push(&env, &mut a, changes).await;
    let page = env.pull(&b, first.cursor).await;
    assert!(page.cursor > first.cursor);
    assert_eq!(
        page.changes.len(),
        5,
        "a's shift, two members, encounter, close"
    );
    assert!(
        page.changes
            .iter()
            .any(|c| c.id == e.id.uuid() && c.kind == RecordKind::Encounter)
    );
    assert!(
        page.directory.is_none() && page.areas.is_none(),
        "unchanged since the cursor"
    );
    let own = env.pull(&a, first.cursor).await;
    assert!(
        own.changes.is_empty(),
        "a device does not get its own changes back"
    );

    env.decide(s.id, Verdict::Approve).expect("approve");
    let decided = env.pull(&b, page.cursor).await;
    assert!(decided.cursor > page.cursor);
    assert_eq!(decided.decisions.len(), 1);
    let d = decided.decisions[0]
        .verify(&b.server_key())
        .expect("signed by the pinned key");
    assert_eq!((d.shift_id, d.status), (s.id, ShiftStatus::Approved));
    assert!(d.server_seq > page.cursor && d.server_seq <= decided.cursor);
    // The shift as it is now, one change per stamp: the status is the
    // server's write, stamped after every write of the phone's.
    let status_change = decided
        .changes
        .iter()
        .find(|c| c.id == s.id.uuid() && c.fields.contains_key("status"))
        .expect("status change");
    assert_eq!(status_change.fields["status"], "approved");
    let close = page.changes.iter().filter(|c| c.id == s.id.uuid());
    assert!(
        close.clone().count() >= 2 && close.clone().all(|c| status_change.hlc > c.hlc),
        "server stamp wins"
    );

    let again = env.pull(&b, decided.cursor).await;
    assert_eq!(again.cursor, decided.cursor);
    assert!(again.changes.is_empty() && again.decisions.is_empty());
    let (status, body) = env
        .send(
            axum::http::Request::get("/api/v1/sync/pull?after=-1")
                .header("authorization", format!("Bearer {}", b.enrolled.token))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
}

#[tokio::test]
async fn pages_hold_at_most_a_thousand_entries() {
    let env = Env::new();
    let mut a = env.enrol().await;
    let b = env.enrol().await;
    let (s, _, changes) = started_shift(&env, &mut a);
    push(&env, &mut a, changes).await;
    for _ in 0..2 {
        let batch: Vec<_> = (0..700)
            .map(|_| {
                let e = encounter(s.id);
                a.create(e.id.uuid(), &e)
            })
            .collect();
        push(&env, &mut a, batch).await;
    }
    let p1 = env.pull(&b, 0).await;
    assert!(p1.more);
    // A page counts changelog entries: the seed's two directory entries
    // (workers added) share the first page with the changes.
    assert_eq!(p1.changes.len(), PAGE_SIZE - 2);
    assert!(p1.directory.is_some());
    let p2 = env.pull(&b, p1.cursor).await;
    assert!(!p2.more);
    assert_eq!(p1.changes.len() + p2.changes.len(), 4 + 1400);
}

#[tokio::test]
async fn a_page_never_ends_between_a_decision_and_its_status_change() {
    let env = Env::new();
    let mut a = env.enrol().await;
    let b = env.enrol().await;
    let (s, _, mut changes) = started_shift(&env, &mut a);
    // Two directory entries from the seed, then 4 + 992 + 1 changes: the
    // decision lands on entry 1,000 and its status change on 1,001.
    for _ in 0..992 {
        let e = encounter(s.id);
        changes.push(a.create(e.id.uuid(), &e));
    }
    changes.push(phone_close(&mut a, s.id));
    push(&env, &mut a, changes).await;
    env.decide(s.id, Verdict::Approve).expect("approve");
    let page = env.pull(&b, 0).await;
    assert_eq!(page.decisions.len(), 1);
    assert!(
        page.changes
            .iter()
            .any(|c| c.id == s.id.uuid() && c.fields.get("status") == Some(&"approved".into()))
    );
    assert!(!page.more, "{} changes", page.changes.len());
}
