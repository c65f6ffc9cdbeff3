//! The queue of closed shifts waiting for review, and the refused
//! changes of the viewer's units.

use super::shift_page::refusals_table;
use crate::AppState;
use crate::db::review::{self, QueueRow};
use crate::error::ApiError;
use crate::web::html::{csrf_input, hours, time_opt};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::extract::{Query, State};
use axum::response::Html;
use maud::{Markup, html};
use std::collections::HashMap;

/// Most shifts listed in the queue at once.
const QUEUE_LIMIT: i64 = 500;
/// A shift longer than this gets a warning.
const LONG_SHIFT_MS: i64 = 12 * feltlogg_core::time::HOUR_MS;

fn warnings(lang: Lang, row: &QueueRow) -> Vec<String> {
    let mut w = Vec::new();
    if let (Some(a), Some(b)) = (row.started_ms, row.closed_ms)
        && b - a > LONG_SHIFT_MS
    {
        w.push(t(lang, "warn.long").to_owned());
    }
    if row.encounters == 0 {
        w.push(t(lang, "warn.no_encounters").to_owned());
    }
    if row.refusals > 0 {
        w.push(t(lang, "warn.refused").replace("{n}", &row.refusals.to_string()));
    }
    if row.workers.split(", ").filter(|s| !s.is_empty()).count() < 2 {
        w.push(t(lang, "warn.one_worker").to_owned());
    }
    w
}

fn queue_notice(lang: Lang, q: &HashMap<String, String>) -> Markup {
    let done = q.get("done").and_then(|n| n.parse::<u32>().ok());
    let failed = q
        .get("failed")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n > 0);
    html! {
        @match q.get("msg").map(String::as_str) {
            Some("approved") => (layout::notice(t(lang, "review.approved"))),
            Some("returned") => (layout::notice(t(lang, "review.returned"))),
            _ => {}
        }
        @if let Some(n) = done {
            (layout::notice(&t(lang, "review.bulk_done").replace("{n}", &n.to_string())))
        }
        @if let Some(n) = failed {
            (layout::error(&t(lang, "review.bulk_failed").replace("{n}", &n.to_string())))
        }
    }
}

fn queue_row(lang: Lang, r: &QueueRow) -> Markup {
    let comma = lang == Lang::Nb;
    let started = time_opt(r.started_ms);
    let warns = warnings(lang, r);
    let sel = t(lang, "review.select_shift").replace("{t}", &started);
    html! {
        tr {
            td { input type="checkbox" name="shift" value=(r.id) id={ "sel-" (r.id) } aria-label=(sel); }
            td { a href={ "/shifts/" (r.id) } { (started) } }
            td { (r.bydel_name) }
            td { (r.unit) }
            td { (r.workers) }
            td.num { (hours(r.started_ms, r.closed_ms, comma)) }
            td.num { (r.encounters) }
            td.num { (r.referrals) }
            td { @if !warns.is_empty() { span.warn { (warns.join("; ")) } } }
        }
    }
}

fn queue_table(v: &Viewer, rows: &[QueueRow]) -> Markup {
    let lang = v.lang;
    let heads = ["col.started", "col.bydel", "col.unit", "col.workers"];
    let nums = ["col.hours", "col.encounters", "col.referrals"];
    html! {
        form method="post" action="/review/bulk-approve" {
            (csrf_input(&v.csrf))
            table {
                caption { (t(lang, "review.title")) }
                thead { tr {
                    th scope="col" { (t(lang, "review.select")) }
                    @for h in heads { th scope="col" { (t(lang, h)) } }
                    @for h in nums { th scope="col" class="num" { (t(lang, h)) } }
                    th scope="col" { (t(lang, "col.warnings")) }
                } }
                tbody { @for r in rows { (queue_row(lang, r)) } }
            }
            p { button type="submit" id="bulk-approve" { (t(lang, "review.bulk")) } }
        }
    }
}

/// `GET /review`: closed shifts waiting for review, oldest first.
#[tracing::instrument(skip_all)]
pub async fn queue(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    let rows = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            Ok(review::queue(c, "closed", filter.as_deref(), QUEUE_LIMIT)?)
        })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let banner = super::restored::banner(&state, &v).await?;
    let body = html! {
        (queue_notice(lang, &q))
        (banner)
        p { (t(lang, "review.intro")) }
        p { a href="/review/screen" id="scan-link" { (t(lang, "review.scan_link")) } }
        @if rows.is_empty() {
            p { (t(lang, "review.empty")) }
        } @else {
            (queue_table(&v, &rows))
        }
    };
    Ok(layout::page(&v, "/review", t(lang, "review.title"), body))
}

/// `GET /review/refusals`: refused changes in the viewer's units.
#[tracing::instrument(skip_all)]
pub async fn refusals(State(state): State<AppState>, v: Viewer) -> Result<Html<String>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    let rows = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            Ok(review::refusals(c, filter.as_deref(), None, 500)?)
        })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let body = html! {
        p { (t(lang, "refusals.intro")) }
        @if rows.is_empty() {
            p { (t(lang, "refusals.empty")) }
        } @else {
            (refusals_table(lang, &rows, true))
        }
    };
    Ok(layout::page(
        &v,
        "/review/refusals",
        t(lang, "refusals.title"),
        body,
    ))
}
