//! CSV: one wide table, the columns of every sheet side by side after the
//! two key columns (area code, area name), one row per bydel and the
//! total row. Two dialects:
//!
//! - [`CsvDialect::Excel`]: what Norwegian Excel opens correctly by
//!   double-click: UTF-8 with a byte-order mark (else `ø` turns into
//!   mojibake), `;` between fields (the Norwegian list separator) and a
//!   decimal comma.
//! - [`CsvDialect::Rfc4180`]: plain RFC 4180: `,`, decimal point, no BOM.
//!
//! Both end records with CRLF and quote a field only when it holds the
//! separator, a quote, CR or LF (quotes doubled).

use super::table::{Published, Value};

/// Which CSV to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvDialect {
    /// UTF-8 BOM, `;`, decimal comma (Norwegian Excel).
    Excel,
    /// RFC 4180: `,`, decimal point, no BOM.
    Rfc4180,
}

impl CsvDialect {
    fn separator(self) -> char {
        match self {
            CsvDialect::Excel => ';',
            CsvDialect::Rfc4180 => ',',
        }
    }

    /// Whether fractions are written with a decimal comma.
    pub fn decimal_comma(self) -> bool {
        self == CsvDialect::Excel
    }
}

/// The published table as CSV bytes (UTF-8).
pub fn to_csv(published: &Published, dialect: CsvDialect) -> Vec<u8> {
    let mut header = vec!["Bydelsnummer".to_owned(), "Bydel".to_owned()];
    for sheet in &published.sheets {
        header.extend(sheet.columns.iter().map(|c| c.header.clone()));
    }
    let rows = published.sheets.first().map_or(0, |s| s.rows.len());
    let records: Vec<Vec<String>> = (0..rows)
        .map(|r| {
            let mut fields = Vec::new();
            for (i, sheet) in published.sheets.iter().enumerate() {
                let Some(row) = sheet.rows.get(r) else {
                    continue;
                };
                if i == 0 {
                    fields.push(row.bydel.clone());
                    fields.push(row.name.clone());
                }
                fields.extend(cells(&row.cells, published.threshold, dialect));
            }
            fields
        })
        .collect();
    write_table(&header, &records, dialect)
}

/// A row's values as CSV text (`<5` for hidden ones).
pub fn cells(values: &[Value], threshold: u64, dialect: CsvDialect) -> Vec<String> {
    values
        .iter()
        .map(|v| v.render(threshold, dialect.decimal_comma()))
        .collect()
}

/// A header and records as CSV bytes in `dialect` (the BOM first in the
/// Excel dialect, every field quoted as [`field`] says, CRLF after each
/// record).
pub fn write_table(header: &[String], records: &[Vec<String>], dialect: CsvDialect) -> Vec<u8> {
    let mut out = String::new();
    if dialect == CsvDialect::Excel {
        out.push('\u{feff}');
    }
    push_record(&mut out, header, dialect);
    for fields in records {
        push_record(&mut out, fields, dialect);
    }
    out.into_bytes()
}

fn push_record(out: &mut String, fields: &[String], dialect: CsvDialect) {
    let sep = dialect.separator();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(&field(f, dialect));
    }
    out.push_str("\r\n");
}

/// One field, quoted when needed. In the Excel dialect a text that starts
/// like a formula gets a leading `'` so Excel shows it instead of running
/// it (area names are data an admin may import).
pub fn field(text: &str, dialect: CsvDialect) -> String {
    let sep = dialect.separator();
    let text = if dialect == CsvDialect::Excel && text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([sep, '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        let d = CsvDialect::Rfc4180;
        assert_eq!(field("Grünerløkka", d), "Grünerløkka");
        assert_eq!(field("a,b", d), "\"a,b\"");
        assert_eq!(field("si \"hei\"", d), "\"si \"\"hei\"\"\"");
        assert_eq!(field("to\r\nlinjer", d), "\"to\r\nlinjer\"");
        assert_eq!(field("a;b", d), "a;b");
        assert_eq!(field("a;b", CsvDialect::Excel), "\"a;b\"");
        assert_eq!(field("=SUM(A1)", CsvDialect::Excel), "'=SUM(A1)");
    }
}
