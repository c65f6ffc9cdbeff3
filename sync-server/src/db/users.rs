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
