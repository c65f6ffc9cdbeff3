//! The queries `backup` and `restore` run on a database file and its
//! copies: SQLite's own integrity check and the journal mode.

use rusqlite::Connection;

/// `PRAGMA integrity_check`: `Ok(())` when SQLite answers `ok`, else the
/// problems it lists (at most ten).
pub fn integrity_check(conn: &Connection) -> rusqlite::Result<Result<(), String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(10)")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut problems = Vec::new();
    for row in rows {
        let line = row?;
        if line != "ok" {
            problems.push(line);
        }
    }
    Ok(if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    })
}

/// Makes the file self-contained (rollback journal instead of WAL), so a
/// copy is one file with no `-wal` or `-shm` beside it.
pub fn single_file(conn: &Connection) -> rusqlite::Result<()> {
    let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    Ok(())
}

/// Whether the file has the `settings` table (a Feltlogg server database
/// from migration 0003 on).
pub fn has_settings(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'settings'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}
