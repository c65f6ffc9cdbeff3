//! Admin pages for people and devices: units, users (add, deactivate,
//! new PIN or password), enrolment codes, devices (last sync, revoke).
//! Every change is written to the audit log in the same call.
//!
//! - `units.rs`: units and enrolment codes.
//! - `users.rs`: users, deactivation, new PIN or password.
//! - `devices.rs`: enrolled phones, last sync, revoke.
//!
//! Here: the status line, form errors and the unit picker they share.

mod devices;
mod units;
mod users;

pub use devices::{confirm_revoke, devices, revoke};
pub use units::{add_unit, enrol_code, units};
pub use users::{add_user, deactivate, reset, users};

use super::html::options;
use super::i18n::{Lang, t};
use super::{Viewer, WebError, layout};
use crate::db::units::Unit;
use crate::error::ApiError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;
use std::collections::HashMap;

/// A status line for `?msg=saved`.
fn saved(lang: Lang, q: &HashMap<String, String>) -> Markup {
    if q.get("msg").is_some_and(|m| m == "saved") {
        layout::notice(t(lang, "people.saved"))
    } else {
        Markup::default()
    }
}

/// Shows `page` with status 400 and the error on top, or the error page
/// for errors that are not the user's to fix.
fn form_error(
    v: &Viewer,
    e: ApiError,
    page: impl FnOnce(Markup) -> Html<String>,
) -> Result<Response, WebError> {
    match e {
        ApiError::Invalid { .. } | ApiError::Conflict { .. } | ApiError::NotFound(_) => {
            Ok((StatusCode::BAD_REQUEST, page(layout::error(&e.to_string()))).into_response())
        }
        e => Err(v.fail(e)),
    }
}

fn unit_options(list: &[Unit], selected: &str) -> Markup {
    options(
        list.iter()
            .map(|u| (u.id.to_string(), u.name.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str())),
        selected,
    )
}
