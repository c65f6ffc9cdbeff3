//! The key-figures page: a table per bydel, charts, and the
//! small-number threshold form for admins.

use super::charts::charts_html;
use super::{
    export_error, period_fields, period_text, shown, this_year_quarter, threshold, top_topics,
};
use crate::AppState;
use crate::error::ApiError;
use crate::export::{self, Period, Published};
use crate::web::html::{Form, csrf_input};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use feltlogg_core::time::now_ms;
use maud::{Markup, html};

const TABLE_KEYS: [(&str, &str); 6] = [
    ("shifts", "figures.shifts"),
    ("field_hours", "figures.hours"),
    ("encounters", "figures.encounters"),
    ("youths", "figures.youths"),
    ("referrals_per_100", "figures.ref100"),
    ("share_two_plus_pct", "figures.two_plus"),
];

fn figures_table(p: &Published, lang: Lang) -> Markup {
    let Some(sheet) = p.sheets.first() else {
        return Markup::default();
    };
    html! {
        table #figures-table {
            caption { (t(lang, "figures.table").replace("{p}", &p.period.label)) }
            thead { tr {
                th scope="col" { (t(lang, "col.bydel")) }
                @for (_, label) in TABLE_KEYS { th scope="col" class="num" { (t(lang, label)) } }
                th scope="col" { (t(lang, "figures.top_topics")) }
            } }
            tbody {
                @for row in &sheet.rows {
                    @let bydel = (!row.total).then_some(row.bydel.as_str());
                    @let topics: Vec<String> = top_topics(p, lang, bydel)
                        .into_iter()
                        .map(|(l, n)| format!("{l} ({n})"))
                        .collect();
                    tr class=[row.total.then_some("total")] {
                        th scope="row" {
                            @if row.total { (t(lang, "figures.total")) } @else { (row.name) }
                        }
                        @for (key, _) in TABLE_KEYS {
                            td class="num" data-key=(key) { (shown(p, lang, p.get(bydel, key))) }
                        }
                        td { (topics.join(", ")) }
                    }
                }
            }
        }
    }
}

/// The figures of a made period: heading, note, table, charts, and the
/// threshold form for admins.
fn figures_body(v: &Viewer, p: &Published) -> Markup {
    let lang = v.lang;
    let m = p.threshold.to_string();
    let empty = p
        .sheets
        .first()
        .is_none_or(|s| s.rows.iter().all(|r| r.total));
    html! {
        h2 { (p.period.label) }
        p { (t(lang, "figures.suppressed").replace("{m}", &m)) }
        @if empty { p { (t(lang, "figures.empty")) } }
        (figures_table(p, lang))
        (charts_html(p, lang))
        @if v.is_admin() { (threshold_form(v, p.threshold)) }
    }
}

/// `GET /figures?kind=…&year=…`: key figures per bydel with charts.
#[tracing::instrument(skip_all)]
pub async fn key_figures(
    State(state): State<AppState>,
    v: Viewer,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    let form = Form::parse(uri.query().unwrap_or("").as_bytes());
    let lang = v.lang;
    let (y, q, _) = this_year_quarter();
    let text = if form.text("kind").is_empty() {
        format!("{y}-Q{q}")
    } else {
        period_text(&form)
    };
    let scope = v.scope();
    let fixed = state.suppress_below;
    let made = state
        .db
        .read(move |c| -> Result<Published, ApiError> {
            let period = Period::parse(&text).map_err(export_error)?;
            let totals = export::build_totals(c, &period, &scope).map_err(export_error)?;
            Ok(export::suppress(&totals, threshold(c, fixed)?))
        })
        .await;
    let (status, top, figures) = match made {
        Ok(p) => (StatusCode::OK, None, Some(figures_body(&v, &p))),
        Err(e @ ApiError::Invalid { .. }) => (StatusCode::BAD_REQUEST, Some(e.to_string()), None),
        Err(e) => return Err(v.fail(e)),
    };
    let body = html! {
        @if let Some(e) = top { (layout::error(&e)) }
        form method="get" action="/figures" class="stack" {
            (period_fields(lang, &form))
            p { button type="submit" id="show" { (t(lang, "figures.show")) } }
        }
        @if let Some(f) = figures { (f) }
    };
    Ok((
        status,
        layout::page(&v, "/figures", t(lang, "figures.title"), body),
    )
        .into_response())
}

fn threshold_form(v: &Viewer, current: u64) -> Markup {
    let lang = v.lang;
    html! {
        form method="post" action="/admin/threshold" class="stack" {
            (csrf_input(&v.csrf))
            label for="threshold" { (t(lang, "figures.threshold")) }
            input id="threshold" name="suppress_below" type="number" min="2" max="1000" value=(current);
            p { button type="submit" class="secondary" { (t(lang, "figures.threshold_save")) } }
        }
    }
}

/// `POST /admin/threshold`: sets the small-number threshold (admins).
#[tracing::instrument(skip_all)]
pub async fn save_threshold(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let text = form.text("suppress_below").to_owned();
    let by = v.actor();
    state
        .db
        .write(move |tx| export::publish::set_threshold(tx, &by, &text, now_ms()))
        .await
        .map_err(|e| v.fail(e))?;
    Ok(Redirect::to("/figures").into_response())
}
