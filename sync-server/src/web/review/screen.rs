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
use crate::web::html::{Form, csrf_input};
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::record::RecordKind;
use feltlogg_core::screen::{Finding, Span};
use feltlogg_core::time::now_ms;
use maud::{Markup, html};
use std::collections::HashMap;

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
pub(crate) fn marked(text: &str, findings: &[Finding]) -> Markup {
    let spans: Vec<Span> = findings.iter().map(Span::from).collect();
    marked_spans(text, &spans, &[], Lang::Nb)
}

/// `text` escaped with each of `spans` in `<mark>`; a span a worker
/// `confirmed` as "not a person" is marked `confirmed` and followed by
/// those words, so the mark does not rest on colour alone.
pub(super) fn marked_spans(text: &str, spans: &[Span], confirmed: &[Span], lang: Lang) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut parts = Vec::new();
    let mut at = 0;
    for f in spans {
        let (start, end) = (f.start.clamp(at, chars.len()), f.end.min(chars.len()));
        if start >= end {
            continue;
        }
        parts.push((piece(at, start), piece(start, end), confirmed.contains(f)));
        at = end;
    }
    let rest = piece(at.min(chars.len()), chars.len());
    html! {
        @for (before, word, is_confirmed) in &parts {
            (before)
            @if *is_confirmed {
                mark.confirmed { (word) } " " small.tag { "(" (t(lang, "confirmed.tag")) ")" }
            } @else {
                mark { (word) }
            }
        }
        (rest)
    }
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
) -> Option<Markup> {
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
fn finding_items(lang: Lang, findings: &[Finding]) -> Markup {
    html! {
        @for f in findings {
            @let what = t(lang, &format!("finding.{}", kind_name(f.kind)));
            @let at = t(lang, "screen.at")
                .replace("{a}", &(f.start + 1).to_string())
                .replace("{b}", &f.end.to_string());
            li { (what) " (" (at) ")" }
        }
    }
}

/// The return form's textarea, with the flagged block and the fix button
/// before it when the screen found something.
pub(super) fn return_field(lang: Lang, draft: Option<&ReturnDraft>) -> Markup {
    let Some(d) = draft.filter(|d| !d.findings.is_empty()) else {
        let text = draft.map(|d| d.comment.as_str()).unwrap_or_default();
        return html! {
            @if draft.is_some_and(|d| d.fixed) {
                (layout::notice(t(lang, "screen.fixed")))
            }
            label for="comment" { (t(lang, "shift.comment")) }
            textarea id="comment" name="comment" maxlength=(crate::review::decide::MAX_COMMENT_CHARS) { (text) }
        };
    };
    html! {
        div.found #comment-found {
            p { (t(lang, "screen.comment_found")) }
            p.marked #comment-marked { (marked(&d.comment, &d.findings)) }
            ul { (finding_items(lang, &d.findings)) }
            p {
                button type="submit" name="fix" value="redact" id="comment-fix" class="secondary" {
                    (t(lang, "screen.fix"))
                }
            }
        }
        label for="comment" { (t(lang, "shift.comment")) }
        textarea id="comment" name="comment" maxlength=(crate::review::decide::MAX_COMMENT_CHARS) aria-describedby="comment-found" aria-invalid="true" {
            (d.comment)
        }
    }
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
    let notice = match q.get("msg").map(String::as_str) {
        Some("redacted") => Some("scan.redacted"),
        Some("nothing") => Some("scan.nothing"),
        Some("word_added") => Some("confirmed.added"),
        _ => None,
    };
    let body = html! {
        @if let Some(key) = notice { (layout::notice(t(lang, key))) }
        (confirmed_section(&v, &flagged))
        h2 { (t(lang, "scan.title")) }
        p { (t(lang, "scan.intro")) }
        @if flagged.is_empty() {
            p #scan-empty { (t(lang, "scan.empty")) }
        } @else {
            p { (t(lang, "scan.count").replace("{n}", &flagged.len().to_string())) }
            (scan_table(&v, &flagged[..flagged.len().min(SCAN_LIMIT)]))
        }
    };
    Ok(layout::page(
        &v,
        "/review/screen",
        t(lang, "scan.title"),
        body,
    ))
}

fn spans(findings: &[Finding]) -> Vec<Span> {
    findings.iter().map(Span::from).collect()
}

/// Where a flagged text lives, as a link to its shift when it has one.
fn place(lang: Lang, f: &Flagged) -> Markup {
    let s = &f.stored;
    let source = t(lang, &format!("scan.source.{}", s.source.as_str()));
    html! {
        @match s.shift_id {
            Some(shift) => a href={ "/shifts/" (shift) } { (source) },
            None => (source),
        }
    }
}

/// A table's header row from text keys.
fn head_row(lang: Lang, keys: &[&str]) -> Markup {
    html! { thead { tr { @for h in keys { th scope="col" { (t(lang, h)) } } } } }
}

/// The names workers confirmed as "not a person", one row per span, each
/// with the one-click "add to the unit's words" and the redact button.
fn confirmed_section(v: &Viewer, flagged: &[Flagged]) -> Markup {
    let lang = v.lang;
    let rows: Vec<(&Flagged, Span)> = flagged
        .iter()
        .flat_map(|f| f.confirmed.iter().map(move |s| (f, *s)))
        .take(SCAN_LIMIT)
        .collect();
    let heads = [
        "scan.where",
        "scan.field",
        "scan.text",
        "confirmed.word",
        "scan.action",
    ];
    html! {
        h2 #confirmed { (t(lang, "confirmed.title")) }
        p { (t(lang, "confirmed.intro")) }
        @if rows.is_empty() {
            p #confirmed-empty { (t(lang, "confirmed.none")) }
        } @else {
            table #confirmed-table {
                (head_row(lang, &heads))
                tbody { @for (f, span) in rows { (confirmed_row(v, f, span)) } }
            }
        }
    }
}

/// One confirmed name: where, the text marked, the word, its buttons.
fn confirmed_row(v: &Viewer, f: &Flagged, span: Span) -> Markup {
    let lang = v.lang;
    let s = &f.stored;
    let word: String = s
        .text
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect();
    html! {
        tr data-id=(s.id) data-field=(s.field) {
            td { (place(lang, f)) }
            td { (t(lang, &format!("scan.field.{}", s.field))) }
            td.marked { (marked_spans(&s.text, &[span], &[span], lang)) }
            td { (word) }
            td {
                form method="post" action="/review/screen/add-word" class="inline" {
                    (csrf_input(&v.csrf))
                    (record_inputs(f))
                    input type="hidden" name="start" value=(span.start);
                    input type="hidden" name="end" value=(span.end);
                    button type="submit" id={ "add-word-" (s.id) "-" (s.field) "-" (span.start) } {
                        (t(lang, "confirmed.add").replace("{w}", &word))
                    }
                }
                " "
                (redact_form(v, f, "redact-confirmed"))
            }
        }
    }
}

/// The hidden inputs naming a flagged record's field.
fn record_inputs(f: &Flagged) -> Markup {
    let s = &f.stored;
    html! {
        input type="hidden" name="kind" value=(s.source.as_str());
        input type="hidden" name="id" value=(s.id);
        input type="hidden" name="field" value=(s.field);
    }
}

/// The redact button of a flagged record field (`id` prefix `prefix`).
fn redact_form(v: &Viewer, f: &Flagged, prefix: &str) -> Markup {
    let s = &f.stored;
    html! {
        form method="post" action="/review/screen/redact" class="inline" {
            (csrf_input(&v.csrf))
            (record_inputs(f))
            button type="submit" class="secondary" id={ (prefix) "-" (s.id) "-" (s.field) } {
                (t(v.lang, "scan.redact"))
            }
        }
    }
}

fn scan_table(v: &Viewer, flagged: &[Flagged]) -> Markup {
    let lang = v.lang;
    let heads = [
        "scan.where",
        "scan.field",
        "scan.text",
        "scan.found",
        "scan.action",
    ];
    html! {
        table #scan-table {
            (head_row(lang, &heads))
            tbody {
                @for f in flagged {
                    @let s = &f.stored;
                    tr data-id=(s.id) data-field=(s.field) {
                        td { (place(lang, f)) }
                        td { (t(lang, &format!("scan.field.{}", s.field))) }
                        td.marked { (marked_spans(&s.text, &spans(&f.findings), &f.confirmed, lang)) }
                        td { ul { (finding_items(lang, &f.findings)) } }
                        td {
                            @if f.redactable() {
                                (redact_form(v, f, "redact"))
                            } @else {
                                span.muted { (t(lang, "scan.signed")) }
                            }
                        }
                    }
                }
            }
        }
    }
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
