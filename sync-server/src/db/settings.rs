//! `settings`: dashboard settings as key and text value.

use rusqlite::{Connection, OptionalExtension, params};

/// The setting that holds the small-number threshold of the dashboard and
/// its exports.
pub const SUPPRESS_BELOW: &str = "suppress_below";

/// A setting's value.
pub fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// Sets a setting.
pub fn set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
