//! A shift's page: facts, workers, encounters, referrals, refused
//! changes, decisions, and the approve and return forms.

use super::screen::{ReturnDraft, confirmed_text, return_field};
use super::{ShiftView, load_shift, parse_shift};
use crate::AppState;
use crate::db::review;
use crate::export::labels::{self, Label};
use crate::web::html::{csrf_input, hours, time, time_opt};
use crate::web::i18n::{Lang, refusal_text, t, vocab};
use crate::web::{Viewer, WebError, layout};
use axum::extract::{Path, State};
use axum::response::Html;
use feltlogg_core::RefusalCode;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Encounter, NotAPerson, not_a_person_of};
use feltlogg_core::words::UnitPolicy;
use maud::{Markup, html};

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
) -> Markup {
    match confirmed_text(lang, text, field, confirmed, policy) {
        Some(marked) => {
            *seen = true;
            marked
        }
        None => html! { (text) },
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
    let hours = hours(
        field_ms(f, "started_ms"),
        field_ms(f, "closed_ms"),
        lang == Lang::Nb,
    );
    let body = html! {
        @if let Some(e) = error { (layout::error(e)) }
        dl.facts {
            dt { (t(lang, "col.status")) } dd #shift-status { (status_text) }
            dt { (t(lang, "col.unit")) } dd { (s.head.unit) }
            dt { (t(lang, "col.bydel")) } dd { (s.head.bydel_name) }
            dt { (t(lang, "shift.area")) } dd { (area) }
            dt { (t(lang, "col.closed")) } dd { (time_opt(field_ms(f, "closed_ms"))) }
            dt { (t(lang, "col.hours")) } dd { (hours) }
            dt { (t(lang, "shift.reflection")) } dd { (reflection) }
        }
        @if seen {
            p.notice #confirmed-legend {
                (t(lang, "confirmed.legend")) " "
                a href="/review/screen#confirmed" { (t(lang, "confirmed.title")) }
            }
        }
        (members_table(lang, &s.members))
        (encounters)
        (referrals)
        (refusals_table(lang, &s.refusals, false))
        (decisions_list(lang, &s.decisions))
        @if status == "closed" { (decide_forms(v, id, draft)) }
    };
    layout::page(v, &format!("/shifts/{id}"), &title, body)
}

/// A table's header row from text keys.
fn head_row(lang: Lang, keys: &[&str]) -> Markup {
    html! { thead { tr { @for h in keys { th scope="col" { (t(lang, h)) } } } } }
}

fn members_table(lang: Lang, members: &[review::MemberRow]) -> Markup {
    html! {
        h2 { (t(lang, "shift.members")) }
        table {
            (head_row(lang, &["col.name", "shift.checked_in", "shift.checked_out"]))
            tbody {
                @for m in members {
                    tr {
                        td { (m.name) }
                        td { (time_opt(m.checked_in_ms)) }
                        td { (time_opt(m.checked_out_ms)) }
                    }
                }
            }
        }
    }
}

/// Renders one free text: (text, field, the record's confirmations).
type TextCell<'a> = dyn FnMut(&str, &str, &[NotAPerson]) -> Markup + 'a;

fn encounters_table(lang: Lang, list: &[Encounter], text: &mut TextCell<'_>) -> Markup {
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
    let names = |v: Vec<Label>| {
        v.iter()
            .map(|l| vocab(lang, *l))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        h2 { (t(lang, "shift.encounters")) " (" (list.len()) ")" }
        @if list.is_empty() {
            p.warn { (t(lang, "shift.no_encounters")) }
        } @else {
            table {
                (head_row(lang, &heads))
                tbody {
                    @for e in list {
                        tr {
                            td { (time(e.at_ms)) }
                            td { (vocab(lang, labels::place(e.place_type))) }
                            td.num { (e.youth_count) }
                            td { (vocab(lang, labels::age(e.age_group))) }
                            td { (vocab(lang, labels::gender(e.gender))) }
                            td { (vocab(lang, labels::contact(e.contact_kind))) }
                            td { (names(e.topics.iter().map(|x| labels::topic(*x)).collect())) }
                            td { (names(e.actions.iter().map(|x| labels::action(*x)).collect())) }
                            td { (vocab(lang, labels::residence(e.residence))) }
                            td { (text(e.note.as_deref().unwrap_or(""), "note", &e.not_a_person)) }
                        }
                    }
                }
            }
        }
    }
}

fn referrals_table(lang: Lang, s: &ShiftView, text: &mut TextCell<'_>) -> Markup {
    let at = |encounter| {
        s.encounters
            .iter()
            .find(|e| e.id == encounter)
            .map(|e| time(e.at_ms))
            .unwrap_or_default()
    };
    html! {
        h2 { (t(lang, "shift.referrals")) " (" (s.referrals.len()) ")" }
        @if s.referrals.is_empty() {
            p { (t(lang, "shift.no_referrals")) }
        } @else {
            table {
                (head_row(lang, &["col.when", "shift.service", "col.status", "shift.note"]))
                tbody {
                    @for r in &s.referrals {
                        tr {
                            td { (at(r.encounter_id)) }
                            td { (vocab(lang, labels::service(r.service))) }
                            td { (vocab(lang, labels::referral_status(r.status))) }
                            td { (text(r.note.as_deref().unwrap_or(""), "note", &r.not_a_person)) }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn refusals_table(lang: Lang, list: &[review::RefusalRow], with_shift: bool) -> Markup {
    let mut heads = vec!["col.when", "col.unit", "col.device", "col.kind"];
    if with_shift {
        heads.push("col.shift");
    }
    heads.extend(["col.code", "col.reason"]);
    html! {
        @if !with_shift { h2 { (t(lang, "shift.refusals")) } }
        @if list.is_empty() {
            p { (t(lang, "shift.no_refusals")) }
        } @else {
            table {
                (head_row(lang, &heads))
                tbody {
                    @for r in list {
                        tr {
                            td { (time(r.at_ms)) }
                            td { (r.unit) }
                            td { (r.device) }
                            td { (r.kind) }
                            @if with_shift {
                                td {
                                    @match &r.shift_id {
                                        Some(s) => a href={ "/shifts/" (s) } { (s) },
                                        None => "–",
                                    }
                                }
                            }
                            td { (r.code) }
                            td { (reason_cell(lang, r)) }
                        }
                    }
                }
            }
        }
    }
}

/// The refusal in the lead's language by its code, the server's own
/// (English) words beneath; just those words for a code it does not know.
fn reason_cell(lang: Lang, r: &review::RefusalRow) -> Markup {
    html! {
        @match refusal_text(lang, RefusalCode::from_wire(&r.code)) {
            Some(text) => { (text) br; span.muted { (r.reason) } },
            None => (r.reason),
        }
    }
}

fn decisions_list(lang: Lang, list: &[review::DecisionRow]) -> Markup {
    html! {
        h2 { (t(lang, "shift.history")) }
        @if list.is_empty() {
            p { (t(lang, "shift.no_history")) }
        } @else {
            ul {
                @for d in list {
                    @let signed: Option<feltlogg_core::sync::SignedDecision> =
                        serde_json::from_str(&d.signed).ok();
                    @let (status, comment) = signed.map_or((String::new(), None), |s| {
                        (s.decision.status.as_str().to_owned(), s.decision.comment)
                    });
                    li {
                        (time(d.at_ms)) " – " (t(lang, &format!("status.{status}"))) " (" (d.by) ")"
                        @if let Some(c) = comment { ": «" (c) "»" }
                    }
                }
            }
        }
    }
}

fn decide_forms(v: &Viewer, id: ShiftId, draft: Option<&ReturnDraft>) -> Markup {
    let lang = v.lang;
    html! {
        h2 { (t(lang, "shift.decide")) }
        form method="post" action={ "/shifts/" (id) "/approve" } {
            (csrf_input(&v.csrf))
            p { button type="submit" id="approve" { (t(lang, "shift.approve")) } }
        }
        form method="post" action={ "/shifts/" (id) "/return" } class="stack" {
            (csrf_input(&v.csrf))
            (return_field(lang, draft))
            p { button type="submit" id="return" class="secondary" { (t(lang, "shift.return")) } }
        }
    }
}
