//! Exports for admins: totals per bydel and period from approved shifts,
//! with small numbers suppressed (DOMAIN.md, rule 3), as CSV for Norwegian
//! Excel, plain RFC 4180 CSV, or an .xlsx workbook. The dashboard and the
//! `feltlogg-server export` command call the same four steps:
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
//! - [`period`]: parsing periods, Oslo local time.
//! - [`query`]: reading the counts ([`build_totals`]).
//! - [`table`]: the published columns, their Norwegian headers and the
//!   sums a reader can check.
//! - [`suppress`](mod@suppress): primary and secondary suppression.
//! - [`csv`](mod@csv), [`xlsx`]: the file formats.

pub mod csv;
pub mod labels;
pub mod period;
pub mod query;
pub mod suppress;
pub mod table;
pub mod xlsx;

pub use csv::{CsvDialect, to_csv};
pub use period::Period;
pub use query::build_totals;
pub use suppress::suppress;
pub use table::{Published, Sheet, Value};
pub use xlsx::to_xlsx;

use feltlogg_core::ids::UnitId;

/// Counts from 1 to `threshold - 1` are shown as `<threshold`.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// The environment variable that fixes the threshold for the operator
/// (read once, by the command line, into `ServerConfig::suppress_below`).
pub const THRESHOLD_VAR: &str = "FELTLOGG_SUPPRESS_BELOW";

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

/// Counts for one bydel, or for all of them (the total row). Breakdown
/// vectors are indexed like the core vocabulary's `ALL` list. Raw: never
/// publish these without [`suppress`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AreaTotals {
    /// SSB area code; empty on the total row.
    pub bydel: String,
    /// Area name; `Totalt` on the total row.
    pub name: String,
    /// Approved shifts started in the period.
    pub shifts: u64,
    /// Of those, shifts on which two or more distinct workers checked in.
    pub shifts_two_plus: u64,
    /// Field time in ms: per worker, checked in to checked out, clipped to
    /// the shift's start and close, summed.
    pub field_ms: i64,
    /// Encounters.
    pub encounters: u64,
    /// Youths met (sum of youth counts).
    pub youths: u64,
    /// Youths by [`feltlogg_core::AgeGroup`].
    pub youths_by_age: Vec<u64>,
    /// Youths by [`feltlogg_core::Gender`].
    pub youths_by_gender: Vec<u64>,
    /// Youths by [`feltlogg_core::ContactKind`].
    pub youths_by_contact: Vec<u64>,
    /// Youths by [`feltlogg_core::Residence`].
    pub youths_by_residence: Vec<u64>,
    /// Encounters by [`feltlogg_core::Topic`] (an encounter may have several).
    pub encounters_by_topic: Vec<u64>,
    /// Encounters by [`feltlogg_core::Action`] (an encounter may have several).
    pub encounters_by_action: Vec<u64>,
    /// Encounters by Oslo weekday, Monday first.
    pub encounters_by_weekday: Vec<u64>,
    /// Encounters by Oslo time band: 00–06, 06–12, 12–18, 18–24.
    pub encounters_by_band: Vec<u64>,
    /// Referrals.
    pub referrals: u64,
    /// Referrals by [`feltlogg_core::ReferralService`].
    pub referrals_by_service: Vec<u64>,
    /// Referrals by [`feltlogg_core::ReferralStatus`].
    pub referrals_by_status: Vec<u64>,
}

/// Raw totals of a period: one row per bydel with any data, in code
/// order, and the total row.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// The period.
    pub period: Period,
    /// Whose shifts.
    pub scope: Scope,
    /// One row per bydel.
    pub rows: Vec<AreaTotals>,
    /// The sum of the rows.
    pub total: AreaTotals,
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

/// Parses a threshold.
///
/// # Errors
/// [`ExportError::Threshold`] for a value that is not a whole number from
/// 2 to 1000 (1 would publish every small count).
pub fn parse_threshold(text: &str) -> Result<u64, ExportError> {
    match text.trim().parse::<u64>() {
        Ok(n) if (2..=1000).contains(&n) => Ok(n),
        _ => Err(ExportError::Threshold(format!(
            "{THRESHOLD_VAR}={text:?} is not a usable threshold; give a whole number from 2 to 1000 (default {DEFAULT_THRESHOLD})"
        ))),
    }
}
