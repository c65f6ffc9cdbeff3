//! Admin pages for people and devices: units, users (add, deactivate,
//! new PIN or password), enrolment codes, devices (last sync, revoke).
//! Every change is written to the audit log in the same call.

use super::html::{Form, csrf_input, esc, options, time, time_opt};
use super::i18n::{Lang, t};
use super::{Viewer, WebError, layout, now};
use crate::AppState;
use crate::admin::{self, UserSpec};
use crate::db::{areas, audit, devices, units, users};
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::Role;
use feltlogg_core::ids::{DeviceId, UserId};
use std::collections::HashMap;
use std::fmt::Write as _;

/// A status line for `?msg=saved`.
fn saved(lang: Lang, q: &HashMap<String, String>) -> String {
    if q.get("msg").is_some_and(|m| m == "saved") {
        layout::notice(t(lang, "people.saved"))
    } else {
        String::new()
    }
}

/// Shows `page` with status 400 and the error on top, or the error page
/// for errors that are not the user's to fix.
fn form_error(
    v: &Viewer,
    e: ApiError,
    page: impl FnOnce(String) -> Html<String>,
) -> Result<Response, WebError> {
    match e {
        ApiError::Invalid { .. } | ApiError::Conflict { .. } | ApiError::NotFound(_) => {
            Ok((StatusCode::BAD_REQUEST, page(layout::error(&e.to_string()))).into_response())
        }
        e => Err(v.fail(e)),
    }
}

fn unit_options(list: &[units::Unit], selected: &str) -> String {
    options(
        list.iter()
            .map(|u| (u.id.to_string(), u.name.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str())),
        selected,
    )
}

// ---------- units and enrolment codes ----------

async fn units_page(state: &AppState, v: &Viewer, top: String) -> Result<Html<String>, WebError> {
    let (list, areas) = state
        .db
        .call(|c| -> Result<_, ApiError> { Ok((units::list(c)?, areas::list(c)?)) })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let names: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let mut body = top;
    let _ = write!(
        body,
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "people.units"),
        t(lang, "col.name"),
        t(lang, "col.bydel")
    );
    for u in &list {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&u.name),
            esc(names.get(u.bydel.as_str()).copied().unwrap_or(&u.bydel))
        );
    }
    body.push_str("</tbody></table>");
    let area_opts: Vec<(&str, &str)> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let _ = write!(
        body,
        "<h2>{}</h2><form method=\"post\" action=\"/admin/units\" class=\"stack\">{}\
         <label for=\"unit-name\">{}</label><input id=\"unit-name\" name=\"name\" required>\
         <label for=\"unit-bydel\">{}</label><select id=\"unit-bydel\" name=\"bydel\">{}</select>\
         <p><button type=\"submit\">{}</button></p></form>",
        t(lang, "people.add_unit"),
        csrf_input(&v.csrf),
        t(lang, "people.unit_name"),
        t(lang, "col.bydel"),
        options(area_opts, ""),
        t(lang, "people.add_unit")
    );
    let _ = write!(
        body,
        "<h2>{}</h2><form method=\"post\" action=\"/admin/enrol-codes\" class=\"stack\">{}\
         <label for=\"enrol-unit\">{}</label><select id=\"enrol-unit\" name=\"unit\">{}</select>\
         <label for=\"enrol-ttl\">{}</label><input id=\"enrol-ttl\" name=\"ttl_minutes\" type=\"number\" min=\"1\" max=\"10080\" value=\"60\">\
         <p><button type=\"submit\" id=\"make-code\">{}</button></p></form>",
        t(lang, "people.enrol"),
        csrf_input(&v.csrf),
        t(lang, "people.unit"),
        unit_options(&list, ""),
        t(lang, "people.enrol_ttl"),
        t(lang, "people.enrol_submit")
    );
    Ok(layout::page(
        v,
        "/admin/units",
        t(lang, "people.units"),
        &body,
    ))
}

/// `GET /admin/units`.
pub async fn units(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    units_page(&state, &v, saved(v.lang, &q)).await
}

/// `POST /admin/units`.
pub async fn add_unit(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let (name, bydel) = (form.text("name").to_owned(), form.text("bydel").to_owned());
    let viewer = v.clone();
    let done = state
        .db
        .call(move |c| -> Result<(), ApiError> {
            let now = now();
            let unit = admin::add_unit(c, &name, &bydel, now)?;
            audit::insert(
                c,
                now,
                Some(viewer.id),
                &viewer.username,
                "unit_add",
                &unit.name,
                &unit.bydel,
            )?;
            Ok(())
        })
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
    let viewer = v.clone();
    let done = state
        .db
        .call(move |c| -> Result<(String, String), ApiError> {
            let now = now();
            let found = admin::find_unit(c, &unit)?;
            let code = admin::make_enrol_code(c, &found.id.to_string(), ttl, now)?;
            let detail = format!("ttl_minutes={ttl}");
            audit::insert(
                c,
                now,
                Some(viewer.id),
                &viewer.username,
                "enrol_code",
                &found.name,
                &detail,
            )?;
            Ok((found.name, code))
        })
        .await;
    match done {
        Ok((unit, code)) => {
            let lang = v.lang;
            let text = t(lang, "people.enrol_code")
                .replace("{u}", &unit)
                .replace("{m}", &ttl.to_string());
            let top = format!(
                "<p role=\"status\">{}</p><p class=\"code\" id=\"enrol-code\">{}</p>",
                esc(&text),
                esc(&code)
            );
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

// ---------- users ----------

fn user_row(v: &Viewer, u: &users::Listed) -> String {
    let lang = v.lang;
    let status = if u.active {
        t(lang, "people.active")
    } else {
        t(lang, "people.inactive")
    };
    let mut actions = String::new();
    if u.active && u.id != v.id {
        let _ = write!(
            actions,
            "<form method=\"post\" action=\"/admin/users/{id}/deactivate\" class=\"inline\">{}\
             <button type=\"submit\" class=\"danger\">{}</button></form> ",
            csrf_input(&v.csrf),
            esc(&t(lang, "people.deactivate").replace("{u}", &u.username)),
            id = u.id
        );
    }
    let (kind, label) = if u.role == Role::Worker {
        ("text", "people.pin")
    } else {
        ("password", "people.password")
    };
    let _ = write!(
        actions,
        "<form method=\"post\" action=\"/admin/users/{id}/reset\" class=\"inline\">{}\
         <label for=\"reset-{id}\" class=\"muted\">{}</label> \
         <input id=\"reset-{id}\" name=\"secret\" type=\"{kind}\" autocomplete=\"new-password\" required aria-describedby=\"reset-hint-{id}\">\
         <span id=\"reset-hint-{id}\" hidden>{}</span> <button type=\"submit\" class=\"secondary\">{}</button></form>",
        csrf_input(&v.csrf),
        esc(&t(lang, "people.reset").replace("{u}", &u.username)),
        t(lang, label),
        t(lang, "people.reset_submit"),
        id = u.id
    );
    format!(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{actions}</td></tr>",
        esc(&u.display_name),
        esc(&u.username),
        t(lang, &format!("role.{}", u.role.as_str())),
        esc(&u.units),
        status
    )
}

async fn users_page(state: &AppState, v: &Viewer, top: String) -> Result<Html<String>, WebError> {
    let (list, unit_list) = state
        .db
        .call(|c| -> Result<_, ApiError> { Ok((users::list(c)?, units::list(c)?)) })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = top;
    let _ = write!(
        body,
        "<table><caption>{}</caption><thead><tr>",
        t(lang, "people.users")
    );
    for h in [
        "col.name",
        "col.username",
        "col.role",
        "col.unit",
        "col.status",
        "col.actions",
    ] {
        let _ = write!(body, "<th scope=\"col\">{}</th>", t(lang, h));
    }
    body.push_str("</tr></thead><tbody>");
    for u in &list {
        body.push_str(&user_row(v, u));
    }
    body.push_str("</tbody></table>");
    let roles = [
        ("worker", t(lang, "role.worker")),
        ("team_lead", t(lang, "role.team_lead")),
        ("admin", t(lang, "role.admin")),
    ];
    let mut unit_opts = format!("<option value=\"\">{}</option>", t(lang, "people.no_unit"));
    unit_opts.push_str(&unit_options(&unit_list, ""));
    let _ = write!(
        body,
        "<h2>{}</h2><form method=\"post\" action=\"/admin/users\" class=\"stack\">{}\
         <label for=\"u-username\">{}</label><input id=\"u-username\" name=\"username\" required autocomplete=\"off\">\
         <label for=\"u-display\">{}</label><input id=\"u-display\" name=\"display_name\" required>\
         <label for=\"u-role\">{}</label><select id=\"u-role\" name=\"role\">{}</select>\
         <label for=\"u-unit\">{}</label><select id=\"u-unit\" name=\"unit\">{unit_opts}</select>\
         <label for=\"u-pin\">{}</label><input id=\"u-pin\" name=\"pin\" inputmode=\"numeric\" autocomplete=\"off\">\
         <label for=\"u-password\">{}</label><input id=\"u-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">\
         <p><button type=\"submit\">{}</button></p></form>",
        t(lang, "people.add_user"),
        csrf_input(&v.csrf),
        t(lang, "col.username"),
        t(lang, "people.display_name"),
        t(lang, "col.role"),
        options(roles, "worker"),
        t(lang, "people.unit"),
        t(lang, "people.pin"),
        t(lang, "people.password"),
        t(lang, "people.add_user"),
    );
    Ok(layout::page(
        v,
        "/admin/users",
        t(lang, "people.users"),
        &body,
    ))
}

/// `GET /admin/users`.
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
    change: impl FnOnce(&mut rusqlite::Connection, &Viewer) -> Result<(), ApiError> + Send + 'static,
) -> Result<Response, WebError> {
    let viewer = v.clone();
    let done = state.db.call(move |c| change(c, &viewer)).await;
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
    user_change(state, v, move |c, viewer| {
        let now = now();
        admin::add_user(c, &spec, now)?;
        let detail = format!("role={}", spec.role.as_str());
        audit::insert(
            c,
            now,
            Some(viewer.id),
            &viewer.username,
            "user_add",
            spec.username.trim(),
            &detail,
        )?;
        Ok(())
    })
    .await
}

fn parse_user(v: &Viewer, id: &str) -> Result<UserId, WebError> {
    id.parse().map_err(|_| WebError::NotFound(v.lang))
}

/// `POST /admin/users/{id}/deactivate`.
pub async fn deactivate(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id = parse_user(&v, &id)?;
    v.check_csrf(&Form::parse(&body))?;
    user_change(state, v, move |c, viewer| {
        let user = users::get(c, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
        let now = now();
        admin::deactivate_user(c, id, now)?;
        audit::insert(
            c,
            now,
            Some(viewer.id),
            &viewer.username,
            "user_deactivate",
            &user.username,
            "",
        )?;
        Ok(())
    })
    .await
}

/// `POST /admin/users/{id}/reset`: a new PIN (workers) or password.
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
    user_change(state, v, move |c, viewer| {
        let user = users::get(c, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
        let now = now();
        let what = if user.role == Role::Worker {
            admin::reset_pin(c, id, &secret, now)?;
            "pin"
        } else {
            admin::reset_password(c, id, &secret)?;
            "password"
        };
        audit::insert(
            c,
            now,
            Some(viewer.id),
            &viewer.username,
            "user_reset",
            &user.username,
            what,
        )?;
        Ok(())
    })
    .await
}

// ---------- devices ----------

/// `GET /admin/devices`.
pub async fn devices(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    let list = state
        .db
        .call(|c| -> Result<_, ApiError> { Ok(devices::list(c)?) })
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
pub async fn revoke(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id: DeviceId = id.parse().map_err(|_| WebError::NotFound(v.lang))?;
    v.check_csrf(&Form::parse(&body))?;
    let viewer = v.clone();
    let done = state
        .db
        .call(move |c| -> Result<(), ApiError> {
            let now = now();
            admin::revoke_device(c, id, now)?;
            audit::insert(
                c,
                now,
                Some(viewer.id),
                &viewer.username,
                "device_revoke",
                &id.to_string(),
                "",
            )?;
            Ok(())
        })
        .await;
    match done {
        Ok(()) => Ok(Redirect::to("/admin/devices?msg=saved").into_response()),
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(e) => Err(v.fail(e)),
    }
}
