//! The team lead's review: the queue of closed shifts in their units,
//! a shift's page with everything logged in it, approve, return with a
//! required comment, bulk approve, and the refused changes.

use super::html::{Form, csrf_input, esc, hours, time, time_opt};
use super::i18n::{Lang, t, vocab};
use super::{Viewer, WebError, layout, now};
use crate::AppState;
use crate::db::audit;
use crate::db::review::{self, QueueRow};
use crate::decide::{Verdict, decide_shift};
use crate::error::ApiError;
use crate::export::labels;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::Encounter;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Most shifts listed in the queue at once.
const QUEUE_LIMIT: i64 = 500;
/// A shift longer than this gets a warning.
const LONG_SHIFT_MS: i64 = 12 * 3_600_000;

fn warnings(lang: Lang, row: &QueueRow) -> Vec<String> {
    let mut w = Vec::new();
    if let (Some(a), Some(b)) = (row.started_ms, row.closed_ms)
        && b - a > LONG_SHIFT_MS
    {
        w.push(t(lang, "warn.long").to_owned());
    }
    if row.encounters == 0 {
        w.push(t(lang, "warn.no_encounters").to_owned());
    }
    if row.refusals > 0 {
        w.push(t(lang, "warn.refused").replace("{n}", &row.refusals.to_string()));
    }
    if row.workers.split(", ").filter(|s| !s.is_empty()).count() < 2 {
        w.push(t(lang, "warn.one_worker").to_owned());
    }
    w
}

fn queue_notice(lang: Lang, q: &HashMap<String, String>) -> String {
    let mut out = String::new();
    match q.get("msg").map(String::as_str) {
        Some("approved") => out.push_str(&layout::notice(t(lang, "review.approved"))),
        Some("returned") => out.push_str(&layout::notice(t(lang, "review.returned"))),
        _ => {}
    }
    if let Some(n) = q.get("done").and_then(|n| n.parse::<u32>().ok()) {
        out.push_str(&layout::notice(
            &t(lang, "review.bulk_done").replace("{n}", &n.to_string()),
        ));
    }
    if let Some(n) = q
        .get("failed")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n > 0)
    {
        out.push_str(&layout::error(
            &t(lang, "review.bulk_failed").replace("{n}", &n.to_string()),
        ));
    }
    out
}

fn queue_row(lang: Lang, r: &QueueRow) -> String {
    let comma = lang == Lang::Nb;
    let started = time_opt(r.started_ms);
    let warns = warnings(lang, r);
    let warn_html = if warns.is_empty() {
        String::new()
    } else {
        format!("<span class=\"warn\">{}</span>", esc(&warns.join("; ")))
    };
    format!(
        "<tr><td><input type=\"checkbox\" name=\"shift\" value=\"{id}\" id=\"sel-{id}\" aria-label=\"{sel}\"></td>\
         <td><a href=\"/shifts/{id}\">{started}</a></td><td>{bydel}</td><td>{unit}</td><td>{workers}</td>\
         <td class=\"num\">{hours}</td><td class=\"num\">{enc}</td><td class=\"num\">{refs}</td><td>{warn_html}</td></tr>",
        id = r.id,
        sel = esc(&t(lang, "review.select_shift").replace("{t}", &started)),
        started = esc(&started),
        bydel = esc(&r.bydel_name),
        unit = esc(&r.unit),
        workers = esc(&r.workers),
        hours = hours(r.started_ms, r.closed_ms, comma),
        enc = r.encounters,
        refs = r.referrals,
    )
}

/// `GET /review`: closed shifts waiting for review, oldest first.
pub async fn queue(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    let rows = state
        .db
        .call(move |c| -> Result<_, ApiError> {
            Ok(review::queue(c, "closed", filter.as_deref(), QUEUE_LIMIT)?)
        })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = queue_notice(lang, &q);
    let _ = write!(body, "<p>{}</p>", t(lang, "review.intro"));
    if rows.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(lang, "review.empty"));
    } else {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/review/bulk-approve\">{}<table><caption>{}</caption><thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th>\
             <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            csrf_input(&v.csrf),
            t(lang, "review.title"),
            t(lang, "review.select"),
            t(lang, "col.started"),
            t(lang, "col.bydel"),
            t(lang, "col.unit"),
            t(lang, "col.workers"),
            t(lang, "col.hours"),
            t(lang, "col.encounters"),
            t(lang, "col.referrals"),
            t(lang, "col.warnings"),
        );
        for r in &rows {
            body.push_str(&queue_row(lang, r));
        }
        let _ = write!(
            body,
            "</tbody></table><p><button type=\"submit\" id=\"bulk-approve\">{}</button></p></form>",
            t(lang, "review.bulk")
        );
    }
    Ok(layout::page(&v, "/review", t(lang, "review.title"), &body))
}

fn parse_shift(v: &Viewer, id: &str) -> Result<ShiftId, WebError> {
    id.parse().map_err(|_| WebError::NotFound(v.lang))
}

/// Everything the shift page shows.
struct ShiftView {
    head: review::ShiftHead,
    members: Vec<review::MemberRow>,
    encounters: Vec<Encounter>,
    referrals: Vec<feltlogg_core::record::Referral>,
    refusals: Vec<review::RefusalRow>,
    decisions: Vec<review::DecisionRow>,
}

/// Loads a shift if the viewer may see it; `None` otherwise (404 either
/// way, so a shift of another unit is not revealed).
async fn load_shift(state: &AppState, v: &Viewer, id: ShiftId) -> Result<ShiftView, WebError> {
    let viewer = v.clone();
    let found = state
        .db
        .call(move |c| -> Result<_, ApiError> {
            let Some(head) = review::shift_head(c, id)? else {
                return Ok(None);
            };
            if !viewer.may_see(head.unit_id) {
                return Ok(None);
            }
            Ok(Some(ShiftView {
                members: review::members(c, id)?,
                encounters: review::encounters(c, id)?,
                referrals: review::referrals(c, id)?,
                refusals: review::refusals(c, Some(&[head.unit_id]), Some(id), 200)?,
                decisions: review::decisions(c, id)?,
                head,
            }))
        })
        .await
        .map_err(|e| v.fail(e))?;
    found.ok_or(WebError::NotFound(v.lang))
}

/// `GET /shifts/{id}`.
pub async fn shift_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = parse_shift(&v, &id)?;
    let view = load_shift(&state, &v, id).await?;
    Ok(render_shift(&v, id, &view, None))
}

fn field_str<'a>(f: &'a feltlogg_core::record::Fields, k: &str) -> &'a str {
    f.get(k).and_then(|v| v.as_str()).unwrap_or("")
}

fn field_ms(f: &feltlogg_core::record::Fields, k: &str) -> Option<i64> {
    f.get(k).and_then(serde_json::Value::as_i64)
}

fn render_shift(v: &Viewer, id: ShiftId, s: &ShiftView, error: Option<&str>) -> Html<String> {
    let lang = v.lang;
    let f = &s.head.fields;
    let status = field_str(f, "status");
    let started = time_opt(field_ms(f, "started_ms"));
    let title = t(lang, "shift.title").replace("{t}", &started);
    let mut body = error.map(layout::error).unwrap_or_default();
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
        esc(field_str(f, "area_note")),
        t(lang, "col.closed"),
        esc(&time_opt(field_ms(f, "closed_ms"))),
        t(lang, "col.hours"),
        hours(
            field_ms(f, "started_ms"),
            field_ms(f, "closed_ms"),
            lang == Lang::Nb
        ),
        t(lang, "shift.reflection"),
        esc(field_str(f, "reflection")),
    );
    body.push_str(&members_table(lang, &s.members));
    body.push_str(&encounters_table(lang, &s.encounters));
    body.push_str(&referrals_table(lang, s));
    body.push_str(&refusals_table(lang, &s.refusals, false));
    body.push_str(&decisions_list(lang, &s.decisions));
    if status == "closed" {
        body.push_str(&decide_forms(v, id));
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

fn encounters_table(lang: Lang, list: &[Encounter]) -> String {
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
            esc(e.note.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn referrals_table(lang: Lang, s: &ShiftView) -> String {
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
            esc(r.note.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn refusals_table(lang: Lang, list: &[review::RefusalRow], with_shift: bool) -> String {
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
            esc(&r.reason)
        );
    }
    out.push_str("</tbody></table>");
    out
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

fn decide_forms(v: &Viewer, id: ShiftId) -> String {
    let lang = v.lang;
    format!(
        "<h2>{}</h2><form method=\"post\" action=\"/shifts/{id}/approve\">{csrf}\
         <p><button type=\"submit\" id=\"approve\">{}</button></p></form>\
         <form method=\"post\" action=\"/shifts/{id}/return\" class=\"stack\">{csrf}\
         <label for=\"comment\">{}</label><textarea id=\"comment\" name=\"comment\" maxlength=\"1000\"></textarea>\
         <p><button type=\"submit\" id=\"return\" class=\"secondary\">{}</button></p></form>",
        t(lang, "shift.decide"),
        t(lang, "shift.approve"),
        t(lang, "shift.comment"),
        t(lang, "shift.return"),
        csrf = csrf_input(&v.csrf),
    )
}

/// Decides on one shift as the viewer, after checking that it is theirs,
/// and writes the audit entry.
fn decide_one(
    c: &mut rusqlite::Connection,
    state: &AppState,
    v: &Viewer,
    id: ShiftId,
    verdict: Verdict,
) -> Result<(), ApiError> {
    let unit = review::shift_unit(c, id)?;
    if !unit.is_some_and(|u| v.may_see(u)) {
        return Err(ApiError::NotFound(format!(
            "no shift with id {id} in your units"
        )));
    }
    let (action, detail) = match &verdict {
        Verdict::Approve => ("shift_approve", String::new()),
        Verdict::Return { comment } => ("shift_return", comment.trim().to_owned()),
    };
    let now = now();
    decide_shift(c, &state.server_key, id, verdict, v.id, now)?;
    audit::insert(
        c,
        now,
        Some(v.id),
        &v.username,
        action,
        &id.to_string(),
        &detail,
    )?;
    Ok(())
}

async fn decide(
    state: AppState,
    v: Viewer,
    id: String,
    body: Bytes,
    ret: bool,
) -> Result<Response, WebError> {
    let id = parse_shift(&v, &id)?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let comment = form.text("comment").to_owned();
    if ret && comment.is_empty() {
        let view = load_shift(&state, &v, id).await?;
        let page = render_shift(&v, id, &view, Some(t(v.lang, "shift.comment_required")));
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let verdict = if ret {
        Verdict::Return { comment }
    } else {
        Verdict::Approve
    };
    let (st, viewer) = (state.clone(), v.clone());
    let done = state
        .db
        .call(move |c| decide_one(c, &st, &viewer, id, verdict))
        .await;
    match done {
        Ok(()) => {
            let msg = if ret { "returned" } else { "approved" };
            Ok(Redirect::to(&format!("/review?msg={msg}")).into_response())
        }
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(ApiError::Conflict { .. }) => {
            let view = load_shift(&state, &v, id).await?;
            let page = render_shift(&v, id, &view, Some(t(v.lang, "shift.not_closed")));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(v.fail(e)),
    }
}

/// `POST /shifts/{id}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    decide(state, v, id, body, false).await
}

/// `POST /shifts/{id}/return` (with a required `comment`).
pub async fn return_shift(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    decide(state, v, id, body, true).await
}

/// `POST /review/bulk-approve`: approves every checked shift that is the
/// viewer's and closed; counts the rest as failed.
pub async fn bulk_approve(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let ids: Vec<Option<ShiftId>> = form.all("shift").iter().map(|s| s.parse().ok()).collect();
    let (st, viewer) = (state.clone(), v.clone());
    let (done, failed) = state
        .db
        .call(move |c| -> Result<(u32, u32), ApiError> {
            let (mut done, mut failed) = (0, 0);
            for id in ids {
                match id.map(|id| decide_one(c, &st, &viewer, id, Verdict::Approve)) {
                    Some(Ok(())) => done += 1,
                    Some(Err(ApiError::Internal(e))) => return Err(ApiError::Internal(e)),
                    _ => failed += 1,
                }
            }
            Ok((done, failed))
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(Redirect::to(&format!("/review?done={done}&failed={failed}")).into_response())
}

/// `GET /review/refusals`: refused changes in the viewer's units.
pub async fn refusals(State(state): State<AppState>, v: Viewer) -> Result<Html<String>, WebError> {
    let filter = v.filter().map(<[_]>::to_vec);
    let rows = state
        .db
        .call(move |c| -> Result<_, ApiError> {
            Ok(review::refusals(c, filter.as_deref(), None, 500)?)
        })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = format!("<p>{}</p>", t(lang, "refusals.intro"));
    if rows.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(lang, "refusals.empty"));
    } else {
        body.push_str(&refusals_table(lang, &rows, true));
    }
    Ok(layout::page(
        &v,
        "/review/refusals",
        t(lang, "refusals.title"),
        &body,
    ))
}
