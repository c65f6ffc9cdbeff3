//! Signing in and out, sessions, CSRF tokens; the parts by concept:
//!
//! - A session is a random 256-bit token in an HttpOnly, SameSite=Strict
//!   cookie (Secure when the public URL is https); the server keeps only
//!   its SHA-256, with the session's CSRF token and where and how it began.
//!   Sessions last [`SESSION_MS`]; deactivating a user, resetting their
//!   password, "sign out everywhere" or an admin ends theirs.
//! - Every form carries the CSRF token; every POST checks it. The sign-in
//!   form, shown before there is a session, is protected by a
//!   double-submit cookie instead.
//! - [`password`] (private): a password try, held to [`throttle`].
//! - [`throttle`]: the growing delay after failed password tries, per
//!   account, address and known browser (device cookie [`DEVICE_COOKIE`]).
//! - [`redirect`]: the one check every redirect target passes.
//! - [`headers`]: the security headers on every response.
//! - [`oidc`]: sign-in through the municipality's OpenID provider.
//! - [`account`]: a person's own sessions, "sign out everywhere", and the
//!   admin's page to end a user's sessions and link their provider identity.

pub mod account;
pub mod headers;
pub mod oidc;
mod password;
pub mod redirect;
pub mod throttle;

use super::html::{Form, csrf_input, same_token, url_encode};
use super::i18n::{Lang, cookie, t};
use super::{WebError, layout};
use crate::AppState;
use crate::db::sessions::Origin;
use crate::db::{audit, sessions, users};
use crate::error::ApiError;
use crate::sync::token::{new_token, sha256};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use feltlogg_core::Role;
use feltlogg_core::ids::{UnitId, UserId};
use feltlogg_core::time::now_ms;
use feltlogg_core::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use maud::{Markup, html};
use password::{Attempt, Outcome, try_login};
use std::collections::HashMap;
use std::net::SocketAddr;

/// Session cookie.
pub const SESSION_COOKIE: &str = "fl_session";
/// Double-submit cookie of the sign-in form.
pub const LOGIN_COOKIE: &str = "fl_login";
/// Device cookie: this browser signed in to an account before.
pub const DEVICE_COOKIE: &str = "fl_device";
/// How long a session lasts: one working day.
pub const SESSION_MS: i64 = 12 * HOUR_MS;
/// How long a browser stays known without signing in: half a year.
pub const DEVICE_MS: i64 = 183 * DAY_MS;
/// How often a session's "last seen" is written: once a minute at most.
const TOUCH_MS: i64 = MINUTE_MS;

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
    /// The viewer as the audit log names them.
    pub fn actor(&self) -> crate::db::audit::Actor {
        crate::db::audit::Actor::user(self.id, &self.username)
    }

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
            .read(move |c| -> Result<_, ApiError> {
                let now = now_ms();
                let hash = sha256(token.as_bytes());
                let Some(session) = sessions::get(c, &hash, now)? else {
                    return Ok(None);
                };
                let Some(user) = users::get(c, session.user_id)? else {
                    return Ok(None);
                };
                let units = users::units_of(c, user.id)?;
                let touch = (now - session.last_seen_ms >= TOUCH_MS).then_some((hash, now));
                Ok(Some((session, user, units, touch)))
            })
            .await
            .map_err(|e| WebError::Api(lang, e))?;
        let Some((session, user, units, touch)) = found else {
            return Err(WebError::SignIn { next });
        };
        if !user.active || user.role == Role::Worker {
            return Err(WebError::Forbidden(lang));
        }
        // The session's last use, at most once per TOUCH_MS: the only
        // write on a page view, so it waits for the writer only then.
        if let Some((hash, now)) = touch {
            state
                .db
                .write(move |tx| sessions::touch(tx, &hash, now).map_err(ApiError::from))
                .await
                .map_err(|e| WebError::Api(lang, e))?;
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

/// A cookie for this site: HttpOnly, SameSite=Strict, `Secure` when the
/// dashboard is served over https.
pub fn set_cookie(resp: &mut Response, secure: bool, name: &str, value: &str, max_age_s: i64) {
    set_cookie_at(resp, secure, "/", name, value, max_age_s);
}

/// [`set_cookie`] sent only to the paths under `path`.
fn set_cookie_at(
    resp: &mut Response,
    secure: bool,
    path: &str,
    name: &str,
    value: &str,
    max_age_s: i64,
) {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    );
    if let Ok(v) = HeaderValue::from_str(&text) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
}

/// What the sign-in page offers.
struct LoginPage<'a> {
    lang: Lang,
    next: &'a str,
    username: &'a str,
    message: Option<&'a str>,
    password: bool,
    oidc: bool,
}

fn login_form(p: &LoginPage<'_>, token: &str) -> Markup {
    let lang = p.lang;
    html! {
        @if let Some(m) = p.message { (layout::error(m)) }
        p { (t(lang, "login.lead")) }
        @if p.oidc {
            p { a.button href={ "/login/oidc?next=" (url_encode(p.next)) } { (t(lang, "login.oidc")) } }
        }
        @if p.password {
            form method="post" action="/login" class="stack" {
                (csrf_input(token))
                input type="hidden" name="next" value=(p.next);
                label for="username" { (t(lang, "login.username")) }
                input id="username" name="username" autocomplete="username" required value=(p.username);
                label for="password" { (t(lang, "login.password")) }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                p { button type="submit" { (t(lang, "login.submit")) } }
            }
        }
    }
}

fn login_response(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    next: &str,
    username: &str,
    message: Option<&str>,
) -> Result<Response, WebError> {
    let token = new_token().map_err(|e| WebError::Api(lang, e))?;
    let page = LoginPage {
        lang,
        next,
        username,
        message,
        password: state.auth.password_login,
        oidc: state.auth.oidc_enabled(),
    };
    let body = login_form(&page, &token);
    let mut resp = (status, layout::bare(lang, t(lang, "login.title"), body)).into_response();
    set_cookie(&mut resp, state.auth.https(), LOGIN_COOKIE, &token, 3600);
    Ok(resp)
}

/// `GET /login`.
#[tracing::instrument(skip_all)]
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let next = redirect::local_or_home(q.get("next").map(String::as_str));
    login_response(&state, lang, StatusCode::OK, next, "", None)
}

/// The client's address as the socket saw it ("unknown" in tests without
/// one). Behind a proxy this is the proxy: no forwarded header is
/// trusted, since anyone can send one.
pub fn client_addr(ext: &axum::http::Extensions) -> String {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// Where and how a sign-in came: address, browser (shortened), method.
pub fn origin(headers: &HeaderMap, ext: &axum::http::Extensions, method: &str) -> Origin {
    let ua = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Origin {
        addr: client_addr(ext),
        user_agent: ua.chars().take(200).collect(),
        method: method.to_owned(),
    }
}

/// The response that starts a session: a 303 to `next` with the session
/// cookie (and, for password sign-ins, the device cookie).
pub fn signed_in(
    state: &AppState,
    next: &str,
    session_token: &str,
    device_token: Option<&str>,
) -> Response {
    let secure = state.auth.https();
    let mut resp = redirect::see_other(next);
    set_cookie(
        &mut resp,
        secure,
        SESSION_COOKIE,
        session_token,
        SESSION_MS / 1000,
    );
    set_cookie(&mut resp, secure, LOGIN_COOKIE, "", 0);
    if let Some(d) = device_token {
        // Only the sign-in needs it: no other request carries it.
        set_cookie_at(
            &mut resp,
            secure,
            "/login",
            DEVICE_COOKIE,
            d,
            DEVICE_MS / 1000,
        );
    }
    resp
}

/// `POST /login`.
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    req_ext: axum::http::Extensions,
    body: Bytes,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    if !state.auth.password_login {
        return Err(WebError::Forbidden(lang));
    }
    let form = Form::parse(&body);
    let next = redirect::local_or_home(form.get("next")).to_owned();
    let username = form.text("username").to_owned();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if !same_token(form.text("csrf"), expected) {
        let msg = t(lang, "login.expired");
        let status = StatusCode::FORBIDDEN;
        return login_response(&state, lang, status, &next, &username, Some(msg));
    }
    let attempt = Attempt {
        username: username.clone(),
        password: zeroize::Zeroizing::new(form.get("password").unwrap_or("").to_owned()),
        device: cookie(&headers, DEVICE_COOKIE).map(str::to_owned),
        origin: origin(&headers, &req_ext, "password"),
    };
    let outcome = try_login(&state.db, attempt)
        .await
        .map_err(|e| WebError::Api(lang, e))?;
    match outcome {
        Outcome::Ok {
            session_token,
            device_token,
        } => Ok(signed_in(
            &state,
            &next,
            &session_token,
            Some(&device_token),
        )),
        Outcome::Wrong => {
            let msg = t(lang, "login.failed");
            let status = StatusCode::UNAUTHORIZED;
            login_response(&state, lang, status, &next, &username, Some(msg))
        }
        Outcome::Wait(ms) => {
            let secs = (ms + 999) / 1000;
            let msg = t(lang, "login.wait").replace("{s}", &secs.to_string());
            let status = StatusCode::TOO_MANY_REQUESTS;
            login_response(&state, lang, status, &next, &username, Some(&msg))
        }
    }
}

/// `POST /logout`: ends the session (the form's CSRF token is checked, so
/// another site cannot sign a user out).
#[tracing::instrument(skip_all)]
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
            .write(move |c| -> Result<(), ApiError> {
                sessions::delete(c, &sha256(token.as_bytes()))?;
                audit::insert(c, now_ms(), Some(id), &name, "logout", "", "")?;
                Ok(())
            })
            .await
            .map_err(|e| viewer.fail(e))?;
    }
    let mut resp = redirect::see_other("/login");
    set_cookie(&mut resp, state.auth.https(), SESSION_COOKIE, "", 0);
    Ok(resp)
}
