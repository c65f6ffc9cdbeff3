//! The key-figures charts: bars per bydel, top topics, weekdays and
//! times of day.

use super::top_topics;
use crate::export::{Published, labels};
use crate::web::i18n::{Lang, t, vocab};
use feltlogg_export::chart::{self as charts, Bar, of_total, per_row};

pub(super) fn charts_html(p: &Published, lang: Lang) -> String {
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
    let mut out = String::from("<div class=\"charts\">");
    out.push_str(&charts::bars(
        "chart-encounters",
        t(lang, "figures.chart_encounters"),
        &per_row(p, "encounters", comma),
    ));
    out.push_str(&charts::bars(
        "chart-hours",
        t(lang, "figures.chart_hours"),
        &per_row(p, "field_hours", comma),
    ));
    out.push_str(&charts::bars(
        "chart-topics",
        t(lang, "figures.chart_topics"),
        &topics,
    ));
    out.push_str(&charts::bars(
        "chart-weekday",
        t(lang, "figures.chart_weekday"),
        &of_total(p, &weekday, comma),
    ));
    out.push_str(&charts::bars(
        "chart-band",
        t(lang, "figures.chart_band"),
        &of_total(p, &band, comma),
    ));
    out.push_str("</div>");
    out
}
