//! The printable page of feedback cards: per card the unit's name, one
//! line on what it is for (bokmål, then English), a QR code for
//! `PUBLIC_URL/u/CODE` drawn as SVG by the `qrcode` crate, the address and
//! the code written out, and the last day it works. The dashboard serves
//! it with a linked stylesheet (its CSP allows no inline style); the CLI
//! writes a file with the stylesheet inside, to open and print anywhere.

use crate::feedback::{Printed, day_of, spaced};
use crate::web::youth::strings::FormLang;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

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
    /// Lines of advice.
    pub lines: Vec<Markup>,
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
    let cards = printed
        .codes
        .iter()
        .map(|code| card(&printed.unit.name, base, code, &until))
        .collect::<Result<Vec<_>, _>>()?;
    let title = &frame.title;
    Ok(html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                @match style {
                    Style::Linked => { link rel="stylesheet" href="/static/cards.css"; }
                    Style::Inline => { style { (PreEscaped(CSS)) } }
                }
            }
            body {
                header.screen { h1 { (title) } @for l in &frame.lines { p { (l) } } }
                main { ul.cards aria-label=(title) { @for c in cards { (c) } } }
            }
        }
    }
    .into_string())
}

/// One card.
fn card(unit: &str, base: &str, code: &str, until: &str) -> Result<Markup, String> {
    let url = format!("{base}/u/{code}");
    let (nb, en) = (FormLang::Nb.texts(), FormLang::En.texts());
    let qr = qr_svg(&url, &format!("{} {}", nb.card_scan, url))?;
    Ok(html! {
        li class="card" lang="nb" data-code=(code) {
            h2 { (unit) }
            (qr)
            div {
                p.line { (nb.card_line) }
                p.line lang="en" { (en.card_line) }
                p.code { (spaced(code)) }
            }
            div.foot {
                p { (nb.card_scan) " " span lang="en" { "/ " (en.card_scan) } " " span.url { (url) } }
                p { (nb.card_valid.replace("{d}", until)) " " span lang="en" { (en.card_valid.replace("{d}", until)) } }
            }
        }
    })
}

/// `url` as an inline SVG QR code (error correction M: a worn card still
/// scans), labelled for screen readers.
pub fn qr_svg(url: &str, label: &str) -> Result<Markup, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot make a QR code for {} characters: {e}", url.len()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // The renderer starts with an XML declaration, which has no place
    // inside HTML; the <svg> element itself is kept as drawn (it holds
    // only the renderer's own paths, nothing of ours but the label).
    let start = image.find("<svg").unwrap_or(0);
    let label = html! { (label) }.into_string();
    let tag = format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" ");
    Ok(PreEscaped(image[start..].replacen("<svg ", &tag, 1)))
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
