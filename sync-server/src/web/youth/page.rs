//! The public form's pages: the form (again with a flagged text marked, or
//! after the one-tap fix), thank you, and the friendly pages for an
//! unusable code, too many tries and a form that does not fit. No script,
//! no image, nothing from elsewhere; `noindex` in the page and the header.

use super::strings::{FormLang, Texts};
use crate::web::review::marked;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use feltlogg_core::feedback::{Answer, FORM_AGE_GROUPS, Question};
use feltlogg_core::screen::Finding;
use maud::{DOCTYPE, Markup, html};

/// What the form page shows.
#[derive(Debug)]
pub struct FormView<'a> {
    /// The language.
    pub lang: FormLang,
    /// The unit's name.
    pub unit: &'a str,
    /// The code, normalised (the form posts back to it).
    pub code: &'a str,
    /// The form's token.
    pub token: &'a str,
    /// The answers so far (kept when the form comes back).
    pub answer: &'a Answer,
    /// What the screen found in the free text.
    pub findings: &'a [Finding],
    /// A line above the form: (text, is it an error).
    pub message: Option<(&'a str, bool)>,
}

/// The page frame: `noindex`, the form's stylesheet, a header with
/// `top` and the language links.
fn frame(lang: FormLang, title: &str, top: &str, links: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                link rel="stylesheet" href="/static/form.css";
            }
            body {
                header.top { span { (top) } (links) }
                main #main { h1 { (title) } (body) }
            }
        }
    }
}

/// The response: the page, its status, and `X-Robots-Tag` (search engines
/// that ignore the meta tag still must not list a code's address).
fn respond(status: StatusCode, page: Markup) -> Response {
    let mut resp = (status, Html(page.into_string())).into_response();
    resp.headers_mut().insert(
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex, nofollow"),
    );
    resp
}

/// The form.
pub fn form(view: &FormView<'_>, status: StatusCode) -> Response {
    let t = view.lang.texts();
    let links = html! {
        @for other in FormLang::ALL.into_iter().filter(|l| *l != view.lang) {
            @let c = other.code();
            a href={ "/u/" (view.code) "?lang=" (c) } lang=(c) hreflang=(c) { (other.texts().name) }
        }
    };
    let body = html! {
        @for l in t.intro { p { (l) } }
        @if let Some((text, is_error)) = view.message {
            @if is_error {
                p.error role="alert" { (text) }
            } @else {
                p.notice role="status" { (text) }
            }
        }
        form method="post" action={ "/u/" (view.code) } {
            input type="hidden" name="token" value=(view.token);
            input type="hidden" name="lang" value=(view.lang.code());
            @for q in Question::ALL { (scale(t, q, view.answer.grade(q))) }
            (ages(t, view.answer))
            (free_text(t, view))
            p.send { button type="submit" id="send" { (t.send) } }
        }
    };
    respond(status, frame(view.lang, t.title, view.unit, links, body))
}

/// One question's radio group, with "rather not answer" first checked.
fn scale(t: &Texts, q: Question, given: Option<u8>) -> Markup {
    let name = q.as_str();
    let steps = if q == Question::Overall {
        &t.overall_scale
    } else {
        &t.scale
    };
    html! {
        fieldset id={ "q-" (name) } {
            legend { (t.questions[q.index()]) }
            @for (i, label) in steps.iter().enumerate() {
                @let value = i + 1;
                label.opt {
                    input type="radio" name=(name) value=(value) checked[given == Some(value as u8)];
                    span { (label) }
                }
            }
            label class="opt skip" {
                input type="radio" name=(name) value="" checked[given.is_none()];
                span { (t.skip) }
            }
        }
    }
}

/// The age group radios: the app's groups, then "rather not say".
fn ages(t: &Texts, a: &Answer) -> Markup {
    html! {
        fieldset #q-age {
            legend { (t.age_question) }
            @for (group, label) in FORM_AGE_GROUPS.iter().zip(t.ages) {
                label.opt {
                    input type="radio" name="age" value=(group.as_str()) checked[a.age_group == Some(*group)];
                    span { (label) }
                }
            }
            label class="opt skip" {
                input type="radio" name="age" value="" checked[a.age_group.is_none()];
                span { (t.age_skip) }
            }
        }
    }
}

/// The free-text box; when the screen found something, the text marked,
/// what was found, and the one-tap fix.
fn free_text(t: &Texts, view: &FormView<'_>) -> Markup {
    let text = view.answer.text.as_deref().unwrap_or("");
    let flagged = !view.findings.is_empty();
    let described = if flagged {
        "text-hint text-found"
    } else {
        "text-hint"
    };
    html! {
        label.text for="text" { (t.text_question) }
        p.hint #text-hint { (t.text_hint) }
        textarea id="text" name="text" maxlength="500" rows="4" aria-describedby=(described)
            aria-invalid=[flagged.then_some("true")] { (text) }
        @if flagged {
            div.found #text-found {
                p { (t.found) }
                p #text-marked { (marked(text, view.findings)) }
                ul { @for f in view.findings { li { (t.finding(f.kind)) } } }
                p {
                    button type="submit" name="fix" value="redact" id="text-fix" class="secondary" { (t.fix) }
                }
            }
        }
    }
}

/// The thank-you page.
pub fn thanks(lang: FormLang) -> Response {
    let t = lang.texts();
    let body = html! { p role="status" { (t.thanks[1]) } };
    respond(
        StatusCode::OK,
        frame(lang, t.thanks[0], "Feltlogg", Markup::default(), body),
    )
}

/// The page for every code that cannot be used, whatever the reason: one
/// status, one text, nothing that differs between unknown, used and
/// expired (404: there is no form here).
pub fn refused(lang: FormLang) -> Response {
    notice(lang, StatusCode::NOT_FOUND, |t| t.refused)
}

/// Too many unusable codes from this address (429).
pub fn busy(lang: FormLang) -> Response {
    notice(lang, StatusCode::TOO_MANY_REQUESTS, |t| t.busy)
}

/// A post that does not fit the question set (400).
pub fn bad(lang: FormLang) -> Response {
    notice(lang, StatusCode::BAD_REQUEST, |t| t.bad)
}

/// A server failure (500): the same friendly frame, the "bad" words.
pub fn failed(lang: FormLang) -> Response {
    notice(lang, StatusCode::INTERNAL_SERVER_ERROR, |t| t.bad)
}

/// A heading and a line in the chosen language, then the same in the
/// other languages (a phone set to bokmål may belong to someone who
/// reads English better).
fn notice(lang: FormLang, status: StatusCode, pick: fn(&Texts) -> [&'static str; 2]) -> Response {
    let [title, text] = pick(lang.texts());
    let body = html! {
        p { (text) }
        @for other in FormLang::ALL.into_iter().filter(|l| *l != lang) {
            @let [h, p] = pick(other.texts());
            section.other lang=(other.code()) { h2 { (h) } p { (p) } }
        }
    };
    respond(
        status,
        frame(lang, title, "Feltlogg", Markup::default(), body),
    )
}
