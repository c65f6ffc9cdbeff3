//! The page frame (header, menu, language switch, sign-out) and the
//! stylesheet, both compiled into the binary. A page body is [`Markup`]:
//! built with `maud::html!`, which escapes every interpolated value, so a
//! raw string cannot reach a page without an explicit `PreEscaped`.

use super::Viewer;
use super::html::{csrf_input, url_encode};
use super::i18n::{Lang, t};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use feltlogg_core::Role;
use maud::{DOCTYPE, Markup, html};

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

fn head(lang: Lang, title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " – " (t(lang, "app.name")) }
            link rel="stylesheet" href="/static/dashboard.css";
        }
    }
}

fn lang_link(lang: Lang, path: &str) -> Markup {
    let other = match lang {
        Lang::Nb => "en",
        Lang::En => "nb",
    };
    html! {
        a.lang href={ "/lang/" (other) "?back=" (url_encode(path)) } hreflang=(other) lang=(other) {
            (t(lang, "nav.other_lang"))
        }
    }
}

/// A whole document around `body`, titled `title`.
fn document(lang: Lang, title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                (head(lang, title))
                body { (body) }
            }
        }
        .into_string(),
    )
}

/// A page without the menu (sign-in, errors).
pub fn bare(lang: Lang, title: &str, body: Markup) -> Html<String> {
    document(
        lang,
        title,
        html! {
            header.top {
                span.brand { (t(lang, "app.name")) }
                (lang_link(lang, "/login"))
            }
            main #main { h1 { (title) } (body) }
        },
    )
}

/// The menu items a viewer sees: (path, text key).
fn menu(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![
        ("/review", "nav.review"),
        ("/review/refusals", "nav.refusals"),
        ("/export", "nav.export"),
        ("/figures", "nav.figures"),
        ("/words", "nav.words"),
        ("/feedback", "nav.feedback"),
    ];
    if role == Role::Admin {
        items.extend([
            ("/admin/units", "nav.units"),
            ("/admin/users", "nav.users"),
            ("/admin/devices", "nav.devices"),
            ("/admin/audit", "nav.audit"),
        ]);
    }
    // Everyone can see and end their own sessions (issue #10).
    items.push(("/account/sessions", "nav.sessions"));
    items
}

/// A page for a signed-in viewer: menu by role, `path` marks the current
/// item and is where the language switch returns to.
pub fn page(v: &Viewer, path: &str, title: &str, body: Markup) -> Html<String> {
    let lang = v.lang;
    let role = t(lang, &format!("role.{}", v.role.as_str()));
    document(
        lang,
        title,
        html! {
            a.skip href="#main" { (t(lang, "nav.skip")) }
            header.top {
                span.brand { (t(lang, "app.name")) }
                nav aria-label=(t(lang, "nav.label")) {
                    ul {
                        @for (href, key) in menu(v.role) {
                            @let current = path == href || path.starts_with(&format!("{href}?"));
                            li { a href=(href) aria-current=[current.then_some("page")] { (t(lang, key)) } }
                        }
                    }
                }
                div.who {
                    span { (t(lang, "nav.signed_in_as")) " " (v.username) " (" (role) ")" }
                    (lang_link(lang, path))
                    form method="post" action="/logout" {
                        (csrf_input(&v.csrf))
                        button type="submit" class="link" { (t(lang, "nav.logout")) }
                    }
                }
            }
            main #main { h1 { (title) } (body) }
        },
    )
}

/// A status line (after an action), announced to screen readers.
pub fn notice(text: &str) -> Markup {
    html! { p.notice role="status" { (text) } }
}

/// An error line, announced to screen readers.
pub fn error(text: &str) -> Markup {
    html! { p.error role="alert" { (text) } }
}
