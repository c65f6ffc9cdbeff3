//! The CLI's commands that change or take out data: each needs `--by`,
//! leaves exactly one audit entry naming that operator, written in the
//! change's transaction (with the audit insert failing, the command fails
//! and the database is as it was). And the database's read door refuses
//! writes.

use crate::common;
use crate::push::phone_close;
use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_core::ids::ShiftId;
use feltlogg_server::db::{DbError, records, server_key};
use std::path::Path;

fn cli(db: &Path, by: Option<&str>, args: &[&str]) -> (bool, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_feltlogg-server"));
    cmd.arg("--db").arg(db);
    if let Some(by) = by {
        cmd.args(["--by", by]);
    }
    let out = cmd
        .args(args)
        .env("RUST_LOG", "warn")
        .env("FELTLOGG_ADMIN_PASSWORD", "korrekt-hest-batteri")
        .env_remove("FELTLOGG_PUBLIC_URL")
        .output()
        .expect("run feltlogg-server");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Two closed shifts of the fixture's unit.
async fn closed_shifts(env: &Env) -> [ShiftId; 2] {
    let mut phone = env.enrol().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (s, _, mut changes) = started_shift(env, &mut phone);
        changes.push(phone_close(&mut phone, s.id));
        let sealed = phone.next(changes);
        let (status, body) = env.push(&phone, sealed).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        ids.push(s.id);
    }
    [ids[0], ids[1]]
}

/// Each command with the operator it names and the entry it must leave.
/// `unit` is the unit the later commands use (the one `unit add` makes,
/// or one that exists already).
fn commands(
    dir: &Path,
    shifts: [ShiftId; 2],
    unit: &str,
) -> Vec<(Vec<String>, &'static str, &'static str)> {
    let out = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let year = jiff::Zoned::now().year().to_string();
    let (approve, ret) = (shifts[0].to_string(), shifts[1].to_string());
    let list = [
        ("init --username sjef", "drift", "admin_init"),
        ("unit add --name UteCli --bydel 030105", "drift", "unit_add"),
        (
            "user add --username nina.cli --display-name Nina --role worker --unit UNIT --pin 246810",
            "drift",
            "user_add",
        ),
        ("enrol-code --unit UNIT", "drift", "enrol_code"),
        ("shift approve --shift APPROVE", "tone", "shift_approve"),
        (
            "shift return --shift RETURN --comment Mangler",
            "tone",
            "shift_return",
        ),
        (
            "export --format csv --period YEAR --out CSV",
            "drift",
            "export",
        ),
        (
            "export --format totals --period YEAR --out TOTALS",
            "drift",
            "export_totals",
        ),
        (
            "feedback-cards --unit UNIT --count 1 --out CARDS",
            "drift",
            "feedback_cards_print",
        ),
        ("backup --out COPY", "drift", "backup"),
    ];
    list.iter()
        .map(|(args, by, action)| {
            let args = args
                .split(' ')
                .map(|a| match a {
                    "APPROVE" => approve.clone(),
                    "RETURN" => ret.clone(),
                    "YEAR" => year.clone(),
                    "UNIT" => unit.to_owned(),
                    "CSV" => out("t.csv"),
                    "TOTALS" => out("t.json"),
                    "CARDS" => out("cards.html"),
                    "COPY" => out("copy.db"),
                    a => a.to_owned(),
                })
                .collect();
            (args, *by, *action)
        })
        .collect()
}

#[tokio::test]
async fn every_changing_command_leaves_one_audit_entry_naming_its_operator() {
    let env = Env::new();
    let shifts = closed_shifts(&env).await;
    let db = env.state.db.path().to_owned();
    let dir = tempfile::tempdir().expect("dir");
    for (args, by, action) in commands(dir.path(), shifts, "UteCli") {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, text) = cli(&db, None, &args);
        assert!(
            !ok && text.contains("--by"),
            "{args:?} without --by: {text}"
        );
        let before = env.db(|c| common::audit_rows(c));
        let (ok, text) = cli(&db, Some(by), &args);
        assert!(ok, "{args:?}: {text}");
        let after = env.db(|c| common::audit_rows(c));
        assert_eq!(
            &after[before.len()..],
            &[(action.to_owned(), by.to_owned())],
            "{args:?}"
        );
    }
    assert_eq!(
        env.db(|c| records::shift_status(c, shifts[0].uuid())),
        Some(ShiftStatus::Approved)
    );

    // Restore writes its entry into the database it puts in place.
    let home = tempfile::tempdir().expect("home");
    let target = home.path().join("feltlogg.db");
    std::fs::copy(server_key::path_for(&db), server_key::path_for(&target)).expect("key");
    let copy = dir.path().join("copy.db");
    let (ok, text) = cli(
        &target,
        Some("drift"),
        &["restore", "--from", &copy.to_string_lossy()],
    );
    assert!(ok, "{text}");
    let restored = rusqlite::Connection::open(&target).expect("open restored");
    let rows = common::audit_rows(&restored).expect("rows");
    assert_eq!(
        rows.last(),
        Some(&("restore".to_owned(), "drift".to_owned()))
    );
}

#[tokio::test]
async fn a_command_whose_audit_entry_fails_changes_nothing() {
    let env = Env::new();
    let shifts = closed_shifts(&env).await;
    let db = env.state.db.path().to_owned();
    let dir = tempfile::tempdir().expect("dir");
    env.db(|c| common::break_audit_log(c));
    let before = env.db(|c| common::snapshot(c));
    let unit = env.unit.to_string();
    for (args, by, _) in commands(dir.path(), shifts, &unit) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, text) = cli(&db, Some(by), &args);
        // The backup's copy is made before its entry; the copy stays.
        if args[0] != "backup" {
            assert!(!ok && text.contains("audit refused"), "{args:?}: {text}");
        }
        assert_eq!(env.db(|c| common::snapshot(c)), before, "{args:?}");
    }
    for name in ["t.csv", "t.json", "cards.html"] {
        assert!(
            !dir.path().join(name).exists(),
            "{name} written without its entry"
        );
    }
    // The trigger was the only obstacle.
    env.db(|c| common::mend_audit_log(c));
    let add = ["unit", "add", "--name", "UteEtter", "--bydel", "030105"];
    let (ok, text) = cli(&db, Some("drift"), &add);
    assert!(ok, "{text}");
}

#[tokio::test]
async fn the_read_door_refuses_writes_and_the_write_door_takes_them() {
    let env = Env::new();
    let insert = "INSERT INTO settings (key, value) VALUES ('probe', 'x')";
    let err = env
        .state
        .db
        .read(move |c| c.execute(insert, []).map_err(DbError::from))
        .await
        .expect_err("a read connection writes nothing");
    assert!(err.to_string().contains("readonly"), "{err}");
    let found = |db: &feltlogg_server::db::Db| {
        db.read_blocking(|c| {
            c.query_row(
                "SELECT count(*) FROM settings WHERE key = 'probe'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(DbError::from)
        })
        .expect("count")
    };
    assert_eq!(found(&env.state.db), 0);
    env.state
        .db
        .write(move |tx| tx.execute(insert, []).map_err(DbError::from))
        .await
        .expect("the write door writes");
    assert_eq!(found(&env.state.db), 1);
    // A write that fails is rolled back whole.
    let err = env
        .state
        .db
        .write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = 'probe'", [])?;
            tx.execute("INSERT INTO no_such_table VALUES (1)", [])?;
            Ok::<_, DbError>(())
        })
        .await
        .expect_err("fails");
    assert!(err.to_string().contains("no_such_table"), "{err}");
    assert_eq!(found(&env.state.db), 1);
}
