//! Opening the device database: pragmas and embedded migrations.

use super::error::Result;
use rusqlite::Connection;
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
];

/// The schema migrations, for `open` and for tests that validate them.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// Opens (creating if need be) the database at `path`, sets the pragmas and
/// brings the schema up to date.
///
/// # Errors
/// [`super::StoreError::Db`] if SQLite fails, [`super::StoreError::Migration`]
/// if the schema cannot be migrated.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrations().to_latest(&mut conn)?;
    Ok(conn)
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
        let conn = open(&dir.path().join("t.db")).expect("open");
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("pragma");
        assert_eq!(sync, 2, "synchronous must be FULL");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("pragma");
        assert_eq!(fk, 1);
    }
}
