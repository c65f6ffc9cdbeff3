//! The printable page of feedback cards: per card the unit's name, one
//! line on what it is for (bokmål, then English), a QR code for
//! `PUBLIC_URL/u/CODE` drawn as SVG by the `qrcode` crate, the address and
//! the code written out, and the last day it works. The dashboard serves
//! it with a linked stylesheet (its CSP allows no inline style); the CLI
//! writes a file with the stylesheet inside, to open and print anywhere.

use crate::feedback::{Printed, day_of, spaced};
use crate::web::html::esc;
use crate::web::youth::strings::FormLang;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use std::fmt::Write as _;

/// The cards' stylesheet (A4, eight cards a page).
pub const CSS: &str = include_str!("cards.css");

/// Where the stylesheet comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `<link>` to `/static/cards.css` (the dashboard).
    Linked,
    /// A `<style>` element (a file written by the CLI).
    Inline,
}

/// What the page says around the cards, on screen only (never printed).
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// The page's heading.
    pub title: String,
    /// Lines of advice (already escaped HTML).
    pub lines: Vec<String>,
}

/// The whole page for `printed`, cards pointing at `base_url` (the
/// public address), the screen-only frame in language `lang` (the cards
/// themselves are in bokmål with an English line).
///
/// # Errors
/// A message when a QR code cannot be made (an address far too long).
pub fn document(
    printed: &Printed,
    base_url: &str,
    frame: &Frame,
    lang: &str,
    style: Style,
) -> Result<String, String> {
    let base = base_url.trim_end_matches('/');
    let until = day_of(printed.expires_ms)
        .map(|d| d.strftime("%d.%m.%Y").to_string())
        .map_err(|e| e.to_string())?;
    let css = match style {
        Style::Linked => "<link rel=\"stylesheet\" href=\"/static/cards.css\">".to_owned(),
        Style::Inline => format!("<style>{CSS}</style>"),
    };
    let mut cards = String::new();
    for code in &printed.codes {
        cards.push_str(&card(&printed.unit.name, base, code, &until)?);
    }
    let lines: String = frame.lines.iter().map(|l| format!("<p>{l}</p>")).collect();
    Ok(format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex, nofollow\">\
         <title>{title}</title>{css}</head><body>\
         <header class=\"screen\"><h1>{title}</h1>{lines}</header>\
         <main><ul class=\"cards\" aria-label=\"{title}\">{cards}</ul></main></body></html>",
        title = esc(&frame.title),
        lang = esc(lang),
    ))
}

/// One card.
fn card(unit: &str, base: &str, code: &str, until: &str) -> Result<String, String> {
    let url = format!("{base}/u/{code}");
    let (nb, en) = (FormLang::Nb.texts(), FormLang::En.texts());
    let mut out = format!(
        "<li class=\"card\" lang=\"nb\" data-code=\"{}\"><h2>{}</h2>",
        esc(code),
        esc(unit)
    );
    out.push_str(&qr_svg(&url, &format!("{} {}", nb.card_scan, url))?);
    let _ = write!(
        out,
        "<div><p class=\"line\">{}</p><p class=\"line\" lang=\"en\">{}</p><p class=\"code\">{}</p></div>\
         <div class=\"foot\"><p>{} <span lang=\"en\">/ {}</span> <span class=\"url\">{}</span></p>\
         <p>{} <span lang=\"en\">{}</span></p></div></li>",
        esc(nb.card_line),
        esc(en.card_line),
        esc(&spaced(code)),
        esc(nb.card_scan),
        esc(en.card_scan),
        esc(&url),
        esc(&nb.card_valid.replace("{d}", until)),
        esc(&en.card_valid.replace("{d}", until)),
    );
    Ok(out)
}

/// `url` as an inline SVG QR code (error correction M: a worn card still
/// scans), labelled for screen readers.
pub fn qr_svg(url: &str, label: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot make a QR code for {} characters: {e}", url.len()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // The renderer starts with an XML declaration, which has no place
    // inside HTML; the <svg> element itself is kept as drawn.
    let start = image.find("<svg").unwrap_or(0);
    let tag = format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"{}\" ",
        esc(label)
    );
    Ok(image[start..].replacen("<svg ", &tag, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::units::Unit;
    use feltlogg_core::ids::UnitId;

    #[test]
    fn a_page_has_one_card_per_code_with_its_qr_code_and_address() {
        let printed = Printed {
            unit: Unit {
                id: UnitId::new(),
                name: "Utekontakten <Test>".into(),
                bydel: "030102".into(),
            },
            codes: vec!["ABCDEFGHJKMN".into(), "PQRSTUVWXYZ2".into()],
            expires_ms: 1_800_000_000_000,
        };
        let frame = Frame {
            title: "Kort".into(),
            lines: vec![],
        };
        let page = document(
            &printed,
            "https://f.example.no/",
            &frame,
            "nb",
            Style::Inline,
        )
        .expect("page");
        assert_eq!(page.matches("<li class=\"card\" lang=\"nb\"").count(), 2);
        assert_eq!(page.matches("<svg class=\"qr\" role=\"img\"").count(), 2);
        assert!(page.contains("https://f.example.no/u/ABCDEFGHJKMN"));
        assert!(page.contains("ABCD-EFGH-JKMN"));
        assert!(page.contains("Utekontakten &lt;Test&gt;"));
        assert!(page.contains("til 15.01.2027"), "{page}");
        assert!(!page.contains("<?xml"));
        assert!(page.contains("<style>"));
    }
}
