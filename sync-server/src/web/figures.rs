//! Exports and key figures. Both read approved shifts only, through the
//! export module, and publish only suppressed numbers. Team leads get
//! their own units' shifts; admins every unit's. Every download is written
//! to the audit log.

use super::charts::{self, Bar};
use super::html::{Form, csrf_input, esc, options};
use super::i18n::{Lang, t, vocab};
use super::{Viewer, WebError, layout, now};
use crate::AppState;
use crate::db::{audit, settings, units};
use crate::error::ApiError;
use crate::export::{self, CsvDialect, ExportError, Period, Published, Scope, Value, labels};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::Topic;
use std::fmt::Write as _;

/// Topics shown as "top topics" per bydel.
const TOP_TOPICS: usize = 3;

impl Viewer {
    /// Whose shifts the viewer's exports and figures count.
    pub fn scope(&self) -> Scope {
        if self.is_admin() {
            Scope::All
        } else {
            Scope::Units(self.units.clone())
        }
    }
}

fn export_error(e: ExportError) -> ApiError {
    match e {
        ExportError::Period(p) => ApiError::Invalid {
            field: "period",
            problem: p,
        },
        ExportError::Threshold(p) => ApiError::Invalid {
            field: "suppress_below",
            problem: p,
        },
        e => ApiError::Internal(e.to_string()),
    }
}

/// The threshold in force (see [`export::threshold`]).
fn threshold(c: &rusqlite::Connection) -> Result<u64, ApiError> {
    export::threshold(c).map_err(export_error)
}

/// The period a form or query names, as `Period::parse` text.
fn period_text(f: &Form) -> String {
    let year = f.text("year");
    match f.text("kind") {
        "month" => format!("{year}-{:0>2}", f.text("month")),
        "quarter" => format!("{year}-Q{}", f.text("quarter")),
        "range" => format!("{}..{}", f.text("from"), f.text("to")),
        _ => year.to_owned(),
    }
}

/// The current year and quarter in Oslo, for form defaults.
fn this_year_quarter() -> (i16, i8, i8) {
    let now = jiff::Timestamp::from_millisecond(now()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let date = export::period::oslo()
        .map(|tz| now.to_zoned(tz).date())
        .unwrap_or_else(|_| now.to_zoned(jiff::tz::TimeZone::UTC).date());
    (date.year(), (date.month() - 1) / 3 + 1, date.month())
}

/// The period fields, filled from `f` or with this year's defaults.
fn period_fields(lang: Lang, f: &Form) -> String {
    let (y, q, m) = this_year_quarter();
    let or = |k: &str, d: String| {
        if f.text(k).is_empty() {
            d
        } else {
            f.text(k).to_owned()
        }
    };
    let kind = or("kind", "quarter".into());
    let kinds = [
        ("month", t(lang, "export.kind.month")),
        ("quarter", t(lang, "export.kind.quarter")),
        ("year", t(lang, "export.kind.year")),
        ("range", t(lang, "export.kind.range")),
    ];
    let quarters: Vec<(String, String)> =
        (1..=4).map(|i| (i.to_string(), format!("Q{i}"))).collect();
    let months: Vec<(String, String)> = (1..=12)
        .map(|i| (i.to_string(), format!("{i:02}")))
        .collect();
    let pairs = |v: &'_ [(String, String)]| {
        v.iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    let q_opts = pairs(&quarters);
    let m_opts = pairs(&months);
    format!(
        "<fieldset><legend>{}</legend>\
         <label for=\"p-kind\">{}</label><select id=\"p-kind\" name=\"kind\">{}</select>\
         <label for=\"p-year\">{}</label><input id=\"p-year\" name=\"year\" type=\"number\" min=\"1970\" max=\"9998\" value=\"{}\">\
         <label for=\"p-quarter\">{}</label><select id=\"p-quarter\" name=\"quarter\">{}</select>\
         <label for=\"p-month\">{}</label><select id=\"p-month\" name=\"month\">{}</select>\
         <label for=\"p-from\">{}</label><input id=\"p-from\" name=\"from\" type=\"date\" value=\"{}\">\
         <label for=\"p-to\">{}</label><input id=\"p-to\" name=\"to\" type=\"date\" value=\"{}\"></fieldset>",
        t(lang, "export.period"),
        t(lang, "export.kind"),
        options(kinds, &kind),
        t(lang, "export.year"),
        esc(&or("year", y.to_string())),
        t(lang, "export.quarter"),
        options(
            q_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            &or("quarter", q.to_string())
        ),
        t(lang, "export.month"),
        options(
            m_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            &or("month", m.to_string())
        ),
        t(lang, "export.from"),
        esc(f.text("from")),
        t(lang, "export.to"),
        esc(f.text("to")),
    )
}

async fn scope_note(state: &AppState, v: &Viewer) -> Result<String, WebError> {
    if v.is_admin() {
        return Ok(String::new());
    }
    let mine = v.units.clone();
    let names = state
        .db
        .call(move |c| -> Result<_, ApiError> {
            Ok(units::list(c)?
                .into_iter()
                .filter(|u| mine.contains(&u.id))
                .map(|u| u.name)
                .collect::<Vec<_>>())
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(format!(
        "<p>{}</p>",
        esc(&t(v.lang, "export.scope_units").replace("{u}", &names.join(", ")))
    ))
}

async fn export_form(
    state: &AppState,
    v: &Viewer,
    f: &Form,
    top: String,
) -> Result<Html<String>, WebError> {
    let lang = v.lang;
    let th = state
        .db
        .call(|c| threshold(c))
        .await
        .map_err(|e| v.fail(e))?;
    let mut body = top;
    let _ = write!(
        body,
        "<p>{}</p>{}",
        esc(&t(lang, "export.intro")
            .replace("{n}", &(th - 1).to_string())
            .replace("{m}", &th.to_string())),
        scope_note(state, v).await?
    );
    let formats = [
        ("excel", t(lang, "export.format.excel")),
        ("csv", t(lang, "export.format.csv")),
        ("xlsx", t(lang, "export.format.xlsx")),
    ];
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/export\" class=\"stack\">{}{}\
         <label for=\"format\">{}</label><select id=\"format\" name=\"format\">{}</select>\
         <p><button type=\"submit\" id=\"download\">{}</button></p></form>",
        csrf_input(&v.csrf),
        period_fields(lang, f),
        t(lang, "export.format"),
        options(formats, f.get("format").unwrap_or("excel")),
        t(lang, "export.submit"),
    );
    Ok(layout::page(v, "/export", t(lang, "export.title"), &body))
}

/// `GET /export`.
pub async fn export_page(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Html<String>, WebError> {
    export_form(&state, &v, &Form::default(), String::new()).await
}

/// `POST /export`: the file, as an attachment.
pub async fn export(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let text = period_text(&form);
    let format: &'static str = match form.text("format") {
        "csv" => "csv",
        "xlsx" => "xlsx",
        _ => "excel",
    };
    let (scope, viewer) = (v.scope(), v.clone());
    let made = state
        .db
        .call(move |c| -> Result<(String, Vec<u8>), ApiError> {
            let period = Period::parse(&text).map_err(export_error)?;
            let totals = export::build_totals(c, &period, &scope).map_err(export_error)?;
            let published = export::suppress(&totals, threshold(c)?);
            let bytes = match format {
                "csv" => export::to_csv(&published, CsvDialect::Rfc4180),
                "xlsx" => export::to_xlsx(&published).map_err(export_error)?,
                _ => export::to_csv(&published, CsvDialect::Excel),
            };
            let scope_text = match &scope {
                Scope::All => "all".to_owned(),
                Scope::Units(u) => format!(
                    "units:{}",
                    u.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            };
            let detail = format!("format={format} scope={scope_text}");
            audit::insert(
                c,
                now(),
                Some(viewer.id),
                &viewer.username,
                "export",
                &period.label,
                &detail,
            )?;
            Ok((period.label, bytes))
        })
        .await;
    let (label, bytes) = match made {
        Ok(x) => x,
        Err(e @ ApiError::Invalid { .. }) => {
            let page = export_form(&state, &v, &form, layout::error(&e.to_string())).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(e) => return Err(v.fail(e)),
    };
    let (mime, ext) = match format {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        _ => ("text/csv; charset=utf-8", "excel.csv"),
    };
    let name = format!("feltlogg-{}.{ext}", label.replace("..", "_"));
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Count(n) => Some(*n as f64),
        Value::Hours(x) | Value::Percent(x) | Value::Decimal(x) => Some(*x),
        Value::Suppressed | Value::Empty => None,
    }
}

fn shown(p: &Published, lang: Lang, v: Option<&Value>) -> String {
    v.map_or_else(String::new, |v| v.render(p.threshold, lang == Lang::Nb))
}

fn topic_label(lang: Lang, topic: Topic) -> String {
    vocab(lang, labels::topic(topic)).to_owned()
}

/// The viewer's top topics of a row (None: the total row): the largest
/// published counts; hidden counts are never ranked.
fn top_topics(p: &Published, lang: Lang, bydel: Option<&str>) -> Vec<(String, u64)> {
    let mut list: Vec<(String, u64)> = Topic::ALL
        .iter()
        .filter_map(|tp| match p.get(bydel, &format!("topic_{}", tp.as_str())) {
            Some(Value::Count(n)) if *n > 0 => Some((topic_label(lang, *tp), *n)),
            _ => None,
        })
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(TOP_TOPICS);
    list
}

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

fn per_bydel(p: &Published, lang: Lang, key: &str) -> Vec<Bar> {
    p.sheets.first().map_or_else(Vec::new, |s| {
        s.rows
            .iter()
            .filter(|r| !r.total)
            .map(|r| {
                let v = p.get(Some(&r.bydel), key);
                Bar {
                    label: r.name.clone(),
                    value: number(v),
                    text: shown(p, lang, v),
                }
            })
            .collect()
    })
}

fn total_bars(p: &Published, lang: Lang, keys: &[(String, String)]) -> Vec<Bar> {
    keys.iter()
        .map(|(key, label)| {
            let v = p.get(None, key);
            Bar {
                label: label.clone(),
                value: number(v),
                text: shown(p, lang, v),
            }
        })
        .collect()
}

fn charts_html(p: &Published, lang: Lang) -> String {
    let days_nb = ["man", "tir", "ons", "tor", "fre", "lør", "søn"];
    let days_en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let weekday: Vec<(String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                format!("encounters_weekday_{k}"),
                if lang == Lang::Nb {
                    days_nb[i]
                } else {
                    days_en[i]
                }
                .to_owned(),
            )
        })
        .collect();
    let band: Vec<(String, String)> = (0..4)
        .map(|i| {
            (
                format!("encounters_band_{:02}_{:02}", i * 6, i * 6 + 6),
                format!("{:02}–{:02}", i * 6, i * 6 + 6),
            )
        })
        .collect();
    let topics: Vec<Bar> = top_topics(p, lang, None)
        .into_iter()
        .map(|(label, n)| Bar {
            label,
            value: Some(n as f64),
            text: n.to_string(),
        })
        .collect();
    let mut out = String::from("<div class=\"charts\">");
    out.push_str(&charts::bars(
        "chart-encounters",
        t(lang, "figures.chart_encounters"),
        &per_bydel(p, lang, "encounters"),
    ));
    out.push_str(&charts::bars(
        "chart-hours",
        t(lang, "figures.chart_hours"),
        &per_bydel(p, lang, "field_hours"),
    ));
    out.push_str(&charts::bars(
        "chart-topics",
        t(lang, "figures.chart_topics"),
        &topics,
    ));
    out.push_str(&charts::bars(
        "chart-weekday",
        t(lang, "figures.chart_weekday"),
        &total_bars(p, lang, &weekday),
    ));
    out.push_str(&charts::bars(
        "chart-band",
        t(lang, "figures.chart_band"),
        &total_bars(p, lang, &band),
    ));
    out.push_str("</div>");
    out
}

/// `GET /figures?kind=…&year=…`: key figures per bydel with charts.
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
    let made = state
        .db
        .call(move |c| -> Result<Published, ApiError> {
            let period = Period::parse(&text).map_err(export_error)?;
            let totals = export::build_totals(c, &period, &scope).map_err(export_error)?;
            Ok(export::suppress(&totals, threshold(c)?))
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
pub async fn save_threshold(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let text = form.text("suppress_below").to_owned();
    let viewer = v.clone();
    state
        .db
        .call(move |c| -> Result<(), ApiError> {
            let n = export::parse_threshold(&text).map_err(export_error)?;
            settings::set(c, settings::SUPPRESS_BELOW, &n.to_string())?;
            audit::insert(
                c,
                now(),
                Some(viewer.id),
                &viewer.username,
                "setting_change",
                settings::SUPPRESS_BELOW,
                &n.to_string(),
            )?;
            Ok(())
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(Redirect::to("/figures").into_response())
}
