//! The youths' feedback on the dashboard: printing cards for one's own
//! units (`/feedback/cards`, team leads and admins), the results
//! (`/feedback`, a lead's own units, an admin's all; free text only for
//! the unit's team lead), and the answer threshold (admins).
//!
//! - `cards.rs`: the printable page of cards (also written by the CLI).
//! - `results_page.rs`: the results page and its charts.
//! - `texts.rs`: their words (bokmål and English), read by `i18n::t`.

pub mod cards;
mod results_page;
pub mod texts;

pub use results_page::results;

use crate::AppState;
use crate::db::{feedback_codes, units};
use crate::error::ApiError;
use crate::feedback::{self, DEFAULT_VALID_MONTHS, MAX_CARDS, MAX_VALID_MONTHS, Printer};
use crate::web::html::{Form, csrf_input, options};
use crate::web::i18n::t;
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::ids::UnitId;
use feltlogg_core::time::now_ms;
use maud::html;

/// `GET /static/cards.css`.
#[tracing::instrument(skip_all)]
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        cards::CSS,
    )
}

/// The units the viewer may print for and see: (unit, valid cards out).
async fn my_units(state: &AppState, v: &Viewer) -> Result<Vec<(units::Unit, i64)>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    state
        .db
        .read(move |c| -> Result<_, ApiError> {
            let now = now_ms();
            let mut out = Vec::new();
            for u in units::list(c)? {
                if filter.as_ref().is_none_or(|f| f.contains(&u.id)) {
                    let n = feedback_codes::count_usable(c, u.id, now)?;
                    out.push((u, n));
                }
            }
            Ok(out)
        })
        .await
        .map_err(|e| v.fail(e))
}

/// `GET /feedback/cards`.
#[tracing::instrument(skip_all)]
pub async fn cards_page(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Html<String>, WebError> {
    cards_form(&state, &v, &Form::default(), None).await
}

async fn cards_form(
    state: &AppState,
    v: &Viewer,
    f: &Form,
    error: Option<&str>,
) -> Result<Html<String>, WebError> {
    let lang = v.lang;
    let list = my_units(state, v).await?;
    let unit_opts: Vec<(String, String)> = list
        .iter()
        .map(|(u, _)| (u.id.to_string(), u.name.clone()))
        .collect();
    let or = |k: &str, d: String| {
        let x = f.text(k);
        if x.is_empty() { d } else { x.to_owned() }
    };
    let body = html! {
        @if let Some(e) = error { (layout::error(e)) }
        p { (t(lang, "feedback.cards_intro")) }
        table #cards-out {
            thead { tr {
                th scope="col" { (t(lang, "feedback.unit")) }
                th scope="col" class="num" { (t(lang, "feedback.cards_valid")) }
            } }
            tbody {
                @for (u, n) in &list { tr { th scope="row" { (u.name) } td.num { (n) } } }
            }
        }
        form method="post" action="/feedback/cards" class="stack" {
            (csrf_input(&v.csrf))
            label for="cards-unit" { (t(lang, "feedback.unit")) }
            select id="cards-unit" name="unit" {
                (options(unit_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())), f.text("unit")))
            }
            label for="cards-count" { (t(lang, "feedback.cards_count")) }
            input id="cards-count" name="count" type="number" min="1" max=(MAX_CARDS) value=(or("count", "16".into()));
            label for="cards-months" { (t(lang, "feedback.cards_months")) }
            input id="cards-months" name="valid_months" type="number" min="1" max=(MAX_VALID_MONTHS)
                value=(or("valid_months", DEFAULT_VALID_MONTHS.to_string()));
            p { button type="submit" id="print" { (t(lang, "feedback.cards_print")) } }
        }
    };
    Ok(layout::page(
        v,
        "/feedback/cards",
        t(lang, "feedback.cards_title"),
        body,
    ))
}

/// The address printed on the cards: the configured public URL, else the
/// one this browser used (right for the demo; set `--public-url` for real).
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.auth.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".:-[]".contains(&b))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// `POST /feedback/cards`: makes the cards and answers with the page to
/// print (the codes exist in the clear only in this response).
#[tracing::instrument(skip_all)]
pub async fn print(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let unit: Option<UnitId> = form.text("unit").parse().ok();
    let Some(unit) = unit.filter(|u| v.may_see(*u)) else {
        return Err(WebError::NotFound(v.lang));
    };
    let count = form.text("count").parse::<u32>().unwrap_or(0);
    let months = form.text("valid_months").parse::<u32>().unwrap_or(0);
    let viewer = v.clone();
    let printed = state
        .db
        .write(move |c| {
            let by = Printer {
                user: Some(viewer.id),
                name: &viewer.username,
            };
            feedback::print_cards(c, by, &unit.to_string(), count, months, now_ms())
        })
        .await;
    let printed = match printed {
        Ok(p) => p,
        Err(e @ ApiError::Invalid { .. }) => {
            let page = cards_form(&state, &v, &form, Some(&e.to_string())).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(e) => return Err(v.fail(e)),
    };
    let lang = v.lang;
    let frame = cards::Frame {
        title: format!(
            "{} – {}",
            t(lang, "feedback.cards_title"),
            printed.unit.name
        ),
        lines: vec![
            html! {
                (t(lang, "feedback.cards_printed")
                    .replace("{n}", &printed.codes.len().to_string())
                    .replace("{u}", &printed.unit.name))
            },
            html! { a href="/feedback/cards" { (t(lang, "feedback.cards_back")) } },
        ],
    };
    let page = cards::document(
        &printed,
        &base_url(&state, &headers),
        &frame,
        lang.code(),
        cards::Style::Linked,
    )
    .map_err(|e| v.fail(ApiError::Internal(e)))?;
    Ok(Html(page).into_response())
}

/// `POST /admin/feedback-threshold`: the fewest answers before anything
/// is shown (admins; never below 5).
#[tracing::instrument(skip_all)]
pub async fn save_min_answers(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let text = form.text("min_answers").to_owned();
    let viewer = v.clone();
    state
        .db
        .write(move |c| {
            let by = Printer {
                user: Some(viewer.id),
                name: &viewer.username,
            };
            feedback::set_min_answers(c, by, &text, now_ms())
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(Redirect::to("/feedback").into_response())
}
