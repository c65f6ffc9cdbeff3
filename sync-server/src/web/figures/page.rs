//! The key-figures page: a table per bydel, charts, and the
//! small-number threshold form for admins.

use super::charts::charts_html;
use super::{
    export_error, period_fields, period_text, shown, this_year_quarter, threshold, top_topics,
};
use crate::AppState;
use crate::error::ApiError;
use crate::export::{self, Period, Published};
use crate::web::html::{Form, csrf_input, esc};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use feltlogg_core::time::now_ms;
use std::fmt::Write as _;

const TABLE_KEYS: [(&str, &str); 6] = [
    ("shifts", "figures.shifts"),
    ("field_hours", "figures.hours"),
    ("encounters", "figures.encounters"),
    ("youths", "figures.youths"),
    ("referrals_per_100", "figures.ref100"),
    ("share_two_plus_pct", "figures.two_plus"),
];

fn figures_table(p: &Published, lang: Lang) -> String {
    let Some(sheet) = p.sheets.first() else {
        return String::new();
    };
    let mut out = format!(
        "<table id=\"figures-table\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        esc(&t(lang, "figures.table").replace("{p}", &p.period.label)),
        t(lang, "col.bydel")
    );
    for (_, label) in TABLE_KEYS {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            t(lang, label)
        );
    }
    let _ = write!(
        out,
        "<th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "figures.top_topics")
    );
    for row in &sheet.rows {
        let bydel = (!row.total).then_some(row.bydel.as_str());
        let name = if row.total {
            t(lang, "figures.total").to_owned()
        } else {
            row.name.clone()
        };
        let class = if row.total { " class=\"total\"" } else { "" };
        let _ = write!(out, "<tr{class}><th scope=\"row\">{}</th>", esc(&name));
        for (key, _) in TABLE_KEYS {
            let _ = write!(
                out,
                "<td class=\"num\" data-key=\"{key}\">{}</td>",
                esc(&shown(p, lang, p.get(bydel, key)))
            );
        }
        let topics: Vec<String> = top_topics(p, lang, bydel)
            .into_iter()
            .map(|(l, n)| format!("{l} ({n})"))
            .collect();
        let _ = write!(out, "<td>{}</td></tr>", esc(&topics.join(", ")));
    }
    out.push_str("</tbody></table>");
    out
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
    let mut body = format!(
        "<form method=\"get\" action=\"/figures\" class=\"stack\">{}<p><button type=\"submit\" id=\"show\">{}</button></p></form>",
        period_fields(lang, &form),
        t(lang, "figures.show")
    );
    let status = match made {
        Ok(p) => {
            let m = p.threshold.to_string();
            let _ = write!(
                body,
                "<h2>{}</h2><p>{}</p>",
                esc(&p.period.label),
                esc(&t(lang, "figures.suppressed").replace("{m}", &m))
            );
            if p.sheets
                .first()
                .is_none_or(|s| s.rows.iter().all(|r| r.total))
            {
                let _ = write!(body, "<p>{}</p>", t(lang, "figures.empty"));
            }
            body.push_str(&figures_table(&p, lang));
            body.push_str(&charts_html(&p, lang));
            if v.is_admin() {
                body.push_str(&threshold_form(&v, p.threshold));
            }
            StatusCode::OK
        }
        Err(e @ ApiError::Invalid { .. }) => {
            body.insert_str(0, &layout::error(&e.to_string()));
            StatusCode::BAD_REQUEST
        }
        Err(e) => return Err(v.fail(e)),
    };
    Ok((
        status,
        layout::page(&v, "/figures", t(lang, "figures.title"), &body),
    )
        .into_response())
}

fn threshold_form(v: &Viewer, current: u64) -> String {
    let lang = v.lang;
    format!(
        "<form method=\"post\" action=\"/admin/threshold\" class=\"stack\">{}\
         <label for=\"threshold\">{}</label><input id=\"threshold\" name=\"suppress_below\" type=\"number\" min=\"2\" max=\"1000\" value=\"{current}\">\
         <p><button type=\"submit\" class=\"secondary\">{}</button></p></form>",
        csrf_input(&v.csrf),
        t(lang, "figures.threshold"),
        t(lang, "figures.threshold_save")
    )
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
