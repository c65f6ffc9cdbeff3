//! Server-rendered SVG bar charts: no script, readable without colour
//! (every bar carries its number), and the same numbers are in the tables
//! beside them. Hidden (suppressed) values get no bar, only their `<5`.
//! The dashboard's key-figures page and the national report draw the same
//! charts with this.

use super::html::esc;
use super::table::{Published, Value};
use std::fmt::Write as _;

/// One bar: label, length (None: hidden or empty), the text shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Label at the left.
    pub label: String,
    /// Value, when it may be drawn.
    pub value: Option<f64>,
    /// Text after the bar.
    pub text: String,
}

const WIDTH: f64 = 520.0;
const LABEL_W: f64 = 150.0;
const VALUE_W: f64 = 60.0;
const ROW_H: f64 = 22.0;

/// A horizontal bar chart as an `<figure>` with an inline `<svg>`; `id`
/// names it for tests and links.
pub fn bars(id: &str, title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW_H * bars.len().max(1) as f64 + 8.0;
    let span = WIDTH - LABEL_W - VALUE_W;
    let mut svg = format!(
        "<figure id=\"{id}\"><figcaption id=\"{id}-title\">{t}</figcaption>\
         <svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <desc id=\"{id}-desc\">{desc}</desc>",
        id = esc(id),
        t = esc(title),
        desc = esc(&describe(bars)),
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW_H * i as f64;
        let w = match b.value {
            Some(v) if max > 0.0 => (v / max * span).max(if v > 0.0 { 1.0 } else { 0.0 }),
            _ => 0.0,
        };
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"bar\" x=\"{LABEL_W}\" y=\"{ry}\" width=\"{w:.1}\" height=\"{bh}\"></rect>\
             <text x=\"{vx:.1}\" y=\"{ty}\">{text}</text>",
            lx = LABEL_W - 6.0,
            ty = y + 15.0,
            label = esc(&b.label),
            ry = y + 3.0,
            bh = ROW_H - 6.0,
            vx = LABEL_W + w + 4.0,
            text = esc(&b.text),
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// A bar for a published value (none drawn for a hidden or empty one).
pub fn bar(p: &Published, label: String, v: Option<&Value>, decimal_comma: bool) -> Bar {
    Bar {
        label,
        value: v.and_then(Value::number),
        text: v.map_or_else(String::new, |v| v.render(p.threshold, decimal_comma)),
    }
}

/// One bar per row of the first sheet but the total, labelled with the
/// row's name, of the published column `key`.
pub fn per_row(p: &Published, key: &str, decimal_comma: bool) -> Vec<Bar> {
    p.sheets.first().map_or_else(Vec::new, |s| {
        s.rows
            .iter()
            .filter(|r| !r.total)
            .map(|r| bar(p, r.name.clone(), p.get(Some(&r.bydel), key), decimal_comma))
            .collect()
    })
}

/// One bar per `(column key, label)` of the total row.
pub fn of_total(p: &Published, keys: &[(String, String)], decimal_comma: bool) -> Vec<Bar> {
    keys.iter()
        .map(|(key, label)| bar(p, label.clone(), p.get(None, key), decimal_comma))
        .collect()
}

/// The chart's numbers in words, for screen readers.
fn describe(bars: &[Bar]) -> String {
    bars.iter()
        .map(|b| format!("{}: {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_hidden_values_get_none() {
        let svg = bars(
            "c",
            "Kontakter <per> bydel",
            &[
                Bar {
                    label: "Sagene".into(),
                    value: Some(10.0),
                    text: "10".into(),
                },
                Bar {
                    label: "Frogner".into(),
                    value: None,
                    text: "<5".into(),
                },
            ],
        );
        assert!(svg.contains("Kontakter &lt;per&gt; bydel"));
        assert!(svg.contains("width=\"310.0\""), "{svg}");
        assert!(svg.contains("width=\"0.0\""));
        assert!(svg.contains("&lt;5"));
        assert!(svg.matches("<rect").count() == 2);
    }
}
