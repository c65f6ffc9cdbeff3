//! The page frame (header, menu, language switch, sign-out) and the
//! stylesheet, both compiled into the binary.

use super::Viewer;
use super::html::{csrf_input, esc, url_encode};
use super::i18n::{Lang, t};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use feltlogg_core::Role;
use std::fmt::Write as _;

const CSS: &str = include_str!("dashboard.css");

/// `GET /static/dashboard.css`.
#[tracing::instrument(skip_all)]
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

fn head(lang: Lang, title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} – {}</title><link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head>",
        lang.code(),
        esc(title),
        t(lang, "app.name")
    )
}

fn lang_link(lang: Lang, path: &str) -> String {
    let other = match lang {
        Lang::Nb => "en",
        Lang::En => "nb",
    };
    let hreflang = other;
    format!(
        "<a class=\"lang\" href=\"/lang/{other}?back={}\" hreflang=\"{hreflang}\" lang=\"{hreflang}\">{}</a>",
        esc(&url_encode(path)),
        t(lang, "nav.other_lang")
    )
}

/// A page without the menu (sign-in, errors).
pub fn bare(lang: Lang, title: &str, body: &str) -> Html<String> {
    Html(format!(
        "{}<body><header class=\"top\"><span class=\"brand\">{}</span>{}</header>\
         <main id=\"main\"><h1>{}</h1>{body}</main></body></html>",
        head(lang, title),
        t(lang, "app.name"),
        lang_link(lang, "/login"),
        esc(title)
    ))
}

/// A page for a signed-in viewer: menu by role, `path` marks the current
/// item and is where the language switch returns to.
pub fn page(v: &Viewer, path: &str, title: &str, body: &str) -> Html<String> {
    let lang = v.lang;
    let mut items = vec![
        ("/review", "nav.review"),
        ("/review/refusals", "nav.refusals"),
        ("/export", "nav.export"),
        ("/figures", "nav.figures"),
        ("/words", "nav.words"),
        ("/feedback", "nav.feedback"),
    ];
    if v.role == Role::Admin {
        items.extend([
            ("/admin/units", "nav.units"),
            ("/admin/users", "nav.users"),
            ("/admin/devices", "nav.devices"),
            ("/admin/audit", "nav.audit"),
        ]);
    }
    // Everyone can see and end their own sessions (issue #10).
    items.push(("/account/sessions", "nav.sessions"));
    let mut nav = String::new();
    for (href, key) in items {
        let current = if path == href || path.starts_with(&format!("{href}?")) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            nav,
            "<li><a href=\"{href}\"{current}>{}</a></li>",
            t(lang, key)
        );
    }
    let role = t(lang, &format!("role.{}", v.role.as_str()));
    Html(format!(
        "{}<body><a class=\"skip\" href=\"#main\">{}</a>\
         <header class=\"top\"><span class=\"brand\">{}</span>\
         <nav aria-label=\"{}\"><ul>{nav}</ul></nav>\
         <div class=\"who\"><span>{} {} ({})</span>{}\
         <form method=\"post\" action=\"/logout\">{}<button type=\"submit\" class=\"link\">{}</button></form></div>\
         </header><main id=\"main\"><h1>{}</h1>{body}</main></body></html>",
        head(lang, title),
        t(lang, "nav.skip"),
        t(lang, "app.name"),
        t(lang, "nav.label"),
        t(lang, "nav.signed_in_as"),
        esc(&v.username),
        role,
        lang_link(lang, path),
        csrf_input(&v.csrf),
        t(lang, "nav.logout"),
        esc(title)
    ))
}

/// A status line (after an action), announced to screen readers.
pub fn notice(text: &str) -> String {
    format!("<p class=\"notice\" role=\"status\">{}</p>", esc(text))
}

/// An error line, announced to screen readers.
pub fn error(text: &str) -> String {
    format!("<p class=\"error\" role=\"alert\">{}</p>", esc(text))
}
