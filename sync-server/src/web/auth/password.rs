//! A password try: the throttle's reservation, the Argon2id check, the
//! session and device cookie on success, the audit entry either way (in
//! the outcome's transaction).

use super::throttle::{self, Key};
use super::{DEVICE_MS, SESSION_MS};
use crate::db::sessions::Origin;
use crate::db::{Db, audit, sessions, users};
use crate::error::ApiError;
use crate::sync::token::{new_token, sha256};
use feltlogg_core::Role;
use feltlogg_core::ids::UserId;
use feltlogg_core::secret::{hash_secret, verify_secret};
use feltlogg_core::time::now_ms;
use rusqlite::Transaction;
use std::sync::{Arc, OnceLock};

/// What a sign-in attempt came to.
pub(super) enum Outcome {
    Ok {
        session_token: String,
        device_token: String,
    },
    Wrong,
    Wait(i64),
}

/// A verifier to check against when the username is unknown, so an
/// unknown name takes as long as a wrong password.
fn dummy_verifier() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_secret("not-a-real-password").unwrap_or_default())
}

/// A password try as the form sent it.
pub(super) struct Attempt {
    pub(super) username: String,
    pub(super) password: zeroize::Zeroizing<String>,
    pub(super) device: Option<String>,
    pub(super) origin: Origin,
}

/// The counters this try is held to: a browser known to this account
/// only its own; everyone else the account's and the address's.
fn keys_for(
    c: &rusqlite::Connection,
    a: &Attempt,
    user: Option<UserId>,
) -> Result<Vec<Key>, ApiError> {
    if let (Some(token), Some(user)) = (&a.device, user) {
        let hash = sha256(token.as_bytes());
        if sessions::known_browser(c, &hash)? == Some(user) {
            let id: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
            return Ok(vec![Key::device(&id)]);
        }
    }
    Ok(vec![
        Key::account(&a.username),
        Key::address(&a.origin.addr),
    ])
}

/// A password try in three steps, so the writer is never held while
/// Argon2id runs (pushes share it): the throttle's reservation in one
/// write, the check on a blocking thread, then the outcome (session,
/// device cookie, throttle given back) with its audit entry in another.
pub(super) async fn try_login(db: &Db, a: Attempt) -> Result<Outcome, ApiError> {
    let a = Arc::new(a);
    let attempt = Arc::clone(&a);
    let reserved = db.write(move |tx| reserve(tx, &attempt)).await?;
    let (info, keys) = match reserved {
        Reserved::Wait(ms) => return Ok(Outcome::Wait(ms)),
        Reserved::Go { info, keys } => (info, keys),
    };
    let verifier = info
        .as_ref()
        .and_then(|i| i.password_hash.clone())
        .unwrap_or_else(|| dummy_verifier().to_owned());
    let attempt = Arc::clone(&a);
    let matches =
        tokio::task::spawn_blocking(move || verify_secret(&attempt.password, &verifier).is_ok())
            .await
            .map_err(|e| ApiError::Internal(format!("password check task: {e}")))?;
    let user = info.filter(|i| matches && i.active && i.role != Role::Worker);
    db.write(move |tx| finish(tx, &a, user, &keys)).await
}

/// The throttle's answer to a try.
enum Reserved {
    Wait(i64),
    Go {
        info: Option<users::LoginInfo>,
        keys: Vec<Key>,
    },
}

fn reserve(tx: &Transaction<'_>, a: &Attempt) -> Result<Reserved, ApiError> {
    let info = users::login_info(tx, &a.username)?;
    let keys = keys_for(tx, a, info.as_ref().map(|i| i.id))?;
    let wait = throttle::reserve(tx, &keys, now_ms())?;
    Ok(if wait > 0 {
        Reserved::Wait(wait)
    } else {
        Reserved::Go { info, keys }
    })
}

fn finish(
    c: &Transaction<'_>,
    a: &Attempt,
    user: Option<users::LoginInfo>,
    keys: &[Key],
) -> Result<Outcome, ApiError> {
    let now = now_ms();
    let detail = "method=password";
    // Checked against the account as it is now: a deactivation or a new
    // password during the check wins.
    let fresh = users::login_info(c, &a.username)?;
    let Some(user) = user.filter(|u| fresh.as_ref() == Some(u)) else {
        audit::insert(
            c,
            now,
            None,
            &a.username,
            "login_failed",
            &a.origin.addr,
            detail,
        )?;
        return Ok(Outcome::Wrong);
    };
    throttle::succeeded(c, keys)?;
    sessions::purge_expired(c, now)?;
    sessions::forget_browsers(c, now - DEVICE_MS)?;
    let token = new_token()?;
    let csrf = new_token()?;
    let hash = sha256(token.as_bytes());
    sessions::insert_from(c, &hash, user.id, &csrf, &a.origin, now, now + SESSION_MS)?;
    // The browser's device cookie: kept if it is this account's, else new.
    let device_token = match &a.device {
        Some(d) if sessions::known_browser(c, &sha256(d.as_bytes()))? == Some(user.id) => d.clone(),
        _ => new_token()?,
    };
    sessions::remember_browser(c, &sha256(device_token.as_bytes()), user.id, now)?;
    audit::insert(
        c,
        now,
        Some(user.id),
        &a.username,
        "login",
        &a.origin.addr,
        detail,
    )?;
    Ok(Outcome::Ok {
        session_token: token,
        device_token,
    })
}
