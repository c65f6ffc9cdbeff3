//! `users` and `user_units`: workers, team leads and admins, and the units
//! they belong to. Secrets are stored only as Argon2id verifiers.

use feltlogg_core::Role;
use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::ids::{UnitId, UserId};
use rusqlite::{Connection, OptionalExtension, params};

/// A new user, secrets already hashed.
#[derive(Clone)]
pub struct NewUser {
    /// Id.
    pub id: UserId,
    /// Login name, unique.
    pub username: String,
    /// Name shown on screens.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Password verifier (team leads, admins).
    pub password_hash: Option<String>,
    /// PIN verifier (workers).
    pub pin_hash: Option<String>,
}

impl std::fmt::Debug for NewUser {
    // Verifiers of 6-digit PINs are guessable offline: keep them out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// One user as the server needs to know them for decisions and checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
}

/// Adds a user.
pub fn insert(conn: &Connection, user: &NewUser, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO users (id, username, display_name, role, password_hash, pin_hash, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            user.id.to_string(),
            user.username,
            user.display_name,
            user.role.as_str(),
            user.password_hash,
            user.pin_hash,
            now_ms
        ],
    )?;
    Ok(())
}

/// Puts a user in a unit.
pub fn add_to_unit(conn: &Connection, user: UserId, unit: UnitId) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO user_units (user_id, unit_id) VALUES (?1, ?2)",
        params![user.to_string(), unit.to_string()],
    )?;
    Ok(())
}

/// Whether a username is taken.
pub fn username_taken(conn: &Connection, username: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1)",
        [username],
        |r| r.get(0),
    )
}

/// A user by id.
pub fn get(conn: &Connection, id: UserId) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT id, username, role, active FROM users WHERE id = ?1",
        [id.to_string()],
        |r| {
            let role: String = r.get(2)?;
            Ok(User {
                id: super::parse_id(r, 0)?,
                username: r.get(1)?,
                // The CHECK constraint keeps roles to the three wire names.
                role: Role::parse(&role).unwrap_or(Role::Worker),
                active: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Whether `user` is an active worker of `unit`.
pub fn is_worker_in(conn: &Connection, user: UserId, unit: UnitId) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users u JOIN user_units m ON m.user_id = u.id
          WHERE u.id = ?1 AND m.unit_id = ?2 AND u.active = 1 AND u.pin_hash IS NOT NULL)",
        params![user.to_string(), unit.to_string()],
        |r| r.get(0),
    )
}

/// The worker directory of a unit: everyone in it with a PIN, active or not
/// (a device must learn that a worker was deactivated).
pub fn directory(conn: &Connection, unit: UnitId) -> rusqlite::Result<Vec<WorkerEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.display_name, u.pin_hash, u.active FROM users u
           JOIN user_units m ON m.user_id = u.id
          WHERE m.unit_id = ?1 AND u.pin_hash IS NOT NULL
          ORDER BY u.display_name, u.id",
    )?;
    let rows = stmt.query_map([unit.to_string()], |r| {
        Ok(WorkerEntry {
            id: super::parse_id(r, 0)?,
            unit_id: unit,
            display_name: r.get(1)?,
            pin_verifier: r.get(2)?,
            active: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// The units a user belongs to.
pub fn units_of(conn: &Connection, user: UserId) -> rusqlite::Result<Vec<UnitId>> {
    let mut stmt = conn.prepare_cached("SELECT unit_id FROM user_units WHERE user_id = ?1")?;
    let rows = stmt.query_map([user.to_string()], |r| super::parse_id(r, 0))?;
    rows.collect()
}

/// Number of users with `role`.
pub fn count_role(conn: &Connection, role: Role) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM users WHERE role = ?1",
        [role.as_str()],
        |r| r.get(0),
    )
}

/// What signing in to the dashboard needs to know about a username.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginInfo {
    /// Id.
    pub id: UserId,
    /// Role.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// Password verifier, if the user has a password.
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for LoginInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginInfo")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// The sign-in facts of `username`.
pub fn login_info(conn: &Connection, username: &str) -> rusqlite::Result<Option<LoginInfo>> {
    conn.query_row(
        "SELECT id, role, active, password_hash FROM users WHERE username = ?1",
        [username],
        |r| {
            let role: String = r.get(1)?;
            Ok(LoginInfo {
                id: super::parse_id(r, 0)?,
                role: Role::parse(&role).unwrap_or(Role::Worker),
                active: r.get(2)?,
                password_hash: r.get(3)?,
            })
        },
    )
    .optional()
}

/// A user as the people page lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// Names of their units, comma-separated.
    pub units: String,
}

/// Every user, by role then username.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Listed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.username, u.display_name, u.role, u.active,
                (SELECT group_concat(n.name, ', ') FROM user_units m JOIN units n ON n.id = m.unit_id
                  WHERE m.user_id = u.id)
           FROM users u ORDER BY u.role, u.username",
    )?;
    let rows = stmt.query_map([], |r| {
        let role: String = r.get(3)?;
        Ok(Listed {
            id: super::parse_id(r, 0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            role: Role::parse(&role).unwrap_or(Role::Worker),
            active: r.get(4)?,
            units: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// The display name of a user.
pub fn display_name(conn: &Connection, id: UserId) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT display_name FROM users WHERE id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )
    .optional()
}

/// Activates or deactivates a user; false when there is no such user.
pub fn set_active(conn: &Connection, id: UserId, active: bool) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE users SET active = ?2 WHERE id = ?1",
        params![id.to_string(), active],
    )?;
    Ok(n == 1)
}

/// Replaces a user's password verifier.
pub fn set_password_hash(conn: &Connection, id: UserId, hash: &str) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id.to_string(), hash],
    )?;
    Ok(n == 1)
}

/// Replaces a user's PIN verifier.
pub fn set_pin_hash(conn: &Connection, id: UserId, hash: &str) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE users SET pin_hash = ?2 WHERE id = ?1",
        params![id.to_string(), hash],
    )?;
    Ok(n == 1)
}

/// A user's link to an OpenID provider identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcLink {
    /// The user.
    pub user_id: UserId,
    /// The provider's issuer URL.
    pub issuer: String,
    /// The provider's stable subject, once known.
    pub subject: Option<String>,
    /// An e-mail address whose first verified sign-in sets the subject.
    pub email: Option<String>,
}

fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OidcLink> {
    Ok(OidcLink {
        user_id: super::parse_id(r, 0)?,
        issuer: r.get(1)?,
        subject: r.get(2)?,
        email: r.get(3)?,
    })
}

/// Sets (replacing) a user's link: a subject, or an e-mail to link by.
pub fn set_oidc_link(conn: &Connection, link: &OidcLink, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO oidc_links (user_id, issuer, subject, email, linked_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id) DO UPDATE SET issuer = excluded.issuer,
           subject = excluded.subject, email = excluded.email, linked_ms = excluded.linked_ms",
        params![
            link.user_id.to_string(),
            link.issuer,
            link.subject,
            link.email.as_ref().map(|e| e.to_lowercase()),
            now_ms
        ],
    )?;
    Ok(())
}

/// Removes a user's link.
pub fn remove_oidc_link(conn: &Connection, user: UserId) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM oidc_links WHERE user_id = ?1",
        [user.to_string()],
    )?;
    Ok(())
}

/// A user's link, if any.
pub fn oidc_link_of(conn: &Connection, user: UserId) -> rusqlite::Result<Option<OidcLink>> {
    conn.query_row(
        "SELECT user_id, issuer, subject, email FROM oidc_links WHERE user_id = ?1",
        [user.to_string()],
        link_row,
    )
    .optional()
}

/// The user linked to `subject` at `issuer`.
pub fn by_oidc_subject(
    conn: &Connection,
    issuer: &str,
    subject: &str,
) -> rusqlite::Result<Option<UserId>> {
    conn.query_row(
        "SELECT user_id FROM oidc_links WHERE issuer = ?1 AND subject = ?2",
        params![issuer, subject],
        |r| super::parse_id(r, 0),
    )
    .optional()
}

/// Turns a link waiting on `email` at `issuer` into a link to `subject`:
/// the user it linked, if one was waiting.
pub fn claim_oidc_email(
    conn: &Connection,
    issuer: &str,
    email: &str,
    subject: &str,
    now_ms: i64,
) -> rusqlite::Result<Option<UserId>> {
    let user: Option<UserId> = conn
        .query_row(
            "SELECT user_id FROM oidc_links WHERE issuer = ?1 AND subject IS NULL AND email = ?2",
            params![issuer, email.to_lowercase()],
            |r| super::parse_id(r, 0),
        )
        .optional()?;
    if let Some(u) = user {
        conn.execute(
            "UPDATE oidc_links SET subject = ?2, linked_ms = ?3 WHERE user_id = ?1",
            params![u.to_string(), subject, now_ms],
        )?;
    }
    Ok(user)
}
