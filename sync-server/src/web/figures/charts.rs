//! The key-figures charts: bars per bydel, top topics, weekdays and
//! times of day.

use super::top_topics;
use crate::export::{Published, labels};
use crate::web::i18n::{Lang, t, vocab};
use feltlogg_export::chart::{self as charts, Bar, of_total, per_row};
use maud::{Markup, PreEscaped, html};

/// One bar chart as inline SVG, drawn by `feltlogg_export::chart` (shared
/// with the national report), which escapes every label and title it
/// draws; this is the one place the dashboard marks its output
/// pre-escaped.
pub(crate) fn bars(id: &str, title: &str, list: &[Bar]) -> Markup {
    PreEscaped(charts::bars(id, title, list))
}

/// The key-figures page's charts.
pub(super) fn charts_html(p: &Published, lang: Lang) -> Markup {
    let comma = lang == Lang::Nb;
    let weekday: Vec<(String, String)> = labels::WEEKDAY_KEYS
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let label = vocab(lang, labels::weekday_short(i)).to_owned();
            (format!("encounters_weekday_{k}"), label)
        })
        .collect();
    let band = labels::bands();
    let topics: Vec<Bar> = top_topics(p, lang, None)
        .into_iter()
        .map(|(label, n)| Bar {
            label,
            value: Some(n as f64),
            text: n.to_string(),
        })
        .collect();
    html! {
        div.charts {
            (bars("chart-encounters", t(lang, "figures.chart_encounters"), &per_row(p, "encounters", comma)))
            (bars("chart-hours", t(lang, "figures.chart_hours"), &per_row(p, "field_hours", comma)))
            (bars("chart-topics", t(lang, "figures.chart_topics"), &topics))
            (bars("chart-weekday", t(lang, "figures.chart_weekday"), &of_total(p, &weekday, comma)))
            (bars("chart-band", t(lang, "figures.chart_band"), &of_total(p, &band, comma)))
        }
    }
}
