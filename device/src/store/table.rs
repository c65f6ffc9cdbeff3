//! What the per-table query modules share: a record with its tombstone and
//! field stamps, the trait each record table implements, column helpers.

use super::clocks::Clocks;
use super::error::Result;
use feltlogg_core::record::Record;
use rusqlite::types::{FromSql, Type};
use rusqlite::{Connection, Row};
use serde::de::DeserializeOwned;
use std::str::FromStr;
use uuid::Uuid;

/// A record as stored: its values, its tombstone and its field stamps.
#[derive(Clone, Debug)]
pub(crate) struct Stored<T> {
    /// The typed record.
    pub rec: T,
    /// The `_deleted` tombstone.
    pub deleted: bool,
    /// Per-field HLC stamps.
    pub clocks: Clocks,
}

/// A record kind with its own table (one query module per table).
pub(crate) trait Table: Record + Sized {
    /// The record's id.
    fn uuid(&self) -> Uuid;
    /// Reads one record, deleted or not.
    fn load(conn: &Connection, id: Uuid) -> Result<Option<Stored<Self>>>;
    /// Inserts or replaces one record.
    fn save(conn: &Connection, stored: &Stored<Self>) -> Result<()>;
}

/// Reads a column stored as text and parsed with `FromStr` (ids, wire names).
pub(crate) fn parsed<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(idx)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads a column stored as JSON text.
pub(crate) fn json<T: DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads an optional plain column.
pub(crate) fn opt<T: FromSql>(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<T>> {
    row.get(idx)
}

/// Reads a column holding a vocabulary wire name, parsed with `parse`
/// (e.g. `ShiftStatus::parse`).
pub(crate) fn wire<T>(
    row: &Row<'_>,
    idx: usize,
    parse: fn(&str) -> feltlogg_core::Result<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}
