//! Units and one-time enrolment codes for new phones.

use super::{saved, unit_options};
use crate::AppState;
use crate::admin;
use crate::db::{areas, units};
use crate::error::ApiError;
use crate::web::html::{Form, csrf_input, options};
use crate::web::i18n::t;
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::time::now_ms;
use maud::{Markup, html};
use std::collections::HashMap;

async fn units_page(state: &AppState, v: &Viewer, top: Markup) -> Result<Html<String>, WebError> {
    let (list, areas) = state
        .db
        .read(|c| -> Result<_, ApiError> { Ok((units::list(c)?, areas::list(c)?)) })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let names: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let area_opts: Vec<(&str, &str)> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let body = html! {
        (top)
        table {
            caption { (t(lang, "people.units")) }
            thead { tr { th scope="col" { (t(lang, "col.name")) } th scope="col" { (t(lang, "col.bydel")) } } }
            tbody {
                @for u in &list {
                    tr { td { (u.name) } td { (names.get(u.bydel.as_str()).copied().unwrap_or(&u.bydel)) } }
                }
            }
        }
        h2 { (t(lang, "people.add_unit")) }
        form method="post" action="/admin/units" class="stack" {
            (csrf_input(&v.csrf))
            label for="unit-name" { (t(lang, "people.unit_name")) }
            input id="unit-name" name="name" required;
            label for="unit-bydel" { (t(lang, "col.bydel")) }
            select id="unit-bydel" name="bydel" { (options(area_opts, "")) }
            p { button type="submit" { (t(lang, "people.add_unit")) } }
        }
        h2 { (t(lang, "people.enrol")) }
        form method="post" action="/admin/enrol-codes" class="stack" {
            (csrf_input(&v.csrf))
            label for="enrol-unit" { (t(lang, "people.unit")) }
            select id="enrol-unit" name="unit" { (unit_options(&list, "")) }
            label for="enrol-ttl" { (t(lang, "people.enrol_ttl")) }
            input id="enrol-ttl" name="ttl_minutes" type="number" min="1" max="10080" value="60";
            p { button type="submit" id="make-code" { (t(lang, "people.enrol_submit")) } }
        }
    };
    Ok(layout::page(
        v,
        "/admin/units",
        t(lang, "people.units"),
        body,
    ))
}

/// `GET /admin/units`.
#[tracing::instrument(skip_all)]
pub async fn units(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    units_page(&state, &v, saved(v.lang, &q)).await
}

/// `POST /admin/units`.
#[tracing::instrument(skip_all)]
pub async fn add_unit(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let (name, bydel) = (form.text("name").to_owned(), form.text("bydel").to_owned());
    let by = v.actor();
    let done = state
        .db
        .write(move |tx| admin::add_unit(tx, &by, &name, &bydel, now_ms()).map(|_| ()))
        .await;
    match done {
        Ok(()) => Ok(Redirect::to("/admin/units?msg=saved").into_response()),
        Err(e) => {
            let top = layout::error(&e.to_string());
            match e {
                ApiError::Invalid { .. } | ApiError::Conflict { .. } => Ok((
                    StatusCode::BAD_REQUEST,
                    units_page(&state, &v, top).await?,
                )
                    .into_response()),
                e => Err(v.fail(e)),
            }
        }
    }
}

/// `POST /admin/enrol-codes`: makes a one-time code and shows it once.
#[tracing::instrument(skip_all)]
pub async fn enrol_code(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let unit = form.text("unit").to_owned();
    let ttl: u32 = form.text("ttl_minutes").parse().unwrap_or(0);
    let by = v.actor();
    let done = state
        .db
        .write(move |tx| {
            admin::make_enrol_code(tx, &by, &unit, ttl, now_ms())
                .map(|made| (made.unit.name, made.code))
        })
        .await;
    match done {
        Ok((unit, code)) => {
            let lang = v.lang;
            let text = t(lang, "people.enrol_code")
                .replace("{u}", &unit)
                .replace("{m}", &ttl.to_string());
            let top = html! {
                p role="status" { (text) }
                p.code #enrol-code { (code) }
            };
            Ok(units_page(&state, &v, top).await?.into_response())
        }
        Err(e) => {
            let top = layout::error(&e.to_string());
            match e {
                ApiError::Invalid { .. } | ApiError::NotFound(_) => Ok((
                    StatusCode::BAD_REQUEST,
                    units_page(&state, &v, top).await?,
                )
                    .into_response()),
                e => Err(v.fail(e)),
            }
        }
    }
}
