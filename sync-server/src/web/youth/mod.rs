//! The youths' public form, `GET`/`POST /u/{code}`: no sign-in, no
//! cookie, no script; in bokmål or English (`?lang=`, else the browser's
//! language), mobile first.
//!
//! A public door, so:
//! - bodies over [`MAX_BODY_BYTES`] are refused (413) before a handler runs;
//! - a post is read against the question set (core's `parse_answer`):
//!   any other field, a grade outside 1–5 or a text over 500 characters
//!   is a 400;
//! - the code is used up and the answer stored in one transaction, so
//!   parallel posts of one code store one answer;
//! - an unknown, used or expired code gets one page, one status (404),
//!   and the same work: the code is hashed and looked up the same way
//!   whatever it is;
//! - each unusable code counts against the address (in memory only,
//!   [`crate::feedback::tries`]); past the limit the address gets 429
//!   for the rest of the window;
//! - nothing about the phone is stored: no address, no browser, no time
//!   of day; the request log names the route pattern `/u/{code}`, never
//!   the path;
//! - the form's token is an HMAC of the code's hash (no cookie), checked
//!   on every post; the dashboard's security headers and CSP apply, plus
//!   `noindex`.
//!
//! - `strings/`: one table of texts per language.
//! - `page.rs`: the pages.

mod page;
pub mod strings;

use crate::AppState;
use crate::feedback::{self, tries::Door};
use crate::web::auth::client_addr;
use crate::web::html::Form;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use feltlogg_core::feedback::parse_answer;
use feltlogg_core::screen::redact;
use feltlogg_core::time::now_ms;
use page::FormView;
use std::collections::HashMap;
use strings::FormLang;

/// Largest body the form accepts: the form is a few hundred bytes, the
/// free text at most 500 characters (6 KiB percent-encoded at worst).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

const CSS: &str = include_str!("form.css");

/// The form's fields that are not answers.
const PAGE_FIELDS: [&str; 3] = ["token", "lang", "fix"];

/// The public routes, with their own body limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/u/{code}", get(show).post(answer))
        .route("/static/form.css", get(css))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

#[tracing::instrument(skip_all)]
async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

/// The code's unit if it can be used, counting an unusable one against
/// `addr`. Err: the page to answer with (too many tries, unusable, failure).
async fn unit_for(
    state: &AppState,
    lang: FormLang,
    addr: &str,
    hash: &[u8],
) -> Result<crate::db::units::Unit, Response> {
    let door: &Door = &state.door;
    let now = now_ms();
    if door.blocked(addr, now) {
        return Err(page::busy(lang));
    }
    let h = hash.to_vec();
    let found = state.db.read(move |c| feedback::usable(c, &h, now)).await;
    match found {
        Ok(Some(unit)) => Ok(unit),
        Ok(None) => {
            door.failed(addr, now);
            Err(page::refused(lang))
        }
        Err(e) => {
            tracing::error!(error = %e, "feedback form lookup failed");
            Err(page::failed(lang))
        }
    }
}

/// `GET /u/{code}`: the form, or the friendly page.
#[tracing::instrument(skip_all)]
async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ext: axum::http::Extensions,
) -> Response {
    let lang = FormLang::choose(q.get("lang").map(String::as_str), accept_language(&headers));
    let hash = feedback::code_hash(&code);
    let unit = match unit_for(&state, lang, &client_addr(&ext), &hash).await {
        Ok(u) => u,
        Err(page) => return page,
    };
    let code = crate::sync::token::normalise_code(&code);
    let token = state.door.token(&hash);
    let answer = feltlogg_core::feedback::Answer::default();
    let view = FormView {
        lang,
        unit: &unit.name,
        code: &code,
        token: &token,
        answer: &answer,
        findings: &[],
        message: None,
    };
    page::form(&view, StatusCode::OK)
}

/// `POST /u/{code}`: stores the answer, or shows the form again (flagged
/// text marked, the fix applied, nothing answered, a stale token).
#[tracing::instrument(skip_all)]
async fn answer(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let lang = FormLang::choose(form.get("lang"), accept_language(&headers));
    let hash = feedback::code_hash(&code);
    let unit = match unit_for(&state, lang, &client_addr(&ext), &hash).await {
        Ok(u) => u,
        Err(page) => return page,
    };
    let pairs = form.0.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let Ok(mut answer) = parse_answer(pairs, &PAGE_FIELDS) else {
        return page::bad(lang);
    };
    let code = crate::sync::token::normalise_code(&code);
    let token = state.door.token(&hash);
    let t = lang.texts();
    let mut findings = feedback::screen(&answer);
    let fix = form.text("fix") == "redact";
    let again = |answer: &_, findings: &[_], message, status| {
        let view = FormView {
            lang,
            unit: &unit.name,
            code: &code,
            token: &token,
            answer,
            findings,
            message,
        };
        page::form(&view, status)
    };
    if !state.door.token_ok(&hash, form.text("token")) {
        return again(
            &answer,
            &findings,
            Some((t.resend, true)),
            StatusCode::FORBIDDEN,
        );
    }
    if fix {
        answer.text = answer
            .text
            .map(|text| redact(&text, &findings, lang.code()));
        findings = feedback::screen(&answer);
        return again(&answer, &findings, Some((t.fixed, false)), StatusCode::OK);
    }
    if !findings.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(&answer, &findings, None, status);
    }
    if answer.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(&answer, &[], Some((t.nothing, true)), status);
    }
    store(&state, lang, hash, answer).await
}

/// Uses the code up and stores the answer: the thank-you page, or the
/// page of an unusable code when a parallel post got there first.
async fn store(
    state: &AppState,
    lang: FormLang,
    hash: Vec<u8>,
    answer: feltlogg_core::feedback::Answer,
) -> Response {
    let stored = state
        .db
        .write(move |c| feedback::submit(c, &hash, &answer, now_ms()))
        .await;
    match stored {
        Ok(true) => page::thanks(lang),
        // Used by a parallel post a moment ago: like any used code.
        Ok(false) => page::refused(lang),
        Err(crate::ApiError::Invalid { .. }) => page::bad(lang),
        Err(e) => {
            tracing::error!(error = %e, "storing a feedback answer failed");
            page::failed(lang)
        }
    }
}
