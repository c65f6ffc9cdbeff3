//! The report as one self-contained HTML page (no script, no external
//! file, bokmål): who delivered and who did not, the key figures per
//! municipality and for the country, the same per municipality and area,
//! with the dashboard's SVG bar charts (`feltlogg_export::chart`).

use super::Report;
use super::xlsx::about_lines;
use feltlogg_export::chart::{self, Bar, of_total, per_row};
use feltlogg_export::html::esc;
use feltlogg_export::{Published, labels};
use std::fmt::Write as _;

/// The columns of the report's tables, in order.
const TABLE_KEYS: [&str; 9] = [
    "shifts",
    "field_hours",
    "share_two_plus_pct",
    "encounters",
    "youths",
    "key_new_contacts",
    "share_18_or_younger_pct",
    "share_elsewhere_pct",
    "referrals_per_100",
];

const STYLE: &str = "body{font:16px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0}\
main{max-width:72em;margin:0 auto;padding:1em 1.5em 3em}\
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-top:1px solid #ccc;padding-top:1em}\
table{border-collapse:collapse;margin:1em 0;font-size:.95em}caption{text-align:left;font-weight:600;padding:.3em 0}\
th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top}thead th{background:#eef2f7}\
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.total th,tr.total td{font-weight:700;background:#f5f5f5}\
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22em,1fr));gap:1.5em}\
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3em}svg.chart{width:100%;height:auto}\
svg.chart text{font:12px system-ui,sans-serif;fill:#1a1a1a}svg.chart .bar{fill:#1f5fa8}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1em}dt{font-weight:600}dd{margin:0}";

fn header_of(p: &Published, key: &str) -> String {
    p.sheets
        .iter()
        .flat_map(|s| s.columns.iter())
        .find(|c| c.key == key)
        .map_or_else(|| key.to_owned(), |c| c.header.clone())
}

fn table(p: &Published, id: &str, caption: &str, first_col: &str, total: &str) -> String {
    let mut out = format!(
        "<table id=\"{id}\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        esc(caption),
        esc(first_col)
    );
    for key in TABLE_KEYS {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(&header_of(p, key))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for row in p.sheets.first().map_or(&[][..], |s| &s.rows[..]) {
        let bydel = (!row.total).then_some(row.bydel.as_str());
        let (class, name) = if row.total {
            (" class=\"total\"", total.to_owned())
        } else {
            ("", format!("{} {}", row.bydel, row.name))
        };
        let _ = write!(out, "<tr{class}><th scope=\"row\">{}</th>", esc(&name));
        for key in TABLE_KEYS {
            let shown = p
                .get(bydel, key)
                .map_or_else(String::new, |v| v.render(p.threshold, true));
            let _ = write!(
                out,
                "<td class=\"num\" data-key=\"{key}\">{}</td>",
                esc(&shown)
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn charts(p: &Published, id: &str, per: &str) -> String {
    let weekday: Vec<(String, String)> = labels::WEEKDAY_KEYS
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                format!("encounters_weekday_{k}"),
                labels::weekday_short(i).nb.to_owned(),
            )
        })
        .collect();
    let sets: [(&str, String, Vec<Bar>); 5] = [
        (
            "encounters",
            format!("Kontakter per {per}"),
            per_row(p, "encounters", true),
        ),
        (
            "hours",
            format!("Felttimer per {per}"),
            per_row(p, "field_hours", true),
        ),
        (
            "new",
            format!("Nye kontakter (ungdommer) per {per}"),
            per_row(p, "key_new_contacts", true),
        ),
        (
            "weekday",
            "Kontakter per ukedag".to_owned(),
            of_total(p, &weekday, true),
        ),
        (
            "band",
            "Kontakter per tid på døgnet".to_owned(),
            of_total(p, &labels::bands(), true),
        ),
    ];
    let mut out = String::from("<div class=\"charts\">");
    for (key, title, bars) in sets {
        out.push_str(&chart::bars(&format!("{id}-chart-{key}"), &title, &bars));
    }
    out.push_str("</div>");
    out
}

/// The report page.
pub fn to_html(report: &Report) -> String {
    let n = &report.national;
    let period = n.period.label_nb();
    let mut body = format!(
        "<h1>Oppsøkende ungdomsarbeid: nasjonale nøkkeltall</h1>\
         <p>Periode: {} ({} til {}).</p>",
        esc(&period),
        n.period.first_day,
        n.period.last_day
    );
    let list = |v: &[String]| {
        if v.is_empty() {
            "ingen".to_owned()
        } else {
            v.join(", ")
        }
    };
    let _ = write!(
        body,
        "<p id=\"coverage\"><strong>Levert:</strong> {} ({} av {}). <strong>Ikke levert:</strong> {}.</p>",
        esc(&list(&n.coverage.delivered)),
        n.coverage.delivered.len(),
        n.coverage.delivered.len() + n.coverage.missing.len(),
        esc(&list(&n.coverage.missing))
    );
    body.push_str("<dl>");
    for (k, v) in about_lines(report)
        .iter()
        .filter(|(k, _)| ["Grunnlag", "Små tall"].contains(k))
    {
        let _ = write!(body, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    body.push_str("</dl>");
    let _ = write!(
        body,
        "<section aria-labelledby=\"all-h\"><h2 id=\"all-h\">Hele landet, per kommune</h2>{}{}</section>",
        table(
            &report.overview,
            "all-table",
            &format!("Nøkkeltall per kommune, {period}"),
            "Kommune",
            "Totalt"
        ),
        charts(&report.overview, "all", "kommune")
    );
    for (m, p) in n.municipalities.iter().zip(&report.municipalities) {
        let id = format!("k{}", m.number);
        let title = format!("{} {}", m.number, m.name);
        let _ = write!(
            body,
            "<section aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">{}</h2>{}{}</section>",
            esc(&title),
            table(
                p,
                &format!("{id}-table"),
                &format!("Nøkkeltall per område, {title}, {period}"),
                "Område",
                &format!("{} i alt", m.name)
            ),
            charts(p, &id, "område")
        );
    }
    format!(
        "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Nasjonale nøkkeltall, {}</title><style>{STYLE}</style></head>\
         <body><main>{body}</main></body></html>\n",
        esc(&period)
    )
}
