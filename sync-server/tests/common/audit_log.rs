//! Shared by the `server` and `dashboard` test binaries: reading the audit
//! log, breaking it on the real file, and a whole-database snapshot, so a
//! test can show that an action whose audit entry failed left nothing.

use rusqlite::Connection;
use rusqlite::types::Value;

/// The audit log's rows, oldest first, as (action, username).
pub fn audit_rows(c: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = c.prepare("SELECT action, username FROM audit_log ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Makes every audit insert fail (as a full disk or a broken log would),
/// with a trigger on the real database file.
pub fn break_audit_log(c: &Connection) -> rusqlite::Result<()> {
    c.execute_batch(
        "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END;",
    )
}

/// Undoes [`break_audit_log`].
pub fn mend_audit_log(c: &Connection) -> rusqlite::Result<()> {
    c.execute_batch("DROP TRIGGER audit_refused")
}

/// Every row of every table as text, sorted per table: what "nothing
/// changed" compares.
pub fn snapshot(c: &Connection) -> rusqlite::Result<Vec<(String, Vec<String>)>> {
    let tables: Vec<String> = {
        let mut stmt = c.prepare(
            "SELECT name FROM sqlite_master
              WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\""))?;
        let n = stmt.column_count();
        let rows = stmt.query_map([], |r| {
            let values: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
            Ok(format!("{values:?}"))
        })?;
        let mut rows: Vec<String> = rows.collect::<Result<_, _>>()?;
        rows.sort();
        out.push((t, rows));
    }
    Ok(out)
}
