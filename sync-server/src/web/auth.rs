//! Signing in and out, sessions, CSRF tokens and the growing delay after
//! failed sign-ins.
//!
//! - A session is a random 256-bit token in an HttpOnly, SameSite=Strict
//!   cookie; the server keeps only its SHA-256, with the session's CSRF
//!   token. Sessions last [`SESSION_MS`]; deactivating a user or resetting
//!   their password ends theirs.
//! - Every form carries the CSRF token; every POST checks it. The sign-in
//!   form, shown before there is a session, is protected by a
//!   double-submit cookie instead.
//! - After [`FREE_FAILURES`] failed sign-ins for a username or from an
//!   address, the next try must wait 1 s, then 2 s, 4 s… up to
//!   [`MAX_DELAY_MS`]; tries made too early are refused without checking
//!   the password. A success clears the username's count.

use super::html::{Form, csrf_input, esc, same_token};
use super::i18n::{Lang, cookie, t};
use super::{WebError, layout, now};
use crate::AppState;
use crate::auth::{new_token, sha256};
use crate::db::{audit, login_attempts, sessions, users};
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use feltlogg_core::Role;
use feltlogg_core::ids::{UnitId, UserId};
use feltlogg_core::secret::{hash_secret, verify_secret};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::OnceLock;

/// Session cookie.
pub const SESSION_COOKIE: &str = "fl_session";
/// Double-submit cookie of the sign-in form.
pub const LOGIN_COOKIE: &str = "fl_login";
/// How long a session lasts: one working day.
pub const SESSION_MS: i64 = 12 * 3_600_000;
/// Failed sign-ins allowed before the delay starts.
pub const FREE_FAILURES: i64 = 3;
/// The longest delay between tries.
pub const MAX_DELAY_MS: i64 = 15 * 60_000;
/// Set to `1` to mark cookies `Secure` (behind an HTTPS proxy).
pub const SECURE_COOKIES_VAR: &str = "FELTLOGG_SECURE_COOKIES";

/// Who is looking at a page: a signed-in, active team lead or admin.
#[derive(Clone)]
pub struct Viewer {
    /// User id.
    pub id: UserId,
    /// Login name.
    pub username: String,
    /// Role (never `worker`).
    pub role: Role,
    /// Their units (admins see all, whatever this holds).
    pub units: Vec<UnitId>,
    /// The session's CSRF token.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
}

impl std::fmt::Debug for Viewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Viewer")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl Viewer {
    /// Whether the viewer is an admin.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The units the viewer may see: `None` is all (admins).
    pub fn filter(&self) -> Option<&[UnitId]> {
        if self.is_admin() {
            None
        } else {
            Some(&self.units)
        }
    }

    /// Whether a record of `unit` is the viewer's to see and act on.
    pub fn may_see(&self, unit: UnitId) -> bool {
        self.is_admin() || self.units.contains(&unit)
    }

    /// Fails unless the viewer is an admin.
    ///
    /// # Errors
    /// [`WebError::Forbidden`].
    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(WebError::Forbidden(self.lang))
        }
    }

    /// Fails unless the form carries this session's CSRF token.
    ///
    /// # Errors
    /// [`WebError::Csrf`].
    pub fn check_csrf(&self, form: &Form) -> Result<(), WebError> {
        if same_token(form.text("csrf"), &self.csrf) {
            Ok(())
        } else {
            Err(WebError::Csrf(self.lang))
        }
    }

    /// An operation's error as a page in the viewer's language.
    pub fn fail(&self, e: ApiError) -> WebError {
        WebError::Api(self.lang, e)
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let lang = Lang::from_headers(&parts.headers);
        let next = parts
            .uri
            .path_and_query()
            .map_or("/review", |p| p.as_str())
            .to_owned();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned) else {
            return Err(WebError::SignIn { next });
        };
        let found = state
            .db
            .call(move |c| -> Result<_, ApiError> {
                let now = now();
                let Some(session) = sessions::get(c, &sha256(token.as_bytes()), now)? else {
                    return Ok(None);
                };
                let Some(user) = users::get(c, session.user_id)? else {
                    return Ok(None);
                };
                let units = users::units_of(c, user.id)?;
                Ok(Some((session, user, units)))
            })
            .await
            .map_err(|e| WebError::Api(lang, e))?;
        let Some((session, user, units)) = found else {
            return Err(WebError::SignIn { next });
        };
        if !user.active || user.role == Role::Worker {
            return Err(WebError::Forbidden(lang));
        }
        Ok(Viewer {
            id: user.id,
            username: user.username,
            role: user.role,
            units,
            csrf: session.csrf,
            lang,
        })
    }
}

fn secure_cookies() -> bool {
    static SECURE: OnceLock<bool> = OnceLock::new();
    *SECURE.get_or_init(|| std::env::var(SECURE_COOKIES_VAR).is_ok_and(|v| v == "1"))
}

fn set_cookie(resp: &mut Response, name: &str, value: &str, max_age_s: i64) {
    let secure = if secure_cookies() { "; Secure" } else { "" };
    let text =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}");
    if let Ok(v) = HeaderValue::from_str(&text) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
}

/// A local path to return to after signing in, or `/review`.
fn local_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or("/review")
        .to_owned()
}

fn login_form(
    lang: Lang,
    token: &str,
    next: &str,
    username: &str,
    message: Option<&str>,
) -> String {
    let msg = message.map(layout::error).unwrap_or_default();
    format!(
        "{msg}<p>{}</p><form method=\"post\" action=\"/login\" class=\"stack\">{}\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\
         <label for=\"username\">{}</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required value=\"{}\">\
         <label for=\"password\">{}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <p><button type=\"submit\">{}</button></p></form>",
        t(lang, "login.lead"),
        csrf_input(token),
        esc(next),
        t(lang, "login.username"),
        esc(username),
        t(lang, "login.password"),
        t(lang, "login.submit"),
    )
}

fn login_response(
    lang: Lang,
    status: StatusCode,
    next: &str,
    username: &str,
    message: Option<&str>,
) -> Result<Response, WebError> {
    let token = new_token().map_err(|e| WebError::Api(lang, e))?;
    let body = login_form(lang, &token, next, username, message);
    let mut resp = (status, layout::bare(lang, t(lang, "login.title"), &body)).into_response();
    set_cookie(&mut resp, LOGIN_COOKIE, &token, 3600);
    Ok(resp)
}

/// `GET /login`.
pub async fn login_page(
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let next = local_next(q.get("next").map(String::as_str));
    login_response(lang, StatusCode::OK, &next, "", None)
}

/// The client's address as the socket saw it ("unknown" in tests without
/// one). Behind a proxy this is the proxy; see the module docs of `web`.
fn client_addr(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// Milliseconds until `a` may try again, 0 when it may now.
fn wait_ms(a: Option<login_attempts::Attempts>, now_ms: i64) -> i64 {
    let Some(a) = a else { return 0 };
    if a.failures < FREE_FAILURES {
        return 0;
    }
    let exp = u32::try_from((a.failures - FREE_FAILURES).min(20)).unwrap_or(20);
    let delay = 1000i64.saturating_mul(1 << exp).min(MAX_DELAY_MS);
    (a.last_failure_ms + delay - now_ms).max(0)
}

/// What a sign-in attempt came to.
enum Outcome {
    Ok { session_token: String },
    Wrong,
    Wait(i64),
}

/// A verifier to check against when the username is unknown, so an
/// unknown name takes as long as a wrong password.
fn dummy_verifier() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_secret("not-a-real-password").unwrap_or_default())
}

fn try_login(
    c: &mut rusqlite::Connection,
    username: &str,
    password: &str,
    addr: &str,
) -> Result<Outcome, ApiError> {
    let now = now();
    let user_key = format!("user:{}", username.to_lowercase());
    let addr_key = format!("addr:{addr}");
    let wait = wait_ms(login_attempts::get(c, &user_key)?, now)
        .max(wait_ms(login_attempts::get(c, &addr_key)?, now));
    if wait > 0 {
        return Ok(Outcome::Wait(wait));
    }
    let info = users::login_info(c, username)?;
    let verifier = info
        .as_ref()
        .and_then(|i| i.password_hash.clone())
        .unwrap_or_else(|| dummy_verifier().to_owned());
    let matches = verify_secret(password, &verifier).is_ok();
    let user = info.filter(|i| matches && i.active && i.role != Role::Worker);
    let Some(user) = user else {
        login_attempts::fail(c, &user_key, now)?;
        login_attempts::fail(c, &addr_key, now)?;
        audit::insert(c, now, None, username, "login_failed", addr, "")?;
        return Ok(Outcome::Wrong);
    };
    login_attempts::clear(c, &user_key)?;
    login_attempts::clear(c, &addr_key)?;
    sessions::purge_expired(c, now)?;
    let token = new_token()?;
    let csrf = new_token()?;
    sessions::insert(
        c,
        &sha256(token.as_bytes()),
        user.id,
        &csrf,
        now,
        now + SESSION_MS,
    )?;
    audit::insert(c, now, Some(user.id), username, "login", addr, "")?;
    Ok(Outcome::Ok {
        session_token: token,
    })
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    req_ext: axum::http::Extensions,
    body: Bytes,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let form = Form::parse(&body);
    let next = local_next(form.get("next"));
    let username = form.text("username").to_owned();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if !same_token(form.text("csrf"), expected) {
        let msg = t(lang, "login.expired");
        return login_response(lang, StatusCode::FORBIDDEN, &next, &username, Some(msg));
    }
    let password = form.get("password").unwrap_or("").to_owned();
    let addr = client_addr(&req_ext);
    let name = username.clone();
    let outcome = state
        .db
        .call(move |c| try_login(c, &name, &password, &addr))
        .await
        .map_err(|e| WebError::Api(lang, e))?;
    match outcome {
        Outcome::Ok { session_token } => {
            let mut resp = Redirect::to(&next).into_response();
            set_cookie(&mut resp, SESSION_COOKIE, &session_token, SESSION_MS / 1000);
            set_cookie(&mut resp, LOGIN_COOKIE, "", 0);
            Ok(resp)
        }
        Outcome::Wrong => {
            let msg = t(lang, "login.failed");
            login_response(lang, StatusCode::UNAUTHORIZED, &next, &username, Some(msg))
        }
        Outcome::Wait(ms) => {
            let secs = (ms + 999) / 1000;
            let msg = t(lang, "login.wait").replace("{s}", &secs.to_string());
            login_response(
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                &next,
                &username,
                Some(&msg),
            )
        }
    }
}

/// `POST /logout`: ends the session (the form's CSRF token is checked, so
/// another site cannot sign a user out).
pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    viewer.check_csrf(&Form::parse(&body))?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE).map(str::to_owned) {
        let (id, name) = (viewer.id, viewer.username.clone());
        state
            .db
            .call(move |c| -> Result<(), ApiError> {
                sessions::delete(c, &sha256(token.as_bytes()))?;
                audit::insert(c, now(), Some(id), &name, "logout", "", "")?;
                Ok(())
            })
            .await
            .map_err(|e| viewer.fail(e))?;
    }
    let mut resp = Redirect::to("/login").into_response();
    set_cookie(&mut resp, SESSION_COOKIE, "", 0);
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_after_the_free_tries_and_is_capped() {
        let at = |failures| {
            wait_ms(
                Some(login_attempts::Attempts {
                    failures,
                    last_failure_ms: 0,
                }),
                0,
            )
        };
        assert_eq!(at(2), 0);
        assert_eq!(at(3), 1000);
        assert_eq!(at(4), 2000);
        assert_eq!(at(6), 8000);
        assert_eq!(at(60), MAX_DELAY_MS);
        assert_eq!(wait_ms(None, 0), 0);
    }

    #[test]
    fn next_is_local_only() {
        assert_eq!(local_next(Some("/shifts/x")), "/shifts/x");
        assert_eq!(local_next(Some("//evil.example")), "/review");
        assert_eq!(local_next(Some("https://evil.example")), "/review");
        assert_eq!(local_next(None), "/review");
    }
}
