//! Enrolled phones: when each last synced, and revoking one.

use super::saved;
use crate::AppState;
use crate::admin;
use crate::db::devices;
use crate::error::ApiError;
use crate::web::html::{Form, csrf_input, time, time_opt};
use crate::web::i18n::t;
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::ids::DeviceId;
use feltlogg_core::time::now_ms;
use maud::{Markup, html};
use std::collections::HashMap;

/// `GET /admin/devices`.
#[tracing::instrument(skip_all)]
pub async fn devices(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    let list = state
        .db
        .read(|c| -> Result<_, ApiError> { Ok(devices::list(c)?) })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let heads = [
        "col.name",
        "col.unit",
        "col.enrolled",
        "col.last_push",
        "col.status",
        "col.actions",
    ];
    let body = html! {
        (saved(lang, &q))
        table {
            caption { (t(lang, "people.devices")) }
            thead { tr { @for h in heads { th scope="col" { (t(lang, h)) } } } }
            tbody { @for d in &list { (device_row(&v, d)) } }
        }
    };
    Ok(layout::page(
        &v,
        "/admin/devices",
        t(lang, "people.devices"),
        body,
    ))
}

/// One phone's row, with its revoke button while it is in use.
fn device_row(v: &Viewer, d: &devices::Listed) -> Markup {
    let lang = v.lang;
    let last = d
        .last_push_ms
        .map_or_else(|| t(lang, "people.never").to_owned(), time);
    html! {
        tr id={ "device-" (d.id) } {
            td { (d.name) }
            td { (d.unit) }
            td { (time_opt(Some(d.enrolled_ms))) }
            td { (last) }
            @match d.revoked_ms {
                Some(ms) => {
                    td { (t(lang, "people.revoked").replace("{t}", &time(ms))) }
                    td {}
                },
                None => {
                    td { (t(lang, "people.in_use")) }
                    td {
                        form method="post" action={ "/admin/devices/" (d.id) "/revoke" } class="inline" {
                            (csrf_input(&v.csrf))
                            button type="submit" class="danger" {
                                (t(lang, "people.revoke").replace("{d}", &d.name))
                            }
                        }
                    }
                },
            }
        }
    }
}

/// `POST /admin/devices/{id}/revoke`.
#[tracing::instrument(skip_all)]
pub async fn revoke(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id: DeviceId = id.parse().map_err(|_| WebError::NotFound(v.lang))?;
    v.check_csrf(&Form::parse(&body))?;
    let by = v.actor();
    let done = state
        .db
        .write(move |tx| admin::revoke_device(tx, &by, id, now_ms()))
        .await;
    match done {
        Ok(()) => Ok(Redirect::to("/admin/devices?msg=saved").into_response()),
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(e) => Err(v.fail(e)),
    }
}
