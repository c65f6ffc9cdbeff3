//! Queries on the `partial_record` table: pulled records not yet whole,
//! kept as merged state until their remaining fields arrive.

use super::error::Result;
use feltlogg_core::change::RecordState;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// The merged state of a partial record.
pub(crate) fn get(conn: &Connection, id: Uuid) -> Result<Option<RecordState>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT state_json FROM partial_record WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

/// Stores a partial record's state.
pub(crate) fn put(conn: &Connection, id: Uuid, state: &RecordState) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO partial_record (id, kind, state_json) VALUES (?1, ?2, ?3)",
        params![
            id.to_string(),
            state.kind.as_str(),
            serde_json::to_string(state)?
        ],
    )?;
    Ok(())
}

/// Forgets a partial record (it became whole).
pub(crate) fn remove(conn: &Connection, id: Uuid) -> Result<()> {
    conn.execute("DELETE FROM partial_record WHERE id = ?1", [id.to_string()])?;
    Ok(())
}
