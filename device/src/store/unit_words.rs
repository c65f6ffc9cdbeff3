//! Queries on the `unit_words` table: the unit's words and its "not a
//! person" setting as the last pull that carried them sent them.

use super::error::Result;
use feltlogg_core::words::UnitWords;
use rusqlite::{Connection, OptionalExtension, params};

/// The stored words and setting; `None` before the first pull that
/// carried them.
pub(crate) fn get(conn: &Connection) -> Result<Option<UnitWords>> {
    let row: Option<(String, bool)> = conn
        .query_row(
            "SELECT words, not_a_person FROM unit_words WHERE singleton = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(words, confirmations)| {
        Ok(UnitWords {
            words: serde_json::from_str(&words)?,
            confirmations,
        })
    })
    .transpose()
}

/// Replaces them (call inside a transaction, or alone: one statement).
pub(crate) fn replace(conn: &Connection, words: &UnitWords) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO unit_words (singleton, words, not_a_person) VALUES (1, ?1, ?2)",
        params![serde_json::to_string(&words.words)?, words.confirmations],
    )?;
    Ok(())
}
