//! The .xlsx workbook: sheet `Totaler` (counts per bydel), sheet
//! `Nøkkeltall` (key figures, when the work happens), and sheet `Om` (the
//! period and how small numbers were hidden). Headers are bold, the key
//! columns and header row are frozen, counts are numbers, hidden counts
//! are the text `<5`.

use super::table::{Published, Sheet, Value};
use crate::Error;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

fn err(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

/// The workbook as bytes.
///
/// # Errors
/// [`Error::Xlsx`] if the writer fails (it writes to memory only).
pub fn to_xlsx(published: &Published) -> Result<Vec<u8>, Error> {
    to_xlsx_with(published, |_| Ok(()))
}

/// [`to_xlsx`] with the sheets `extra` adds after the totals, before `Om`.
///
/// # Errors
/// As [`to_xlsx`].
pub fn to_xlsx_with(
    published: &Published,
    extra: impl FnOnce(&mut Workbook) -> Result<(), XlsxError>,
) -> Result<Vec<u8>, Error> {
    let mut wb = Workbook::new();
    for sheet in &published.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        write_sheet(ws, sheet, published.threshold, ["Bydelsnummer", "Bydel"]).map_err(err)?;
    }
    extra(&mut wb).map_err(err)?;
    let about = wb.add_worksheet();
    write_about(about, published).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// Writes `sheet` to `ws`: the two key columns headed `keys`, then the
/// sheet's columns; bold headers and total rows, counts as numbers, hidden
/// counts as the text `<threshold`, header row and key columns frozen.
///
/// # Errors
/// The writer's, e.g. a cell out of range.
pub fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    threshold: u64,
    keys: [&str; 2],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let bold_wrap = Format::new().set_bold().set_text_wrap();
    let one_decimal = Format::new().set_num_format("0.0");
    let total_one_decimal = Format::new().set_bold().set_num_format("0.0");
    let hidden = Format::new().set_align(FormatAlign::Right);
    let total_hidden = Format::new().set_bold().set_align(FormatAlign::Right);
    ws.write_string_with_format(0, 0, keys[0], &bold)?;
    ws.write_string_with_format(0, 1, keys[1], &bold)?;
    for (i, c) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, col(i + 2), &c.header, &bold_wrap)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let at = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let (text_fmt, dec_fmt, hid_fmt) = if row.total {
            (&bold, &total_one_decimal, &total_hidden)
        } else {
            (&Format::new(), &one_decimal, &hidden)
        };
        ws.write_string_with_format(at, 0, &row.bydel, text_fmt)?;
        ws.write_string_with_format(at, 1, &row.name, text_fmt)?;
        for (i, v) in row.cells.iter().enumerate() {
            let c = col(i + 2);
            match v {
                Value::Count(n) => {
                    ws.write_number_with_format(at, c, *n as f64, text_fmt)?;
                }
                Value::Suppressed => {
                    ws.write_string_with_format(at, c, format!("<{threshold}"), hid_fmt)?;
                }
                Value::Hours(x) | Value::Percent(x) | Value::Decimal(x) => {
                    ws.write_number_with_format(at, c, *x, dec_fmt)?;
                }
                Value::Empty => {}
            }
        }
    }
    ws.set_row_height(0, 45)?;
    ws.set_column_width(0, 13)?;
    ws.set_column_width(1, 20)?;
    for i in 0..sheet.columns.len() {
        ws.set_column_width(col(i + 2), 14)?;
    }
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

fn write_about(ws: &mut Worksheet, p: &Published) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    ws.set_name("Om")?;
    let lines = [
        ("Periode", format!("{} ({} til {})", p.period.label_nb(), p.period.first_day, p.period.last_day)),
        ("Tidssone", crate::period::TIME_ZONE.to_owned()),
        ("Grunnlag", "Godkjente vakter som startet i perioden, med kontakter og formidlinger registrert på dem.".to_owned()),
        ("Små tall", format!("Tall fra 1 til {} vises som <{}. Flere celler er skjult der et skjult tall ellers kunne regnes ut fra summene. Andeler og rater regnet av skjulte tall er også skjult.", p.threshold.saturating_sub(1), p.threshold)),
        ("Felttimer", "Per ansatt: innsjekk til utsjekk, innenfor vaktens start og avslutning.".to_owned()),
    ];
    for (r, (k, v)) in lines.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(0);
        ws.write_string_with_format(r, 0, *k, &bold)?;
        ws.write_string(r, 1, v)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 110)?;
    Ok(())
}

/// A column index as the writer takes it.
pub fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}
