//! The team-lead and admin dashboard: server-rendered HTML, usable without
//! JavaScript, in bokmål (English selectable). Templates are `maud::html!`
//! blocks: every value from the database or the request is escaped as it
//! is interpolated, and [`layout::page`] takes only `maud::Markup`.
//!
//! - [`auth`]: sign-in, sessions (HttpOnly, SameSite=Strict cookies), CSRF
//!   tokens, the growing delay after failed sign-ins, the [`Viewer`]
//!   extractor that every page starts from.
//! - [`review`]: the queue of closed shifts, a shift's page, approve,
//!   return, bulk approve, refused changes.
//! - [`people`]: units, users, enrolment codes, devices (admins).
//! - [`figures`]: exports and the key-figures page with SVG charts.
//! - [`words`]: the unit's own words and its "not a person" setting.
//! - [`audit`]: the audit log (admins; read-only).
//! - [`feedback`]: the youths' feedback: printing cards, the results.
//! - [`youth`]: the youths' public form (`/u/{code}`), no sign-in.
//! - [`layout`], [`html`], [`i18n`]: page frame and CSS, form fields and
//!   form parsing, the one translation table.
//!
//! Who may do what: team leads see and act on their own units only, admins
//! on all. A shift outside the viewer's units answers 404 (its existence is
//! not revealed); an admin page answers 403 to a team lead; anyone not
//! signed in is sent to the sign-in page. `decide_shift` checks the
//! deciding user again, so a forged form cannot get past the page's check.

pub mod audit;
pub mod auth;
pub mod feedback;
pub mod figures;
pub mod html;
pub mod i18n;
pub mod layout;
pub mod people;
pub mod review;
pub mod words;
pub mod youth;

use crate::AppState;
use crate::error::ApiError;
pub use auth::Viewer;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use i18n::{Lang, t};

/// Largest form body the dashboard accepts.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Every dashboard route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/dashboard.css", get(layout::css))
        .route("/lang/{lang}", get(i18n::switch))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/login/oidc", get(auth::oidc::start))
        .route(auth::oidc::CALLBACK, get(auth::oidc::callback))
        .route("/account/sessions", get(auth::account::own_sessions))
        .route(
            "/account/sessions/end-all",
            post(auth::account::end_all_own),
        )
        .route(
            "/admin/users/{id}/sign-in",
            get(auth::account::user_sign_in),
        )
        .route(
            "/admin/users/{id}/sessions/end",
            post(auth::account::end_user_sessions),
        )
        .route("/admin/users/{id}/oidc", post(auth::account::set_link))
        .route("/review", get(review::queue))
        .route("/review/bulk-approve", post(review::bulk_approve))
        .route("/review/refusals", get(review::refusals))
        .route("/review/screen", get(review::scan_page))
        .route("/review/screen/redact", post(review::redact_text))
        .route("/review/screen/add-word", post(review::add_word))
        .route("/words", get(words::index))
        .route("/words/{list}", get(words::list_page))
        .route("/words/{list}/add", post(words::add))
        .route("/words/{list}/remove", post(words::remove))
        .route("/words/{list}/setting", post(words::setting))
        .route("/shifts/{id}", get(review::shift_page))
        .route("/shifts/{id}/approve", post(review::approve))
        .route("/shifts/{id}/return", post(review::return_shift))
        .route("/export", get(figures::export_page).post(figures::export))
        .route("/figures", get(figures::key_figures))
        .route("/admin/units", get(people::units).post(people::add_unit))
        .route("/admin/users", get(people::users).post(people::add_user))
        .route("/admin/users/{id}/deactivate", post(people::deactivate))
        .route("/admin/users/{id}/reset", post(people::reset))
        .route("/admin/enrol-codes", post(people::enrol_code))
        .route("/admin/devices", get(people::devices))
        .route(
            "/admin/devices/{id}/revoke",
            get(people::confirm_revoke).post(people::revoke),
        )
        .route("/admin/audit", get(audit::page))
        .route("/admin/threshold", post(figures::save_threshold))
        .route("/feedback", get(feedback::results))
        .route(
            "/feedback/cards",
            get(feedback::cards_page).post(feedback::print),
        )
        .route("/static/cards.css", get(feedback::css))
        .route(
            "/admin/feedback-threshold",
            post(feedback::save_min_answers),
        )
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        // The public form keeps its own, smaller body limit.
        .merge(youth::routes())
}

#[tracing::instrument(skip_all)]
async fn home(viewer: Viewer) -> Redirect {
    let _ = viewer;
    Redirect::to("/review")
}

/// Why a dashboard request failed; becomes an HTML page with a status.
#[derive(Debug)]
pub enum WebError {
    /// Not signed in: go to the sign-in page, then back to `next`.
    SignIn {
        /// Where to return after signing in (a local path).
        next: String,
    },
    /// Signed in, but not allowed.
    Forbidden(Lang),
    /// Nothing here for this viewer.
    NotFound(Lang),
    /// The form's CSRF token is missing or wrong.
    Csrf(Lang),
    /// An operation failed; its message is shown (internal details are not).
    Api(Lang, ApiError),
}

impl WebError {
    fn lang(&self) -> Lang {
        match self {
            WebError::SignIn { .. } => Lang::Nb,
            WebError::Forbidden(l)
            | WebError::NotFound(l)
            | WebError::Csrf(l)
            | WebError::Api(l, _) => *l,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let lang = self.lang();
        let (status, message) = match self {
            WebError::SignIn { next } => {
                let to = format!("/login?next={}", html::url_encode(&next));
                return auth::redirect::see_other(&to);
            }
            WebError::Forbidden(_) => (StatusCode::FORBIDDEN, t(lang, "err.forbidden").to_owned()),
            WebError::NotFound(_) => (StatusCode::NOT_FOUND, t(lang, "err.not_found").to_owned()),
            WebError::Csrf(_) => (StatusCode::FORBIDDEN, t(lang, "err.csrf").to_owned()),
            WebError::Api(_, e) => {
                let status = e.status();
                if status.is_server_error() {
                    tracing::error!(error = %e, "dashboard request failed");
                    (status, t(lang, "err.internal").to_owned())
                } else {
                    (status, e.to_string())
                }
            }
        };
        let body = maud::html! {
            p.error role="alert" { (message) }
            p { a href="/review" { (t(lang, "err.back")) } }
        };
        let page = layout::bare(lang, t(lang, "err.title"), body);
        (status, page).into_response()
    }
}
