//! The national workbook: sheet `Kommuner` (a row per municipality and
//! the national row), a sheet per municipality (its areas and its row),
//! and `Om` (period, small numbers, coverage, the files counted). Sheets
//! are written by the export's own writer.

use super::Report;
use feltlogg_export::table::{PubRow, Sheet};
use feltlogg_export::xlsx::write_sheet;
use feltlogg_export::{Error, Published};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn err(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

/// Both sheets of a published table side by side, as one sheet.
fn combined(p: &Published, name: &str) -> Sheet {
    let columns = p.sheets.iter().flat_map(|s| s.columns.clone()).collect();
    let rows = p.sheets.first().map_or(0, |s| s.rows.len());
    let rows = (0..rows)
        .filter_map(|r| {
            let first = p.sheets.first()?.rows.get(r)?;
            Some(PubRow {
                cells: p
                    .sheets
                    .iter()
                    .filter_map(|s| s.rows.get(r))
                    .flat_map(|row| row.cells.clone())
                    .collect(),
                ..first.clone()
            })
        })
        .collect();
    Sheet {
        name: name.to_owned(),
        columns,
        rows,
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(text: &str) -> String {
    text.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The workbook as bytes.
///
/// # Errors
/// [`Error::Xlsx`] if the writer fails (it writes to memory only).
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>, Error> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Kommuner").map_err(err)?;
    let sheet = combined(&report.overview, "Kommuner");
    write_sheet(ws, &sheet, report.threshold, ["Kommunenummer", "Kommune"]).map_err(err)?;
    for (m, p) in report
        .national
        .municipalities
        .iter()
        .zip(&report.municipalities)
    {
        let name = sheet_name(&format!("{} {}", m.number, m.name));
        let ws = wb.add_worksheet().set_name(&name).map_err(err)?;
        write_sheet(
            ws,
            &combined(p, &name),
            report.threshold,
            ["Områdenummer", "Område"],
        )
        .map_err(err)?;
    }
    let about = wb.add_worksheet();
    write_about(about, report).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// The `Om` sheet's lines.
pub(super) fn about_lines(report: &Report) -> Vec<(&'static str, String)> {
    let p = &report.national.period;
    let c = &report.national.coverage;
    let none = |v: &[String]| {
        if v.is_empty() {
            "ingen".to_owned()
        } else {
            v.join(", ")
        }
    };
    vec![
        (
            "Periode",
            format!("{} ({} til {})", p.label_nb(), p.first_day, p.last_day),
        ),
        ("Tidssone", feltlogg_export::period::TIME_ZONE.to_owned()),
        ("Levert", none(&c.delivered)),
        ("Ikke levert", none(&c.missing)),
        (
            "Grunnlag",
            "Kommunenes signerte totalfiler: godkjente vakter som startet i perioden, med kontakter og formidlinger registrert på dem. Summert før små tall ble skjult.".to_owned(),
        ),
        (
            "Små tall",
            format!(
                "Tall fra 1 til {} vises som <{}, én gang, etter summering. Flere celler er skjult der et skjult tall ellers kunne regnes ut fra summene (kommunens sum av områdene, landets sum av kommunene, og summene i hver rad). Andeler og rater regnet av skjulte tall er også skjult.",
                report.threshold.saturating_sub(1),
                report.threshold
            ),
        ),
    ]
}

fn write_about(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    ws.set_name("Om")?;
    for (r, (k, v)) in about_lines(report).iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(0);
        ws.write_string_with_format(r, 0, *k, &bold)?;
        ws.write_string(r, 1, v)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 110)?;
    Ok(())
}
