//! Crash safety: a child process (this test binary, re-run with an
//! environment variable) saves records in a loop and reports each one after
//! its commit; the parent SIGKILLs it at different moments, reopens the
//! store and checks that every reported record is there, with its outbox
//! change, and that SQLite's integrity check passes.

mod common;

use common::*;
use feltlogg_core::ReferralService;
use feltlogg_core::ids::{EncounterId, ShiftId};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

const CHILD_DB: &str = "FELTLOGG_CRASH_CHILD_DB";
const CHILD_SHIFT: &str = "FELTLOGG_CRASH_CHILD_SHIFT";

/// Not a test on its own: the child process of
/// `committed_operations_survive_sigkill`. It logs encounters (and every
/// third time a referral, every fifth an edit) as fast as it can and prints
/// each id after its transaction committed, until killed.
#[test]
fn crash_child() {
    let (Ok(db), Ok(shift)) = (std::env::var(CHILD_DB), std::env::var(CHILD_SHIFT)) else {
        return;
    };
    let shift: ShiftId = shift.parse().expect("shift id");
    let mut store = feltlogg_device::vault::open_file(Path::new(&db)).expect("child open");
    for i in 0..1_000_000u64 {
        let now = T0 + 1_000 + i64::try_from(i).expect("small");
        let e = store
            .add_encounter(encounter(shift, now, None), now)
            .expect("child add");
        println!("committed encounter {e}");
        if i.is_multiple_of(3) {
            let r = store
                .add_referral(e, ReferralService::ALL[0], None, now)
                .expect("child referral");
            println!("committed referral {r}");
        }
        if i.is_multiple_of(5) {
            let mut x = store.encounter(e).expect("get").expect("there");
            x.youth_count = 7;
            store.edit_encounter(&x, now).expect("child edit");
            println!("committed edit {e}");
        }
    }
}

#[test]
fn committed_operations_survive_sigkill() {
    let mut f = fixture();
    let shift = f.start_ab();
    let path = f.path.clone();
    drop(f.store);
    let exe = std::env::current_exe().expect("test binary");
    let mut committed: Vec<String> = Vec::new();
    for lines_before_kill in [1usize, 7, 60, 250, 600] {
        let mut child = Command::new(&exe)
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &path)
            .env(CHILD_SHIFT, shift.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let out = child.stdout.take().expect("stdout");
        let mut seen = 0;
        for line in BufReader::new(out).lines() {
            let line = line.expect("line");
            if let Some(rest) = line.strip_prefix("committed ") {
                committed.push(rest.to_owned());
                seen += 1;
                if seen == lines_before_kill {
                    break;
                }
            }
        }
        assert_eq!(seen, lines_before_kill, "child stopped early");
        // std's kill is SIGKILL on unix: no destructors, no flush, no checkpoint.
        child.kill().expect("kill");
        child.wait().expect("reap");

        let store = feltlogg_device::vault::open_file(&path).expect("reopen after kill");
        assert!(
            store.integrity_ok().expect("integrity check"),
            "integrity_check after kill"
        );
        let pending: Vec<String> = store
            .outbox_batch(usize::MAX)
            .expect("outbox")
            .into_iter()
            .map(|(_, c)| c.id.to_string())
            .collect();
        let referrals: std::collections::BTreeSet<String> = store
            .list_encounters(shift)
            .expect("list")
            .into_iter()
            .flat_map(|e| store.list_referrals(e.id).expect("referrals"))
            .map(|r| r.id.to_string())
            .collect();
        for entry in &committed {
            let (what, id) = entry.split_once(' ').expect("kind and id");
            match what {
                "encounter" => {
                    let id: EncounterId = id.parse().expect("id");
                    assert!(
                        store.encounter(id).expect("get").is_some(),
                        "lost encounter {id}"
                    );
                }
                "edit" => {
                    let id: EncounterId = id.parse().expect("id");
                    let e = store.encounter(id).expect("get").expect("there");
                    assert_eq!(e.youth_count, 7, "lost edit of {id}");
                }
                _ => assert!(referrals.contains(id), "lost referral {id}"),
            }
            assert!(pending.iter().any(|p| p == id), "no outbox change for {id}");
        }
    }
    assert!(committed.len() >= 918);
}
