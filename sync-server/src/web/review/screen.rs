//! The anonymity screen in the dashboard: a return comment the screen
//! flags comes back with the found spans highlighted and a one-tap
//! replace-with-placeholder button (the shift page's return form), and the
//! old-data scan (`/review/screen`) lists stored free text the current
//! screen flags in the viewer's units, each with a redact button.
//!
//! Names a worker confirmed as "not a person" are listed first, marked
//! with words (not colour alone), each with a one-click "add the word to
//! the unit's words" and the redact button.
//!
//! Server-rendered, no JavaScript (the CSP allows none): the fix button
//! posts the form and the server answers with the comment redacted. No
//! button lets flagged text through: sending re-screens it.

use crate::AppState;
use crate::error::ApiError;
use crate::review::screen_scan::{self, Flagged, Redactor, kind_name};
use crate::unit_words::{self, ConfirmedSpan, Editor};
use crate::web::html::{Form, csrf_input, esc};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::record::RecordKind;
use feltlogg_core::screen::{Finding, Span};
use feltlogg_core::time::now_ms;
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
    let spans: Vec<Span> = findings.iter().map(Span::from).collect();
    marked_spans(text, &spans, &[], Lang::Nb)
}

/// `text` escaped with each of `spans` in `<mark>`; a span a worker
/// `confirmed` as "not a person" is marked `confirmed` and followed by
/// those words, so the mark does not rest on colour alone.
pub(super) fn marked_spans(text: &str, spans: &[Span], confirmed: &[Span], lang: Lang) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for f in spans {
        let (start, end) = (f.start.clamp(at, chars.len()), f.end.min(chars.len()));
        if start >= end {
            continue;
        }
        out.push_str(&esc(&chars[at..start].iter().collect::<String>()));
        let word = esc(&chars[start..end].iter().collect::<String>());
        if confirmed.contains(f) {
            let _ = write!(
                out,
                "<mark class=\"confirmed\">{word}</mark> <small class=\"tag\">({})</small>",
                t(lang, "confirmed.tag")
            );
        } else {
            let _ = write!(out, "<mark>{word}</mark>");
        }
        at = end;
    }
    out.push_str(&esc(&chars[at.min(chars.len())..]
        .iter()
        .collect::<String>()));
    out
}

/// A record's free text for the shift page, escaped, with each name a
/// worker confirmed as "not a person" marked (as the unit's screen
/// `policy` finds it now); `None` when nothing in it is confirmed.
pub(super) fn confirmed_text(
    lang: Lang,
    text: &str,
    field: &str,
    not_a_person: &[feltlogg_core::record::NotAPerson],
    policy: &feltlogg_core::words::UnitPolicy,
) -> Option<String> {
    let confirmed = feltlogg_core::record::confirmed_in(not_a_person, field);
    if confirmed.is_empty() {
        return None;
    }
    let p = policy.policy();
    let found = feltlogg_core::screen::find_personal_data_with(text, p.allowed);
    let kept = feltlogg_core::screen::effective_confirmations(&found, &p, &confirmed);
    (!kept.is_empty()).then(|| marked_spans(text, &kept, &kept, lang))
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
#[tracing::instrument(skip_all)]
pub async fn scan_page(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    let flagged = state
        .db
        .read(move |c| screen_scan::scan(c, filter.as_deref()))
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = match q.get("msg").map(String::as_str) {
        Some("redacted") => layout::notice(t(lang, "scan.redacted")),
        Some("nothing") => layout::notice(t(lang, "scan.nothing")),
        Some("word_added") => layout::notice(t(lang, "confirmed.added")),
        _ => String::new(),
    };
    body.push_str(&confirmed_section(&v, &flagged));
    let _ = write!(body, "<h2>{}</h2>", t(lang, "scan.title"));
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

fn spans(findings: &[Finding]) -> Vec<Span> {
    findings.iter().map(Span::from).collect()
}

/// Where a flagged text lives, as a link to its shift when it has one.
fn place(lang: Lang, f: &Flagged) -> String {
    let s = &f.stored;
    let source = t(lang, &format!("scan.source.{}", s.source.as_str()));
    match s.shift_id {
        Some(shift) => format!("<a href=\"/shifts/{shift}\">{}</a>", esc(source)),
        None => esc(source),
    }
}

/// The names workers confirmed as "not a person", one row per span, each
/// with the one-click "add to the unit's words" and the redact button.
fn confirmed_section(v: &Viewer, flagged: &[Flagged]) -> String {
    let lang = v.lang;
    let mut out = format!(
        "<h2 id=\"confirmed\">{}</h2><p>{}</p>",
        t(lang, "confirmed.title"),
        t(lang, "confirmed.intro")
    );
    let rows: Vec<(&Flagged, Span)> = flagged
        .iter()
        .flat_map(|f| f.confirmed.iter().map(move |s| (f, *s)))
        .take(SCAN_LIMIT)
        .collect();
    if rows.is_empty() {
        let _ = write!(
            out,
            "<p id=\"confirmed-empty\">{}</p>",
            t(lang, "confirmed.none")
        );
        return out;
    }
    out.push_str("<table id=\"confirmed-table\"><thead><tr>");
    for h in [
        "scan.where",
        "scan.field",
        "scan.text",
        "confirmed.word",
        "scan.action",
    ] {
        let _ = write!(out, "<th scope=\"col\">{}</th>", t(lang, h));
    }
    out.push_str("</tr></thead><tbody>");
    for (f, span) in rows {
        let s = &f.stored;
        let word: String = s
            .text
            .chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect();
        let add = format!(
            "<form method=\"post\" action=\"/review/screen/add-word\" class=\"inline\">{}{}\
             <input type=\"hidden\" name=\"start\" value=\"{}\"><input type=\"hidden\" name=\"end\" value=\"{}\">\
             <button type=\"submit\" id=\"add-word-{}-{}-{}\">{}</button></form>",
            csrf_input(&v.csrf),
            record_inputs(f),
            span.start,
            span.end,
            s.id,
            s.field,
            span.start,
            esc(&t(lang, "confirmed.add").replace("{w}", &word)),
        );
        let _ = write!(
            out,
            "<tr data-id=\"{}\" data-field=\"{}\"><td>{}</td><td>{}</td><td class=\"marked\">{}</td><td>{}</td><td>{add} {}</td></tr>",
            s.id,
            s.field,
            place(lang, f),
            esc(t(lang, &format!("scan.field.{}", s.field))),
            marked_spans(&s.text, &[span], &[span], lang),
            esc(&word),
            redact_form(v, f, "redact-confirmed"),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The hidden inputs naming a flagged record's field.
fn record_inputs(f: &Flagged) -> String {
    let s = &f.stored;
    format!(
        "<input type=\"hidden\" name=\"kind\" value=\"{}\"><input type=\"hidden\" name=\"id\" value=\"{}\">\
         <input type=\"hidden\" name=\"field\" value=\"{}\">",
        s.source.as_str(),
        s.id,
        s.field,
    )
}

/// The redact button of a flagged record field (`id` prefix `prefix`).
fn redact_form(v: &Viewer, f: &Flagged, prefix: &str) -> String {
    let s = &f.stored;
    format!(
        "<form method=\"post\" action=\"/review/screen/redact\" class=\"inline\">{}{}\
         <button type=\"submit\" class=\"secondary\" id=\"{prefix}-{}-{}\">{}</button></form>",
        csrf_input(&v.csrf),
        record_inputs(f),
        s.id,
        s.field,
        t(v.lang, "scan.redact"),
    )
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
        let place = place(lang, f);
        let action = if f.redactable() {
            redact_form(v, f, "redact")
        } else {
            format!("<span class=\"muted\">{}</span>", t(lang, "scan.signed"))
        };
        let _ = write!(
            out,
            "<tr data-id=\"{}\" data-field=\"{}\"><td>{place}</td><td>{}</td><td class=\"marked\">{}</td><td><ul>{}</ul></td><td>{action}</td></tr>",
            s.id,
            s.field,
            esc(t(lang, &format!("scan.field.{}", s.field))),
            marked_spans(&s.text, &spans(&f.findings), &f.confirmed, lang),
            finding_items(lang, &f.findings),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// `POST /review/screen/redact` (`kind`, `id`, `field`): replaces what
/// the screen finds in that field with placeholders, as a server change
/// that the phones pull; audited.
#[tracing::instrument(skip_all)]
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
        .write(move |c| {
            let by = Redactor {
                user: Some(viewer.id),
                username: &viewer.username,
                units: viewer.filter(),
                lang: viewer.lang.code(),
            };
            screen_scan::redact_field(c, kind, id, &field, &by, now_ms())
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

/// `POST /review/screen/add-word` (`kind`, `id`, `field`, `start`, `end`):
/// the word a worker confirmed as "not a person" goes on its unit's
/// words in one click; audited.
#[tracing::instrument(skip_all)]
pub async fn add_word(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let not_found = || WebError::NotFound(v.lang);
    let kind = RecordKind::parse(form.text("kind")).map_err(|_| not_found())?;
    let id = uuid::Uuid::parse_str(form.text("id")).map_err(|_| not_found())?;
    let start = form.text("start").parse().map_err(|_| not_found())?;
    let end = form.text("end").parse().map_err(|_| not_found())?;
    let field = form.text("field").to_owned();
    let viewer = v.clone();
    let done = state
        .db
        .write(move |c| {
            let by = Editor {
                user: Some(viewer.id),
                username: &viewer.username,
                units: viewer.filter(),
            };
            let at = ConfirmedSpan {
                kind,
                id,
                field: &field,
                span: Span { start, end },
            };
            unit_words::add_confirmed(c, &at, &by, now_ms())
        })
        .await;
    match done {
        Ok(_) => Ok(Redirect::to("/review/screen?msg=word_added").into_response()),
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(ApiError::Invalid { .. }) => {
            Ok(Redirect::to("/review/screen?msg=nothing").into_response())
        }
        Err(e) => Err(v.fail(e)),
    }
}
