//! `backup` and `restore`: a consistent copy of the database taken while
//! the server serves, and putting one back without losing what phones
//! still hold.
//!
//! The copy is made with SQLite's online backup API in one step, that is
//! inside one read transaction: under WAL the server keeps writing, and
//! the copy is the database as of one commit. It is checked with
//! `integrity_check` before it gets its final name. The signing key is not
//! in it (on purpose, see [`crate::db::server_key`]): keep the key file too.
//!
//! Restore refuses a copy made under another server key and refuses to
//! replace a healthy database that is newer than the copy (its log runs
//! further). The restored database gets a new epoch: phones that meet it
//! re-send the sealed batches the server lacks and pull from the start.

use crate::db::audit::{self, Actor};
use crate::db::{changelog, copies, server_key, settings};
use feltlogg_core::sync::SigningKey;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a backup or restore did not happen. Nothing was replaced then.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A file named on the command line is missing.
    #[error("{0} does not exist; check the path")]
    Missing(PathBuf),
    /// The backup would overwrite a file.
    #[error("{0} exists already; a backup never overwrites a file, choose another name")]
    Exists(PathBuf),
    /// The copy (or a database) failed SQLite's integrity check.
    #[error("{file} failed the integrity check ({problems}); do not use it")]
    Damaged {
        /// The file checked.
        file: PathBuf,
        /// What SQLite listed.
        problems: String,
    },
    /// Not a Feltlogg server database.
    #[error("{0} is not a feltlogg server database (no settings table)")]
    NotFeltlogg(PathBuf),
    /// Copy or database belongs to another server key than the key file.
    #[error(
        "{file} belongs to another server key than {key_file}; phones trust only the key they pinned, so restore a copy made by this server, with its key file"
    )]
    OtherKey {
        /// The database or copy.
        file: PathBuf,
        /// The key file.
        key_file: PathBuf,
    },
    /// The database in place is newer than the copy.
    #[error(
        "{db} is newer than the copy (its log ends at {db_end}, the copy's at {copy_end}); restore only replaces a lost or damaged database: if the copy must win, move {db} (and its -wal and -shm files) aside first"
    )]
    Newer {
        /// The database in place.
        db: PathBuf,
        /// Where its log ends.
        db_end: u64,
        /// Where the copy's log ends.
        copy_end: u64,
    },
    /// The signing key file cannot be used.
    #[error(
        "the signing key {file} cannot be used ({detail}); put back the key file kept with the backups"
    )]
    Key {
        /// The key file.
        file: PathBuf,
        /// What failed.
        detail: String,
    },
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("{what} {}: {source}", .file.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        file: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// What a backup made.
#[derive(Debug)]
pub struct BackupReport {
    /// The copy.
    pub copy: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Where the copy's change log ends.
    pub log_end: u64,
    /// The key file to keep beside it (not in the copy).
    pub key_file: PathBuf,
}

/// What a restore did.
#[derive(Debug)]
pub struct RestoreReport {
    /// Where the restored copy's change log ends.
    pub log_end: u64,
    /// The restored database's new epoch.
    pub epoch: String,
    /// The damaged or older database moved aside, if there was one.
    pub moved_aside: Option<PathBuf>,
    /// False when the copy predates recorded server keys (not checked).
    pub key_checked: bool,
}

/// [`backup`], then the audit entry `backup` by `by` in the database
/// copied (a copy holds every record: the log says who took one, and
/// where). The entry follows the checked copy, so it is not in the copy.
///
/// # Errors
/// As [`backup`]; SQLite errors writing the entry (the copy is kept then).
pub fn backup_by(
    db: &Path,
    out: &Path,
    by: &Actor,
    now_ms: i64,
) -> Result<BackupReport, BackupError> {
    let report = backup(db, out)?;
    let mut src = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    src.busy_timeout(Duration::from_secs(5))?;
    let tx = src.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let detail = format!("log_end={} bytes={}", report.log_end, report.bytes);
    let target = report.copy.display().to_string();
    audit::record(&tx, now_ms, by, "backup", &target, &detail)?;
    tx.commit()?;
    Ok(report)
}

/// Copies the database at `db` to `out` while the server may be serving,
/// and checks the copy.
///
/// # Errors
/// [`BackupError`]: `db` missing, `out` existing, the copy damaged, or
/// SQLite and file errors. No file named `out` exists after an error.
pub fn backup(db: &Path, out: &Path) -> Result<BackupReport, BackupError> {
    if !db.exists() {
        return Err(BackupError::Missing(db.to_owned()));
    }
    if out.exists() {
        return Err(BackupError::Exists(out.to_owned()));
    }
    let src = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    src.busy_timeout(Duration::from_secs(5))?;
    let partial = with_suffix(out, ".partial");
    remove_if_present(&partial)?;
    let log_end = copy_checked(&src, &partial).inspect_err(|_| {
        let _ = fs::remove_file(&partial);
    })?;
    sync_file(&partial)?;
    rename(&partial, out)?;
    let bytes = fs::metadata(out).map_err(io("cannot read", out))?.len();
    tracing::info!(copy = %out.display(), bytes, log_end, "backup taken");
    Ok(BackupReport {
        copy: out.to_owned(),
        bytes,
        log_end,
        key_file: server_key::path_for(db),
    })
}

/// Copies `src` to a new file `dst` in one backup step (one read
/// transaction, so one consistent state), makes it one self-contained
/// file and checks it; returns where its log ends.
fn copy_checked(src: &Connection, dst: &Path) -> Result<u64, BackupError> {
    let mut out = Connection::open(dst)?;
    copy_all(src, &mut out)?;
    copies::single_file(&out)?;
    check(&out, dst)?;
    if !copies::has_settings(&out)? {
        return Err(BackupError::NotFeltlogg(dst.to_owned()));
    }
    Ok(changelog::max_seq(&out)?)
}

/// Most tries of a backup step the source's lock holder keeps busy.
const BUSY_TRIES: u32 = 200;

/// Copies every page in ONE step: one read transaction on the source, so
/// the copy is the state of one commit even while the server writes (a
/// step-by-step copy would restart on every write from another process).
fn copy_all(src: &Connection, dst: &mut Connection) -> Result<(), BackupError> {
    let backup = Backup::new(src, dst)?;
    for _ in 0..BUSY_TRIES {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(25)),
        }
    }
    Err(BackupError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed locked for 5 s; try the backup again".into()),
    )))
}

fn check(conn: &Connection, file: &Path) -> Result<(), BackupError> {
    copies::integrity_check(conn)?.map_err(|problems| BackupError::Damaged {
        file: file.to_owned(),
        problems,
    })
}

/// Puts the copy `from` in place of the database `db` (stopped server),
/// with a new epoch. `who` names the operator in the audit log.
///
/// # Errors
/// [`BackupError`]: the copy missing, damaged or under another key; the
/// key file missing; a healthy database in place that is newer or under
/// another key; SQLite and file errors. `db` is untouched on error.
pub fn restore(
    db: &Path,
    from: &Path,
    who: &str,
    now_ms: i64,
) -> Result<RestoreReport, BackupError> {
    if !from.exists() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    let key_file = server_key::path_for(db);
    let public = load_public(&key_file)?;
    let copy = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    check(&copy, from)?;
    if !copies::has_settings(&copy)? {
        return Err(BackupError::NotFeltlogg(from.to_owned()));
    }
    let key_checked = same_key(&copy, &public, from, &key_file)?;
    let copy_end = changelog::max_seq(&copy)?;
    let moved_aside = if db.exists() {
        check_in_place(db, &public, &key_file, copy_end)?;
        Some(move_aside(db, now_ms)?)
    } else {
        None
    };
    let restoring = with_suffix(db, ".restoring");
    remove_if_present(&restoring)?;
    let epoch =
        write_restored(&copy, &restoring, &public, from, who, now_ms).inspect_err(|_| {
            let _ = fs::remove_file(&restoring);
        })?;
    sync_file(&restoring)?;
    rename(&restoring, db)?;
    tracing::info!(db = %db.display(), from = %from.display(), log_end = copy_end, %epoch, "database restored");
    Ok(RestoreReport {
        log_end: copy_end,
        epoch,
        moved_aside,
        key_checked,
    })
}

/// Writes the copy to `dst` with a new epoch and an audit entry.
fn write_restored(
    copy: &Connection,
    dst: &Path,
    public: &str,
    from: &Path,
    who: &str,
    now_ms: i64,
) -> Result<String, BackupError> {
    let mut out = Connection::open(dst)?;
    copy_all(copy, &mut out)?;
    copies::single_file(&out)?;
    let tx = out.transaction()?;
    let epoch = settings::new_epoch(&tx)?;
    settings::remember_server_key(&tx, public)?;
    let detail = format!("new epoch {epoch}");
    audit::insert(
        &tx,
        now_ms,
        None,
        who,
        "restore",
        &from.display().to_string(),
        &detail,
    )?;
    tx.commit()?;
    check(&out, dst)?;
    Ok(epoch)
}

/// Checks the recorded server key of `conn` against `public`; false when
/// none is recorded (a database from before keys were recorded).
fn same_key(
    conn: &Connection,
    public: &str,
    file: &Path,
    key_file: &Path,
) -> Result<bool, BackupError> {
    match settings::get(conn, settings::SERVER_PUBLIC_KEY)? {
        Some(recorded) if recorded == public => Ok(true),
        Some(_) => Err(BackupError::OtherKey {
            file: file.to_owned(),
            key_file: key_file.to_owned(),
        }),
        None => Ok(false),
    }
}

/// A database already at `db` may be replaced only when it is damaged, or
/// healthy under the same key and not newer than the copy.
fn check_in_place(
    db: &Path,
    public: &str,
    key_file: &Path,
    copy_end: u64,
) -> Result<(), BackupError> {
    let healthy = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()
        .filter(|c| matches!(copies::integrity_check(c), Ok(Ok(()))));
    let Some(conn) = healthy else {
        tracing::warn!(db = %db.display(), "database in place is damaged; replacing it");
        return Ok(());
    };
    same_key(&conn, public, db, key_file)?;
    let db_end = changelog::max_seq(&conn)?;
    if db_end > copy_end {
        return Err(BackupError::Newer {
            db: db.to_owned(),
            db_end,
            copy_end,
        });
    }
    Ok(())
}

/// Moves `db` and its `-wal` and `-shm` files to `<db>.replaced-<ms>`;
/// never deletes them. A stale `-wal` must not meet the restored file.
fn move_aside(db: &Path, now_ms: i64) -> Result<PathBuf, BackupError> {
    let aside = with_suffix(db, &format!(".replaced-{now_ms}"));
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(db, suffix);
        if side.exists() {
            rename(&side, &with_suffix(&aside, suffix))?;
        }
    }
    rename(db, &aside)?;
    Ok(aside)
}

/// The public half (base64) of the key in `key_file`.
fn load_public(key_file: &Path) -> Result<String, BackupError> {
    let failed = |detail: String| BackupError::Key {
        file: key_file.to_owned(),
        detail,
    };
    let pkcs8 = zeroize::Zeroizing::new(fs::read(key_file).map_err(|e| failed(e.to_string()))?);
    let key = SigningKey::from_pkcs8(&pkcs8).map_err(|e| failed(e.to_string()))?;
    Ok(key.public_key().to_base64())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn io<'a>(what: &'static str, file: &'a Path) -> impl FnOnce(std::io::Error) -> BackupError + 'a {
    move |source| BackupError::Io {
        what,
        file: file.to_owned(),
        source,
    }
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io("cannot remove", path)(e)),
        _ => Ok(()),
    }
}

fn rename(from: &Path, to: &Path) -> Result<(), BackupError> {
    fs::rename(from, to).map_err(io("cannot move", from))?;
    // The rename is durable once the directory is synced.
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io("cannot sync", dir))?;
    }
    Ok(())
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io("cannot sync", path))
}
