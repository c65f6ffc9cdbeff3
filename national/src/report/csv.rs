//! The national table as one CSV table for Norwegian Excel (UTF-8 with
//! BOM, `;`, decimal comma; the export's own writer): four key columns
//! (kommunenummer, kommune, area code, area), then every column of the
//! export; each municipality's areas, then its row (`… i alt`), and the
//! national row last.

use super::Report;
use feltlogg_export::csv::{CsvDialect, cells, write_table};
use feltlogg_export::{Published, table::PubRow};

/// The CSV bytes.
pub fn to_csv(report: &Report) -> Vec<u8> {
    let dialect = CsvDialect::Excel;
    let mut header: Vec<String> = ["Kommunenummer", "Kommune", "Områdenummer", "Område"]
        .map(str::to_owned)
        .to_vec();
    for sheet in &report.overview.sheets {
        header.extend(sheet.columns.iter().map(|c| c.header.clone()));
    }
    let values = |p: &Published, r: usize| -> Vec<String> {
        p.sheets
            .iter()
            .filter_map(|s| s.rows.get(r))
            .flat_map(|row: &PubRow| cells(&row.cells, report.threshold, dialect))
            .collect()
    };
    let mut records = Vec::new();
    for (m, published) in report
        .national
        .municipalities
        .iter()
        .zip(&report.municipalities)
    {
        let rows = published.sheets.first().map_or(0, |s| s.rows.len());
        for r in 0..rows {
            let Some(row) = published.sheets.first().and_then(|s| s.rows.get(r)) else {
                continue;
            };
            let (code, area) = if row.total {
                (String::new(), format!("{} i alt", m.name))
            } else {
                (row.bydel.clone(), row.name.clone())
            };
            let mut fields = vec![m.number.clone(), m.name.clone(), code, area];
            fields.extend(values(published, r));
            records.push(fields);
        }
    }
    let last = report
        .overview
        .sheets
        .first()
        .map_or(0, |s| s.rows.len().saturating_sub(1));
    let mut fields = vec![
        String::new(),
        "Totalt".to_owned(),
        String::new(),
        String::new(),
    ];
    fields.extend(values(&report.overview, last));
    records.push(fields);
    write_table(&header, &records, dialect)
}
