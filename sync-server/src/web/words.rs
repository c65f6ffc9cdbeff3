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

use super::html::{Form, csrf_input, time};
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
use maud::{Markup, html};
use std::collections::HashMap;

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
    let body = html! {
        p { (t(lang, "words.index_intro")) }
        ul #word-lists {
            @for u in &list { li { a href={ "/words/" (u.id) } { (u.name) } } }
            li { a href={ "/words/" (MUNICIPALITY) } { (t(lang, "words.municipality")) } }
        }
    };
    Ok(layout::page(&v, "/words", t(lang, "words.title"), body))
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
        _ => Markup::default(),
    };
    render(&state, &v, list, top).await
}

async fn render(
    state: &AppState,
    v: &Viewer,
    list: List,
    top: Markup,
) -> Result<Html<String>, WebError> {
    let view = load(state, v, list).await?;
    let lang = v.lang;
    let editable = matches!(list, List::Unit(_)) || v.is_admin();
    let at = segment(list);
    let intro = if list == List::Municipality {
        "words.municipality_intro"
    } else {
        "words.index_intro"
    };
    let body = html! {
        (top)
        p { (t(lang, intro)) }
        @if let Some((on, _)) = &view.unit { (setting_form(v, &at, *on)) }
        @if editable {
            form method="post" action={ "/words/" (at) "/add" } class="stack" {
                (csrf_input(&v.csrf))
                label for="word" { (t(lang, "words.word")) }
                input id="word" name="word" required maxlength=(MAX_WORD_CHARS) autocomplete="off";
                p { button type="submit" id="word-add" { (t(lang, "words.add")) } }
            }
        }
        (words_table(v, &at, &view.words, editable, "words-table"))
        @if let Some((_, municipality)) = &view.unit {
            h2 { (t(lang, "words.also")) }
            (words_table(v, MUNICIPALITY, municipality, false, "municipality-words"))
        }
    };
    Ok(layout::page(v, &format!("/words/{at}"), &view.title, body))
}

fn setting_form(v: &Viewer, at: &str, on: bool) -> Markup {
    let lang = v.lang;
    html! {
        form method="post" action={ "/words/" (at) "/setting" } {
            (csrf_input(&v.csrf))
            fieldset aria-describedby="setting-help" {
                legend { (t(lang, "words.setting")) }
                p #setting-help { (t(lang, "words.setting_help")) }
                p { label {
                    input type="radio" name="confirmations" value="on" id="confirmations-on" checked[on];
                    " " (t(lang, "words.setting_on"))
                } }
                p { label {
                    input type="radio" name="confirmations" value="off" id="confirmations-off" checked[!on];
                    " " (t(lang, "words.setting_off"))
                } }
                p { button type="submit" class="secondary" id="setting-save" { (t(lang, "words.setting_save")) } }
            }
        }
    }
}

fn words_table(v: &Viewer, at: &str, words: &[Word], editable: bool, id: &str) -> Markup {
    let lang = v.lang;
    if words.is_empty() {
        return html! { p id={ (id) "-empty" } { (t(lang, "words.empty")) } };
    }
    html! {
        table id=(id) {
            thead { tr {
                th scope="col" { (t(lang, "words.word")) }
                th scope="col" { (t(lang, "words.added_by")) }
                th scope="col" { (t(lang, "words.added_at")) }
                @if editable { th scope="col" { (t(lang, "scan.action")) } }
            } }
            tbody {
                @for w in words {
                    tr {
                        td { (w.word) }
                        td { (w.added_by) }
                        td { (time(w.added_ms)) }
                        @if editable {
                            td {
                                form method="post" action={ "/words/" (at) "/remove" } class="inline" {
                                    (csrf_input(&v.csrf))
                                    input type="hidden" name="id" value=(w.id);
                                    button type="submit" class="secondary" id={ "word-remove-" (w.id) } {
                                        (t(lang, "words.remove").replace("{w}", &w.word))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
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
