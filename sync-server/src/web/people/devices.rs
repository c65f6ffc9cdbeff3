//! Enrolled phones: when each last reached the server and sent a batch,
//! and revoking one as retired (push what is left, then wipe) or lost
//! (wipe at once), each after a confirmation page.

use super::saved;
use crate::AppState;
use crate::admin;
use crate::db::devices::{self, Listed};
use crate::error::ApiError;
use crate::web::html::{Form, csrf_input, time, time_opt};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::ids::DeviceId;
use feltlogg_core::sync::RevocationKind;
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
        "col.last_contact",
        "col.last_batch",
        "col.status",
        "col.actions",
    ];
    let body = html! {
        (saved(lang, &q))
        table {
            caption { (t(lang, "people.devices")) }
            thead { tr { @for h in heads { th scope="col" { (t(lang, h)) } } } }
            tbody { @for d in &list { (device_row(lang, d)) } }
        }
    };
    Ok(layout::page(
        &v,
        "/admin/devices",
        t(lang, "people.devices"),
        body,
    ))
}

/// One phone's row: contact, last batch, status and what can still be done.
fn device_row(lang: Lang, d: &Listed) -> Markup {
    html! {
        tr id={ "device-" (d.id) } {
            td { (d.name) }
            td { (d.unit) }
            td { (time_opt(Some(d.enrolled_ms))) }
            td { (never_or(lang, d.last_contact_ms)) }
            td { (last_batch(lang, d)) }
            td { (status(lang, d)) }
            td { (actions(lang, d)) }
        }
    }
}

fn never_or(lang: Lang, ms: Option<i64>) -> String {
    ms.map_or_else(|| t(lang, "people.never").to_owned(), time)
}

fn last_batch(lang: Lang, d: &Listed) -> String {
    match d.last_push_ms {
        Some(ms) if d.high_water > 0 => t(lang, "devices.batch")
            .replace("{n}", &d.high_water.to_string())
            .replace("{t}", &time(ms)),
        _ => t(lang, "people.never").to_owned(),
    }
}

fn status(lang: Lang, d: &Listed) -> String {
    let Some(at) = d.revoked_ms else {
        return t(lang, "people.in_use").to_owned();
    };
    let key = match d.revocation {
        Some(RevocationKind::Retire) => "devices.retired",
        Some(RevocationKind::Lost) => "devices.lost_at",
        None => "people.revoked",
    };
    let mut text = t(lang, key).replace("{t}", &time(at));
    if d.revocation.is_some() {
        let fetched = d.last_contact_ms.is_some_and(|c| c >= at);
        text.push_str("; ");
        text.push_str(t(
            lang,
            if fetched {
                "devices.fetched"
            } else {
                "devices.not_fetched"
            },
        ));
    }
    text
}

/// The kinds of revocation a device can still be given: both while in use
/// (or revoked before instructions existed), `lost` once retired.
fn open_kinds(d: &Listed) -> &'static [RevocationKind] {
    match d.revocation {
        None => &RevocationKind::ALL,
        Some(RevocationKind::Retire) => &[RevocationKind::Lost],
        Some(RevocationKind::Lost) => &[],
    }
}

/// Links (GET forms, so no script is needed) to the confirmation pages.
fn actions(lang: Lang, d: &Listed) -> Markup {
    html! {
        @for &kind in open_kinds(d) {
            form method="get" action={ "/admin/devices/" (d.id) "/revoke" } class="inline" {
                input type="hidden" name="kind" value=(kind);
                button type="submit" class="danger" data-kind=(kind) {
                    (t(lang, label(kind)).replace("{d}", &d.name))
                }
            }
        }
    }
}

fn label(kind: RevocationKind) -> &'static str {
    match kind {
        RevocationKind::Retire => "devices.retire",
        RevocationKind::Lost => "devices.lost",
    }
}

fn parse_kind(v: &Viewer, text: Option<&str>) -> Result<RevocationKind, WebError> {
    text.and_then(|k| RevocationKind::parse(k).ok())
        .ok_or(WebError::NotFound(v.lang))
}

/// `GET /admin/devices/{id}/revoke?kind=retire|lost`: what will happen,
/// and the button that does it.
#[tracing::instrument(skip_all)]
pub async fn confirm_revoke(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    let id: DeviceId = id.parse().map_err(|_| WebError::NotFound(v.lang))?;
    let kind = parse_kind(&v, q.get("kind").map(String::as_str))?;
    let list = state
        .db
        .read(|c| -> Result<_, ApiError> { Ok(devices::list(c)?) })
        .await
        .map_err(|e| v.fail(e))?;
    let d = list
        .into_iter()
        .find(|d| d.id == id && open_kinds(d).contains(&kind))
        .ok_or(WebError::NotFound(v.lang))?;
    let lang = v.lang;
    let title = t(lang, "devices.confirm_title").replace("{d}", &d.name);
    let body = confirm_body(&v, &d, kind);
    Ok(layout::page(&v, "/admin/devices", &title, body))
}

/// The confirmation page's text, the phone's facts and the CSRF form.
fn confirm_body(v: &Viewer, d: &Listed, kind: RevocationKind) -> Markup {
    let lang = v.lang;
    let (text, submit) = match kind {
        RevocationKind::Retire => ("devices.confirm_retire", "devices.do_retire"),
        RevocationKind::Lost => ("devices.confirm_lost", "devices.do_lost"),
    };
    html! {
        p { (t(lang, text)) }
        dl {
            dt { (t(lang, "col.unit")) }
            dd { (d.unit) }
            dt { (t(lang, "col.last_contact")) }
            dd { (never_or(lang, d.last_contact_ms)) }
            dt { (t(lang, "col.last_batch")) }
            dd { (last_batch(lang, d)) }
        }
        form method="post" action={ "/admin/devices/" (d.id) "/revoke" } {
            (csrf_input(&v.csrf))
            input type="hidden" name="kind" value=(kind);
            button type="submit" class="danger" id="confirm" { (t(lang, submit)) }
            " "
            a href="/admin/devices" { (t(lang, "devices.cancel")) }
        }
    }
}

/// `POST /admin/devices/{id}/revoke` with `kind=retire|lost`.
#[tracing::instrument(skip_all)]
pub async fn revoke(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id: DeviceId = id.parse().map_err(|_| WebError::NotFound(v.lang))?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let kind = parse_kind(&v, form.get("kind"))?;
    let by = v.actor();
    let key = state.server_key.clone();
    let done = state
        .db
        .write(move |tx| admin::revoke_device(tx, &key, &by, id, kind, now_ms()))
        .await;
    match done {
        Ok(_) => Ok(Redirect::to("/admin/devices?msg=saved").into_response()),
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(e) => Err(v.fail(e)),
    }
}
