//! Enrolled phones: when each last synced, and revoking one.

use super::saved;
use crate::AppState;
use crate::admin;
use crate::db::devices;
use crate::error::ApiError;
use crate::web::html::{Form, csrf_input, esc, time, time_opt};
use crate::web::i18n::t;
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::ids::DeviceId;
use feltlogg_core::time::now_ms;
use std::collections::HashMap;
use std::fmt::Write as _;

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
    let mut body = saved(lang, &q);
    let _ = write!(
        body,
        "<table><caption>{}</caption><thead><tr>",
        t(lang, "people.devices")
    );
    for h in [
        "col.name",
        "col.unit",
        "col.enrolled",
        "col.last_push",
        "col.status",
        "col.actions",
    ] {
        let _ = write!(body, "<th scope=\"col\">{}</th>", t(lang, h));
    }
    body.push_str("</tr></thead><tbody>");
    for d in &list {
        let (status, action) = match d.revoked_ms {
            Some(ms) => (
                t(lang, "people.revoked").replace("{t}", &time(ms)),
                String::new(),
            ),
            None => (
                t(lang, "people.in_use").to_owned(),
                format!(
                    "<form method=\"post\" action=\"/admin/devices/{}/revoke\" class=\"inline\">{}\
                     <button type=\"submit\" class=\"danger\">{}</button></form>",
                    d.id,
                    csrf_input(&v.csrf),
                    esc(&t(lang, "people.revoke").replace("{d}", &d.name))
                ),
            ),
        };
        let last = d
            .last_push_ms
            .map_or_else(|| t(lang, "people.never").to_owned(), time);
        let _ = write!(
            body,
            "<tr id=\"device-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            d.id,
            esc(&d.name),
            esc(&d.unit),
            esc(&time_opt(Some(d.enrolled_ms))),
            esc(&last),
            esc(&status)
        );
    }
    body.push_str("</tbody></table>");
    Ok(layout::page(
        &v,
        "/admin/devices",
        t(lang, "people.devices"),
        &body,
    ))
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
