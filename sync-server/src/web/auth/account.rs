//! A person's own sessions (when, from where, which browser, how) with
//! "sign out everywhere"; an admin's page for one user: their sessions,
//! ending them, and their link to the OpenID provider.

use super::{SESSION_COOKIE, Viewer, redirect, set_cookie};
use crate::AppState;
use crate::db::sessions::{self, Listed};
use crate::db::{audit, users};
use crate::error::ApiError;
use crate::sync::token::sha256;
use crate::web::html::{Form, csrf_input, time};
use crate::web::i18n::{cookie, t};
use crate::web::{WebError, layout};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use feltlogg_core::ids::UserId;
use feltlogg_core::time::now_ms;
use maud::{Markup, html};

fn session_table(v: &Viewer, list: &[Listed], mine: Option<&[u8]>) -> Markup {
    let lang = v.lang;
    let heads = [
        "sessions.began",
        "sessions.seen",
        "sessions.addr",
        "sessions.browser",
        "sessions.method",
    ];
    html! {
        table {
            thead { tr { @for h in heads { th scope="col" { (t(lang, h)) } } } }
            tbody {
                @for s in list {
                    tr {
                        td {
                            (time(s.created_ms))
                            @if mine == Some(s.token_hash.as_slice()) {
                                " " strong { "(" (t(lang, "sessions.this")) ")" }
                            }
                        }
                        td { (time(s.last_seen_ms)) }
                        td { (s.origin.addr) }
                        td { (s.origin.user_agent) }
                        td { (s.origin.method) }
                    }
                }
            }
        }
    }
}

fn list(
    state: &AppState,
    v: &Viewer,
    user: UserId,
) -> impl Future<Output = Result<Vec<Listed>, WebError>> {
    let db = state.db.clone();
    let lang = v.lang;
    async move {
        db.read(move |c| -> Result<_, ApiError> { Ok(sessions::list_for_user(c, user, now_ms())?) })
            .await
            .map_err(|e| WebError::Api(lang, e))
    }
}

/// `GET /account/sessions`: the viewer's own live sessions.
#[tracing::instrument(skip_all)]
pub async fn own_sessions(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let mine = cookie(&headers, SESSION_COOKIE).map(|c| sha256(c.as_bytes()));
    let all = list(&state, &v, v.id).await?;
    let lang = v.lang;
    let body = html! {
        p { (t(lang, "sessions.intro")) }
        (session_table(&v, &all, mine.as_deref()))
        form method="post" action="/account/sessions/end-all" {
            (csrf_input(&v.csrf))
            button type="submit" class="danger" { (t(lang, "sessions.end_all")) }
        }
    };
    Ok(layout::page(
        &v,
        "/account/sessions",
        t(lang, "sessions.title"),
        body,
    ))
}

/// `POST /account/sessions/end-all`: "sign out everywhere", this browser
/// included.
#[tracing::instrument(skip_all)]
pub async fn end_all_own(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.check_csrf(&Form::parse(&body))?;
    let (id, name) = (v.id, v.username.clone());
    state
        .db
        .write(move |c| -> Result<(), ApiError> {
            let n = sessions::delete_for_user(c, id)?;
            let detail = format!("sessions={n}");
            audit::insert(
                c,
                now_ms(),
                Some(id),
                &name,
                "sessions_end_all",
                &name,
                &detail,
            )?;
            Ok(())
        })
        .await
        .map_err(|e| v.fail(e))?;
    let mut resp = redirect::see_other("/login");
    set_cookie(&mut resp, state.auth.https(), SESSION_COOKIE, "", 0);
    Ok(resp)
}

fn parse_user(v: &Viewer, id: &str) -> Result<UserId, WebError> {
    id.parse().map_err(|_| WebError::NotFound(v.lang))
}

fn link_form(v: &Viewer, user: UserId, link: Option<&users::OidcLink>) -> Markup {
    let lang = v.lang;
    let subject = link.and_then(|l| l.subject.as_deref()).unwrap_or("");
    let email = link.and_then(|l| l.email.as_deref()).unwrap_or("");
    html! {
        h2 { (t(lang, "oidc.link_title")) }
        p { (t(lang, "oidc.link_help")) }
        form method="post" action={ "/admin/users/" (user) "/oidc" } class="stack" {
            (csrf_input(&v.csrf))
            label for="subject" { (t(lang, "oidc.subject")) }
            input id="subject" name="subject" value=(subject);
            label for="email" { (t(lang, "oidc.email")) }
            input id="email" name="email" type="email" value=(email);
            p { button type="submit" { (t(lang, "oidc.link_save")) } }
        }
    }
}

/// `GET /admin/users/{id}/sign-in` (admins): a user's sessions, a button
/// to end them, and their link to the OpenID provider.
#[tracing::instrument(skip_all)]
pub async fn user_sign_in(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id = parse_user(&v, &id)?;
    let lang = v.lang;
    let found = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            let Some(user) = users::get(c, id)? else {
                return Ok(None);
            };
            let all = sessions::list_for_user(c, id, now_ms())?;
            Ok(Some((user, all, users::oidc_link_of(c, id)?)))
        })
        .await
        .map_err(|e| v.fail(e))?;
    let Some((user, all, link)) = found else {
        return Err(WebError::NotFound(lang));
    };
    let oidc = if state.auth.oidc_enabled() {
        link_form(&v, id, link.as_ref())
    } else {
        Markup::default()
    };
    let body = html! {
        (session_table(&v, &all, None))
        form method="post" action={ "/admin/users/" (id) "/sessions/end" } {
            (csrf_input(&v.csrf))
            button type="submit" class="danger" {
                (t(lang, "sessions.end_user").replace("{u}", &user.username))
            }
        }
        (oidc)
    };
    let title = t(lang, "sessions.user_title").replace("{u}", &user.username);
    Ok(layout::page(&v, "/admin/users", &title, body).into_response())
}

/// `POST /admin/users/{id}/sessions/end` (admins): ends every session of
/// a user.
#[tracing::instrument(skip_all)]
pub async fn end_user_sessions(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id = parse_user(&v, &id)?;
    v.check_csrf(&Form::parse(&body))?;
    let (by, by_name) = (v.id, v.username.clone());
    state
        .db
        .write(move |c| -> Result<(), ApiError> {
            let user = users::get(c, id)?
                .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
            let n = sessions::delete_for_user(c, id)?;
            let detail = format!("sessions={n}");
            audit::insert(
                c,
                now_ms(),
                Some(by),
                &by_name,
                "sessions_end",
                &user.username,
                &detail,
            )?;
            Ok(())
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(redirect::see_other(&format!("/admin/users/{id}/sign-in")))
}

/// `POST /admin/users/{id}/oidc` (admins): links a user to a subject at
/// the configured provider, or to an e-mail address the first verified
/// sign-in turns into the subject; both empty removes the link.
#[tracing::instrument(skip_all)]
pub async fn set_link(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let id = parse_user(&v, &id)?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let Some(issuer) = state.auth.oidc_issuer.clone() else {
        return Err(WebError::NotFound(v.lang));
    };
    let nonempty = |k| Some(form.text(k).trim().to_owned()).filter(|s| !s.is_empty());
    let (subject, email) = (nonempty("subject"), nonempty("email"));
    let (by, by_name) = (v.id, v.username.clone());
    state
        .db
        .write(move |c| -> Result<(), ApiError> {
            let user = users::get(c, id)?
                .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
            let now = now_ms();
            let detail = match (&subject, &email) {
                (None, None) => {
                    users::remove_oidc_link(c, id)?;
                    "removed".to_owned()
                }
                _ => {
                    let taken = match &subject {
                        Some(sub) => users::by_oidc_subject(c, &issuer, sub)?,
                        None => None,
                    };
                    if taken.is_some_and(|other| other != id) {
                        return Err(ApiError::BadRequest(format!(
                            "subject {:?} is already linked to another user; remove that link first",
                            subject.as_deref().unwrap_or("")
                        )));
                    }
                    let link = users::OidcLink {
                        user_id: id,
                        issuer,
                        subject: subject.clone(),
                        email: email.clone(),
                    };
                    users::set_oidc_link(c, &link, now)?;
                    format!("subject={}", subject.as_deref().unwrap_or("(by e-mail)"))
                }
            };
            audit::insert(
                c,
                now,
                Some(by),
                &by_name,
                "oidc_link",
                &user.username,
                &detail,
            )?;
            Ok(())
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(redirect::see_other(&format!("/admin/users/{id}/sign-in")))
}
