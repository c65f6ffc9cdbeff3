//! Queries on the `areas` table: areas as data, seeded with Oslo's bydeler.

use super::error::Result;
use feltlogg_core::area::Area;
use rusqlite::{Connection, params};

/// Seeds Oslo's bydeler when the table is empty (first open).
pub(crate) fn seed_if_empty(conn: &Connection) -> Result<()> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM areas", [], |r| r.get(0))?;
    if n == 0 {
        replace(conn, &feltlogg_core::area::oslo_bydeler())?;
    }
    Ok(())
}

/// Replaces every area (call inside a transaction).
pub(crate) fn replace(conn: &Connection, areas: &[Area]) -> Result<()> {
    conn.execute("DELETE FROM areas", [])?;
    let mut stmt =
        conn.prepare_cached("INSERT OR REPLACE INTO areas (code, name) VALUES (?1, ?2)")?;
    for a in areas {
        stmt.execute(params![a.code, a.name])?;
    }
    Ok(())
}

/// Every area, by code.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Area>> {
    let mut stmt = conn.prepare_cached("SELECT code, name FROM areas ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Area {
            code: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether `code` is a known area.
pub(crate) fn exists(conn: &Connection, code: &str) -> Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM areas WHERE code = ?1")?;
    Ok(stmt.exists([code])?)
}
