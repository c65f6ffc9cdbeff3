//! `settings`: dashboard settings as key and text value.

use rusqlite::{Connection, OptionalExtension, params};

/// The setting that holds the small-number threshold of the dashboard and
/// its exports.
pub const SUPPRESS_BELOW: &str = "suppress_below";

/// A setting's value.
pub fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    // Cached: every push and pull reads the epoch.
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
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

/// The database's epoch: a random id named in every ack and pull page,
/// replaced on restore (migration 0006 makes the first).
pub const EPOCH: &str = "epoch";

/// The public half of the server key this database belongs to (base64),
/// so `restore` can refuse a copy made under another key. The private
/// half never enters the database.
pub const SERVER_PUBLIC_KEY: &str = "server_public_key";

/// The database's epoch; empty for a database not yet migrated.
pub fn epoch(conn: &Connection) -> rusqlite::Result<String> {
    Ok(get(conn, EPOCH)?.unwrap_or_default())
}

/// Gives the database a new random epoch (on restore); returns it.
pub fn new_epoch(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row(
        "INSERT INTO settings (key, value) VALUES (?1, lower(hex(randomblob(16))))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         RETURNING value",
        [EPOCH],
        |r| r.get(0),
    )
}

/// Records the server key's public half unless one is recorded already.
pub fn remember_server_key(conn: &Connection, public_b64: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
        params![SERVER_PUBLIC_KEY, public_b64],
    )?;
    Ok(())
}
