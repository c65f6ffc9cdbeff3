//! `units`: the teams that do fieldwork.

use feltlogg_core::ids::UnitId;
use rusqlite::{Connection, OptionalExtension, params};

/// One unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Id.
    pub id: UnitId,
    /// Name, unique.
    pub name: String,
    /// Its area code.
    pub bydel: String,
}

/// Adds a unit.
pub fn insert(conn: &Connection, unit: &Unit, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO units (id, name, bydel, created_ms) VALUES (?1, ?2, ?3, ?4)",
        params![unit.id.to_string(), unit.name, unit.bydel, now_ms],
    )?;
    Ok(())
}

/// Finds a unit by id or by exact name.
pub fn find(conn: &Connection, id_or_name: &str) -> rusqlite::Result<Option<Unit>> {
    conn.query_row(
        "SELECT id, name, bydel FROM units WHERE id = ?1 OR name = ?1",
        [id_or_name],
        row,
    )
    .optional()
}

/// Every unit, by name.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Unit>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, bydel FROM units ORDER BY name")?;
    let rows = stmt.query_map([], row)?;
    rows.collect()
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: super::parse_id(r, 0)?,
        name: r.get(1)?,
        bydel: r.get(2)?,
    })
}
