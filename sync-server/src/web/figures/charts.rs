//! The key-figures charts: bars per bydel, top topics, weekdays and
//! times of day.

use super::{number, shown, top_topics};
use crate::export::Published;
use crate::web::charts::{self, Bar};
use crate::web::i18n::{Lang, t};

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

pub(super) fn charts_html(p: &Published, lang: Lang) -> String {
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
