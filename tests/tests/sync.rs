//! Two phones and a real server: the union of what they log offline lands
//! on the server exactly once whatever the order, replays change nothing,
//! and a team lead's approval locks the shift everywhere.

use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::{EncounterId, ShiftId};
use feltlogg_server::now_ms;
use feltlogg_server::review::decide::{Verdict, decide_shift};
use feltlogg_tests::{
    MINUTE, PINS, Phone, Server, Unit, close_and_approve, count, seed_unit, snapshot,
};
use std::collections::BTreeSet;
use std::path::Path;

struct Scenario {
    _dir: tempfile::TempDir,
    server: Server,
    unit: Unit,
    a: Phone,
    b: Phone,
    shift: ShiftId,
    encounters: Vec<EncounterId>,
    t0: i64,
}

impl Scenario {
    fn db(&self) -> std::path::PathBuf {
        self._dir.path().join("server.db")
    }
}

/// Phone A starts a shift and syncs; phone B pulls it. Offline, A logs five
/// encounters while B checks in a third worker and closes the shift. Then
/// they sync, A first or B first, and once more each so both have all.
async fn two_phones_one_shift(a_first: bool) -> Scenario {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir.path().join("server.db")).await;
    let unit = seed_unit(&server.state, "Ute Løkka");
    let a = Phone::enrol(&server.url, &server.state, unit.id).await;
    let b = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 4 * 60 * MINUTE;

    let shift = a.start_shift(&unit, t0);
    a.client
        .sync_once(&a.store)
        .await
        .expect("a pushes the shift");
    b.client
        .sync_once(&b.store)
        .await
        .expect("b pulls the shift");
    assert!(
        b.store().shift(shift).expect("read").is_some(),
        "b sees a's shift"
    );
    assert_eq!(b.store().shift_members(shift).expect("members").len(), 2);

    let encounters: Vec<_> = (0..5)
        .map(|i| a.encounter(shift, t0 + (10 + 10 * i) * MINUTE))
        .collect();
    b.store()
        .check_in(shift, unit.workers[2], PINS[2], t0 + 30 * MINUTE)
        .expect("third worker checks in on b");
    b.store()
        .close_shift(shift, Some("Rolig kveld, mange kjente"), t0 + 120 * MINUTE)
        .expect("b closes the shift");

    let (first, second) = if a_first { (&a, &b) } else { (&b, &a) };
    first
        .client
        .sync_once(&first.store)
        .await
        .expect("first sync");
    second
        .client
        .sync_once(&second.store)
        .await
        .expect("second sync");
    first
        .client
        .sync_once(&first.store)
        .await
        .expect("first pulls the rest");
    Scenario {
        _dir: dir,
        server,
        unit,
        a,
        b,
        shift,
        encounters,
        t0,
    }
}

fn assert_union_once(s: &Scenario) {
    let db = s.db();
    assert_eq!(count(&db, "shifts"), 1);
    assert_eq!(count(&db, "shift_members"), 3, "two from a, one from b");
    assert_eq!(count(&db, "encounters"), 5);
    let snap = snapshot(&db);
    let on_server: BTreeSet<String> = snap
        .keys()
        .filter_map(|k| k.strip_prefix("encounters/").map(str::to_owned))
        .collect();
    let logged: BTreeSet<String> = s.encounters.iter().map(ToString::to_string).collect();
    assert_eq!(on_server, logged);
    let shift: serde_json::Value =
        serde_json::from_str(&snap[&format!("shifts/{}", s.shift)]).expect("shift json");
    assert_eq!(shift["status"], "closed");
    assert_eq!(shift["closed_ms"], s.t0 + 120 * MINUTE);
    // Both phones converge on the server's view.
    for phone in [&s.a, &s.b] {
        let store = phone.store();
        assert_eq!(store.list_encounters(s.shift).expect("list").len(), 5);
        assert_eq!(store.shift_members(s.shift).expect("members").len(), 3);
        let local = store.shift(s.shift).expect("read").expect("shift");
        assert_eq!(local.status, ShiftStatus::Closed);
        assert_eq!(store.pending_changes().expect("pending"), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_sync_a_first_union_once() {
    let s = two_phones_one_shift(true).await;
    assert_union_once(&s);
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_sync_b_first_union_once() {
    let s = two_phones_one_shift(false).await;
    assert_union_once(&s);
    s.server.stop().await;
}

/// Every batch in the server's journal, sent again (newest first): each
/// gets its stored ack back and the merged records do not change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_batches_change_nothing() {
    let s = two_phones_one_shift(true).await;
    let db = s.db();
    let before = snapshot(&db);
    let journal = journal(&db);
    assert!(journal.len() >= 3, "both phones pushed: {}", journal.len());
    let http = reqwest::Client::new();
    for (device, seq, envelope, ack) in journal.iter().rev() {
        let phone = [&s.a, &s.b]
            .into_iter()
            .find(|p| p.client.credentials().device_id.to_string() == *device)
            .expect("a phone sent it");
        let resp = http
            .post(format!("{}/api/v1/sync/push", s.server.url))
            .bearer_auth(phone.client.credentials().token.as_str())
            .body(envelope.clone())
            .send()
            .await
            .expect("replay");
        assert_eq!(resp.status(), 200, "replay of {device}/{seq}");
        let mut got: serde_json::Value = resp.json().await.expect("ack json");
        let mut stored: serde_json::Value = serde_json::from_str(ack).expect("stored ack");
        // The high-water mark is the device's current one, so phone and
        // server can never drift apart; the rest is the stored ack.
        let last = journal.iter().filter(|j| j.0 == *device).map(|j| j.1).max();
        assert_eq!(got["high_water"].as_i64(), last, "replay of {device}/{seq}");
        got["high_water"] = serde_json::Value::Null;
        stored["high_water"] = serde_json::Value::Null;
        assert_eq!(got, stored, "replay of {device}/{seq} gets the stored ack");
    }
    assert_eq!(snapshot(&db), before);
    assert_eq!(
        journal.len(),
        self::journal(&db).len(),
        "no batch journalled twice"
    );
    s.server.stop().await;
}

/// The team lead approves; an edit phone B made offline before it heard of
/// that is refused by the server, kept, and reported back; both phones
/// then hold the shift as approved and refuse edits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_reaches_both_phones_and_a_late_edit_is_refused_and_reported() {
    let s = two_phones_one_shift(true).await;
    s.b.client
        .sync_once(&s.b.store)
        .await
        .expect("b up to date");
    let db = s.db();
    s.server
        .state
        .db
        .write_blocking(|c| {
            decide_shift(
                c,
                &s.server.state.server_key,
                s.shift,
                Verdict::Approve,
                s.unit.lead,
                now_ms(),
            )
        })
        .expect("approve");

    // B, not yet told, corrects an encounter.
    let mut late =
        s.b.store()
            .encounter(s.encounters[0])
            .expect("read")
            .expect("enc");
    late.youth_count = 3;
    assert!(
        s.b.store()
            .edit_encounter(&late, now_ms())
            .expect("local edit")
    );

    let report_a = s.a.client.sync_once(&s.a.store).await.expect("a syncs");
    assert_eq!(report_a.pull.decisions, 1);
    let report_b = s.b.client.sync_once(&s.b.store).await.expect("b syncs");
    assert_eq!(report_b.push.refused, 1, "the late edit is refused");

    for phone in [&s.a, &s.b] {
        let mut store = phone.store();
        let shift = store.shift(s.shift).expect("read").expect("shift");
        assert_eq!(shift.status, ShiftStatus::Approved);
        let mut e = store
            .encounter(s.encounters[1])
            .expect("read")
            .expect("enc");
        e.youth_count = 4;
        let err = store
            .edit_encounter(&e, now_ms())
            .expect_err("approved is final");
        assert!(err.to_string().contains("approved"), "{err}");
    }
    let refusals = s.b.store().refusals().expect("refusals");
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].change_id_or_record, s.encounters[0].uuid());
    assert_eq!(
        refusals[0].code, "shift_locked",
        "the rule's code reaches the phone, for the worker's own words"
    );
    assert!(
        refusals[0].reason.contains("approved"),
        "{}",
        refusals[0].reason
    );
    assert_eq!(count(&db, "refusals"), 1, "the server keeps it too");
    let snap = snapshot(&db);
    let enc: serde_json::Value =
        serde_json::from_str(&snap[&format!("encounters/{}", s.encounters[0])]).expect("json");
    assert_eq!(enc["youth_count"], 2, "the approved data is unchanged");
    s.server.stop().await;
}

/// The server sends each record as it is now. A phone enrolled after a
/// shift was approved pulls the shift on the first page, already approved,
/// while the signed decision is more than a page later: that unsigned
/// approval is dropped (the store's lock rule), and the approval still
/// reaches it with the decision, and every encounter exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_phone_gets_an_approval_whose_decision_is_pages_after_the_shift() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir.path().join("server.db")).await;
    let unit = seed_unit(&server.state, "Ute Vika");
    let a = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 6 * 60 * MINUTE;
    let shift = a.start_shift(&unit, t0);
    // More encounters than a pull page holds (1,000 entries).
    for i in 0..1_001 {
        a.encounter(shift, t0 + MINUTE + i * 10_000);
    }
    close_and_approve(&server, &unit, &a, shift, None, t0 + 4 * 60 * MINUTE).await;

    let c = Phone::enrol(&server.url, &server.state, unit.id).await;
    let report = c.client.sync_once(&c.store).await.expect("c pulls from 0");
    assert!(report.pull.pages >= 2, "{:?}", report.pull);
    assert_eq!(report.pull.decisions, 1);
    assert!(
        report.pull.unsigned_dropped >= 1,
        "the first page's approval has no decision yet: {:?}",
        report.pull
    );
    {
        let store = c.store();
        let held = store.shift(shift).expect("read").expect("the shift");
        assert_eq!(held.status, ShiftStatus::Approved);
        assert_eq!(store.list_encounters(shift).expect("list").len(), 1_001);
    }
    server.stop().await;
}

/// (device, seq, envelope, ack) of every journalled batch.
fn journal(db: &Path) -> Vec<(String, i64, Vec<u8>, String)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT device_id, seq, envelope, ack FROM batches ORDER BY device_id, seq")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}
