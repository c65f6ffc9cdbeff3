//! The queue of closed shifts waiting for review, and the refused
//! changes of the viewer's units.

use super::shift_page::refusals_table;
use crate::AppState;
use crate::db::review::{self, QueueRow};
use crate::error::ApiError;
use crate::web::html::{csrf_input, esc, hours, time_opt};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::extract::{Query, State};
use axum::response::Html;
use std::collections::HashMap;
use std::fmt::Write as _;

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

fn queue_notice(lang: Lang, q: &HashMap<String, String>) -> String {
    let mut out = String::new();
    match q.get("msg").map(String::as_str) {
        Some("approved") => out.push_str(&layout::notice(t(lang, "review.approved"))),
        Some("returned") => out.push_str(&layout::notice(t(lang, "review.returned"))),
        _ => {}
    }
    if let Some(n) = q.get("done").and_then(|n| n.parse::<u32>().ok()) {
        out.push_str(&layout::notice(
            &t(lang, "review.bulk_done").replace("{n}", &n.to_string()),
        ));
    }
    if let Some(n) = q
        .get("failed")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n > 0)
    {
        out.push_str(&layout::error(
            &t(lang, "review.bulk_failed").replace("{n}", &n.to_string()),
        ));
    }
    out
}

fn queue_row(lang: Lang, r: &QueueRow) -> String {
    let comma = lang == Lang::Nb;
    let started = time_opt(r.started_ms);
    let warns = warnings(lang, r);
    let warn_html = if warns.is_empty() {
        String::new()
    } else {
        format!("<span class=\"warn\">{}</span>", esc(&warns.join("; ")))
    };
    format!(
        "<tr><td><input type=\"checkbox\" name=\"shift\" value=\"{id}\" id=\"sel-{id}\" aria-label=\"{sel}\"></td>\
         <td><a href=\"/shifts/{id}\">{started}</a></td><td>{bydel}</td><td>{unit}</td><td>{workers}</td>\
         <td class=\"num\">{hours}</td><td class=\"num\">{enc}</td><td class=\"num\">{refs}</td><td>{warn_html}</td></tr>",
        id = r.id,
        sel = esc(&t(lang, "review.select_shift").replace("{t}", &started)),
        started = esc(&started),
        bydel = esc(&r.bydel_name),
        unit = esc(&r.unit),
        workers = esc(&r.workers),
        hours = hours(r.started_ms, r.closed_ms, comma),
        enc = r.encounters,
        refs = r.referrals,
    )
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
    let mut body = queue_notice(lang, &q);
    body.push_str(&super::restored::banner(&state, &v).await?);
    let _ = write!(body, "<p>{}</p>", t(lang, "review.intro"));
    let _ = write!(
        body,
        "<p><a href=\"/review/screen\" id=\"scan-link\">{}</a></p>",
        t(lang, "review.scan_link")
    );
    if rows.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(lang, "review.empty"));
    } else {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/review/bulk-approve\">{}<table><caption>{}</caption><thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th>\
             <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            csrf_input(&v.csrf),
            t(lang, "review.title"),
            t(lang, "review.select"),
            t(lang, "col.started"),
            t(lang, "col.bydel"),
            t(lang, "col.unit"),
            t(lang, "col.workers"),
            t(lang, "col.hours"),
            t(lang, "col.encounters"),
            t(lang, "col.referrals"),
            t(lang, "col.warnings"),
        );
        for r in &rows {
            body.push_str(&queue_row(lang, r));
        }
        let _ = write!(
            body,
            "</tbody></table><p><button type=\"submit\" id=\"bulk-approve\">{}</button></p></form>",
            t(lang, "review.bulk")
        );
    }
    Ok(layout::page(&v, "/review", t(lang, "review.title"), &body))
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
    let mut body = format!("<p>{}</p>", t(lang, "refusals.intro"));
    if rows.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(lang, "refusals.empty"));
    } else {
        body.push_str(&refusals_table(lang, &rows, true));
    }
    Ok(layout::page(
        &v,
        "/review/refusals",
        t(lang, "refusals.title"),
        &body,
    ))
}
