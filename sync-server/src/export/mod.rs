//! Exports for admins: totals per bydel and period from approved shifts,
//! with small numbers suppressed (DOMAIN.md, rule 3), as CSV for Norwegian
//! Excel, plain RFC 4180 CSV, or an .xlsx workbook; and the signed,
//! unsuppressed totals file for the national body. The dashboard and the
//! `feltlogg-server export` command call the same steps:
//!
//! ```no_run
//! # fn demo(conn: &rusqlite::Connection) -> Result<(), feltlogg_server::export::ExportError> {
//! use feltlogg_server::export::{self, CsvDialect, Period, Scope};
//! let period = Period::parse("2026-Q3")?;
//! let totals = export::build_totals(conn, &period, &Scope::All)?; // raw counts: never publish
//! let published = export::suppress(&totals, export::DEFAULT_THRESHOLD); // safe to show
//! let csv = export::to_csv(&published, CsvDialect::Excel);
//! let xlsx = export::to_xlsx(&published)?;
//! # Ok(()) }
//! ```
//!
//! What counts: shifts with status `approved` that are not deleted and
//! started in the period (Oslo local time), and the encounters and
//! referrals logged on them that are not deleted. Everything on a shift
//! goes with the shift's period, so a shift that runs past midnight at the
//! end of a quarter is counted whole in the quarter it started. Shifts and
//! field hours go to the shift's bydel, encounters to the encounter's
//! bydel, referrals to their encounter's bydel.
//!
//! - [`query`]: reading the counts ([`build_totals`]) from the database.
//! - [`national`]: the signed totals file ([`national::totals_file`]).
//! - [`publish`]: the audited operations (a published file, the threshold).
//! - Everything that needs no database (periods, the published table,
//!   suppression, the file formats, labels) is the `feltlogg-export`
//!   crate, shared with the national tool, and re-exported here:
//!   [`period`], [`table`], [`suppress`](mod@suppress), [`csv`](mod@csv),
//!   [`xlsx`], [`labels`].

pub mod national;
pub mod publish;
pub mod query;

pub use feltlogg_export::{
    AreaTotals, CsvDialect, DEFAULT_THRESHOLD, Period, Published, Sheet, THRESHOLD_VAR, Totals,
    Value, csv, labels, period, suppress, table, to_csv, to_xlsx, xlsx,
};
pub use query::build_totals;

use feltlogg_core::ids::UnitId;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The period text could not be read.
    #[error("{0}")]
    Period(String),
    /// A bad suppression threshold.
    #[error("{0}")]
    Threshold(String),
    /// SQLite refused.
    #[error("database error while exporting: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The workbook could not be written.
    #[error("cannot write the .xlsx workbook: {0}")]
    Xlsx(String),
    /// The server's signing key could not be loaded, or the totals file
    /// not made.
    #[error("cannot sign the totals file: {0}")]
    Sign(String),
}

impl From<feltlogg_export::Error> for ExportError {
    fn from(e: feltlogg_export::Error) -> Self {
        match e {
            feltlogg_export::Error::Period(p) => ExportError::Period(p),
            feltlogg_export::Error::Threshold(p) => ExportError::Threshold(p),
            feltlogg_export::Error::Xlsx(p) => ExportError::Xlsx(p),
        }
    }
}

/// Whose shifts to count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every unit (admins).
    All,
    /// Only these units' shifts (a team lead's units, or `--unit`).
    Units(Vec<UnitId>),
}

impl Scope {
    /// Whether a shift of `unit` is in scope.
    pub fn includes(&self, unit: UnitId) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(units) => units.contains(&unit),
        }
    }
}

/// The threshold in force: the operator's `fixed` one when set (the
/// server's `--suppress-below` / [`THRESHOLD_VAR`]), else the dashboard
/// setting `suppress_below`, else [`DEFAULT_THRESHOLD`].
///
/// # Errors
/// [`ExportError::Threshold`] for an unusable stored value;
/// [`ExportError::Sqlite`] if the setting cannot be read.
pub fn threshold(conn: &rusqlite::Connection, fixed: Option<u64>) -> Result<u64, ExportError> {
    if let Some(n) = fixed {
        return Ok(n);
    }
    match crate::db::settings::get(conn, crate::db::settings::SUPPRESS_BELOW)? {
        Some(text) => parse_threshold(&text),
        None => Ok(DEFAULT_THRESHOLD),
    }
}

/// Parses a threshold ([`feltlogg_export::parse_threshold`]).
///
/// # Errors
/// [`ExportError::Threshold`] for a value that is not a whole number from
/// 2 to 1000 (1 would publish every small count).
pub fn parse_threshold(text: &str) -> Result<u64, ExportError> {
    Ok(feltlogg_export::parse_threshold(text)?)
}
