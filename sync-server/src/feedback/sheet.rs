//! The export workbook's sheet `Tilbakemeldinger`: per unit in the
//! export's scope and per whole quarter (and year) of the export period
//! that has ended, the answers, and per question its count, mean and
//! distribution, under the same rules as the dashboard
//! ([`super::results`]). Free text is never exported; nor is the age
//! breakdown (small groups are what the export must not carry).

use super::load;
use super::results::Summary;
use crate::db::units::{self, Unit};
use crate::error::ApiError;
use crate::export::{Period, Scope};
use feltlogg_core::feedback::Question;
use jiff::civil::Date;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

/// The sheet's name.
pub const SHEET_NAME: &str = "Tilbakemeldinger";

/// The questions' headers in bokmål, in `Question::ALL` order.
const QUESTION_HEADERS: [&str; 5] = [
    "Lett å ta kontakt",
    "Ble hørt",
    "Fikk hjelp, eller vite hvor",
    "Stoler på at det blir hos oss",
    "Alt i alt",
];

/// What the sheet holds: one row per unit and period.
#[derive(Clone, Debug)]
pub struct FeedbackSheet {
    /// The threshold applied.
    pub threshold: u64,
    /// (unit, period label, summary), units by name, periods in order.
    pub rows: Vec<(Unit, String, Summary)>,
}

/// The whole quarters (and the year, for a year) inside `period` that have
/// ended on `today`.
pub fn periods_within(period: &Period, today: Date) -> Result<Vec<Period>, ApiError> {
    let bad = |e: feltlogg_export::Error| ApiError::Internal(e.to_string());
    let mut out = Vec::new();
    for year in period.first_day.year()..=period.last_day.year() {
        for q in 1..=4 {
            let p = Period::parse(&format!("{year}-Q{q}")).map_err(bad)?;
            if p.first_day >= period.first_day
                && p.last_day <= period.last_day
                && load::check_period(&p, today).is_ok()
            {
                out.push(p);
            }
        }
    }
    if period.label.len() == 4 && load::check_period(period, today).is_ok() {
        out.push(period.clone());
    }
    Ok(out)
}

/// Reads the sheet for `period` and the units of `scope`.
///
/// # Errors
/// [`ApiError::Internal`] when the database fails.
pub fn for_export(
    conn: &rusqlite::Connection,
    period: &Period,
    scope: &Scope,
    today: Date,
) -> Result<FeedbackSheet, ApiError> {
    let threshold = super::min_answers(conn)?;
    let periods = periods_within(period, today)?;
    let mut rows = Vec::new();
    for unit in units::list(conn)?
        .into_iter()
        .filter(|u| scope.includes(u.id))
    {
        for p in &periods {
            let s = load::summary(conn, unit.id, p, threshold)?;
            rows.push((unit.clone(), p.label.clone(), s));
        }
    }
    Ok(FeedbackSheet { threshold, rows })
}

impl FeedbackSheet {
    /// Adds the sheet to `wb`: hidden values are the text `<T`.
    ///
    /// # Errors
    /// The writer's (it writes to memory only).
    pub fn write(&self, wb: &mut Workbook) -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_NAME)?;
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_bold().set_text_wrap();
        let dec = Format::new().set_num_format("0.0");
        let right = Format::new().set_align(FormatAlign::Right);
        let hidden = format!("<{}", self.threshold);
        let mut headers = vec!["Enhet".to_owned(), "Periode".to_owned(), "Svar".to_owned()];
        for h in QUESTION_HEADERS {
            headers.push(format!("{h}: svar"));
            headers.push(format!("{h}: snitt"));
            headers.extend((1..=5).map(|s| format!("{h}: {s}")));
        }
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, col(c), h, &wrap)?;
        }
        let mut r = 1u32;
        for (unit, label, s) in &self.rows {
            ws.write_string(r, 0, &unit.name)?;
            ws.write_string(r, 1, label)?;
            if !s.shown {
                ws.write_string_with_format(r, 2, &hidden, &right)?;
                r += 1;
                continue;
            }
            ws.write_number(r, 2, s.n as f64)?;
            for q in Question::ALL {
                let at = 3 + q.index() * 7;
                let res = &s.questions[q.index()];
                if !res.shown {
                    ws.write_string_with_format(r, col(at), &hidden, &right)?;
                    continue;
                }
                ws.write_number(r, col(at), res.n as f64)?;
                ws.write_number_with_format(r, col(at + 1), res.mean, &dec)?;
                for (i, d) in res.dist.iter().enumerate() {
                    ws.write_number(r, col(at + 2 + i), *d as f64)?;
                }
            }
            r += 1;
        }
        let note = format!(
            "Ingenting vises for en enhet og periode med færre enn {t} svar, og ingen spørsmål med færre enn {t} svar. Bare hele kvartal og år som er over. Fritekst eksporteres aldri.",
            t = self.threshold
        );
        ws.write_string_with_format(r + 1, 0, &note, &bold)?;
        ws.set_column_width(0, 30)?;
        ws.set_row_height(0, 45)?;
        ws.set_freeze_panes(1, 2)?;
        Ok(())
    }
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}
