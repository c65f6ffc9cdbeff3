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
use crate::web::html::{Form, csrf_input, esc, options};
use crate::web::i18n::{Lang, t, vocab};
use crate::web::{Viewer, WebError, layout};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use feltlogg_core::Role;
use feltlogg_core::feedback::Question;
use feltlogg_core::time::now_ms;
use feltlogg_export::chart::{self as charts, Bar};
use std::fmt::Write as _;

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

fn period_form(lang: Lang, f: &Form, label: &str, units: &[Unit]) -> String {
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
    format!(
        "<form method=\"get\" action=\"/feedback\" class=\"stack\"><fieldset><legend>{}</legend>\
         <label for=\"f-kind\">{}</label><select id=\"f-kind\" name=\"kind\">{}</select>\
         <label for=\"f-year\">{}</label><input id=\"f-year\" name=\"year\" type=\"number\" min=\"2000\" max=\"9998\" value=\"{}\">\
         <label for=\"f-quarter\">{}</label><select id=\"f-quarter\" name=\"quarter\">{}</select>\
         <label for=\"f-unit\">{}</label><select id=\"f-unit\" name=\"unit\">{}</select></fieldset>\
         <p><button type=\"submit\" id=\"show\">{}</button></p></form>",
        t(lang, "feedback.kind"),
        t(lang, "feedback.kind"),
        options(kinds, kind),
        t(lang, "feedback.kind.year"),
        esc(year),
        t(lang, "feedback.kind.quarter"),
        options(quarters, quarter),
        t(lang, "feedback.unit"),
        options(
            unit_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            f.text("unit")
        ),
        t(lang, "feedback.show"),
    )
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
    let mut body = format!(
        "<p>{}</p><p><a href=\"/feedback/cards\" id=\"cards-link\">{}</a></p>{}",
        esc(&t(lang, "feedback.intro").replace("{m}", &m)),
        t(lang, "feedback.cards_link"),
        period_form(lang, &form, &label, &mine),
    );
    let status = match problem {
        Some(PeriodProblem::NotEnded) => {
            body.push_str(&layout::notice(t(lang, "feedback.not_ended")));
            StatusCode::OK
        }
        Some(PeriodProblem::NotQuarterOrYear) => {
            body.push_str(&layout::error(t(lang, "feedback.bad_period")));
            StatusCode::BAD_REQUEST
        }
        None => {
            let _ = write!(body, "<h2>{}</h2>", esc(&label));
            if views.len() > 1 {
                body.push_str(&across_units(lang, &views));
            }
            for view in &views {
                body.push_str(&unit_section(lang, view, &m));
            }
            if !views.is_empty() {
                let _ = write!(
                    body,
                    "<p class=\"muted\">{}</p>",
                    esc(&t(lang, "feedback.dash").replace("{m}", &m))
                );
            }
            StatusCode::OK
        }
    };
    if v.is_admin() {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/admin/feedback-threshold\" class=\"stack\">{}\
             <label for=\"min-answers\">{}</label><input id=\"min-answers\" name=\"min_answers\" type=\"number\" min=\"5\" max=\"1000\" value=\"{m}\">\
             <p><button type=\"submit\" class=\"secondary\">{}</button></p></form>",
            csrf_input(&v.csrf),
            t(lang, "feedback.threshold"),
            t(lang, "feedback.threshold_save"),
        );
    }
    let page = layout::page(&v, "/feedback", t(lang, "feedback.title"), &body);
    Ok((status, page).into_response())
}

/// Across units (admins, or a lead of several): the overall mean of each
/// unit shown; a hidden unit gets no bar and no number. No total: a
/// hidden unit would be the total minus the others.
fn across_units(lang: Lang, views: &[UnitView]) -> String {
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
    format!(
        "<div class=\"charts\">{}</div>",
        charts::bars("chart-units", t(lang, "feedback.chart_units"), &bars)
    )
}

fn unit_section(lang: Lang, view: &UnitView, m: &str) -> String {
    let s = &view.summary;
    let id = view.unit.id;
    let mut out = format!(
        "<section id=\"unit-{id}\" class=\"feedback-unit\" aria-labelledby=\"unit-{id}-name\"><h3 id=\"unit-{id}-name\">{}</h3>",
        esc(&view.unit.name)
    );
    if !s.shown {
        let _ = write!(
            out,
            "<p class=\"hidden-unit\" data-hidden=\"true\">{}</p></section>",
            esc(&t(lang, "feedback.hidden").replace("{m}", m))
        );
        return out;
    }
    let _ = write!(
        out,
        "<p class=\"answers\" data-n=\"{}\">{}</p>",
        s.n,
        esc(&t(lang, "feedback.answers").replace("{n}", &s.n.to_string()))
    );
    out.push_str(&questions_table(lang, &s.questions, id));
    out.push_str(&ages_table(lang, s, id));
    out.push_str(&unit_charts(lang, s, id));
    out.push_str(&texts_block(lang, view.texts.as_deref()));
    out.push_str("</section>");
    out
}

fn questions_table(lang: Lang, qs: &[QuestionResult], id: feltlogg_core::ids::UnitId) -> String {
    let mut out = format!(
        "<table id=\"questions-{id}\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th>",
        t(lang, "feedback.question"),
        t(lang, "feedback.n"),
        t(lang, "feedback.mean"),
    );
    for step in 1..=5 {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{step}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for q in qs {
        let _ = write!(
            out,
            "<tr data-q=\"{}\"><th scope=\"row\">{}</th>",
            q.question.as_str(),
            question_label(lang, q.question)
        );
        if q.shown {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                q.n,
                decimal(lang, q.mean)
            );
            for d in q.dist {
                let _ = write!(out, "<td class=\"num\">{d}</td>");
            }
        } else {
            out.push_str(&"<td class=\"num\">–</td>".repeat(7));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn ages_table(lang: Lang, s: &Summary, id: feltlogg_core::ids::UnitId) -> String {
    let mut out = format!(
        "<table id=\"ages-{id}\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th>",
        t(lang, "feedback.age_caption"),
        t(lang, "feedback.age"),
        t(lang, "feedback.n"),
    );
    for q in &s.questions {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            question_label(lang, q.question)
        );
    }
    out.push_str("</tr></thead><tbody>");
    for (i, cell) in s.ages.iter().enumerate() {
        let n = if cell.shown {
            cell.n.to_string()
        } else {
            "–".to_owned()
        };
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{n}</td>",
            esc(&age_label(lang, cell))
        );
        for q in &s.questions {
            let text = q
                .by_age
                .get(i)
                .and_then(|c| c.mean.filter(|_| c.shown && c.n > 0))
                .map_or_else(|| "–".to_owned(), |x| decimal(lang, x));
            let _ = write!(out, "<td class=\"num\">{text}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn unit_charts(lang: Lang, s: &Summary, id: feltlogg_core::ids::UnitId) -> String {
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
    format!(
        "<div class=\"charts\">{}{}</div>",
        charts::bars(
            &format!("chart-means-{id}"),
            t(lang, "feedback.chart_means"),
            &means
        ),
        charts::bars(
            &format!("chart-overall-{id}"),
            t(lang, "feedback.chart_overall"),
            &grades
        ),
    )
}

fn texts_block(lang: Lang, texts: Option<&[String]>) -> String {
    let Some(texts) = texts else {
        return format!(
            "<p class=\"muted\">{}</p>",
            t(lang, "feedback.texts_lead_only")
        );
    };
    let mut out = format!("<h4>{}</h4>", t(lang, "feedback.texts"));
    if texts.is_empty() {
        let _ = write!(out, "<p>{}</p>", t(lang, "feedback.texts_none"));
        return out;
    }
    out.push_str("<ul class=\"free-texts\">");
    for text in texts {
        let _ = write!(out, "<li>{}</li>", esc(text));
    }
    out.push_str("</ul>");
    out
}
