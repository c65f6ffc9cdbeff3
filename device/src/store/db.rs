//! Opening the device database: the SQLCipher key, pragmas and embedded
//! migrations.

use super::error::{Result, StoreError};
use crate::vault::DbKey;
use rusqlite::{Connection, ErrorCode};
use rusqlite_migration::{M, Migrations};
use std::path::Path;
use std::time::Duration;

/// The numbered migrations, embedded in the binary. Append only: a shipped
/// migration is never edited.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../../migrations/0001_init.sql")),
    M::up(include_str!("../../migrations/0002_sync.sql")),
    M::up(include_str!("../../migrations/0003_refusal_code.sql")),
    M::up(include_str!("../../migrations/0004_retention.sql")),
    M::up(include_str!("../../migrations/0005_unit_words.sql")),
    M::up(include_str!("../../migrations/0006_device_secret.sql")),
];

/// The schema migrations, for `open` and for tests that validate them.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// Opens (creating if need be) the encrypted database at `path` with `key`,
/// sets the pragmas and brings the schema up to date.
///
/// # Errors
/// [`StoreError::NoCipher`] if this build linked SQLite without SQLCipher,
/// [`StoreError::WrongKey`] if the file does not open with `key`,
/// [`StoreError::Db`] if SQLite fails, [`StoreError::Migration`] if the
/// schema cannot be migrated.
pub fn open(path: &Path, key: &DbKey) -> Result<Connection> {
    let mut conn = keyed(path, key)?;
    configure(&conn)?;
    migrations().to_latest(&mut conn)?;
    Ok(conn)
}

/// Opens today's plain (unencrypted) file format, as versions before the
/// encrypted store wrote it: only for the upgrade's source, its test
/// fixtures and the bench's baseline. The app never creates one.
///
/// # Errors
/// As [`open`], less the key errors.
pub fn open_plain(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrations().to_latest(&mut conn)?;
    Ok(conn)
}

/// An empty, migrated database in memory: a placeholder while the real
/// store is closed (the wipe). Nothing in it reaches a disk.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Migration`].
pub fn open_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", true)?;
    migrations().to_latest(&mut conn)?;
    Ok(conn)
}

/// A connection to `path` with the key applied and proven: SQLCipher is
/// linked (a silently plain build must not start) and the first page
/// decrypts. Nothing else is read or written.
///
/// # Errors
/// [`StoreError::NoCipher`], [`StoreError::WrongKey`], [`StoreError::Db`].
pub fn keyed(path: &Path, key: &DbKey) -> Result<Connection> {
    let conn = Connection::open(path)?;
    // The key pragma must come first; a raw key (x'..') skips SQLCipher's
    // passphrase KDF, which a random 256-bit key does not need.
    conn.execute_batch(&key.pragma())?;
    let version: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    if version.is_none_or(|v| v.is_empty()) {
        return Err(StoreError::NoCipher);
    }
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(StoreError::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL: readers never block the writer, and a commit is one append.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(super::StoreError::Corrupt(format!(
            "journal mode {mode:?} instead of wal; the database file system may not support it"
        )));
    }
    // FULL, not NORMAL: in WAL mode NORMAL survives a process crash but can
    // lose the last committed transactions on power loss or an OS crash,
    // because the WAL is only synced at checkpoints. On a phone a battery
    // pull or a forced reboot is ordinary, and a saved encounter must
    // survive it (DOMAIN.md rule 5). FULL syncs the WAL at every commit.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().expect("migrations validate");
    }

    #[test]
    fn open_sets_pragmas() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = DbKey::generate().expect("key");
        let conn = open(&dir.path().join("t.db"), &key).expect("open");
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("pragma");
        assert_eq!(sync, 2, "synchronous must be FULL");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("pragma");
        assert_eq!(fk, 1);
    }

    #[test]
    fn sqlcipher_is_linked() {
        let conn = Connection::open_in_memory().expect("memory");
        let v: String = conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))
            .expect("cipher_version answers");
        assert!(!v.is_empty());
    }

    #[test]
    fn another_key_is_a_typed_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        drop(open(&path, &DbKey::generate().expect("key")).expect("open"));
        let err = open(&path, &DbKey::generate().expect("key")).expect_err("wrong key");
        assert!(matches!(err, StoreError::WrongKey), "{err:?}");
    }
}
