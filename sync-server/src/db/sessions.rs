//! `sessions`: dashboard sign-ins. Only the SHA-256 of the cookie token is
//! stored; the CSRF token of the session's forms sits beside it.

use feltlogg_core::ids::UserId;
use rusqlite::{Connection, OptionalExtension, params};

/// A live session.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// Who is signed in.
    pub user_id: UserId,
    /// The token every form of this session carries.
    pub csrf: String,
    /// When it stops working.
    pub expires_ms: i64,
}

impl std::fmt::Debug for Session {
    // The CSRF token stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("expires_ms", &self.expires_ms)
            .finish_non_exhaustive()
    }
}

/// Stores a new session.
pub fn insert(
    conn: &Connection,
    token_hash: &[u8],
    user: UserId,
    csrf: &str,
    now_ms: i64,
    expires_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_ms, last_seen_ms, expires_ms)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![token_hash, user.to_string(), csrf, now_ms, expires_ms],
    )?;
    Ok(())
}

/// The unexpired session of a token hash.
pub fn get(conn: &Connection, token_hash: &[u8], now_ms: i64) -> rusqlite::Result<Option<Session>> {
    conn.prepare_cached(
        "SELECT user_id, csrf, expires_ms FROM sessions WHERE token_hash = ?1 AND expires_ms > ?2",
    )?
    .query_row(params![token_hash, now_ms], |r| {
        Ok(Session {
            user_id: super::parse_id(r, 0)?,
            csrf: r.get(1)?,
            expires_ms: r.get(2)?,
        })
    })
    .optional()
}

/// Ends one session.
pub fn delete(conn: &Connection, token_hash: &[u8]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Ends every session of a user (deactivation, password reset).
pub fn delete_for_user(conn: &Connection, user: UserId) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1",
        [user.to_string()],
    )
}

/// Drops expired sessions.
pub fn purge_expired(conn: &Connection, now_ms: i64) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM sessions WHERE expires_ms <= ?1", [now_ms])
}
