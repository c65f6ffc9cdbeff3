//! Administration: units, users, enrolment codes, revocation. The CLI and
//! the dashboard's people pages call the same functions; each takes the
//! acting [`Actor`] and the caller's transaction, and writes its audit
//! entry in that transaction beside the change.

use crate::db::audit::{self, Actor};
use crate::db::changelog::{self, RefEntry};
use crate::db::units::Unit;
use crate::db::{areas, devices, enrol_codes, revocations, sessions, units, users};
use crate::error::ApiError;
use crate::sync::token;
use feltlogg_core::ids::{DeviceId, UnitId, UserId};
use feltlogg_core::secret::{check_pin_format, hash_secret};
use feltlogg_core::sync::{
    Revocation, RevocationKind, SignedRevocation, SigningKey, sign_revocation,
};
use feltlogg_core::{ApiErrorCode, Role};
use rusqlite::{Connection, Transaction};

/// Fewest characters in a password.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Adds a unit working in area `bydel` (audit `unit_add`).
///
/// # Errors
/// [`ApiError::Invalid`] for an empty name or an unknown area code;
/// [`ApiError::Conflict`] (`unit_exists`) when the name is taken.
pub fn add_unit(
    tx: &Transaction<'_>,
    by: &Actor,
    name: &str,
    bydel: &str,
    now_ms: i64,
) -> Result<Unit, ApiError> {
    let conn: &Connection = tx;
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("name", "a unit needs a name".into()));
    }
    if !areas::exists(conn, bydel)? {
        return Err(invalid(
            "bydel",
            format!("area code {bydel:?} is not known; use an SSB code such as \"030102\""),
        ));
    }
    if units::find(conn, name)?.is_some() {
        return Err(ApiError::Conflict {
            code: ApiErrorCode::UnitExists,
            message: format!("a unit named {name:?} exists already; pick another name"),
        });
    }
    let unit = Unit {
        id: UnitId::new(),
        name: name.to_owned(),
        bydel: bydel.to_owned(),
    };
    units::insert(conn, &unit, now_ms)?;
    audit::record(tx, now_ms, by, "unit_add", &unit.name, &unit.bydel)?;
    Ok(unit)
}

/// A user to add, secrets in the clear (hashed here, never stored).
#[derive(Clone)]
pub struct UserSpec {
    /// Login name.
    pub username: String,
    /// Name shown on screens and on the check-in list.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Unit id or name (required for workers and team leads).
    pub unit: Option<String>,
    /// 6-digit PIN (required for workers).
    pub pin: Option<String>,
    /// Password (required for team leads and admins).
    pub password: Option<String>,
}

impl std::fmt::Debug for UserSpec {
    // Never print the PIN or the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSpec")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("unit", &self.unit)
            .finish_non_exhaustive()
    }
}

/// Adds a user and puts them in their unit; a worker with a PIN is added
/// to the unit's directory, which devices then receive on pull (audit
/// `user_add`).
///
/// # Errors
/// [`ApiError::Invalid`] for a missing or malformed value (names which);
/// [`ApiError::NotFound`] for an unknown unit; [`ApiError::Conflict`]
/// (`username_taken`).
pub fn add_user(
    tx: &Transaction<'_>,
    by: &Actor,
    spec: &UserSpec,
    now_ms: i64,
) -> Result<UserId, ApiError> {
    let id = insert_user(tx, spec, now_ms)?;
    let detail = format!("role={}", spec.role.as_str());
    audit::record(tx, now_ms, by, "user_add", spec.username.trim(), &detail)?;
    Ok(id)
}

fn insert_user(tx: &Transaction<'_>, spec: &UserSpec, now_ms: i64) -> Result<UserId, ApiError> {
    let unit = check_user_spec(tx, spec)?;
    let pin_hash = spec.pin.as_deref().map(hash).transpose()?;
    let password_hash = spec.password.as_deref().map(hash).transpose()?;
    let id = UserId::new();
    users::insert(
        tx,
        &users::NewUser {
            id,
            username: spec.username.trim().to_owned(),
            display_name: spec.display_name.trim().to_owned(),
            role: spec.role,
            password_hash,
            pin_hash,
        },
        now_ms,
    )?;
    if let Some(unit) = unit {
        users::add_to_unit(tx, id, unit.id)?;
        if spec.pin.is_some() {
            changelog::insert_ref(tx, unit.id, RefEntry::Directory, None, None, None, now_ms)?;
        }
    }
    Ok(id)
}

fn check_user_spec(conn: &Connection, spec: &UserSpec) -> Result<Option<Unit>, ApiError> {
    let username = spec.username.trim();
    if username.is_empty() || username.chars().count() > 64 {
        return Err(invalid(
            "username",
            "give a username of 1 to 64 characters".into(),
        ));
    }
    if spec.display_name.trim().is_empty() {
        return Err(invalid(
            "display_name",
            "give a name to show, e.g. a first name".into(),
        ));
    }
    if let Some(pin) = &spec.pin {
        check_pin_format(pin).map_err(|e| invalid("pin", e.to_string()))?;
    }
    if let Some(password) = &spec.password {
        let n = password.chars().count();
        if n < MIN_PASSWORD_CHARS {
            return Err(invalid(
                "password",
                format!("a password needs {MIN_PASSWORD_CHARS} characters or more; got {n}"),
            ));
        }
    }
    match spec.role {
        Role::Worker if spec.pin.is_none() => {
            return Err(invalid(
                "pin",
                "a worker needs a 6-digit pin to check in".into(),
            ));
        }
        Role::TeamLead | Role::Admin if spec.password.is_none() => {
            return Err(invalid(
                "password",
                format!("a {} needs a password", spec.role),
            ));
        }
        _ => {}
    }
    if users::username_taken(conn, username)? {
        return Err(ApiError::Conflict {
            code: ApiErrorCode::UsernameTaken,
            message: format!("username {username:?} is taken; pick another"),
        });
    }
    match &spec.unit {
        Some(unit) => find_unit(conn, unit).map(Some),
        None if spec.role == Role::Admin => Ok(None),
        None => Err(invalid(
            "unit",
            format!("a {} belongs to a unit; give --unit", spec.role),
        )),
    }
}

/// Creates the first admin (audit `admin_init`).
///
/// # Errors
/// [`ApiError::Conflict`] (`already_initialised`) when an admin exists;
/// otherwise as [`add_user`].
pub fn init_admin(
    conn: &Transaction<'_>,
    by: &Actor,
    username: &str,
    password: &str,
    now_ms: i64,
) -> Result<UserId, ApiError> {
    if users::count_role(conn, Role::Admin)? > 0 {
        return Err(ApiError::Conflict {
            code: ApiErrorCode::AlreadyInitialised,
            message: "an admin exists already; add further users with `user add`".into(),
        });
    }
    let spec = UserSpec {
        username: username.to_owned(),
        display_name: username.to_owned(),
        role: Role::Admin,
        unit: None,
        pin: None,
        password: Some(password.to_owned()),
    };
    let id = insert_user(conn, &spec, now_ms)?;
    audit::record(conn, now_ms, by, "admin_init", spec.username.trim(), "")?;
    Ok(id)
}

/// A one-time enrolment code, shown once, and the unit it enrols into.
#[derive(Clone, Debug)]
pub struct EnrolCode {
    /// The code (only its hash is stored).
    pub code: String,
    /// The unit it enrols a device into.
    pub unit: Unit,
}

/// Makes a one-time enrolment code for `unit` (id or name), valid
/// `ttl_minutes`; only its hash is stored, so this is the one time it is
/// seen (audit `enrol_code`).
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown unit; [`ApiError::Invalid`] for a
/// lifetime outside 1 minute to 7 days.
pub fn make_enrol_code(
    conn: &Transaction<'_>,
    by: &Actor,
    unit: &str,
    ttl_minutes: u32,
    now_ms: i64,
) -> Result<EnrolCode, ApiError> {
    if !(1..=7 * 24 * 60).contains(&ttl_minutes) {
        return Err(invalid(
            "ttl_minutes",
            format!("{ttl_minutes} is out of range; give 1 to 10080 minutes"),
        ));
    }
    let unit = find_unit(conn, unit)?;
    let code = token::new_enrol_code()?;
    let expires = now_ms.saturating_add(i64::from(ttl_minutes) * 60_000);
    enrol_codes::insert(
        conn,
        &token::sha256(code.as_bytes()),
        unit.id,
        now_ms,
        expires,
    )?;
    let detail = format!("ttl_minutes={ttl_minutes}");
    audit::record(conn, now_ms, by, "enrol_code", &unit.name, &detail)?;
    Ok(EnrolCode { code, unit })
}

/// Revokes a device with a signed instruction, `retire` (it may still
/// push what it has left, then wipes) or `lost` (it wipes at once), and
/// writes the audit row (`device_revoke`, detail `kind=…`) in the same
/// transaction. Its pulls from then on carry only the instruction. A
/// retired phone may be reported lost later, never the other way.
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown device; [`ApiError::Conflict`]
/// (`already_revoked`) when it is lost already, or retired and retired
/// again.
pub fn revoke_device(
    tx: &Transaction<'_>,
    server_key: &SigningKey,
    by: &Actor,
    device: DeviceId,
    kind: RevocationKind,
    now_ms: i64,
) -> Result<SignedRevocation, ApiError> {
    let found = devices::get(tx, device)?
        .ok_or_else(|| ApiError::NotFound(format!("no device with id {device}")))?;
    match (found.revocation, kind) {
        (Some(RevocationKind::Lost), _)
        | (Some(RevocationKind::Retire), RevocationKind::Retire) => {
            return Err(ApiError::Conflict {
                code: ApiErrorCode::AlreadyRevoked,
                message: format!(
                    "device {device} is already {}; nothing was changed",
                    found.revocation.map_or("revoked", |k| match k {
                        RevocationKind::Retire => "retired",
                        RevocationKind::Lost => "reported lost",
                    })
                ),
            });
        }
        _ => {}
    }
    let revocation = Revocation {
        device_id: device,
        kind,
        revoked_at_ms: now_ms,
    };
    let signed = sign_revocation(&revocation, server_key)
        .map_err(|e| ApiError::Internal(format!("signing a revocation: {e}")))?;
    devices::revoke(tx, device, now_ms)?;
    revocations::put(tx, &signed, by.user, now_ms)?;
    let detail = format!("kind={kind}");
    audit::record(
        tx,
        now_ms,
        by,
        "device_revoke",
        &device.to_string(),
        &detail,
    )?;
    tracing::info!(device = %device, kind = %kind, "device revoked");
    Ok(signed)
}

/// A user's id, by id or username (the CLI's `--by` for a decision).
///
/// # Errors
/// [`ApiError::NotFound`] naming the value.
pub fn find_user(conn: &Connection, user: &str) -> Result<UserId, ApiError> {
    let user = user.trim();
    if let Ok(id) = user.parse::<UserId>()
        && users::get(conn, id)?.is_some()
    {
        return Ok(id);
    }
    match users::login_info(conn, user)? {
        Some(info) => Ok(info.id),
        None => Err(ApiError::NotFound(format!(
            "no user with id or username {user:?}; give a team lead's or admin's username"
        ))),
    }
}

/// A unit by id or name.
///
/// # Errors
/// [`ApiError::NotFound`] naming the value.
pub fn find_unit(conn: &Connection, unit: &str) -> Result<Unit, ApiError> {
    units::find(conn, unit.trim())?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "no unit with id or name {unit:?}; list units or add one"
        ))
    })
}

fn hash(secret: &str) -> Result<String, ApiError> {
    hash_secret(secret).map_err(|e| ApiError::Internal(e.to_string()))
}

fn invalid(field: &'static str, problem: String) -> ApiError {
    ApiError::Invalid { field, problem }
}

/// Deactivates a user: their dashboard sessions end at once, and a
/// worker's devices learn on their next pull that the PIN no longer checks
/// in (audit `user_deactivate`).
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown user.
pub fn deactivate_user(
    tx: &Transaction<'_>,
    by: &Actor,
    user: UserId,
    now_ms: i64,
) -> Result<(), ApiError> {
    let name = username(tx, user)?;
    if !users::set_active(tx, user, false)? {
        return Err(ApiError::NotFound(format!("no user with id {user}")));
    }
    sessions::delete_for_user(tx, user)?;
    announce_directory(tx, user, now_ms)?;
    audit::record(tx, now_ms, by, "user_deactivate", &name, "")?;
    Ok(())
}

/// Sets a new secret: a worker's 6-digit PIN (the unit's devices get the
/// new verifier on their next pull), or a team lead's or admin's password
/// (their sessions end). Audit `user_reset`, detail `pin` or `password`.
///
/// # Errors
/// [`ApiError::Invalid`] for a malformed PIN or a password under
/// [`MIN_PASSWORD_CHARS`]; [`ApiError::NotFound`] for an unknown user.
pub fn reset_secret(
    tx: &Transaction<'_>,
    by: &Actor,
    user: UserId,
    secret: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    let found = users::get(tx, user)?
        .ok_or_else(|| ApiError::NotFound(format!("no user with id {user}")))?;
    let what = if found.role == Role::Worker {
        reset_pin(tx, user, secret, now_ms)?;
        "pin"
    } else {
        reset_password(tx, user, secret)?;
        "password"
    };
    audit::record(tx, now_ms, by, "user_reset", &found.username, what)?;
    Ok(())
}

fn reset_password(tx: &Transaction<'_>, user: UserId, password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            format!("a password needs {MIN_PASSWORD_CHARS} characters or more; got {n}"),
        ));
    }
    let hash = hash(password)?;
    if !users::set_password_hash(tx, user, &hash)? {
        return Err(ApiError::NotFound(format!("no user with id {user}")));
    }
    sessions::delete_for_user(tx, user)?;
    Ok(())
}

fn reset_pin(tx: &Transaction<'_>, user: UserId, pin: &str, now_ms: i64) -> Result<(), ApiError> {
    check_pin_format(pin).map_err(|e| invalid("pin", e.to_string()))?;
    let hash = hash(pin)?;
    if !users::set_pin_hash(tx, user, &hash)? {
        return Err(ApiError::NotFound(format!("no user with id {user}")));
    }
    announce_directory(tx, user, now_ms)?;
    Ok(())
}

/// A user's username, or not found.
fn username(conn: &Connection, user: UserId) -> Result<String, ApiError> {
    users::get(conn, user)?
        .map(|u| u.username)
        .ok_or_else(|| ApiError::NotFound(format!("no user with id {user}")))
}

/// Tells the devices of every unit of `user` that the directory changed.
fn announce_directory(tx: &Connection, user: UserId, now_ms: i64) -> Result<(), ApiError> {
    for unit in users::units_of(tx, user)? {
        changelog::insert_ref(tx, unit, RefEntry::Directory, None, None, None, now_ms)?;
    }
    Ok(())
}
