//! Backup while serving and restore: the copy is consistent and checked;
//! restore refuses a newer database and a copy under another key, and gives
//! the restored database a new epoch that phones then meet.

use crate::util::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use feltlogg_core::ShiftStatus;
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::{
    Ack, Decision, LossReceipt, LossReport, SeqRange, SigningKey, sign_decision,
};
use feltlogg_server::backup::{self, BackupError};
use feltlogg_server::db::{copies, losses, server_key, settings};
use feltlogg_server::{AppState, now_ms};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn db_path(env: &Env) -> PathBuf {
    env.state.db.path().to_owned()
}

/// A fresh directory holding only the server's key file, as after a disk
/// was lost and the key was put back from where it was kept.
fn new_home(env: &Env) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("feltlogg.db");
    std::fs::copy(
        server_key::path_for(&db_path(env)),
        server_key::path_for(&db),
    )
    .expect("copy key file");
    (dir, db)
}

async fn push_ok(env: &Env, phone: &Phone, sealed: Vec<u8>) -> Ack {
    let (status, body) = env.push(phone, sealed).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).expect("ack")
}

fn check_copy(path: &Path) {
    let conn = Connection::open(path).expect("open copy");
    assert_eq!(copies::integrity_check(&conn).expect("check"), Ok(()));
    // Every device's high-water mark matches its journal: one commit's state.
    let mismatched: i64 = conn
        .query_row(
            "SELECT count(*) FROM devices d WHERE d.high_water <>
               (SELECT count(*) FROM batches b WHERE b.device_id = d.id)",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(mismatched, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_phones_push_is_consistent_and_restores() {
    let env = Env::new();
    let mut phones = Vec::new();
    for _ in 0..8 {
        phones.push(env.enrol().await);
    }
    let mut sealed = Vec::new();
    for phone in &mut phones {
        let (s, _, changes) = started_shift(&env, phone);
        let mut batches = vec![phone.next(changes)];
        for _ in 0..5 {
            let e = encounter(s.id);
            let c = phone.create(e.id.uuid(), &e);
            batches.push(phone.next(vec![c]));
        }
        sealed.push(batches);
    }
    let env = std::sync::Arc::new(env);
    let phones = std::sync::Arc::new(phones);
    let mut pushers = Vec::new();
    for (i, batches) in sealed.into_iter().enumerate() {
        let (env, phones) = (env.clone(), phones.clone());
        pushers.push(tokio::spawn(async move {
            for b in batches {
                push_ok(&env, &phones[i], b).await;
            }
        }));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("copy.db");
    let (db, copy) = (db_path(&env), out.clone());
    let report = tokio::task::spawn_blocking(move || backup::backup(&db, &copy))
        .await
        .expect("join")
        .expect("backup");
    for p in pushers {
        p.await.expect("pusher");
    }
    assert_eq!(report.key_file, server_key::path_for(&db_path(&env)));
    assert!(report.bytes > 0);
    check_copy(&out);
    let err = backup::backup(&db_path(&env), &out).expect_err("never overwrites");
    assert!(matches!(err, BackupError::Exists(_)), "{err}");

    let (_home, restored) = new_home(&env);
    let r = backup::restore(&restored, &out, "test", now_ms()).expect("restore");
    assert!(r.key_checked && r.moved_aside.is_none());
    assert_eq!(r.log_end, report.log_end);
    let state = AppState::open(&restored).expect("restored database opens");
    let epoch = state
        .db
        .with(|c| settings::epoch(c).map_err(feltlogg_server::ApiError::from));
    assert_ne!(epoch.expect("epoch"), env.db(|c| settings::epoch(c)));
    check_copy(&restored);
}

/// A phone that has pushed a started shift, and a backup of the server
/// taken right after (the copy lives as long as the returned directory).
async fn backed_up_after_a_shift(
    env: &Env,
) -> (
    Phone,
    feltlogg_core::record::Shift,
    tempfile::TempDir,
    PathBuf,
) {
    let mut phone = env.enrol().await;
    let (s, _, changes) = started_shift(env, &mut phone);
    let sealed = phone.next(changes);
    push_ok(env, &phone, sealed).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.db");
    backup::backup(&db_path(env), &copy).expect("backup");
    (phone, s, dir, copy)
}

#[tokio::test]
async fn restore_refuses_a_newer_database_and_another_key() {
    let env = Env::new();
    let (mut phone, _, _dir, copy) = backed_up_after_a_shift(&env).await;
    // The same database after one more change is newer than the copy.
    let e = encounter(feltlogg_core::ids::ShiftId::new());
    let c = phone.create(e.id.uuid(), &e);
    let sealed = phone.next(vec![c]);
    push_ok(&env, &phone, sealed).await;
    let err = backup::restore(&db_path(&env), &copy, "test", now_ms()).expect_err("newer");
    assert!(matches!(err, BackupError::Newer { .. }), "{err}");
    assert!(err.to_string().contains("move"), "{err}");

    // A copy under another server's key.
    let other = Env::new();
    let (_home, target) = new_home(&other);
    let err = backup::restore(&target, &copy, "test", now_ms()).expect_err("other key");
    assert!(matches!(err, BackupError::OtherKey { .. }), "{err}");
    assert!(!target.exists(), "nothing written");

    // No key file at all.
    let bare = tempfile::tempdir().expect("temp dir");
    let err =
        backup::restore(&bare.path().join("x.db"), &copy, "test", now_ms()).expect_err("no key");
    assert!(matches!(err, BackupError::Key { .. }), "{err}");
}

#[tokio::test]
async fn phones_meet_the_restored_server_by_epoch_cursor_and_high_water() {
    let env = Env::new();
    let (mut phone, s, _dir, copy) = backed_up_after_a_shift(&env).await;
    let e = encounter(s.id);
    let c = phone.create(e.id.uuid(), &e);
    let second = phone.next(vec![c]);
    let old = push_ok(&env, &phone, second.clone()).await;
    let cursor = env.pull(&phone, 0).await.cursor;

    let (_home, target) = new_home(&env);
    backup::restore(&target, &copy, "test", now_ms()).expect("restore");
    let restored = Env::at(&target, &env);
    let (status, body) = restored.pull_raw(&phone, cursor).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(json(&body)["code"], "cursor_ahead");
    let page = restored.pull(&phone, 0).await;
    assert_eq!(page.high_water, Some(1), "the server lacks batch 2");
    assert_ne!(page.epoch, old.epoch);
    assert_eq!(restored.count(RecordKind::Encounter), 1);
    // The very same sealed bytes apply again, once.
    let again = push_ok(&restored, &phone, second.clone()).await;
    assert_eq!(
        (again.applied, again.epoch.as_str()),
        (1, page.epoch.as_str())
    );
    push_ok(&restored, &phone, second).await;
    assert_eq!(restored.count(RecordKind::Encounter), 2);
}

async fn post_lost(env: &Env, phone: &Phone, report: &LossReport) -> (StatusCode, Vec<u8>) {
    env.send(
        Request::post("/api/v1/sync/lost")
            .header("authorization", format!("Bearer {}", phone.enrolled.token))
            .header("content-type", "application/json")
            .body(Body::from(serde_json::to_vec(report).expect("json")))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn lost_batches_and_decisions_are_recorded_only_as_reported_and_signed() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (s, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    push_ok(&env, &phone, sealed).await;
    let range = |from, to| LossReport {
        lost_batches: Some(SeqRange { from, to }),
        decisions: vec![],
    };
    // A range must start right after what the server holds (seq 1).
    let (status, body) = post_lost(&env, &phone, &range(3, 4)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json(&body)["message"]
            .as_str()
            .expect("m")
            .contains("seq 2")
    );
    let (status, body) = post_lost(&env, &phone, &range(2, 4)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let receipt: LossReceipt = serde_json::from_slice(&body).expect("receipt");
    assert_eq!(receipt.high_water, 4);
    let (status, _) = post_lost(&env, &phone, &range(2, 4)).await;
    assert_eq!(status, StatusCode::OK, "a retry is fine");
    let listed = env.db(|c| losses::batch_losses(c, None));
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].from, listed[0].to), (2, 4));
    // The next batch is seq 5.
    phone.seq = 4;
    let e = encounter(s.id);
    let c = phone.create(e.id.uuid(), &e);
    let sealed = phone.next(vec![c]);
    assert_eq!(push_ok(&env, &phone, sealed).await.seq, 5);

    // A decision signed by another key is refused, and nothing is kept.
    let decision = Decision {
        shift_id: s.id,
        status: ShiftStatus::Approved,
        comment: None,
        decided_at_ms: now_ms(),
        decided_by: env.lead,
        server_seq: 9,
    };
    let (other, _) = SigningKey::generate().expect("key");
    let forged = LossReport {
        lost_batches: None,
        decisions: vec![sign_decision(&decision, &other).expect("sign")],
    };
    let (status, body) = post_lost(&env, &phone, &forged).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json(&body)["code"], "bad_signature");
    assert!(env.db(|c| losses::needing_decision(c, None)).is_empty());
    // Signed by this server and not held: the shift needs a decision again.
    let genuine = LossReport {
        lost_batches: None,
        decisions: vec![sign_decision(&decision, &env.state.server_key).expect("sign")],
    };
    let (status, body) = post_lost(&env, &phone, &genuine).await;
    assert_eq!(status, StatusCode::OK);
    let receipt: LossReceipt = serde_json::from_slice(&body).expect("receipt");
    assert_eq!(receipt.decisions_recorded, 1);
    let needing = env.db(|c| losses::needing_decision(c, None));
    assert_eq!(needing.len(), 1);
    assert_eq!(
        (needing[0].shift, needing[0].lost_status.as_str()),
        (s.id, "approved")
    );
}

fn cli(args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_feltlogg-server"))
        .args(["--by", "drift"])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run feltlogg-server");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn the_backup_and_restore_commands_say_what_to_keep_and_refuse_plainly() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    push_ok(&env, &phone, sealed).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.db");
    let db = db_path(&env);
    let (ok, text) = cli(&[
        "--db".as_ref(),
        db.as_os_str(),
        "backup".as_ref(),
        "--out".as_ref(),
        copy.as_os_str(),
    ]);
    assert!(ok, "{text}");
    assert!(text.contains("integrity check: ok"), "{text}");
    assert!(
        text.contains(".signing-key"),
        "says to keep the key file: {text}"
    );
    let (ok, text) = cli(&[
        "--db".as_ref(),
        db.as_os_str(),
        "backup".as_ref(),
        "--out".as_ref(),
        copy.as_os_str(),
    ]);
    assert!(!ok && text.contains("exists already"), "{text}");

    let (_home, target) = new_home(&env);
    let (ok, text) = cli(&[
        "--db".as_ref(),
        target.as_os_str(),
        "restore".as_ref(),
        "--from".as_ref(),
        copy.as_os_str(),
    ]);
    assert!(ok, "{text}");
    assert!(text.contains("new epoch"), "{text}");
    assert_eq!(
        Env::at(&target, &env).count(RecordKind::Encounter),
        env.count(RecordKind::Encounter)
    );
}
