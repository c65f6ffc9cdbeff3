//! Sign-in through the municipality's OpenID Connect provider: the
//! authorization code flow with PKCE, `state` and `nonce`, done by the
//! `openidconnect` crate (discovery, the provider's keys, the ID token's
//! signature, issuer, audience, expiry and nonce: no hand-written JWT
//! checks).
//!
//! - The discovery document and keys are fetched for every sign-in, so a
//!   key the provider rotates in is used at once and one it drops is no
//!   longer trusted.
//! - `state` is stored (hashed) with the nonce and PKCE verifier, bound to
//!   the browser by a cookie, and deleted on first use: a replayed or
//!   forged callback finds nothing.
//! - A person is the user linked to the provider's stable subject (an
//!   admin links it, or sets an e-mail address the first sign-in with that
//!   verified e-mail turns into the link). Roles and units stay Feltlogg's;
//!   workers cannot sign in here.

use super::{Origin, SESSION_MS, redirect, set_cookie};
use crate::AppState;
use crate::config::AuthConfig;
use crate::db::{audit, sessions, users};
use crate::error::ApiError;
use crate::sync::token::{new_token, sha256};
use crate::web::i18n::{Lang, cookie, t};
use crate::web::{WebError, layout};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use feltlogg_core::Role;
use feltlogg_core::ids::UserId;
use feltlogg_core::time::now_ms;
use maud::html;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use std::collections::HashMap;

/// Cookie binding a sign-in under way to the browser that began it. Lax:
/// the provider's redirect back is a cross-site navigation.
pub const OIDC_COOKIE: &str = "fl_oidc";
/// How long a sign-in may stay at the provider: ten minutes.
const PENDING_MS: i64 = 10 * feltlogg_core::time::MINUTE_MS;
/// The callback path under the public URL.
pub const CALLBACK: &str = "/login/oidc/callback";

type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// An HTTP client for the provider: no redirects followed (they would
/// open it to SSRF), bounded time.
fn http() -> Result<openidconnect::reqwest::Client, String> {
    openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| format!("cannot make an HTTP client: {e}"))
}

/// Discovery (with the provider's current keys) and the client.
async fn client(cfg: &AuthConfig, http: &openidconnect::reqwest::Client) -> Result<Client, String> {
    let (Some(issuer), Some(id), Some(public)) =
        (&cfg.oidc_issuer, &cfg.oidc_client_id, &cfg.public_url)
    else {
        return Err("sign-in with the provider is not configured".into());
    };
    let issuer = IssuerUrl::new(issuer.clone()).map_err(|e| format!("issuer url: {e}"))?;
    let meta = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("the provider's discovery document or keys could not be read: {e}"))?;
    let redirect = format!("{}{CALLBACK}", public.trim_end_matches('/'));
    let redirect = RedirectUrl::new(redirect).map_err(|e| format!("public url: {e}"))?;
    let secret = cfg.oidc_client_secret.clone().map(ClientSecret::new);
    Ok(
        CoreClient::from_provider_metadata(meta, ClientId::new(id.clone()), secret)
            .set_redirect_uri(redirect),
    )
}

/// A page saying why the sign-in failed, in the viewer's language, with
/// the technical reason beneath and a way back.
fn failure(lang: Lang, status: StatusCode, why: &str) -> Response {
    let body = html! {
        p.error role="alert" { (t(lang, "oidc.failed")) }
        p { code { (why) } }
        p { a href="/login" { (t(lang, "oidc.again")) } }
    };
    (status, layout::bare(lang, t(lang, "login.title"), body)).into_response()
}

/// `GET /login/oidc?next=`: sends the browser to the provider.
#[tracing::instrument(skip_all)]
pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    if !state.auth.oidc_enabled() {
        return Err(WebError::NotFound(lang));
    }
    let next = redirect::local_or_home(q.get("next").map(String::as_str)).to_owned();
    let http = match http() {
        Ok(h) => h,
        Err(e) => return Ok(failure(lang, StatusCode::BAD_GATEWAY, &e)),
    };
    let client = match client(&state.auth, &http).await {
        Ok(c) => c,
        Err(e) => return Ok(failure(lang, StatusCode::BAD_GATEWAY, &e)),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let browser = new_token().map_err(|e| WebError::Api(lang, e))?;
    let pending = sessions::Pending {
        browser_hash: sha256(browser.as_bytes()),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next,
        created_ms: now_ms(),
    };
    let state_hash = sha256(csrf.secret().as_bytes());
    state
        .db
        .write(move |c| -> Result<(), ApiError> {
            sessions::purge_pending(c, now_ms() - PENDING_MS)?;
            Ok(sessions::insert_pending(c, &state_hash, &pending)?)
        })
        .await
        .map_err(|e| WebError::Api(lang, e))?;
    let mut resp = (
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, url.to_string())],
    )
        .into_response();
    let secure = if state.auth.https() { "; Secure" } else { "" };
    let c = format!(
        "{OIDC_COOKIE}={browser}; Path={CALLBACK}; HttpOnly; SameSite=Lax; Max-Age=600{secure}"
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
        resp.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// Who the provider vouched for.
struct Identity {
    subject: String,
    email: Option<String>,
}

/// The code exchanged (with the PKCE verifier) and the ID token checked:
/// signature against the provider's current keys, issuer, audience,
/// expiry, nonce, and the access token's hash when the token carries one.
async fn verify(
    cfg: &AuthConfig,
    code: String,
    pending: &sessions::Pending,
) -> Result<Identity, String> {
    let http = http()?;
    let client = client(cfg, &http).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| format!("the provider has no token endpoint: {e}"))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| format!("the provider refused the code: {e}"))?;
    let id_token = tokens.id_token().ok_or("the provider sent no ID token")?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(pending.nonce.clone()))
        .map_err(|e| format!("the ID token was refused: {e}"))?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|e| format!("the ID token was refused: {e}"))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| format!("the ID token was refused: {e}"))?;
        let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
            .map_err(|e| format!("the ID token was refused: {e}"))?;
        if actual != *expected {
            return Err(
                "the ID token was refused: its at_hash does not match the access token".into(),
            );
        }
    }
    let verified = claims.email_verified() == Some(true);
    Ok(Identity {
        subject: claims.subject().as_str().to_owned(),
        email: claims
            .email()
            .filter(|_| verified)
            .map(|e| e.as_str().to_owned()),
    })
}

/// What a verified identity comes to in Feltlogg.
enum Found {
    Session { token: String },
    NotLinked,
    NotAllowed,
}

fn sign_in(
    c: &rusqlite::Transaction<'_>,
    issuer: &str,
    who: &Identity,
    origin: &Origin,
) -> Result<Found, ApiError> {
    let now = now_ms();
    let linked = match users::by_oidc_subject(c, issuer, &who.subject)? {
        Some(u) => Some(u),
        None => match &who.email {
            Some(e) => users::claim_oidc_email(c, issuer, e, &who.subject, now)?,
            None => None,
        },
    };
    let detail = format!("method=oidc subject={}", who.subject);
    let user = linked.map(|u| users::get(c, u)).transpose()?.flatten();
    let Some(user) = user else {
        audit::insert(c, now, None, "", "login_failed", &origin.addr, &detail)?;
        return Ok(Found::NotLinked);
    };
    if !user.active || user.role == Role::Worker {
        audit::insert(
            c,
            now,
            None,
            &user.username,
            "login_failed",
            &origin.addr,
            &detail,
        )?;
        return Ok(Found::NotAllowed);
    }
    Ok(Found::Session {
        token: new_session(c, user.id, &user.username, origin, &detail, now)?,
    })
}

fn new_session(
    c: &rusqlite::Transaction<'_>,
    user: UserId,
    username: &str,
    origin: &Origin,
    detail: &str,
    now: i64,
) -> Result<String, ApiError> {
    sessions::purge_expired(c, now)?;
    let token = new_token()?;
    let csrf = new_token()?;
    let hash = sha256(token.as_bytes());
    sessions::insert_from(c, &hash, user, &csrf, origin, now, now + SESSION_MS)?;
    audit::insert(c, now, Some(user), username, "login", &origin.addr, detail)?;
    Ok(token)
}

/// `GET /login/oidc/callback?code&state`: the provider's answer.
#[tracing::instrument(skip_all)]
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    if !state.auth.oidc_enabled() {
        return Err(WebError::NotFound(lang));
    }
    let bad = |why: &str| Ok(failure(lang, StatusCode::BAD_REQUEST, why));
    if let Some(err) = q.get("error") {
        return bad(&format!("the provider answered: {err}"));
    }
    let (Some(code), Some(st)) = (q.get("code").cloned(), q.get("state")) else {
        return bad("the provider's answer has no code or state");
    };
    let state_hash = sha256(st.as_bytes());
    let pending = state
        .db
        .write(move |c| -> Result<_, ApiError> { Ok(sessions::take_pending(c, &state_hash)?) })
        .await
        .map_err(|e| WebError::Api(lang, e))?;
    let Some(pending) = pending.filter(|p| now_ms() - p.created_ms < PENDING_MS) else {
        return bad("this sign-in was already used or has expired (state unknown)");
    };
    let browser = cookie(&headers, OIDC_COOKIE).map(|b| sha256(b.as_bytes()));
    if browser.as_deref() != Some(pending.browser_hash.as_slice()) {
        return bad("this sign-in was begun in another browser (state cookie missing)");
    }
    let who = match verify(&state.auth, code, &pending).await {
        Ok(w) => w,
        Err(e) => return bad(&e),
    };
    let issuer = state.auth.oidc_issuer.clone().unwrap_or_default();
    let origin = super::origin(&headers, &ext, "oidc");
    let found = state
        .db
        .write(move |c| sign_in(c, &issuer, &who, &origin))
        .await
        .map_err(|e| WebError::Api(lang, e))?;
    let token = match found {
        Found::Session { token } => token,
        Found::NotLinked => {
            return Ok(failure(
                lang,
                StatusCode::FORBIDDEN,
                t(lang, "oidc.not_linked"),
            ));
        }
        Found::NotAllowed => return Err(WebError::Forbidden(lang)),
    };
    Ok(continue_page(&state, lang, &pending.next, &token))
}

/// A 200 page that moves on to `next` by itself: the session cookie is
/// SameSite=Strict, and a browser withholds it on a redirect chain that
/// began at the provider, so the next request must start from this site.
fn continue_page(state: &AppState, lang: Lang, next: &str, token: &str) -> Response {
    let next = redirect::local_or_home(Some(next));
    let body = html! {
        meta http-equiv="refresh" content={ "0;url=" (next) };
        p { a href=(next) { (t(lang, "oidc.continue")) } }
    };
    let mut resp = layout::bare(lang, t(lang, "login.title"), body).into_response();
    let secure = state.auth.https();
    set_cookie(
        &mut resp,
        secure,
        super::SESSION_COOKIE,
        token,
        SESSION_MS / 1000,
    );
    resp
}
