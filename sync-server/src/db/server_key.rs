//! `server_key`: the server's Ed25519 signing key (PKCS#8), one row.
//!
//! Kept in the database for now, so a backup of the file is a backup of the
//! key; moving it to a key file or a KMS is a later step.

use super::DbError;
use feltlogg_core::sync::SigningKey;
use rusqlite::{Connection, OptionalExtension, params};

/// Whether the key has been made.
pub fn exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM server_key)", [], |r| r.get(0))
}

/// Makes and stores a fresh key.
///
/// # Errors
/// [`DbError::ServerKey`] if the system's random source fails.
pub fn generate(conn: &Connection, now_ms: i64) -> Result<(), DbError> {
    let (key, pkcs8) = SigningKey::generate().map_err(|e| DbError::ServerKey(e.to_string()))?;
    conn.execute(
        "INSERT INTO server_key (id, pkcs8, public_key, created_ms) VALUES (1, ?1, ?2, ?3)",
        params![pkcs8.as_slice(), key.public_key().0.as_slice(), now_ms],
    )?;
    Ok(())
}

/// Loads the stored key.
///
/// # Errors
/// [`DbError::ServerKey`] when there is none or it is unreadable.
pub fn load(conn: &Connection) -> Result<SigningKey, DbError> {
    let pkcs8: Option<zeroize::Zeroizing<Vec<u8>>> = conn
        .query_row("SELECT pkcs8 FROM server_key WHERE id = 1", [], |r| {
            r.get::<_, Vec<u8>>(0).map(zeroize::Zeroizing::new)
        })
        .optional()?;
    let pkcs8 = pkcs8.ok_or_else(|| DbError::ServerKey("no server key in the database".into()))?;
    SigningKey::from_pkcs8(&pkcs8).map_err(|e| DbError::ServerKey(e.to_string()))
}
