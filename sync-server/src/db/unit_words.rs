//! `unit_words`: each unit's own words, and the municipality-wide list
//! (`unit_id` NULL), that the screen never takes for a person's name.

use feltlogg_core::ids::UnitId;
use rusqlite::{Connection, OptionalExtension, params};

/// One word on a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Row id (what the remove button names).
    pub id: i64,
    /// The word or phrase as the lead typed it (trimmed).
    pub word: String,
    /// Who added it (the username at the time).
    pub added_by: String,
    /// When, Unix ms.
    pub added_ms: i64,
}

/// Adds `word` to the list of `unit` (`None`: the municipality's);
/// `false` when the list holds it already (in any case).
pub fn insert(
    conn: &Connection,
    unit: Option<UnitId>,
    word: &str,
    added_by: &str,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO unit_words (unit_id, word, folded, added_by, added_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![
            unit.map(|u| u.to_string()),
            word,
            word.to_lowercase(),
            added_by,
            now_ms
        ])?;
    Ok(n == 1)
}

/// Removes word `id` from the list of `unit` (`None`: the
/// municipality's); the word removed, or `None` when that list has no
/// such word.
pub fn delete(
    conn: &Connection,
    unit: Option<UnitId>,
    id: i64,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "DELETE FROM unit_words WHERE id = ?1 AND coalesce(unit_id, '') = ?2 RETURNING word",
    )?
    .query_row(params![id, scope_key(unit)], |r| r.get(0))
    .optional()
}

/// The list of `unit` (`None`: the municipality's), by word.
pub fn list(conn: &Connection, unit: Option<UnitId>) -> rusqlite::Result<Vec<Word>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, word, added_by, added_ms FROM unit_words
          WHERE coalesce(unit_id, '') = ?1 ORDER BY folded, id",
    )?;
    let rows = stmt.query_map([scope_key(unit)], |r| {
        Ok(Word {
            id: r.get(0)?,
            word: r.get(1)?,
            added_by: r.get(2)?,
            added_ms: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Every word `unit`'s screen allows: its own and the municipality's,
/// sorted, each once.
pub fn for_unit(conn: &Connection, unit: UnitId) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT min(word) FROM unit_words WHERE unit_id = ?1 OR unit_id IS NULL
          GROUP BY folded ORDER BY folded",
    )?;
    let rows = stmt.query_map([unit.to_string()], |r| r.get(0))?;
    rows.collect()
}

fn scope_key(unit: Option<UnitId>) -> String {
    unit.map(|u| u.to_string()).unwrap_or_default()
}
