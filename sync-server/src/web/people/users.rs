//! Users: add, deactivate, a new PIN or password.

use super::{form_error, saved, unit_options};
use crate::AppState;
use crate::admin::{self, UserSpec};
use crate::db::audit::Actor;
use crate::db::{units, users};
use crate::error::ApiError;
use crate::web::html::{Form, csrf_input, options};
use crate::web::i18n::t;
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::Role;
use feltlogg_core::ids::UserId;
use feltlogg_core::time::now_ms;
use maud::{Markup, html};
use std::collections::HashMap;

fn user_row(v: &Viewer, u: &users::Listed) -> Markup {
    let lang = v.lang;
    let status = if u.active {
        t(lang, "people.active")
    } else {
        t(lang, "people.inactive")
    };
    let (kind, label) = if u.role == Role::Worker {
        ("text", "people.pin")
    } else {
        ("password", "people.password")
    };
    let id = u.id;
    html! {
        tr {
            td { (u.display_name) }
            td { (u.username) }
            td { (t(lang, &format!("role.{}", u.role.as_str()))) }
            td { (u.units) }
            td { (status) }
            td {
                @if u.active && u.id != v.id {
                    form method="post" action={ "/admin/users/" (id) "/deactivate" } class="inline" {
                        (csrf_input(&v.csrf))
                        button type="submit" class="danger" {
                            (t(lang, "people.deactivate").replace("{u}", &u.username))
                        }
                    }
                    " "
                }
                @if u.role != Role::Worker {
                    // Sessions and the OpenID link of a team lead or admin.
                    a href={ "/admin/users/" (id) "/sign-in" } aria-label={ (t(lang, "people.sign_in")) " " (u.username) } {
                        (t(lang, "people.sign_in"))
                    }
                    " "
                }
                form method="post" action={ "/admin/users/" (id) "/reset" } class="inline" {
                    (csrf_input(&v.csrf))
                    label for={ "reset-" (id) } class="muted" {
                        (t(lang, "people.reset").replace("{u}", &u.username))
                    }
                    " "
                    input id={ "reset-" (id) } name="secret" type=(kind) autocomplete="new-password" required
                        aria-describedby={ "reset-hint-" (id) };
                    span id={ "reset-hint-" (id) } hidden { (t(lang, label)) }
                    " "
                    button type="submit" class="secondary" { (t(lang, "people.reset_submit")) }
                }
            }
        }
    }
}

async fn users_page(state: &AppState, v: &Viewer, top: Markup) -> Result<Html<String>, WebError> {
    let (list, unit_list) = state
        .db
        .read(|c| -> Result<_, ApiError> { Ok((users::list(c)?, units::list(c)?)) })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let heads = [
        "col.name",
        "col.username",
        "col.role",
        "col.unit",
        "col.status",
        "col.actions",
    ];
    let roles = [
        ("worker", t(lang, "role.worker")),
        ("team_lead", t(lang, "role.team_lead")),
        ("admin", t(lang, "role.admin")),
    ];
    let body = html! {
        (top)
        table {
            caption { (t(lang, "people.users")) }
            thead { tr { @for h in heads { th scope="col" { (t(lang, h)) } } } }
            tbody { @for u in &list { (user_row(v, u)) } }
        }
        h2 { (t(lang, "people.add_user")) }
        form method="post" action="/admin/users" class="stack" {
            (csrf_input(&v.csrf))
            label for="u-username" { (t(lang, "col.username")) }
            input id="u-username" name="username" required autocomplete="off";
            label for="u-display" { (t(lang, "people.display_name")) }
            input id="u-display" name="display_name" required;
            label for="u-role" { (t(lang, "col.role")) }
            select id="u-role" name="role" { (options(roles, "worker")) }
            label for="u-unit" { (t(lang, "people.unit")) }
            select id="u-unit" name="unit" {
                option value="" { (t(lang, "people.no_unit")) }
                (unit_options(&unit_list, ""))
            }
            label for="u-pin" { (t(lang, "people.pin")) }
            input id="u-pin" name="pin" inputmode="numeric" autocomplete="off";
            label for="u-password" { (t(lang, "people.password")) }
            input id="u-password" name="password" type="password" autocomplete="new-password";
            p { button type="submit" { (t(lang, "people.add_user")) } }
        }
    };
    Ok(layout::page(
        v,
        "/admin/users",
        t(lang, "people.users"),
        body,
    ))
}

/// `GET /admin/users`.
#[tracing::instrument(skip_all)]
pub async fn users(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    users_page(&state, &v, saved(v.lang, &q)).await
}

async fn user_change(
    state: AppState,
    v: Viewer,
    change: impl FnOnce(&rusqlite::Transaction<'_>, &Actor) -> Result<(), ApiError> + Send + 'static,
) -> Result<Response, WebError> {
    let by = v.actor();
    let done = state.db.write(move |tx| change(tx, &by)).await;
    match done {
        Ok(()) => Ok(Redirect::to("/admin/users?msg=saved").into_response()),
        Err(e) => {
            let page = users_page(&state, &v, layout::error(&e.to_string())).await?;
            form_error(&v, e, |_| page)
        }
    }
}

fn opt(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// `POST /admin/users`.
#[tracing::instrument(skip_all)]
pub async fn add_user(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let role = Role::parse(form.text("role")).unwrap_or(Role::Worker);
    let spec = UserSpec {
        username: form.text("username").to_owned(),
        display_name: form.text("display_name").to_owned(),
        role,
        unit: opt(form.text("unit")),
        pin: opt(form.text("pin")),
        password: form
            .get("password")
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
    };
    user_change(state, v, move |tx, by| {
        admin::add_user(tx, by, &spec, now_ms()).map(|_| ())
    })
    .await
}

fn parse_user(v: &Viewer, id: &str) -> Result<UserId, WebError> {
    id.parse().map_err(|_| WebError::NotFound(v.lang))
}

/// `POST /admin/users/{id}/deactivate`.
#[tracing::instrument(skip_all)]
pub async fn deactivate(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id = parse_user(&v, &id)?;
    v.check_csrf(&Form::parse(&body))?;
    user_change(state, v, move |tx, by| {
        admin::deactivate_user(tx, by, id, now_ms())
    })
    .await
}

/// `POST /admin/users/{id}/reset`: a new PIN (workers) or password.
#[tracing::instrument(skip_all)]
pub async fn reset(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id = parse_user(&v, &id)?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let secret = form.get("secret").unwrap_or("").to_owned();
    user_change(state, v, move |tx, by| {
        admin::reset_secret(tx, by, id, &secret, now_ms())
    })
    .await
}
