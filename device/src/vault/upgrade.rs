//! Converting a plain store (versions before the encrypted one) into an
//! encrypted one, without losing a row.
//!
//! Each step leaves the disk in a state the next start can finish from:
//! until the final rename the plain file is the store and a half-made copy
//! is thrown away; after it the encrypted file is the store. So a kill at
//! any point ends, on the next start, with every row and the outbox.

use super::error::{Result, VaultError};
use super::files::{SIDECARS, remove_if_present, sync_dir, with_suffix};
use super::key::DbKey;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The first 16 bytes of every plain SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A durable step of the conversion, reported to the caller's hook after
/// it is on disk (tests stop the process there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The plain store's WAL is folded into its file and removed.
    Checkpointed,
    /// The encrypted copy is written beside it.
    Exported,
    /// The copy's row counts and schema version match the plain store's.
    Verified,
    /// The copy has replaced the plain file.
    Replaced,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 4] = [
        Step::Checkpointed,
        Step::Exported,
        Step::Verified,
        Step::Replaced,
    ];
}

/// Whether the file at `path` is a plain (unencrypted) SQLite database.
///
/// # Errors
/// [`VaultError::Io`] when it cannot be read.
pub fn is_plain(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(VaultError::io("read", path))?;
    match f.read_exact(&mut head) {
        Ok(()) => Ok(&head == PLAIN_HEADER),
        // Shorter than a header: an empty file SQLite has not written yet.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(VaultError::io("read", path)(e)),
    }
}

/// Where the encrypted copy is written before it replaces the plain file.
pub(crate) fn copy_path(db: &Path) -> PathBuf {
    with_suffix(db, ".encrypting")
}

/// Converts the plain store at `db` in place into one encrypted with `key`,
/// calling `after` once each [`Step`] is durable.
///
/// # Errors
/// [`VaultError::Mismatch`] when the copy does not match (the plain store
/// is kept), [`VaultError::Io`] or [`VaultError::Store`] on a failure.
pub fn convert(db: &Path, key: &DbKey, after: &mut dyn FnMut(Step)) -> Result<()> {
    checkpoint(db)?;
    after(Step::Checkpointed);
    let copy = copy_path(db);
    export(db, &copy, key)?;
    after(Step::Exported);
    verify(db, &copy, key)?;
    after(Step::Verified);
    std::fs::rename(&copy, db).map_err(VaultError::io("rename", &copy))?;
    sync_dir(db);
    after(Step::Replaced);
    Ok(())
}

/// Folds the WAL into the file and leaves rollback-journal mode, so the
/// plain store is one file and no stale WAL can meet the encrypted one.
fn checkpoint(db: &Path) -> Result<()> {
    let conn = Connection::open(db)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    drop(conn);
    for s in SIDECARS {
        remove_if_present(&with_suffix(db, s)).map_err(VaultError::io("remove", db))?;
    }
    Ok(())
}

/// Writes the encrypted copy with `sqlcipher_export`, which copies schema
/// and rows but not `user_version`; without it the migrations would run
/// again on the copy.
fn export(db: &Path, copy: &Path, key: &DbKey) -> Result<()> {
    for p in std::iter::once(copy.to_path_buf()).chain(SIDECARS.map(|s| with_suffix(copy, s))) {
        remove_if_present(&p).map_err(VaultError::io("remove", &p))?;
    }
    let conn = Connection::open(db)?;
    let copy_str = copy.to_str().ok_or_else(|| VaultError::Io {
        action: "name",
        path: copy.display().to_string(),
        detail: "the path is not valid unicode".into(),
    })?;
    conn.execute(
        "ATTACH DATABASE ?1 AS encrypted KEY ?2",
        [copy_str, key.literal().as_str()],
    )?;
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    conn.execute_batch(&format!(
        "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
    ))?;
    drop(conn);
    std::fs::File::open(copy)
        .and_then(|f| f.sync_all())
        .map_err(VaultError::io("sync", copy))
}

/// Every table's row count and the schema version, plain against copy.
fn verify(db: &Path, copy: &Path, key: &DbKey) -> Result<()> {
    let plain = Connection::open(db)?;
    let enc = crate::store::db::keyed(copy, key)?;
    let mut tables = plain.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names: Vec<String> = tables
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for name in names {
        let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
        let a: i64 = plain.query_row(&sql, [], |r| r.get(0))?;
        let b: i64 = enc.query_row(&sql, [], |r| r.get(0))?;
        if a != b {
            return Err(VaultError::Mismatch(format!(
                "table {name}: {a} rows, copy {b}"
            )));
        }
    }
    let va: i64 = plain.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let vb: i64 = enc.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if va != vb {
        return Err(VaultError::Mismatch(format!(
            "schema version {va}, copy {vb}"
        )));
    }
    Ok(())
}
