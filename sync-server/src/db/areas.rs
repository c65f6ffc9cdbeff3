//! `areas`: the areas (bydeler) units work in, as data.

use feltlogg_core::area::Area;
use rusqlite::{Connection, params};

/// Number of areas stored.
pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM areas", [], |r| r.get(0))
}

/// Adds an area (or renames one with the same code).
pub fn insert(conn: &Connection, area: &Area) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO areas (code, name) VALUES (?1, ?2)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name",
        params![area.code, area.name],
    )?;
    Ok(())
}

/// Whether an area with `code` exists.
pub fn exists(conn: &Connection, code: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM areas WHERE code = ?1)",
        [code],
        |r| r.get(0),
    )
}

/// Every area, by code.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Area>> {
    let mut stmt = conn.prepare_cached("SELECT code, name FROM areas ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Area {
            code: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    rows.collect()
}
