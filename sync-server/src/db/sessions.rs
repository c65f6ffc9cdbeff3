//! `sessions`: dashboard sign-ins. Only the SHA-256 of the cookie token is
//! stored; the CSRF token of the session's forms sits beside it, with where
//! and how the session began. Also `known_browsers` (device cookies) and
//! `oidc_pending` (OpenID sign-ins under way), stored the same way.

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
    /// When it was last used (to the minute).
    pub last_seen_ms: i64,
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

/// Stores a new session (no address or browser noted: tests, the CLI).
pub fn insert(
    conn: &Connection,
    token_hash: &[u8],
    user: UserId,
    csrf: &str,
    now_ms: i64,
    expires_ms: i64,
) -> rusqlite::Result<()> {
    let origin = Origin {
        addr: String::new(),
        user_agent: String::new(),
        method: "password".into(),
    };
    insert_from(conn, token_hash, user, csrf, &origin, now_ms, expires_ms)
}

/// Where and how a session began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The peer address.
    pub addr: String,
    /// The browser's User-Agent, shortened.
    pub user_agent: String,
    /// `password` or `oidc`.
    pub method: String,
}

/// Stores a new session with where and how it began.
pub fn insert_from(
    conn: &Connection,
    token_hash: &[u8],
    user: UserId,
    csrf: &str,
    origin: &Origin,
    now_ms: i64,
    expires_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_ms, last_seen_ms, expires_ms,
                               addr, user_agent, method)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8)",
        params![
            token_hash,
            user.to_string(),
            csrf,
            now_ms,
            expires_ms,
            origin.addr,
            origin.user_agent,
            origin.method
        ],
    )?;
    Ok(())
}

/// One of a user's live sessions, as their sessions page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The token's hash (to mark the viewer's own session).
    pub token_hash: Vec<u8>,
    /// When it began.
    pub created_ms: i64,
    /// When it was last used (to the minute).
    pub last_seen_ms: i64,
    /// Where and how it began.
    pub origin: Origin,
}

/// A user's unexpired sessions, newest first.
pub fn list_for_user(
    conn: &Connection,
    user: UserId,
    now_ms: i64,
) -> rusqlite::Result<Vec<Listed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT token_hash, created_ms, last_seen_ms, addr, user_agent, method FROM sessions
          WHERE user_id = ?1 AND expires_ms > ?2 ORDER BY created_ms DESC",
    )?;
    let rows = stmt.query_map(params![user.to_string(), now_ms], |r| {
        Ok(Listed {
            token_hash: r.get(0)?,
            created_ms: r.get(1)?,
            last_seen_ms: r.get(2)?,
            origin: Origin {
                addr: r.get(3)?,
                user_agent: r.get(4)?,
                method: r.get(5)?,
            },
        })
    })?;
    rows.collect()
}

/// Notes that a session was used (callers do it at most once a minute).
pub fn touch(conn: &Connection, token_hash: &[u8], now_ms: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sessions SET last_seen_ms = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now_ms])?;
    Ok(())
}

/// The unexpired session of a token hash.
pub fn get(conn: &Connection, token_hash: &[u8], now_ms: i64) -> rusqlite::Result<Option<Session>> {
    conn.prepare_cached(
        "SELECT user_id, csrf, expires_ms, last_seen_ms FROM sessions
          WHERE token_hash = ?1 AND expires_ms > ?2",
    )?
    .query_row(params![token_hash, now_ms], |r| {
        Ok(Session {
            user_id: super::parse_id(r, 0)?,
            csrf: r.get(1)?,
            expires_ms: r.get(2)?,
            last_seen_ms: r.get(3)?,
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

/// The user a known browser's token hash belongs to.
pub fn known_browser(conn: &Connection, token_hash: &[u8]) -> rusqlite::Result<Option<UserId>> {
    conn.prepare_cached("SELECT user_id FROM known_browsers WHERE token_hash = ?1")?
        .query_row([token_hash], |r| super::parse_id(r, 0))
        .optional()
}

/// Remembers a browser that signed in to `user`.
pub fn remember_browser(
    conn: &Connection,
    token_hash: &[u8],
    user: UserId,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO known_browsers (token_hash, user_id, created_ms, last_used_ms)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (token_hash) DO UPDATE SET last_used_ms = excluded.last_used_ms",
        params![token_hash, user.to_string(), now_ms],
    )?;
    Ok(())
}

/// Forgets known browsers unused since `before_ms`.
pub fn forget_browsers(conn: &Connection, before_ms: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM known_browsers WHERE last_used_ms < ?1",
        [before_ms],
    )
}

/// An OpenID sign-in under way.
#[derive(Clone, PartialEq, Eq)]
pub struct Pending {
    /// SHA-256 of the browser cookie that started it.
    pub browser_hash: Vec<u8>,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier.
    pub pkce_verifier: String,
    /// Where to go afterwards (a checked local path).
    pub next: String,
    /// When it began.
    pub created_ms: i64,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("created_ms", &self.created_ms)
            .finish_non_exhaustive()
    }
}

/// Stores a sign-in under way under its state's hash.
pub fn insert_pending(conn: &Connection, state_hash: &[u8], p: &Pending) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO oidc_pending (state_hash, browser_hash, nonce, pkce_verifier, next, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![state_hash, p.browser_hash, p.nonce, p.pkce_verifier, p.next, p.created_ms],
    )?;
    Ok(())
}

/// Takes (reads and deletes) the sign-in under way of a state's hash: a
/// state works once.
pub fn take_pending(conn: &Connection, state_hash: &[u8]) -> rusqlite::Result<Option<Pending>> {
    let found = conn
        .prepare_cached(
            "SELECT browser_hash, nonce, pkce_verifier, next, created_ms FROM oidc_pending
              WHERE state_hash = ?1",
        )?
        .query_row([state_hash], |r| {
            Ok(Pending {
                browser_hash: r.get(0)?,
                nonce: r.get(1)?,
                pkce_verifier: r.get(2)?,
                next: r.get(3)?,
                created_ms: r.get(4)?,
            })
        })
        .optional()?;
    conn.execute(
        "DELETE FROM oidc_pending WHERE state_hash = ?1",
        [state_hash],
    )?;
    Ok(found)
}

/// Drops sign-ins under way begun before `before_ms`.
pub fn purge_pending(conn: &Connection, before_ms: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM oidc_pending WHERE created_ms < ?1",
        [before_ms],
    )
}
