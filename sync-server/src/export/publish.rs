//! The export operations the dashboard and the CLI share, each writing its
//! audit entry in the transaction that reads the counts: a published file
//! (`export`) and the threshold setting (`setting_change`).

use super::{CsvDialect, ExportError, Period, Scope, build_totals, parse_threshold, suppress};
use crate::db::audit::{self, Actor};
use crate::db::settings;
use crate::error::ApiError;
use rusqlite::Transaction;

/// A published file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// An .xlsx workbook (with the youth feedback sheet).
    Xlsx,
    /// RFC 4180 CSV.
    Csv,
    /// CSV for Norwegian Excel (UTF-8 BOM, `;`, decimal comma).
    CsvExcel,
}

impl FileFormat {
    /// The name the audit entry and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
            FileFormat::CsvExcel => "csv-excel",
        }
    }
}

/// What to publish.
#[derive(Clone, Debug)]
pub struct Request {
    /// The period, as typed (see [`Period::parse`]).
    pub period: String,
    /// Whose shifts.
    pub scope: Scope,
    /// The file format.
    pub format: FileFormat,
    /// The operator's fixed threshold, if any (see [`super::threshold`]).
    pub fixed: Option<u64>,
}

/// A published file (small numbers suppressed) and its period's label;
/// audit `export`, detail `format=… scope=…`.
///
/// # Errors
/// [`ApiError::Invalid`] for an unreadable period or threshold; internal
/// errors for the database or the workbook.
pub fn published_file(
    tx: &Transaction<'_>,
    by: &Actor,
    req: &Request,
    now_ms: i64,
) -> Result<(String, Vec<u8>), ApiError> {
    let period = Period::parse(&req.period).map_err(to_api)?;
    let totals = build_totals(tx, &period, &req.scope).map_err(to_api)?;
    let published = suppress(&totals, super::threshold(tx, req.fixed).map_err(to_api)?);
    let bytes = match req.format {
        FileFormat::Csv => super::to_csv(&published, CsvDialect::Rfc4180),
        FileFormat::CsvExcel => super::to_csv(&published, CsvDialect::Excel),
        FileFormat::Xlsx => {
            let today = crate::feedback::day_of(now_ms)?;
            let fb = crate::feedback::sheet::for_export(tx, &period, &req.scope, today)?;
            super::xlsx::to_xlsx_with(&published, |wb| fb.write(wb)).map_err(to_api)?
        }
    };
    let detail = format!(
        "format={} scope={}",
        req.format.as_str(),
        scope_text(&req.scope)
    );
    audit::record(tx, now_ms, by, "export", &period.label, &detail)?;
    Ok((period.label, bytes))
}

/// Sets the dashboard's small-number threshold from `text`; audit
/// `setting_change`.
///
/// # Errors
/// [`ApiError::Invalid`] (`suppress_below`) for a value outside 2 to 1000.
pub fn set_threshold(
    tx: &Transaction<'_>,
    by: &Actor,
    text: &str,
    now_ms: i64,
) -> Result<u64, ApiError> {
    let n = parse_threshold(text).map_err(to_api)?;
    settings::set(tx, settings::SUPPRESS_BELOW, &n.to_string())?;
    let value = n.to_string();
    audit::record(
        tx,
        now_ms,
        by,
        "setting_change",
        settings::SUPPRESS_BELOW,
        &value,
    )?;
    Ok(n)
}

fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::All => "all".to_owned(),
        Scope::Units(u) => format!(
            "units:{}",
            u.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// An export failure as the API and the dashboard report it: a bad
/// period or threshold is the caller's to fix; the rest is internal.
pub fn to_api(e: impl Into<ExportError>) -> ApiError {
    match e.into() {
        ExportError::Period(p) => ApiError::Invalid {
            field: "period",
            problem: p,
        },
        ExportError::Threshold(p) => ApiError::Invalid {
            field: "suppress_below",
            problem: p,
        },
        e => ApiError::Internal(e.to_string()),
    }
}
