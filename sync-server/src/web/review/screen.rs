//! The anonymity screen in the dashboard: a return comment the screen
//! flags comes back with the found spans highlighted and a one-tap
//! replace-with-placeholder button (the shift page's return form), and the
//! old-data scan (`/review/screen`) lists stored free text the current
//! screen flags in the viewer's units, each with a redact button.
//!
//! Server-rendered, no JavaScript (the CSP allows none): the fix button
//! posts the form and the server answers with the comment redacted. No
//! button lets flagged text through: sending re-screens it.

use crate::AppState;
use crate::error::ApiError;
use crate::screen_scan::{self, Flagged, Redactor, kind_name};
use crate::web::html::{Form, csrf_input, esc};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout, now};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::record::RecordKind;
use feltlogg_core::screen::Finding;
use std::collections::HashMap;
use std::fmt::Write as _;

/// A return comment shown again in the return form: after the screen
/// flagged it (`findings` non-empty), or after the fix replaced what it
/// found (`findings` empty).
#[derive(Clone, Debug, Default)]
pub(super) struct ReturnDraft {
    /// The comment as the textarea shows it.
    pub comment: String,
    /// What the screen found in it.
    pub findings: Vec<Finding>,
    /// Whether the fix just replaced what was found (says so above it).
    pub fixed: bool,
}

/// `text` escaped, each found span in `<mark>` (spans in characters,
/// ordered, not overlapping, as the screen reports them).
pub(crate) fn marked(text: &str, findings: &[Finding]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for f in findings {
        let (start, end) = (f.start.clamp(at, chars.len()), f.end.min(chars.len()));
        if start >= end {
            continue;
        }
        out.push_str(&esc(&chars[at..start].iter().collect::<String>()));
        let _ = write!(
            out,
            "<mark>{}</mark>",
            esc(&chars[start..end].iter().collect::<String>())
        );
        at = end;
    }
    out.push_str(&esc(&chars[at.min(chars.len())..]
        .iter()
        .collect::<String>()));
    out
}

/// What was found and where, in the viewer's language, as list items.
fn finding_items(lang: Lang, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let what = t(lang, &format!("finding.{}", kind_name(f.kind)));
        let at = t(lang, "screen.at")
            .replace("{a}", &(f.start + 1).to_string())
            .replace("{b}", &f.end.to_string());
        let _ = write!(out, "<li>{} ({})</li>", esc(what), esc(&at));
    }
    out
}

/// The return form's textarea, with the flagged block and the fix button
/// before it when the screen found something.
pub(super) fn return_field(lang: Lang, draft: Option<&ReturnDraft>) -> String {
    let Some(d) = draft.filter(|d| !d.findings.is_empty()) else {
        let text = draft.map(|d| esc(&d.comment)).unwrap_or_default();
        let fixed = if draft.is_some_and(|d| d.fixed) {
            layout::notice(t(lang, "screen.fixed"))
        } else {
            String::new()
        };
        return format!(
            "{fixed}<label for=\"comment\">{}</label><textarea id=\"comment\" name=\"comment\" maxlength=\"1000\">{text}</textarea>",
            t(lang, "shift.comment")
        );
    };
    format!(
        "<div class=\"found\" id=\"comment-found\"><p>{}</p><p class=\"marked\" id=\"comment-marked\">{}</p><ul>{}</ul>\
         <p><button type=\"submit\" name=\"fix\" value=\"redact\" id=\"comment-fix\" class=\"secondary\">{}</button></p></div>\
         <label for=\"comment\">{}</label><textarea id=\"comment\" name=\"comment\" maxlength=\"1000\" \
         aria-describedby=\"comment-found\" aria-invalid=\"true\">{}</textarea>",
        t(lang, "screen.comment_found"),
        marked(&d.comment, &d.findings),
        finding_items(lang, &d.findings),
        t(lang, "screen.fix"),
        t(lang, "shift.comment"),
        esc(&d.comment),
    )
}

/// Most flagged texts listed at once.
const SCAN_LIMIT: usize = 500;

/// `GET /review/screen`: stored free text in the viewer's units that the
/// current screen flags.
pub async fn scan_page(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    let flagged = state
        .db
        .call(move |c| screen_scan::scan(c, filter.as_deref()))
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = match q.get("msg").map(String::as_str) {
        Some("redacted") => layout::notice(t(lang, "scan.redacted")),
        Some("nothing") => layout::notice(t(lang, "scan.nothing")),
        _ => String::new(),
    };
    let _ = write!(body, "<p>{}</p>", t(lang, "scan.intro"));
    if flagged.is_empty() {
        let _ = write!(body, "<p id=\"scan-empty\">{}</p>", t(lang, "scan.empty"));
    } else {
        let _ = write!(
            body,
            "<p>{}</p>",
            esc(&t(lang, "scan.count").replace("{n}", &flagged.len().to_string()))
        );
        body.push_str(&scan_table(&v, &flagged[..flagged.len().min(SCAN_LIMIT)]));
    }
    Ok(layout::page(
        &v,
        "/review/screen",
        t(lang, "scan.title"),
        &body,
    ))
}

fn scan_table(v: &Viewer, flagged: &[Flagged]) -> String {
    let lang = v.lang;
    let mut out = String::from("<table id=\"scan-table\"><thead><tr>");
    for h in [
        "scan.where",
        "scan.field",
        "scan.text",
        "scan.found",
        "scan.action",
    ] {
        let _ = write!(out, "<th scope=\"col\">{}</th>", t(lang, h));
    }
    out.push_str("</tr></thead><tbody>");
    for f in flagged {
        let s = &f.stored;
        let source = t(lang, &format!("scan.source.{}", s.source.as_str()));
        let place = match s.shift_id {
            Some(shift) => format!("<a href=\"/shifts/{shift}\">{}</a>", esc(source)),
            None => esc(source),
        };
        let action = if f.redactable() {
            format!(
                "<form method=\"post\" action=\"/review/screen/redact\">{}\
                 <input type=\"hidden\" name=\"kind\" value=\"{}\"><input type=\"hidden\" name=\"id\" value=\"{}\">\
                 <input type=\"hidden\" name=\"field\" value=\"{}\">\
                 <button type=\"submit\" id=\"redact-{}-{}\">{}</button></form>",
                csrf_input(&v.csrf),
                s.source.as_str(),
                s.id,
                s.field,
                s.id,
                s.field,
                t(lang, "scan.redact"),
            )
        } else {
            format!("<span class=\"muted\">{}</span>", t(lang, "scan.signed"))
        };
        let _ = write!(
            out,
            "<tr data-id=\"{}\" data-field=\"{}\"><td>{place}</td><td>{}</td><td class=\"marked\">{}</td><td><ul>{}</ul></td><td>{action}</td></tr>",
            s.id,
            s.field,
            esc(t(lang, &format!("scan.field.{}", s.field))),
            marked(&s.text, &f.findings),
            finding_items(lang, &f.findings),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// `POST /review/screen/redact` (`kind`, `id`, `field`): replaces what
/// the screen finds in that field with placeholders, as a server change
/// that the phones pull; audited.
pub async fn redact(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let kind = RecordKind::parse(form.text("kind")).map_err(|_| WebError::NotFound(v.lang))?;
    let id = uuid::Uuid::parse_str(form.text("id")).map_err(|_| WebError::NotFound(v.lang))?;
    let field = form.text("field").to_owned();
    let viewer = v.clone();
    let done = state
        .db
        .call(move |c| {
            let by = Redactor {
                user: Some(viewer.id),
                username: &viewer.username,
                units: viewer.filter(),
                lang: viewer.lang.code(),
            };
            screen_scan::redact_field(c, kind, id, &field, &by, now())
        })
        .await;
    match done {
        Ok(_) => Ok(Redirect::to("/review/screen?msg=redacted").into_response()),
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(ApiError::Conflict { .. }) => {
            Ok(Redirect::to("/review/screen?msg=nothing").into_response())
        }
        Err(e) => Err(v.fail(e)),
    }
}
