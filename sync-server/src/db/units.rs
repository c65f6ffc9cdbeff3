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

/// Whether `unit`'s workers may confirm a name finding as "not a person"
/// (on for a unit that has set nothing, or that is unknown).
pub fn confirmations(conn: &Connection, unit: UnitId) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT not_a_person FROM units WHERE id = ?1")?
        .query_row([unit.to_string()], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(true))
}

/// Turns `unit`'s "not a person" confirmations on or off; `false` when
/// there is no such unit.
pub fn set_confirmations(conn: &Connection, unit: UnitId, on: bool) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE units SET not_a_person = ?2 WHERE id = ?1",
        params![unit.to_string(), on],
    )?;
    Ok(n == 1)
}

/// The units with the given ids, by name.
pub fn with_ids(conn: &Connection, ids: &[UnitId]) -> rusqlite::Result<Vec<Unit>> {
    let json = super::review::filter_json(Some(ids));
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, bydel FROM units WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY name",
    )?;
    let rows = stmt.query_map([json], row)?;
    rows.collect()
}
