//! The store at rest: encrypted files, a wrong key refused, the upgrade of a
//! plain store from the version before (also when killed at each step), a
//! store that will not open set aside, and the wipe.

mod common;

use common::*;
use feltlogg_device::store::{Store, StoreError};
use feltlogg_device::vault::{self, FileKeyStore, KeyStore, VaultError, upgrade};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A note no page of an encrypted file should contain.
const NOTE: &str = "snakket om skolen og om fritidsklubben ved elva";
const CHILD_DIR: &str = "FELTLOGG_UPGRADE_CHILD_DIR";
const CHILD_STEP: &str = "FELTLOGG_UPGRADE_CHILD_STEP";

fn keys(dir: &Path) -> FileKeyStore {
    FileKeyStore::new(dir.join(vault::KEY_FILE))
}

/// The store's files: the database and the WAL and shm beside it.
fn store_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_no_plain_bytes(db: &Path) {
    let files = store_files(db);
    assert!(
        files.len() >= 2,
        "the WAL must be there to be checked too: {files:?}"
    );
    for f in files {
        let bytes = std::fs::read(&f).expect("read store file");
        assert!(
            !bytes.starts_with(b"SQLite format 3"),
            "{} is a plain SQLite file",
            f.display()
        );
        assert!(
            !contains(&bytes, NOTE.as_bytes()),
            "{} holds the note in clear",
            f.display()
        );
        assert!(
            !contains(&bytes, "Bjørn".as_bytes()),
            "{} holds a worker name",
            f.display()
        );
    }
}

/// An enrolled store in `dir` with a shift, three encounters with the note
/// and a referral, opened by `open`.
fn fill(store: &mut Store) -> usize {
    let unit = feltlogg_core::ids::UnitId::new();
    store
        .init_device(feltlogg_core::ids::DeviceId::new(), unit)
        .expect("enrol");
    let (a, b) = (worker(unit, "Aud", PIN_A), worker(unit, "Bjørn", PIN_B));
    store
        .replace_directory(&[a.clone(), b.clone()])
        .expect("directory");
    let shift = store
        .start_shift(BYDEL, "", &[(a.id, PIN_A), (b.id, PIN_B)], T0)
        .expect("start");
    for i in 0..3 {
        let e = store
            .add_encounter(encounter(shift, T0 + 10 + i, Some(NOTE)), T0 + 10 + i)
            .expect("save");
        if i == 0 {
            store
                .add_referral(e, feltlogg_core::ReferralService::ALL[0], None, T0 + 20)
                .expect("referral");
        }
    }
    store.pending_changes().expect("pending")
}

#[test]
fn no_store_file_holds_the_note_or_a_plain_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = vault::open(dir.path(), &keys(dir.path()))
        .expect("open")
        .store;
    fill(&mut store);
    let db = dir.path().join(vault::DB_FILE);
    assert_no_plain_bytes(&db);
    drop(store);
    for f in store_files(&db) {
        let bytes = std::fs::read(&f).expect("read");
        assert!(
            !contains(&bytes, NOTE.as_bytes()),
            "{} after close",
            f.display()
        );
    }
}

#[test]
fn a_wrong_key_is_a_typed_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join(vault::DB_FILE);
    drop(vault::open(dir.path(), &keys(dir.path())).expect("open"));
    let other = vault::DbKey::generate().expect("key");
    assert!(matches!(
        Store::open(&db, &other),
        Err(StoreError::WrongKey)
    ));
    // And a plain file is no encrypted store either.
    let plain = dir.path().join("plain.db");
    drop(Store::open_plain(&plain).expect("plain"));
    assert!(matches!(
        Store::open(&plain, &other),
        Err(StoreError::WrongKey)
    ));
}

/// Today's plain store as the version before wrote it, with its plain
/// credentials file, in `dir`; returns what it holds.
fn plain_fixture(dir: &Path) -> (usize, usize) {
    let db = dir.join(vault::DB_FILE);
    let mut store = Store::open_plain(&db).expect("plain store");
    let pending = fill(&mut store);
    let count = store.encounter_count().expect("count");
    drop(store);
    std::fs::write(
        dir.join(vault::LEGACY_CREDENTIALS_FILE),
        br#"{"fixture":true}"#,
    )
    .expect("creds");
    assert!(upgrade::is_plain(&db).expect("header"));
    (count, pending)
}

fn assert_upgraded(dir: &Path, count: usize, pending: usize) {
    let opened = vault::open(dir, &keys(dir)).expect("open after upgrade");
    assert!(opened.set_aside.is_none());
    assert_eq!(opened.store.encounter_count().expect("count"), count);
    assert_eq!(
        opened.store.pending_changes().expect("pending"),
        pending,
        "the outbox survives"
    );
    assert_eq!(
        opened
            .store
            .list_shifts_today(T0 + 100)
            .expect("shifts")
            .len(),
        1
    );
    let creds = opened.store.credentials().expect("creds").expect("adopted");
    assert_eq!(creds.as_slice(), br#"{"fixture":true}"#);
    assert!(
        !dir.join(vault::LEGACY_CREDENTIALS_FILE).exists(),
        "the plain credentials file is gone"
    );
    let db = dir.join(vault::DB_FILE);
    assert!(!upgrade::is_plain(&db).expect("header"));
    assert!(!PathBuf::from(format!("{}.encrypting", db.display())).exists());
    assert_no_plain_bytes(&db);
}

#[test]
fn a_plain_store_upgrades_with_every_row_and_the_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (count, pending) = plain_fixture(dir.path());
    assert!(count == 3 && pending > 3);
    let opened = vault::open(dir.path(), &keys(dir.path())).expect("upgrade");
    assert!(opened.upgraded);
    drop(opened);
    assert_upgraded(dir.path(), count, pending);
}

/// Not a test on its own: the child of `killed_at_each_step_*`. Converts the
/// store in its directory and aborts (no destructors, no clean close) right
/// after the named step is on disk.
#[test]
fn upgrade_child() {
    let (Ok(dir), Ok(step)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_STEP)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let key = vault::get_or_create(&keys(&dir)).expect("key");
    let stop = upgrade::Step::ALL
        .into_iter()
        .find(|s| format!("{s:?}") == step)
        .expect("step name");
    upgrade::convert(&dir.join(vault::DB_FILE), &key, &mut |s| {
        if s == stop {
            std::process::abort();
        }
    })
    .expect("convert");
}

#[test]
fn killed_at_each_step_of_the_upgrade_the_next_start_has_every_row() {
    let exe = std::env::current_exe().expect("test binary");
    for step in upgrade::Step::ALL {
        let dir = tempfile::tempdir().expect("tempdir");
        let (count, pending) = plain_fixture(dir.path());
        let status = Command::new(&exe)
            .args([
                "--exact",
                "upgrade_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, dir.path())
            .env(CHILD_STEP, format!("{step:?}"))
            .status()
            .expect("run child");
        assert!(!status.success(), "the child must die at {step:?}");
        let db = dir.path().join(vault::DB_FILE);
        let still_plain = upgrade::is_plain(&db).expect("header");
        assert_eq!(
            still_plain,
            step != upgrade::Step::Replaced,
            "after {step:?}"
        );
        assert_upgraded(dir.path(), count, pending);
    }
}

#[test]
fn a_store_whose_key_is_gone_is_set_aside_not_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ks = keys(dir.path());
    let mut store = vault::open(dir.path(), &ks).expect("open").store;
    fill(&mut store);
    drop(store);
    let before = std::fs::read(dir.path().join(vault::DB_FILE)).expect("db");
    ks.delete().expect("lose the key, as a restored phone does");
    let opened = vault::open(dir.path(), &ks).expect("open again");
    let aside = opened.set_aside.clone().expect("set aside");
    assert_eq!(
        std::fs::read(&aside).expect("aside kept"),
        before,
        "kept byte for byte"
    );
    assert_eq!(
        opened.store.encounter_count().expect("count"),
        0,
        "a new, empty store"
    );
    assert!(
        opened.store.device().is_none(),
        "the phone must enrol again"
    );
    // The next start opens the new store and leaves the set-aside file.
    drop(opened);
    let again = vault::open(dir.path(), &ks).expect("third open");
    assert!(again.set_aside.is_none());
    assert!(aside.exists());
}

#[test]
fn a_keystore_that_fails_touches_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(vault::open(dir.path(), &keys(dir.path())).expect("open"));
    // A directory where the key file should be: the read fails.
    let broken = FileKeyStore::new(dir.path().to_path_buf());
    let err = vault::open(dir.path(), &broken).expect_err("must fail");
    assert!(matches!(err, VaultError::Keystore(_)), "{err:?}");
    assert!(
        vault::open(dir.path(), &keys(dir.path()))
            .expect("still opens")
            .set_aside
            .is_none()
    );
}

#[test]
fn wipe_deletes_the_key_then_every_store_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ks = keys(dir.path());
    let mut store = vault::open(dir.path(), &ks).expect("open").store;
    fill(&mut store);
    drop(store);
    std::fs::write(dir.path().join("unrelated.txt"), b"x").expect("other file");
    vault::wipe(dir.path(), &ks).expect("wipe");
    assert!(
        ks.get().expect("keystore answers").is_none(),
        "the key is gone"
    );
    assert!(
        store_files(&dir.path().join(vault::DB_FILE)).is_empty(),
        "the files are gone"
    );
    assert!(
        dir.path().join("unrelated.txt").exists(),
        "only Feltlogg's files"
    );
}
