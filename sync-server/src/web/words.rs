//! The unit's own words on the dashboard (issue 15): a team lead keeps
//! the list of each unit they lead and its "not a person" setting; an
//! admin keeps every unit's and the municipality's list. A lead sees the
//! municipality's list but cannot change it; a unit the viewer does not
//! lead answers 404, as a shift of it does. Every change is audited in
//! the transaction that makes it (`crate::unit_words`).
//!
//! - `GET /words`: the lists the viewer may open.
//! - `GET /words/{list}`: one list (`municipality` or a unit id).
//! - `POST /words/{list}/add` (`word`), `/remove` (`id`), and for a unit
//!   `/setting` (`confirmations` = `on` | `off`).

use super::html::{Form, csrf_input, esc, time};
use super::i18n::t;
use super::{Viewer, WebError, layout};
use crate::AppState;
use crate::db::unit_words::Word;
use crate::db::units::{self, Unit};
use crate::error::ApiError;
use crate::unit_words::{self, Editor, List};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::time::now_ms;
use feltlogg_core::words::MAX_WORD_CHARS;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The path segment of the municipality's list.
const MUNICIPALITY: &str = "municipality";

fn parse_list(v: &Viewer, s: &str) -> Result<List, WebError> {
    if s == MUNICIPALITY {
        return Ok(List::Municipality);
    }
    let unit = s.parse().map_err(|_| WebError::NotFound(v.lang))?;
    if v.may_see(unit) {
        Ok(List::Unit(unit))
    } else {
        Err(WebError::NotFound(v.lang))
    }
}

fn segment(list: List) -> String {
    match list {
        List::Unit(u) => u.to_string(),
        List::Municipality => MUNICIPALITY.to_owned(),
    }
}

fn editor(v: &Viewer) -> Editor<'_> {
    Editor {
        user: Some(v.id),
        username: &v.username,
        units: v.filter(),
    }
}

/// `GET /words`: links to the lists the viewer may open.
#[tracing::instrument(skip_all)]
pub async fn index(State(state): State<AppState>, v: Viewer) -> Result<Html<String>, WebError> {
    let mine = v.filter().map(<[_]>::to_vec);
    let list = state
        .db
        .read(move |c| -> Result<Vec<Unit>, ApiError> {
            Ok(match mine {
                Some(ids) => units::with_ids(c, &ids)?,
                None => units::list(c)?,
            })
        })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = format!(
        "<p>{}</p><ul id=\"word-lists\">",
        t(lang, "words.index_intro")
    );
    for u in &list {
        let _ = write!(
            body,
            "<li><a href=\"/words/{}\">{}</a></li>",
            u.id,
            esc(&u.name)
        );
    }
    let _ = write!(
        body,
        "<li><a href=\"/words/{MUNICIPALITY}\">{}</a></li></ul>",
        t(lang, "words.municipality")
    );
    Ok(layout::page(&v, "/words", t(lang, "words.title"), &body))
}

/// What one list's page shows.
struct ListView {
    title: String,
    words: Vec<Word>,
    /// For a unit: its setting and the municipality's words beside its own.
    unit: Option<(bool, Vec<Word>)>,
}

async fn load(state: &AppState, v: &Viewer, list: List) -> Result<ListView, WebError> {
    let lang = v.lang;
    let found = state
        .db
        .read(move |c| -> Result<Option<ListView>, ApiError> {
            let words = crate::db::unit_words::list(c, list_unit(list))?;
            Ok(match list {
                List::Municipality => Some(ListView {
                    title: t(lang, "words.municipality").to_owned(),
                    words,
                    unit: None,
                }),
                List::Unit(u) => match units::find(c, &u.to_string())? {
                    None => None,
                    Some(unit) => Some(ListView {
                        title: t(lang, "words.unit_title").replace("{u}", &unit.name),
                        words,
                        unit: Some((
                            units::confirmations(c, u)?,
                            crate::db::unit_words::list(c, None)?,
                        )),
                    }),
                },
            })
        })
        .await
        .map_err(|e| v.fail(e))?;
    found.ok_or(WebError::NotFound(lang))
}

fn list_unit(list: List) -> Option<feltlogg_core::ids::UnitId> {
    match list {
        List::Unit(u) => Some(u),
        List::Municipality => None,
    }
}

/// `GET /words/{list}`.
#[tracing::instrument(skip_all)]
pub async fn list_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(list): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let list = parse_list(&v, &list)?;
    let top = match q.get("msg").map(String::as_str) {
        Some(m @ ("added" | "exists" | "removed" | "setting_saved")) => {
            layout::notice(t(v.lang, &format!("words.{m}")))
        }
        _ => String::new(),
    };
    render(&state, &v, list, top).await
}

async fn render(
    state: &AppState,
    v: &Viewer,
    list: List,
    top: String,
) -> Result<Html<String>, WebError> {
    let view = load(state, v, list).await?;
    let lang = v.lang;
    let editable = matches!(list, List::Unit(_)) || v.is_admin();
    let at = segment(list);
    let mut body = top;
    let intro = if list == List::Municipality {
        "words.municipality_intro"
    } else {
        "words.index_intro"
    };
    let _ = write!(body, "<p>{}</p>", t(lang, intro));
    if let Some((on, _)) = &view.unit {
        body.push_str(&setting_form(v, &at, *on));
    }
    if editable {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/words/{at}/add\" class=\"stack\">{}\
             <label for=\"word\">{}</label><input id=\"word\" name=\"word\" required maxlength=\"{MAX_WORD_CHARS}\" autocomplete=\"off\">\
             <p><button type=\"submit\" id=\"word-add\">{}</button></p></form>",
            csrf_input(&v.csrf),
            t(lang, "words.word"),
            t(lang, "words.add"),
        );
    }
    body.push_str(&words_table(v, &at, &view.words, editable, "words-table"));
    if let Some((_, municipality)) = &view.unit {
        let _ = write!(body, "<h2>{}</h2>", t(lang, "words.also"));
        body.push_str(&words_table(
            v,
            MUNICIPALITY,
            municipality,
            false,
            "municipality-words",
        ));
    }
    Ok(layout::page(v, &format!("/words/{at}"), &view.title, &body))
}

fn setting_form(v: &Viewer, at: &str, on: bool) -> String {
    let lang = v.lang;
    let checked = |want: bool| if on == want { " checked" } else { "" };
    format!(
        "<form method=\"post\" action=\"/words/{at}/setting\">{}\
         <fieldset aria-describedby=\"setting-help\"><legend>{}</legend><p id=\"setting-help\">{}</p>\
         <p><label><input type=\"radio\" name=\"confirmations\" value=\"on\" id=\"confirmations-on\"{}> {}</label></p>\
         <p><label><input type=\"radio\" name=\"confirmations\" value=\"off\" id=\"confirmations-off\"{}> {}</label></p>\
         <p><button type=\"submit\" class=\"secondary\" id=\"setting-save\">{}</button></p></fieldset></form>",
        csrf_input(&v.csrf),
        t(lang, "words.setting"),
        t(lang, "words.setting_help"),
        checked(true),
        t(lang, "words.setting_on"),
        checked(false),
        t(lang, "words.setting_off"),
        t(lang, "words.setting_save"),
    )
}

fn words_table(v: &Viewer, at: &str, words: &[Word], editable: bool, id: &str) -> String {
    let lang = v.lang;
    if words.is_empty() {
        return format!("<p id=\"{id}-empty\">{}</p>", t(lang, "words.empty"));
    }
    let mut out = format!(
        "<table id=\"{id}\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        t(lang, "words.word"),
        t(lang, "words.added_by"),
        t(lang, "words.added_at"),
    );
    if editable {
        let _ = write!(out, "<th scope=\"col\">{}</th>", t(lang, "scan.action"));
    }
    out.push_str("</tr></thead><tbody>");
    for w in words {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            esc(&w.word),
            esc(&w.added_by),
            esc(&time(w.added_ms)),
        );
        if editable {
            let _ = write!(
                out,
                "<td><form method=\"post\" action=\"/words/{at}/remove\" class=\"inline\">{}\
                 <input type=\"hidden\" name=\"id\" value=\"{}\">\
                 <button type=\"submit\" class=\"secondary\" id=\"word-remove-{}\">{}</button></form></td>",
                csrf_input(&v.csrf),
                w.id,
                w.id,
                esc(&t(lang, "words.remove").replace("{w}", &w.word)),
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// What a form asks of a list.
enum Edit {
    Add(String),
    Remove(i64),
    Setting(bool),
}

/// `POST /words/{list}/add`.
#[tracing::instrument(skip_all)]
pub async fn add(
    State(state): State<AppState>,
    v: Viewer,
    Path(list): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    let word = form.get("word").unwrap_or("").to_owned();
    edit(state, v, &list, &form, Edit::Add(word)).await
}

/// `POST /words/{list}/remove`.
#[tracing::instrument(skip_all)]
pub async fn remove(
    State(state): State<AppState>,
    v: Viewer,
    Path(list): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    let id = form
        .text("id")
        .parse()
        .map_err(|_| WebError::NotFound(v.lang))?;
    edit(state, v, &list, &form, Edit::Remove(id)).await
}

/// `POST /words/{unit}/setting`.
#[tracing::instrument(skip_all)]
pub async fn setting(
    State(state): State<AppState>,
    v: Viewer,
    Path(list): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    let on = form.text("confirmations") != "off";
    edit(state, v, &list, &form, Edit::Setting(on)).await
}

async fn edit(
    state: AppState,
    v: Viewer,
    list: &str,
    form: &Form,
    what: Edit,
) -> Result<Response, WebError> {
    v.check_csrf(form)?;
    let list = parse_list(&v, list)?;
    let viewer = v.clone();
    let done = state
        .db
        .write(move |c| -> Result<&'static str, ApiError> {
            let by = editor(&viewer);
            Ok(match what {
                Edit::Add(word) => match unit_words::add(c, list, &word, &by, now_ms())? {
                    (_, true) => "added",
                    (_, false) => "exists",
                },
                Edit::Remove(id) => {
                    unit_words::remove(c, list, id, &by, now_ms())?;
                    "removed"
                }
                Edit::Setting(on) => match list {
                    List::Unit(u) => {
                        unit_words::set_confirmations(c, u, on, &by, now_ms())?;
                        "setting_saved"
                    }
                    List::Municipality => {
                        return Err(ApiError::NotFound("the municipality has no setting".into()));
                    }
                },
            })
        })
        .await;
    match done {
        Ok(msg) => Ok(Redirect::to(&format!("/words/{}?msg={msg}", segment(list))).into_response()),
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(ApiError::Forbidden(_)) => Err(WebError::Forbidden(v.lang)),
        Err(e @ ApiError::Invalid { .. }) => {
            let page = render(&state, &v, list, layout::error(&e.to_string())).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(v.fail(e)),
    }
}
