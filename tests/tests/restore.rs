//! Backup and restore without loss: two phones log and sync, a backup is
//! taken, they log and sync more (and a team lead approves), the disk dies,
//! the server is restored from the backup and started, the phones sync
//! again: the server holds every change exactly once, the lost approval is
//! undone on the phones and listed as needing a decision. A phone whose
//! retention no longer holds a batch reports the loss. A backup taken while
//! 50 phones push is consistent and restores.

use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::ShiftId;
use feltlogg_device::store::Retention;
use feltlogg_device::sync::SyncReport;
use feltlogg_server::backup;
use feltlogg_server::db::{losses, server_key};
use feltlogg_server::review::decide::{Verdict, decide_shift};
use feltlogg_server::{AppState, now_ms};
use feltlogg_tests::{
    MINUTE, Phone, Server, Unit, count, integrity_ok, remove_db, seed_unit, snapshot,
};
use std::path::Path;
use std::sync::Arc;

async fn sync(phone: &Phone) -> SyncReport {
    phone.client.sync_once(&phone.store).await.expect("sync")
}

fn approve(state: &AppState, unit: &Unit, shift: ShiftId) {
    let key = state.server_key.clone();
    state
        .db
        .write_blocking(|c| decide_shift(c, &key, shift, Verdict::Approve, unit.lead, now_ms()))
        .expect("approve");
}

fn status(phone: &Phone, shift: ShiftId) -> ShiftStatus {
    phone
        .store()
        .shift(shift)
        .expect("read")
        .expect("shift")
        .status
}

fn needing_decision(state: &AppState) -> Vec<ShiftId> {
    state
        .db
        .with(|c| losses::needing_decision(c, None).map_err(feltlogg_server::ApiError::from))
        .expect("query")
        .into_iter()
        .map(|n| n.shift)
        .collect()
}

/// Stops `server`, loses its database as a dead disk would, restores the
/// copy over it and serves it again.
async fn lose_disk_and_restore(server: Server, db: &Path, copy: &Path) -> Server {
    server.stop().await;
    remove_db(db);
    let r = backup::restore(db, copy, "test", now_ms()).expect("restore");
    assert!(r.key_checked);
    Server::start(db).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_from_the_backup_loses_nothing_and_undoes_the_lost_approval() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, copy) = (dir.path().join("server.db"), dir.path().join("backup.db"));
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Løkka");
    let a = Phone::enrol(&server.url, &server.state, unit.id).await;
    let b = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 6 * 60 * MINUTE;

    // Before the backup: a starts a shift and logs; b logs on it too.
    let first = a.start_shift(&unit, t0);
    a.encounter(first, t0 + 10 * MINUTE);
    a.encounter(first, t0 + 20 * MINUTE);
    sync(&a).await;
    sync(&b).await;
    b.encounter(first, t0 + 30 * MINUTE);
    sync(&b).await;
    backup::backup(&db, &copy).expect("backup");

    // After it: more encounters, the close, the lead's approval, a second shift.
    a.encounter(first, t0 + 40 * MINUTE);
    a.store()
        .close_shift(first, Some("Rolig kveld"), t0 + 60 * MINUTE)
        .expect("close");
    sync(&a).await;
    approve(&server.state, &unit, first);
    sync(&b).await;
    let second = b.start_shift(&unit, t0 + 90 * MINUTE);
    for i in 0..3 {
        b.encounter(second, t0 + (100 + 10 * i) * MINUTE);
    }
    sync(&b).await;
    sync(&a).await;
    assert_eq!(status(&a, first), ShiftStatus::Approved);
    assert_eq!(status(&b, first), ShiftStatus::Approved);
    let before = snapshot(&db);
    let journalled = count(&db, "batches");
    assert_eq!(count(&db, "encounters"), 7);

    let server = lose_disk_and_restore(server, &db, &copy).await;
    assert_eq!(
        count(&db, "encounters"),
        3,
        "the copy holds the first three"
    );
    let (a, b) = (a.via(&server.url), b.via(&server.url));
    let mut undone = Vec::new();
    for _ in 0..2 {
        for phone in [&a, &b] {
            let r = sync(phone).await;
            assert_eq!(r.loss_notice(), None, "nothing lost: {r:?}");
            undone.extend(r.pull.recovery.decisions_undone.clone());
            undone.extend(r.push.recovery.decisions_undone.clone());
        }
    }

    // Every change exactly once; only the approval is gone.
    assert_eq!(
        count(&db, "batches"),
        journalled,
        "each batch journalled once"
    );
    assert_eq!(count(&db, "encounters"), 7);
    let after = snapshot(&db);
    let key = format!("shifts/{first}");
    let shift: serde_json::Value = serde_json::from_str(&after[&key]).expect("json");
    assert_eq!(
        shift["status"], "closed",
        "the restored server lost the approval"
    );
    for phone in [&a, &b] {
        assert_eq!(status(phone, first), ShiftStatus::Closed, "approval undone");
        assert_eq!(phone.store().pending_changes().expect("pending"), 0);
        assert_eq!(phone.store().list_encounters(first).expect("list").len(), 4);
        assert_eq!(
            phone.store().list_encounters(second).expect("list").len(),
            3
        );
    }
    assert!(undone.contains(&first), "{undone:?}");
    assert_eq!(needing_decision(&server.state), vec![first]);

    // The lead decides again: the same data as without the restore.
    approve(&server.state, &unit, first);
    sync(&a).await;
    sync(&b).await;
    assert_eq!(status(&a, first), ShiftStatus::Approved);
    assert_eq!(status(&b, first), ShiftStatus::Approved);
    assert!(needing_decision(&server.state).is_empty());
    assert_eq!(snapshot(&db), before);
    assert!(integrity_ok(&db));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_whose_retention_dropped_a_batch_reports_the_loss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, copy) = (dir.path().join("server.db"), dir.path().join("backup.db"));
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Vika");
    let c = Phone::enrol(&server.url, &server.state, unit.id).await;
    // Keeps no acknowledged batch at all.
    let none = Retention {
        days: 30,
        max_bytes: 0,
    };
    c.store().set_retention(none, now_ms()).expect("retention");
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = c.start_shift(&unit, t0);
    sync(&c).await;
    backup::backup(&db, &copy).expect("backup");
    c.encounter(shift, t0 + 10 * MINUTE);
    sync(&c).await;
    c.encounter(shift, t0 + 20 * MINUTE);
    sync(&c).await;
    assert!(
        c.store()
            .acked_batches_after(0)
            .expect("retained")
            .is_empty()
    );

    let server = lose_disk_and_restore(server, &db, &copy).await;
    let c = c.via(&server.url);
    let report = sync(&c).await;
    let notice = report.loss_notice().expect("the loss is reported");
    assert!(
        notice.contains("batches 2–3") && notice.contains("lost"),
        "{notice}"
    );
    let status = feltlogg_device::sync::status(&c.store).expect("status");
    assert_eq!(status.last_error.as_deref(), Some(notice.as_str()));
    let losses = server
        .state
        .db
        .with(|db| losses::batch_losses(db, None).map_err(feltlogg_server::ApiError::from))
        .expect("losses");
    assert_eq!(losses.len(), 1);
    assert_eq!((losses[0].from, losses[0].to), (2, 3));
    // The phone goes on: its next batch applies after the lost ones.
    c.encounter(shift, t0 + 30 * MINUTE);
    let next = sync(&c).await;
    assert_eq!((next.push.batches, next.push.applied), (1, 1));
    assert_eq!(count(&db, "encounters"), 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_50_phones_push_is_consistent_and_restores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, copy) = (dir.path().join("server.db"), dir.path().join("backup.db"));
    let server = Server::start(&db).await;
    let t0 = now_ms() - 5 * 60 * MINUTE;
    let mut phones = Vec::new();
    let mut shifts = Vec::new();
    for n in 0..50 {
        // A unit each: a worker is on one open shift at a time.
        let unit = seed_unit(&server.state, &format!("Ute Storby {n}"));
        let p = Phone::enrol(&server.url, &server.state, unit.id).await;
        shifts.push(p.start_shift(&unit, t0));
        phones.push(Arc::new(p));
    }
    // Each phone logs and pushes in five rounds, so pushes run all along.
    let pushes: Vec<_> = phones
        .iter()
        .zip(shifts)
        .map(|(p, shift)| {
            let p = p.clone();
            tokio::spawn(async move {
                for round in 0..5 {
                    for i in 0..4 {
                        p.encounter(shift, t0 + (round * 4 + i) * MINUTE);
                    }
                    p.client.push_all(&p.store).await?;
                }
                Ok::<_, feltlogg_device::sync::ClientError>(())
            })
        })
        .collect();
    // Take the copy once the pushes are well under way.
    while count(&db, "encounters") < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let (from, to) = (db.clone(), copy.clone());
    let started = std::time::Instant::now();
    let taken = tokio::task::spawn_blocking(move || backup::backup(&from, &to))
        .await
        .expect("join")
        .expect("backup");
    let took = started.elapsed();
    for p in pushes {
        p.await.expect("join").expect("push");
    }
    assert!(integrity_ok(&copy));
    assert_eq!(count(&db, "encounters"), 50 * 20);
    let in_copy = count(&copy, "encounters");
    assert!((200..1000).contains(&in_copy), "taken mid-way: {in_copy}");
    // One commit's state: every device's high-water mark matches its journal.
    let conn = rusqlite::Connection::open(&copy).expect("open copy");
    let torn: i64 = conn
        .query_row(
            "SELECT count(*) FROM devices d WHERE d.high_water <>
               (SELECT count(*) FROM batches b WHERE b.device_id = d.id)",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(torn, 0);
    drop(conn);
    eprintln!(
        "backup during 50 pushes: {} bytes in {took:?} (with integrity_check), log up to {}, {in_copy} of 1000 encounters",
        taken.bytes, taken.log_end
    );

    // It restores, under the same key, beside a kept key file.
    let home = tempfile::tempdir().expect("temp dir");
    let restored = home.path().join("server.db");
    std::fs::copy(server_key::path_for(&db), server_key::path_for(&restored)).expect("key");
    backup::restore(&restored, &copy, "test", now_ms()).expect("restore");
    AppState::open(&restored).expect("the restored database opens");
    assert!(integrity_ok(&restored));
    assert_eq!(count(&restored, "encounters"), in_copy);
    server.stop().await;
}
