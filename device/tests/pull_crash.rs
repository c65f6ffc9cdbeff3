//! Crash safety of a pull page. The page (refusals, directory, areas,
//! words, two decisions, changes, cursor) is applied by a child process
//! (this test binary, re-run with an environment variable) that aborts
//! right after one named write (`store::STEPS`, compiled in only with the
//! test-only `crash-points` feature), for every write of the page in turn.
//! After each crash the store passes its integrity check and holds either
//! nothing of the page or all of it; a restart then pulls from the stored
//! cursor as the app does, and the page is applied exactly once: the store
//! ends the same as one that never crashed, no held decision lost.

mod common;

use common::*;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Record, RecordKind, Shift};
use feltlogg_core::sync::{PullPage, Refusal, SigningKey, VerifyingKey, sign_decision};
use feltlogg_core::words::UnitWords;
use feltlogg_core::{RefusalCode, ShiftStatus};
use feltlogg_device::store::{CRASH_AFTER, RemotePage, STEPS, Store, VerifiedDecision};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Command;

const CHILD_DB: &str = "FELTLOGG_PULL_CRASH_DB";
const CHILD_PAGE: &str = "FELTLOGG_PULL_CRASH_PAGE";

/// The page file: the page and the server key that signed its decisions.
#[derive(serde::Serialize, serde::Deserialize)]
struct PageFile {
    page: PullPage,
    server_key: String,
}

/// As a pull does after a (re)start: fetch from the stored cursor, which
/// here means apply the page only if the cursor is behind it.
fn pull(store: &mut Store, file: &PageFile) {
    let cursor = i64::try_from(file.page.cursor).expect("cursor");
    if store.pull_cursor().expect("cursor") >= cursor {
        return;
    }
    let key = VerifyingKey::from_base64(&file.server_key).expect("key");
    let p = file.page.clone();
    let decisions = p
        .decisions
        .into_iter()
        .map(|d| VerifiedDecision::verify(d, &key).expect("verifies"))
        .collect();
    store
        .apply_remote(RemotePage {
            refused: p.refused,
            directory: p.directory,
            areas: p.areas,
            words: p.words,
            changes: p.changes,
            decisions,
            cursor: Some(cursor),
        })
        .expect("apply page");
}

/// Not a test on its own: the child process of
/// `a_pull_page_killed_after_any_write_applies_exactly_once`.
#[test]
fn pull_crash_child() {
    let (Ok(db), Ok(page)) = (std::env::var(CHILD_DB), std::env::var(CHILD_PAGE)) else {
        return;
    };
    let file: PageFile =
        serde_json::from_slice(&std::fs::read(page).expect("read page")).expect("page");
    let mut store = feltlogg_device::vault::open_file(Path::new(&db)).expect("child open");
    pull(&mut store, &file);
}

/// Copies a closed store and the key file beside it (`vault::key_beside`).
fn copy_store(from: &Path, to: &Path) {
    std::fs::copy(from, to).expect("copy the store");
    let key = |p: &Path| std::path::PathBuf::from(format!("{}.key", p.display()));
    std::fs::copy(key(from), key(to)).expect("copy its key");
}

/// Runs the child on `db`, aborting after `crash` (`step#n`) if given;
/// true when it aborted there, false when it ran to its end.
fn run_child(db: &Path, page: &Path, crash: Option<&str>) -> bool {
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = Command::new(exe);
    cmd.args([
        "pull_crash_child",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_DB, db)
    .env(CHILD_PAGE, page)
    .env_remove(CRASH_AFTER)
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    if let Some(c) = crash {
        cmd.env(CRASH_AFTER, c);
    }
    let status = cmd.status().expect("run child");
    if status.success() {
        return false;
    }
    // SIGABRT (6), from `std::process::abort` at the crash point.
    assert_eq!(
        status.signal(),
        Some(6),
        "child failed otherwise: {status:?}"
    );
    true
}

/// What the store shows of everything a page can write.
fn snapshot(store: &Store, shifts: &[ShiftId]) -> String {
    let mut out = format!(
        "cursor {}\nrefusals {:?}\ndirectory {:?}\nareas {:?}\nwords {:?}\nheld {:?}\n",
        store.pull_cursor().expect("cursor"),
        store.refusals().expect("refusals"),
        store.directory().expect("directory"),
        store.areas().expect("areas"),
        store.unit_words().expect("words"),
        store.held_decisions().expect("held"),
    );
    for s in shifts {
        out.push_str(&format!(
            "shift {:?}\nencounters {:?}\ncomment {:?}\n",
            store.shift(*s).expect("shift"),
            store.list_encounters(*s).expect("encounters"),
            store.decision_comment(*s).expect("comment"),
        ));
    }
    out.push_str(&format!(
        "pending {}\n",
        store.pending_changes().expect("n")
    ));
    out
}

/// The page: for the phone's own closed shift a signed return (and an
/// approval without a decision, dropped); a whole shift from another phone,
/// approved with its decision, and an encounter on it; a refusal, a new
/// directory, areas and words.
fn page(f: &Fixture, own: ShiftId, other: ShiftId) -> PageFile {
    let (key, _) = SigningKey::generate().expect("key");
    let sign = |shift, status, at, comment: Option<&str>| {
        sign_decision(
            &feltlogg_core::sync::Decision {
                shift_id: shift,
                status,
                comment: comment.map(str::to_owned),
                decided_at_ms: at,
                decided_by: f.a,
                server_seq: 40,
            },
            &key,
        )
        .expect("sign")
    };
    let whole = Shift {
        id: other,
        unit_id: f.unit,
        bydel: BYDEL.into(),
        area_note: String::new(),
        started_ms: T0,
        closed_ms: Some(T0 + 5_000),
        status: ShiftStatus::Approved,
        reflection: Some("Rolig".into()),
        not_a_person: Vec::new(),
    };
    let visit = encounter(other, T0 + 1_000, Some("ved kiosken"));
    let mut directory = f.store.directory().expect("directory");
    directory.push(worker(f.unit, "Dagny", "444444"));
    PageFile {
        page: PullPage {
            cursor: 42,
            more: false,
            changes: vec![
                status_change(own, ShiftStatus::Approved, T0 + 50_000),
                server_change(
                    RecordKind::Shift,
                    other.uuid(),
                    whole.to_fields(),
                    T0 + 60_000,
                ),
                server_change(
                    RecordKind::Encounter,
                    visit.id.uuid(),
                    visit.to_fields(),
                    T0 + 1_000,
                ),
            ],
            decisions: vec![
                sign(own, ShiftStatus::Returned, T0 + 50_000, Some("mangler")),
                sign(other, ShiftStatus::Approved, T0 + 60_000, None),
            ],
            refused: vec![Refusal {
                change_id_or_record: own.uuid(),
                kind: RecordKind::Shift,
                batch_seq: 1,
                reason: "syntetisk".into(),
                code: RefusalCode::ShiftLocked,
            }],
            directory: Some(directory),
            areas: Some(vec![feltlogg_core::area::Area {
                code: BYDEL.into(),
                name: "Bydel".into(),
            }]),
            revoked: false,
            epoch: "e1".into(),
            high_water: Some(1),
            words: Some(UnitWords {
                words: vec!["kiosken".into()],
                confirmations: false,
            }),
            revocation: None,
        },
        server_key: key.public_key().to_base64(),
    }
}

#[test]
fn a_pull_page_killed_after_any_write_applies_exactly_once() {
    let mut f = fixture();
    let own = f.start_ab();
    f.store.close_shift(own, None, T0 + 10_000).expect("close");
    let other = ShiftId::new();
    let shifts = [own, other];
    let dir = tempfile::tempdir().expect("temp dir");
    let page_path = dir.path().join("page.json");
    let file = page(&f, own, other);
    std::fs::write(&page_path, serde_json::to_vec(&file).expect("json")).expect("write page");
    let before = snapshot(&f.store, &shifts);
    let base = dir.path().join("base.db");
    let path = f.path.clone();
    drop(f.store);
    copy_store(&path, &base);

    // The page applied once without a crash, and a second pull of it.
    let clean = dir.path().join("clean.db");
    copy_store(&base, &clean);
    assert!(!run_child(&clean, &page_path, None));
    let after = snapshot(
        &feltlogg_device::vault::open_file(&clean).expect("open"),
        &shifts,
    );
    assert_ne!(after, before, "the page changes the store");
    assert!(
        after.contains("Returned") && after.contains("Approved"),
        "{after}"
    );
    assert_eq!(
        feltlogg_device::vault::open_file(&clean)
            .expect("open")
            .held_decisions()
            .expect("held")
            .len(),
        2
    );
    assert!(!run_child(&clean, &page_path, None));
    assert_eq!(
        snapshot(
            &feltlogg_device::vault::open_file(&clean).expect("open"),
            &shifts
        ),
        after
    );

    let mut crashes = 0;
    for step in STEPS {
        for n in 1.. {
            let db = dir.path().join(format!("{step}-{n}.db"));
            copy_store(&base, &db);
            let at = format!("{step}#{n}");
            if !run_child(&db, &page_path, Some(&at)) {
                assert!(n > 1, "the page never wrote {step}");
                break;
            }
            crashes += 1;
            let store = feltlogg_device::vault::open_file(&db).expect("reopen after the crash");
            assert!(store.integrity_ok().expect("integrity"), "after {at}");
            let seen = snapshot(&store, &shifts);
            let whole = if *step == "commit" { &after } else { &before };
            assert_eq!(
                &seen, whole,
                "after a crash at {at}: all of the page or none"
            );
            drop(store);
            // The restart: the app syncs again from the stored cursor.
            assert!(!run_child(&db, &page_path, None));
            let store = feltlogg_device::vault::open_file(&db).expect("reopen after the restart");
            assert_eq!(snapshot(&store, &shifts), after, "after {at} and a restart");
        }
    }
    // Refusals, directory, areas, words, cursor, clock and commit once; two
    // decisions; three changes (the unsigned approval was the whole of its
    // change and goes; the return is made up from its decision).
    assert_eq!(crashes, 12, "crash points");
}
