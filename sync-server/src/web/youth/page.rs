//! The public form's pages: the form (again with a flagged text marked, or
//! after the one-tap fix), thank you, and the friendly pages for an
//! unusable code, too many tries and a form that does not fit. No script,
//! no image, nothing from elsewhere; `noindex` in the page and the header.

use super::strings::{FormLang, Texts};
use crate::web::html::esc;
use crate::web::review::marked;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use feltlogg_core::feedback::{Answer, FORM_AGE_GROUPS, Question};
use feltlogg_core::screen::Finding;
use std::fmt::Write as _;

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
/// `top` (already escaped) and the language links.
fn frame(lang: FormLang, title: &str, top: &str, links: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex, nofollow\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/static/form.css\"></head>\
         <body><header class=\"top\"><span>{top}</span>{links}</header>\
         <main id=\"main\"><h1>{}</h1>{body}</main></body></html>",
        lang.code(),
        esc(title),
        esc(title),
    )
}

/// The response: the page, its status, and `X-Robots-Tag` (search engines
/// that ignore the meta tag still must not list a code's address).
fn respond(status: StatusCode, page: String) -> Response {
    let mut resp = (status, Html(page)).into_response();
    resp.headers_mut().insert(
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex, nofollow"),
    );
    resp
}

/// The form.
pub fn form(view: &FormView<'_>, status: StatusCode) -> Response {
    let t = view.lang.texts();
    let mut links = String::new();
    for other in FormLang::ALL.into_iter().filter(|l| *l != view.lang) {
        let _ = write!(
            links,
            "<a href=\"/u/{}?lang={c}\" lang=\"{c}\" hreflang=\"{c}\">{}</a>",
            esc(view.code),
            esc(other.texts().name),
            c = other.code(),
        );
    }
    let mut body: String = t
        .intro
        .iter()
        .map(|l| format!("<p>{}</p>", esc(l)))
        .collect();
    if let Some((text, is_error)) = view.message {
        let (class, role) = if is_error {
            ("error", "alert")
        } else {
            ("notice", "status")
        };
        let _ = write!(
            body,
            "<p class=\"{class}\" role=\"{role}\">{}</p>",
            esc(text)
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/u/{}\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\
         <input type=\"hidden\" name=\"lang\" value=\"{}\">",
        esc(view.code),
        esc(view.token),
        view.lang.code(),
    );
    for q in Question::ALL {
        body.push_str(&scale(t, q, view.answer.grade(q)));
    }
    body.push_str(&ages(t, view.answer));
    body.push_str(&free_text(t, view));
    let _ = write!(
        body,
        "<p class=\"send\"><button type=\"submit\" id=\"send\">{}</button></p></form>",
        esc(t.send)
    );
    respond(
        status,
        frame(view.lang, t.title, &esc(view.unit), &links, &body),
    )
}

/// One question's radio group, with "rather not answer" first checked.
fn scale(t: &Texts, q: Question, given: Option<u8>) -> String {
    let name = q.as_str();
    let steps = if q == Question::Overall {
        &t.overall_scale
    } else {
        &t.scale
    };
    let mut out = format!(
        "<fieldset id=\"q-{name}\"><legend>{}</legend>",
        esc(t.questions[q.index()])
    );
    for (i, label) in steps.iter().enumerate() {
        let value = i + 1;
        let checked = if given == Some(value as u8) {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<label class=\"opt\"><input type=\"radio\" name=\"{name}\" value=\"{value}\"{checked}><span>{}</span></label>",
            esc(label)
        );
    }
    let checked = if given.is_none() { " checked" } else { "" };
    let _ = write!(
        out,
        "<label class=\"opt skip\"><input type=\"radio\" name=\"{name}\" value=\"\"{checked}><span>{}</span></label></fieldset>",
        esc(t.skip)
    );
    out
}

/// The age group radios: the app's groups, then "rather not say".
fn ages(t: &Texts, a: &Answer) -> String {
    let mut out = format!(
        "<fieldset id=\"q-age\"><legend>{}</legend>",
        esc(t.age_question)
    );
    for (group, label) in FORM_AGE_GROUPS.iter().zip(t.ages) {
        let checked = if a.age_group == Some(*group) {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<label class=\"opt\"><input type=\"radio\" name=\"age\" value=\"{}\"{checked}><span>{}</span></label>",
            group.as_str(),
            esc(label)
        );
    }
    let checked = if a.age_group.is_none() {
        " checked"
    } else {
        ""
    };
    let _ = write!(
        out,
        "<label class=\"opt skip\"><input type=\"radio\" name=\"age\" value=\"\"{checked}><span>{}</span></label></fieldset>",
        esc(t.age_skip)
    );
    out
}

/// The free-text box; when the screen found something, the text marked,
/// what was found, and the one-tap fix.
fn free_text(t: &Texts, view: &FormView<'_>) -> String {
    let text = view.answer.text.as_deref().unwrap_or("");
    let flagged = !view.findings.is_empty();
    let described = if flagged {
        "text-hint text-found"
    } else {
        "text-hint"
    };
    let invalid = if flagged {
        " aria-invalid=\"true\""
    } else {
        ""
    };
    let mut out = format!(
        "<label class=\"text\" for=\"text\">{}</label><p class=\"hint\" id=\"text-hint\">{}</p>\
         <textarea id=\"text\" name=\"text\" maxlength=\"500\" rows=\"4\" aria-describedby=\"{described}\"{invalid}>{}</textarea>",
        esc(t.text_question),
        esc(t.text_hint),
        esc(text),
    );
    if flagged {
        let items: String = view
            .findings
            .iter()
            .map(|f| format!("<li>{}</li>", esc(t.finding(f.kind))))
            .collect();
        let _ = write!(
            out,
            "<div class=\"found\" id=\"text-found\"><p>{}</p><p id=\"text-marked\">{}</p><ul>{items}</ul>\
             <p><button type=\"submit\" name=\"fix\" value=\"redact\" id=\"text-fix\" class=\"secondary\">{}</button></p></div>",
            esc(t.found),
            marked(text, view.findings),
            esc(t.fix),
        );
    }
    out
}

/// The thank-you page.
pub fn thanks(lang: FormLang) -> Response {
    let t = lang.texts();
    let body = format!("<p role=\"status\">{}</p>", esc(t.thanks[1]));
    respond(
        StatusCode::OK,
        frame(lang, t.thanks[0], "Feltlogg", "", &body),
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
    let mut body = format!("<p>{}</p>", esc(text));
    for other in FormLang::ALL.into_iter().filter(|l| *l != lang) {
        let [h, p] = pick(other.texts());
        let _ = write!(
            body,
            "<section class=\"other\" lang=\"{}\"><h2>{}</h2><p>{}</p></section>",
            other.code(),
            esc(h),
            esc(p)
        );
    }
    respond(status, frame(lang, title, "Feltlogg", "", &body))
}
