//! Exports and key figures. Both read approved shifts only, through the
//! export module, and publish only suppressed numbers. Team leads get
//! their own units' shifts; admins every unit's. Every download is written
//! to the audit log.
//!
//! - `download.rs`: the export form and the file download.
//! - `page.rs`: the key-figures page, its table and the threshold form.
//! - `charts.rs`: the page's charts, drawn by `feltlogg_export::chart`.
//!
//! Here: the viewer's scope, the period fields and reading published
//! values, shared by all three.

pub(crate) mod charts;
mod download;
mod page;

pub use download::{export, export_page};
pub use page::{key_figures, save_threshold};

use super::html::{Form, options};
use super::i18n::{Lang, t, vocab};
use super::{Viewer, WebError};
use crate::AppState;
use crate::db::units;
use crate::error::ApiError;
use crate::export::{self, ExportError, Published, Scope, Value, labels};
use feltlogg_core::Topic;
use feltlogg_core::time::now_ms;
use maud::{Markup, html};

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

fn export_error(e: impl Into<ExportError>) -> ApiError {
    export::publish::to_api(e)
}

/// The threshold in force (see [`export::threshold`]).
fn threshold(c: &rusqlite::Connection, fixed: Option<u64>) -> Result<u64, ApiError> {
    export::threshold(c, fixed).map_err(export_error)
}

/// The period a form or query names, as `Period::parse` text.
fn period_text(f: &Form) -> String {
    let year = f.text("year");
    match f.text("kind") {
        "month" => format!("{year}-{:0>2}", f.text("month")),
        "quarter" => format!("{year}-Q{}", f.text("quarter")),
        "range" => format!("{}..{}", f.text("from"), f.text("to")),
        "ytd" => format!("{year}-YTD-{:0>2}", f.text("month")),
        _ => year.to_owned(),
    }
}

/// The current year and quarter in Oslo, for form defaults.
fn this_year_quarter() -> (i16, i8, i8) {
    let now = jiff::Timestamp::from_millisecond(now_ms()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let date = export::period::oslo()
        .map(|tz| now.to_zoned(tz).date())
        .unwrap_or_else(|_| now.to_zoned(jiff::tz::TimeZone::UTC).date());
    (date.year(), (date.month() - 1) / 3 + 1, date.month())
}

/// The period fields, filled from `f` or with this year's defaults.
fn period_fields(lang: Lang, f: &Form) -> Markup {
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
        ("ytd", t(lang, "export.kind.ytd")),
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
    html! {
        fieldset {
            legend { (t(lang, "export.period")) }
            label for="p-kind" { (t(lang, "export.kind")) }
            select id="p-kind" name="kind" { (options(kinds, &kind)) }
            label for="p-year" { (t(lang, "export.year")) }
            input id="p-year" name="year" type="number" min="1970" max="9998" value=(or("year", y.to_string()));
            label for="p-quarter" { (t(lang, "export.quarter")) }
            select id="p-quarter" name="quarter" {
                (options(q_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())), &or("quarter", q.to_string())))
            }
            label for="p-month" { (t(lang, "export.month")) }
            select id="p-month" name="month" {
                (options(m_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())), &or("month", m.to_string())))
            }
            label for="p-from" { (t(lang, "export.from")) }
            input id="p-from" name="from" type="date" value=(f.text("from"));
            label for="p-to" { (t(lang, "export.to")) }
            input id="p-to" name="to" type="date" value=(f.text("to"));
        }
    }
}

async fn scope_note(state: &AppState, v: &Viewer) -> Result<Markup, WebError> {
    if v.is_admin() {
        return Ok(Markup::default());
    }
    let mine = v.units.clone();
    let names = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            Ok(units::list(c)?
                .into_iter()
                .filter(|u| mine.contains(&u.id))
                .map(|u| u.name)
                .collect::<Vec<_>>())
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(html! { p { (t(v.lang, "export.scope_units").replace("{u}", &names.join(", "))) } })
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
