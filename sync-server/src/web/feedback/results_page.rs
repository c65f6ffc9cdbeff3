//! `GET /feedback`: per unit and period (a whole quarter or year that has
//! ended), the number of answers, per question its count, mean and
//! distribution, and a breakdown by age, all under the rules of
//! `feedback::results`; charts drawn as on the key-figures page. Free text
//! only for the unit's own team lead.

use crate::AppState;
use crate::db::units::{self, Unit};
use crate::error::ApiError;
use crate::export::Period;
use crate::feedback::load::{self, PeriodProblem};
use crate::feedback::results::{Cell, QuestionResult, Summary};
use crate::feedback::{self, day_of};
use crate::web::figures::charts::bars as chart;
use crate::web::html::{Form, csrf_input, options};
use crate::web::i18n::{Lang, t, vocab};
use crate::web::{Viewer, WebError, layout};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use feltlogg_core::Role;
use feltlogg_core::feedback::Question;
use feltlogg_core::time::now_ms;
use feltlogg_export::chart::Bar;
use maud::{Markup, html};

/// A unit's part of the page.
struct UnitView {
    unit: Unit,
    summary: Summary,
    /// `Some` only for the unit's own team lead.
    texts: Option<Vec<String>>,
}

fn question_label(lang: Lang, q: Question) -> &'static str {
    t(lang, &format!("feedback.q.{}", q.as_str()))
}

fn decimal(lang: Lang, x: f64) -> String {
    let s = format!("{x:.1}");
    if lang == Lang::Nb {
        s.replace('.', ",")
    } else {
        s
    }
}

fn age_label(lang: Lang, c: &Cell) -> String {
    match c.group {
        Some(g) => vocab(lang, crate::export::labels::age(g)).to_owned(),
        None => t(lang, "feedback.age_none").to_owned(),
    }
}

/// The period the query names (default: the last quarter that ended).
fn period_text(f: &Form, today: jiff::civil::Date) -> String {
    match f.text("kind") {
        "year" => f.text("year").to_owned(),
        "quarter" => format!("{}-Q{}", f.text("year"), f.text("quarter")),
        _ => load::last_ended_quarter(today),
    }
}

fn period_form(lang: Lang, f: &Form, label: &str, units: &[Unit]) -> Markup {
    let (year, quarter) = label.split_once("-Q").unwrap_or((label, "1"));
    let kind = if label.contains("-Q") {
        "quarter"
    } else {
        "year"
    };
    let kinds = [
        ("quarter", t(lang, "feedback.kind.quarter")),
        ("year", t(lang, "feedback.kind.year")),
    ];
    let quarters = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")];
    let mut unit_opts = vec![(String::new(), t(lang, "feedback.all_units").to_owned())];
    unit_opts.extend(units.iter().map(|u| (u.id.to_string(), u.name.clone())));
    html! {
        form method="get" action="/feedback" class="stack" {
            fieldset {
                legend { (t(lang, "feedback.kind")) }
                label for="f-kind" { (t(lang, "feedback.kind")) }
                select id="f-kind" name="kind" { (options(kinds, kind)) }
                label for="f-year" { (t(lang, "feedback.kind.year")) }
                input id="f-year" name="year" type="number" min="2000" max="9998" value=(year);
                label for="f-quarter" { (t(lang, "feedback.kind.quarter")) }
                select id="f-quarter" name="quarter" { (options(quarters, quarter)) }
                label for="f-unit" { (t(lang, "feedback.unit")) }
                select id="f-unit" name="unit" {
                    (options(unit_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())), f.text("unit")))
                }
            }
            p { button type="submit" id="show" { (t(lang, "feedback.show")) } }
        }
    }
}

/// What the page shows: the viewer's units, the threshold, the period's
/// label, why it cannot be shown (if so), and each unit's part.
type Loaded = (Vec<Unit>, u64, String, Option<PeriodProblem>, Vec<UnitView>);

/// Reads the viewer's units (`only` one of them, if given) for the period
/// `text`; free text only for a unit's own team lead.
fn load_views(
    c: &rusqlite::Connection,
    v: &Viewer,
    only: &str,
    text: &str,
    today: jiff::civil::Date,
) -> Result<Loaded, ApiError> {
    let mine: Vec<Unit> = units::list(c)?
        .into_iter()
        .filter(|u| v.may_see(u.id))
        .collect();
    let threshold = feedback::min_answers(c)?;
    let period = Period::parse(text).ok();
    let problem = match &period {
        Some(p) => load::check_period(p, today).err(),
        None => Some(PeriodProblem::NotQuarterOrYear),
    };
    let mut views = Vec::new();
    if let (Some(p), None) = (&period, problem) {
        for u in mine
            .iter()
            .filter(|u| only.is_empty() || u.id.to_string() == only)
        {
            let summary = load::summary(c, u.id, p, threshold)?;
            let own_lead = v.role == Role::TeamLead && v.units.contains(&u.id);
            let texts = own_lead
                .then(|| load::texts(c, u.id, p, &summary))
                .transpose()?;
            views.push(UnitView {
                unit: u.clone(),
                summary,
                texts,
            });
        }
    }
    let label = period.map_or_else(|| text.to_owned(), |p| p.label);
    Ok((mine, threshold, label, problem, views))
}

/// `GET /feedback?kind=quarter|year&year=…&quarter=…&unit=…`.
#[tracing::instrument(skip_all)]
pub async fn results(
    State(state): State<AppState>,
    v: Viewer,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    let form = Form::parse(uri.query().unwrap_or("").as_bytes());
    let lang = v.lang;
    let today = day_of(now_ms()).map_err(|e| v.fail(e))?;
    let text = period_text(&form, today);
    let (viewer, only) = (v.clone(), form.text("unit").to_owned());
    let loaded = state
        .db
        .read(move |c| load_views(c, &viewer, &only, &text, today))
        .await
        .map_err(|e| v.fail(e))?;
    let (mine, threshold, label, problem, views) = loaded;
    let m = threshold.to_string();
    let status = match problem {
        Some(PeriodProblem::NotQuarterOrYear) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = html! {
        p { (t(lang, "feedback.intro").replace("{m}", &m)) }
        p { a href="/feedback/cards" id="cards-link" { (t(lang, "feedback.cards_link")) } }
        (period_form(lang, &form, &label, &mine))
        @match problem {
            Some(PeriodProblem::NotEnded) => (layout::notice(t(lang, "feedback.not_ended"))),
            Some(PeriodProblem::NotQuarterOrYear) => (layout::error(t(lang, "feedback.bad_period"))),
            None => {
                h2 { (label) }
                @if views.len() > 1 { (across_units(lang, &views)) }
                @for view in &views { (unit_section(lang, view, &m)) }
                @if !views.is_empty() {
                    p.muted { (t(lang, "feedback.dash").replace("{m}", &m)) }
                }
            }
        }
        @if v.is_admin() {
            form method="post" action="/admin/feedback-threshold" class="stack" {
                (csrf_input(&v.csrf))
                label for="min-answers" { (t(lang, "feedback.threshold")) }
                input id="min-answers" name="min_answers" type="number" min="5" max="1000" value=(m);
                p { button type="submit" class="secondary" { (t(lang, "feedback.threshold_save")) } }
            }
        }
    };
    let page = layout::page(&v, "/feedback", t(lang, "feedback.title"), body);
    Ok((status, page).into_response())
}

/// Across units (admins, or a lead of several): the overall mean of each
/// unit shown; a hidden unit gets no bar and no number. No total: a
/// hidden unit would be the total minus the others.
fn across_units(lang: Lang, views: &[UnitView]) -> Markup {
    let bars: Vec<Bar> = views
        .iter()
        .map(|v| {
            let q = &v.summary.questions[Question::Overall.index()];
            Bar {
                label: v.unit.name.clone(),
                value: q.shown.then_some(q.mean),
                text: if q.shown {
                    decimal(lang, q.mean)
                } else {
                    "–".to_owned()
                },
            }
        })
        .collect();
    html! { div.charts { (chart("chart-units", t(lang, "feedback.chart_units"), &bars)) } }
}

fn unit_section(lang: Lang, view: &UnitView, m: &str) -> Markup {
    let s = &view.summary;
    let id = view.unit.id;
    html! {
        section id={ "unit-" (id) } class="feedback-unit" aria-labelledby={ "unit-" (id) "-name" } {
            h3 id={ "unit-" (id) "-name" } { (view.unit.name) }
            @if !s.shown {
                p.hidden-unit data-hidden="true" { (t(lang, "feedback.hidden").replace("{m}", m)) }
            } @else {
                p.answers data-n=(s.n) { (t(lang, "feedback.answers").replace("{n}", &s.n.to_string())) }
                (questions_table(lang, &s.questions, id))
                (ages_table(lang, s, id))
                (unit_charts(lang, s, id))
                (texts_block(lang, view.texts.as_deref()))
            }
        }
    }
}

fn questions_table(lang: Lang, qs: &[QuestionResult], id: feltlogg_core::ids::UnitId) -> Markup {
    html! {
        table id={ "questions-" (id) } {
            thead { tr {
                th scope="col" { (t(lang, "feedback.question")) }
                th scope="col" class="num" { (t(lang, "feedback.n")) }
                th scope="col" class="num" { (t(lang, "feedback.mean")) }
                @for step in 1..=5 { th scope="col" class="num" { (step) } }
            } }
            tbody {
                @for q in qs {
                    tr data-q=(q.question.as_str()) {
                        th scope="row" { (question_label(lang, q.question)) }
                        @if q.shown {
                            td.num { (q.n) }
                            td.num { (decimal(lang, q.mean)) }
                            @for d in q.dist { td.num { (d) } }
                        } @else {
                            @for _ in 0..7 { td.num { "–" } }
                        }
                    }
                }
            }
        }
    }
}

fn ages_table(lang: Lang, s: &Summary, id: feltlogg_core::ids::UnitId) -> Markup {
    html! {
        table id={ "ages-" (id) } {
            caption { (t(lang, "feedback.age_caption")) }
            thead { tr {
                th scope="col" { (t(lang, "feedback.age")) }
                th scope="col" class="num" { (t(lang, "feedback.n")) }
                @for q in &s.questions { th scope="col" class="num" { (question_label(lang, q.question)) } }
            } }
            tbody {
                @for (i, cell) in s.ages.iter().enumerate() {
                    tr {
                        th scope="row" { (age_label(lang, cell)) }
                        td.num { @if cell.shown { (cell.n) } @else { "–" } }
                        @for q in &s.questions {
                            @let text = q
                                .by_age
                                .get(i)
                                .and_then(|c| c.mean.filter(|_| c.shown && c.n > 0))
                                .map_or_else(|| "–".to_owned(), |x| decimal(lang, x));
                            td.num { (text) }
                        }
                    }
                }
            }
        }
    }
}

fn unit_charts(lang: Lang, s: &Summary, id: feltlogg_core::ids::UnitId) -> Markup {
    let means: Vec<Bar> = s
        .questions
        .iter()
        .map(|q| Bar {
            label: question_label(lang, q.question).to_owned(),
            value: q.shown.then_some(q.mean),
            text: if q.shown {
                decimal(lang, q.mean)
            } else {
                "–".to_owned()
            },
        })
        .collect();
    let overall = &s.questions[Question::Overall.index()];
    let grades: Vec<Bar> = (0..5)
        .map(|i| Bar {
            label: (i + 1).to_string(),
            value: overall.shown.then_some(overall.dist[i] as f64),
            text: if overall.shown {
                overall.dist[i].to_string()
            } else {
                "–".to_owned()
            },
        })
        .collect();
    html! {
        div.charts {
            (chart(&format!("chart-means-{id}"), t(lang, "feedback.chart_means"), &means))
            (chart(&format!("chart-overall-{id}"), t(lang, "feedback.chart_overall"), &grades))
        }
    }
}

fn texts_block(lang: Lang, texts: Option<&[String]>) -> Markup {
    html! {
        @match texts {
            None => p.muted { (t(lang, "feedback.texts_lead_only")) },
            Some(texts) => {
                h4 { (t(lang, "feedback.texts")) }
                @if texts.is_empty() {
                    p { (t(lang, "feedback.texts_none")) }
                } @else {
                    ul.free-texts { @for text in texts { li { (text) } } }
                }
            }
        }
    }
}
