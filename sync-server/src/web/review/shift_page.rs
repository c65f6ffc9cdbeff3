//! A shift's page: facts, workers, encounters, referrals, refused
//! changes, decisions, and the approve and return forms.

use super::screen::{ReturnDraft, confirmed_text, return_field};
use super::{ShiftView, load_shift, parse_shift};
use crate::AppState;
use crate::db::review;
use crate::export::labels;
use crate::web::html::{csrf_input, esc, hours, time, time_opt};
use crate::web::i18n::{Lang, refusal_text, t, vocab};
use crate::web::{Viewer, WebError, layout};
use axum::extract::{Path, State};
use axum::response::Html;
use feltlogg_core::RefusalCode;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Encounter, NotAPerson, not_a_person_of};
use feltlogg_core::words::UnitPolicy;
use std::fmt::Write as _;

/// `GET /shifts/{id}`.
#[tracing::instrument(skip_all)]
pub async fn shift_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = parse_shift(&v, &id)?;
    let view = load_shift(&state, &v, id).await?;
    Ok(render_shift(&v, id, &view, None, None))
}

fn field_str<'a>(f: &'a feltlogg_core::record::Fields, k: &str) -> &'a str {
    f.get(k).and_then(|v| v.as_str()).unwrap_or("")
}

/// A free text escaped, its confirmed "not a person" names marked; `seen`
/// notes that the page needs the legend.
fn text_cell(
    lang: Lang,
    text: &str,
    field: &str,
    confirmed: &[NotAPerson],
    policy: &UnitPolicy,
    seen: &mut bool,
) -> String {
    match confirmed_text(lang, text, field, confirmed, policy) {
        Some(marked) => {
            *seen = true;
            marked
        }
        None => esc(text),
    }
}

fn field_ms(f: &feltlogg_core::record::Fields, k: &str) -> Option<i64> {
    f.get(k).and_then(serde_json::Value::as_i64)
}

pub(super) fn render_shift(
    v: &Viewer,
    id: ShiftId,
    s: &ShiftView,
    error: Option<&str>,
    draft: Option<&ReturnDraft>,
) -> Html<String> {
    let lang = v.lang;
    let f = &s.head.fields;
    let status = field_str(f, "status");
    let started = time_opt(field_ms(f, "started_ms"));
    let title = t(lang, "shift.title").replace("{t}", &started);
    let mut body = error.map(layout::error).unwrap_or_default();
    let confirmed = not_a_person_of(f);
    let mut seen = false;
    let mut text = |text: &str, field: &str, list: &[NotAPerson]| {
        text_cell(lang, text, field, list, &s.words, &mut seen)
    };
    let area = text(field_str(f, "area_note"), "area_note", &confirmed);
    let reflection = text(field_str(f, "reflection"), "reflection", &confirmed);
    let encounters = encounters_table(lang, &s.encounters, &mut text);
    let referrals = referrals_table(lang, s, &mut text);
    let status_text = match status {
        "open" | "closed" | "approved" | "returned" => t(lang, &format!("status.{status}")),
        _ => "–",
    };
    let _ = write!(
        body,
        "<dl class=\"facts\"><dt>{}</dt><dd id=\"shift-status\">{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        t(lang, "col.status"),
        esc(status_text),
        t(lang, "col.unit"),
        esc(&s.head.unit),
        t(lang, "col.bydel"),
        esc(&s.head.bydel_name),
        t(lang, "shift.area"),
        area,
        t(lang, "col.closed"),
        esc(&time_opt(field_ms(f, "closed_ms"))),
        t(lang, "col.hours"),
        hours(
            field_ms(f, "started_ms"),
            field_ms(f, "closed_ms"),
            lang == Lang::Nb
        ),
        t(lang, "shift.reflection"),
        reflection,
    );
    if seen {
        let _ = write!(
            body,
            "<p class=\"notice\" id=\"confirmed-legend\">{} <a href=\"/review/screen#confirmed\">{}</a></p>",
            t(lang, "confirmed.legend"),
            t(lang, "confirmed.title")
        );
    }
    body.push_str(&members_table(lang, &s.members));
    body.push_str(&encounters);
    body.push_str(&referrals);
    body.push_str(&refusals_table(lang, &s.refusals, false));
    body.push_str(&decisions_list(lang, &s.decisions));
    if status == "closed" {
        body.push_str(&decide_forms(v, id, draft));
    }
    layout::page(v, &format!("/shifts/{id}"), &title, &body)
}

fn members_table(lang: Lang, members: &[review::MemberRow]) -> String {
    let mut out = format!(
        "<h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "shift.members"),
        t(lang, "col.name"),
        t(lang, "shift.checked_in"),
        t(lang, "shift.checked_out")
    );
    for m in members {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.name),
            esc(&time_opt(m.checked_in_ms)),
            esc(&time_opt(m.checked_out_ms))
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// Renders one free text: (text, field, the record's confirmations).
type TextCell<'a> = dyn FnMut(&str, &str, &[NotAPerson]) -> String + 'a;

fn encounters_table(lang: Lang, list: &[Encounter], text: &mut TextCell<'_>) -> String {
    let mut out = format!("<h2>{} ({})</h2>", t(lang, "shift.encounters"), list.len());
    if list.is_empty() {
        let _ = write!(
            out,
            "<p class=\"warn\">{}</p>",
            t(lang, "shift.no_encounters")
        );
        return out;
    }
    let heads = [
        "col.when",
        "shift.place",
        "shift.youths",
        "shift.age",
        "shift.gender",
        "shift.contact",
        "shift.topics",
        "shift.did",
        "shift.residence",
        "shift.note",
    ];
    out.push_str("<table><thead><tr>");
    for h in heads {
        let _ = write!(out, "<th scope=\"col\">{}</th>", t(lang, h));
    }
    out.push_str("</tr></thead><tbody>");
    for e in list {
        let topics: Vec<&str> = e
            .topics
            .iter()
            .map(|x| vocab(lang, labels::topic(*x)))
            .collect();
        let actions: Vec<&str> = e
            .actions
            .iter()
            .map(|x| vocab(lang, labels::action(*x)))
            .collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&time(e.at_ms)),
            esc(vocab(lang, labels::place(e.place_type))),
            e.youth_count,
            esc(vocab(lang, labels::age(e.age_group))),
            esc(vocab(lang, labels::gender(e.gender))),
            esc(vocab(lang, labels::contact(e.contact_kind))),
            esc(&topics.join(", ")),
            esc(&actions.join(", ")),
            esc(vocab(lang, labels::residence(e.residence))),
            text(e.note.as_deref().unwrap_or(""), "note", &e.not_a_person),
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn referrals_table(lang: Lang, s: &ShiftView, text: &mut TextCell<'_>) -> String {
    let mut out = format!(
        "<h2>{} ({})</h2>",
        t(lang, "shift.referrals"),
        s.referrals.len()
    );
    if s.referrals.is_empty() {
        let _ = write!(out, "<p>{}</p>", t(lang, "shift.no_referrals"));
        return out;
    }
    let _ = write!(
        out,
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "col.when"),
        t(lang, "shift.service"),
        t(lang, "col.status"),
        t(lang, "shift.note")
    );
    for r in &s.referrals {
        let at = s
            .encounters
            .iter()
            .find(|e| e.id == r.encounter_id)
            .map(|e| time(e.at_ms));
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&at.unwrap_or_default()),
            esc(vocab(lang, labels::service(r.service))),
            esc(vocab(lang, labels::referral_status(r.status))),
            text(r.note.as_deref().unwrap_or(""), "note", &r.not_a_person)
        );
    }
    out.push_str("</tbody></table>");
    out
}

pub(super) fn refusals_table(lang: Lang, list: &[review::RefusalRow], with_shift: bool) -> String {
    let mut out = String::new();
    if !with_shift {
        let _ = write!(out, "<h2>{}</h2>", t(lang, "shift.refusals"));
    }
    if list.is_empty() {
        let _ = write!(out, "<p>{}</p>", t(lang, "shift.no_refusals"));
        return out;
    }
    out.push_str("<table><thead><tr>");
    let mut heads = vec!["col.when", "col.unit", "col.device", "col.kind"];
    if with_shift {
        heads.push("col.shift");
    }
    heads.extend(["col.code", "col.reason"]);
    for h in heads {
        let _ = write!(out, "<th scope=\"col\">{}</th>", t(lang, h));
    }
    out.push_str("</tr></thead><tbody>");
    for r in list {
        let shift = match (&r.shift_id, with_shift) {
            (Some(s), true) => format!("<td><a href=\"/shifts/{0}\">{0}</a></td>", esc(s)),
            (None, true) => "<td>–</td>".to_owned(),
            _ => String::new(),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{shift}<td>{}</td><td>{}</td></tr>",
            esc(&time(r.at_ms)),
            esc(&r.unit),
            esc(&r.device),
            esc(&r.kind),
            esc(&r.code),
            reason_cell(lang, r)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The refusal in the lead's language by its code, the server's own
/// (English) words beneath; just those words for a code it does not know.
fn reason_cell(lang: Lang, r: &review::RefusalRow) -> String {
    match refusal_text(lang, RefusalCode::from_wire(&r.code)) {
        Some(text) => format!(
            "{}<br><span class=\"muted\">{}</span>",
            esc(text),
            esc(&r.reason)
        ),
        None => esc(&r.reason),
    }
}

fn decisions_list(lang: Lang, list: &[review::DecisionRow]) -> String {
    let mut out = format!("<h2>{}</h2>", t(lang, "shift.history"));
    if list.is_empty() {
        let _ = write!(out, "<p>{}</p>", t(lang, "shift.no_history"));
        return out;
    }
    out.push_str("<ul>");
    for d in list {
        let signed: Option<feltlogg_core::sync::SignedDecision> =
            serde_json::from_str(&d.signed).ok();
        let (status, comment) = signed.map_or((String::new(), None), |s| {
            (s.decision.status.as_str().to_owned(), s.decision.comment)
        });
        let status = t(lang, &format!("status.{status}"));
        let comment = comment
            .map(|c| format!(": «{}»", esc(&c)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li>{} – {} ({}){comment}</li>",
            esc(&time(d.at_ms)),
            esc(status),
            esc(&d.by)
        );
    }
    out.push_str("</ul>");
    out
}

fn decide_forms(v: &Viewer, id: ShiftId, draft: Option<&ReturnDraft>) -> String {
    let lang = v.lang;
    format!(
        "<h2>{}</h2><form method=\"post\" action=\"/shifts/{id}/approve\">{csrf}\
         <p><button type=\"submit\" id=\"approve\">{}</button></p></form>\
         <form method=\"post\" action=\"/shifts/{id}/return\" class=\"stack\">{csrf}\
         {}<p><button type=\"submit\" id=\"return\" class=\"secondary\">{}</button></p></form>",
        t(lang, "shift.decide"),
        t(lang, "shift.approve"),
        return_field(lang, draft),
        t(lang, "shift.return"),
        csrf = csrf_input(&v.csrf),
    )
}
