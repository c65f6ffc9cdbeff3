//! The server's Ed25519 signing key. It signs the decisions phones trust
//! (an approval locks a shift on every phone of the unit) and every pull
//! page, so whoever holds it can speak for the server.
//!
//! It lives in its own file beside the database, `<db>.signing-key`
//! (PKCS#8, mode 0600), not in the database: copies of the database
//! (backups, a file handed to support, a test restore) then never carry
//! it, and the file's permissions say plainly who can read it. A key file
//! readable by others is refused, as OpenSSH refuses such a private key.
//! Databases from before kept the key in the `server_key` table; opening
//! one moves the key out to the file and empties the table.

use super::DbError;
use feltlogg_core::sync::SigningKey;
use rusqlite::{Connection, OptionalExtension};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The key file of the database at `db`.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".signing-key");
    PathBuf::from(name)
}

/// The key file of the database `conn` has open.
fn key_path(conn: &Connection) -> Result<PathBuf, DbError> {
    match conn.path() {
        Some(db) if !db.is_empty() => Ok(path_for(Path::new(db))),
        _ => Err(bad(
            "an in-memory database has no place for a signing key file",
        )),
    }
}

fn bad(message: impl Into<String>) -> DbError {
    DbError::ServerKey(message.into())
}

/// Makes sure the key file exists: moves a key kept in the database out to
/// it, or makes a fresh key. Runs inside the caller's seeding transaction;
/// the file is complete before the table row is deleted, so a crash in
/// between leaves both, which the next open reconciles.
///
/// # Errors
/// [`DbError::ServerKey`] when the file cannot be written or read, is not
/// a key, is readable by others, or differs from the key in the database.
pub fn ensure(conn: &Connection) -> Result<(), DbError> {
    let path = key_path(conn)?;
    let legacy: Option<Zeroizing<Vec<u8>>> = conn
        .query_row("SELECT pkcs8 FROM server_key WHERE id = 1", [], |r| {
            r.get::<_, Vec<u8>>(0).map(Zeroizing::new)
        })
        .optional()?;
    if !path.exists() {
        let pkcs8 = match &legacy {
            Some(pkcs8) => pkcs8.clone(),
            None => SigningKey::generate().map_err(|e| bad(e.to_string()))?.1,
        };
        write_new(&path, &pkcs8)?;
    }
    let on_disk = read(&path)?;
    if let Some(legacy) = legacy {
        if *legacy != *on_disk {
            return Err(bad(format!(
                "{} holds another signing key than the database; keep the one phones have pinned and remove the other",
                path.display()
            )));
        }
        conn.execute("DELETE FROM server_key", [])?;
        tracing::info!(file = %path.display(), "signing key moved out of the database");
    }
    Ok(())
}

/// Loads the key from the key file of the database `conn` has open.
///
/// # Errors
/// [`DbError::ServerKey`] when the file is missing, readable by others or
/// not a PKCS#8 Ed25519 key; the message names the file.
pub fn load(conn: &Connection) -> Result<SigningKey, DbError> {
    let path = key_path(conn)?;
    SigningKey::from_pkcs8(&read(&path)?).map_err(|e| {
        bad(format!(
            "{} is not a usable signing key: {e}",
            path.display()
        ))
    })
}

fn read(path: &Path) -> Result<Zeroizing<Vec<u8>>, DbError> {
    let unreadable = |e: std::io::Error| bad(format!("cannot read {}: {e}", path.display()));
    let mode = fs::metadata(path).map_err(unreadable)?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(bad(format!(
            "{} can be read by others (mode {:o}); run chmod 600 on it",
            path.display(),
            mode & 0o777
        )));
    }
    fs::read(path).map(Zeroizing::new).map_err(unreadable)
}

/// Writes `pkcs8` to `path`, 0600 from the start and synced, without ever
/// replacing an existing file: written to a private temporary name, then
/// hard-linked into place, which fails if another process got there first
/// (its key then stands, and `ensure` reads it back).
fn write_new(path: &Path, pkcs8: &[u8]) -> Result<(), DbError> {
    let failed = |e: std::io::Error| bad(format!("cannot write {}: {e}", path.display()));
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let _ = fs::remove_file(&tmp);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(failed)?;
    file.write_all(pkcs8)
        .and_then(|()| file.sync_all())
        .map_err(failed)?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(failed(e)),
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;
    use rusqlite::params;

    fn temp() -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("s.db");
        Ok((dir, db))
    }

    /// Puts a fresh key into the table, as databases from before key files
    /// kept it.
    fn keep_key_inside(conn: &Connection) -> anyhow::Result<SigningKey> {
        let (key, pkcs8) = SigningKey::generate()?;
        conn.execute(
            "INSERT INTO server_key (id, pkcs8, public_key, created_ms) VALUES (1, ?1, ?2, 0)",
            params![pkcs8.as_slice(), key.public_key().0.as_slice()],
        )?;
        Ok(key)
    }

    fn err_text(r: Result<Connection, DbError>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_fresh_database_gets_a_private_key_file_and_no_key_inside() -> anyhow::Result<()> {
        let (_dir, path) = temp()?;
        let conn = db::open(&path)?;
        let file = path_for(&path);
        assert_eq!(fs::metadata(&file)?.permissions().mode() & 0o777, 0o600);
        let rows: i64 = conn.query_row("SELECT count(*) FROM server_key", [], |r| r.get(0))?;
        assert_eq!(rows, 0, "the database holds no key");
        let first = load(&conn)?.public_key();
        drop(conn);
        assert_eq!(
            load(&db::open(&path)?)?.public_key(),
            first,
            "reopened, same key"
        );
        Ok(())
    }

    #[test]
    fn a_key_kept_in_an_older_database_moves_to_the_file() -> anyhow::Result<()> {
        let (_dir, path) = temp()?;
        let conn = db::open(&path)?;
        let key = keep_key_inside(&conn)?;
        drop(conn);
        fs::remove_file(path_for(&path))?;
        let conn = db::open(&path)?;
        assert_eq!(
            load(&conn)?.public_key(),
            key.public_key(),
            "the pinned key kept"
        );
        let rows: i64 = conn.query_row("SELECT count(*) FROM server_key", [], |r| r.get(0))?;
        assert_eq!(rows, 0, "moved out, not copied");
        Ok(())
    }

    #[test]
    fn a_key_file_others_can_read_is_refused() -> anyhow::Result<()> {
        let (_dir, path) = temp()?;
        drop(db::open(&path)?);
        fs::set_permissions(path_for(&path), fs::Permissions::from_mode(0o644))?;
        let msg = err_text(db::open(&path));
        assert!(msg.contains("chmod 600") && msg.contains("644"), "{msg}");
        Ok(())
    }

    #[test]
    fn a_damaged_key_file_is_named() -> anyhow::Result<()> {
        let (_dir, path) = temp()?;
        let conn = db::open(&path)?;
        fs::write(path_for(&path), b"not a key")?;
        let msg = load(&conn).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("s.db.signing-key is not a usable signing key"),
            "{msg}"
        );
        Ok(())
    }

    #[test]
    fn a_file_and_a_database_with_different_keys_are_refused() -> anyhow::Result<()> {
        let (_dir, path) = temp()?;
        let conn = db::open(&path)?;
        keep_key_inside(&conn)?;
        drop(conn);
        let msg = err_text(db::open(&path));
        assert!(msg.contains("another signing key"), "{msg}");
        Ok(())
    }
}
