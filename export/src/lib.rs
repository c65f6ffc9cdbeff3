//! # feltlogg-export
//!
//! Totals per area and period, and everything done to them that needs no
//! database: small-number suppression (DOMAIN.md, rule 3), the published
//! table, its CSV and .xlsx files, SVG bar charts, and the signed totals
//! file a server hands to the national body. Two binaries use it: the sync
//! server (`feltlogg-server`, which reads the counts from its database) and
//! the national tool (`feltlogg-national`, which sums the totals files of
//! many servers and suppresses once, after summing). One copy of the
//! suppression rule, so a national table hides exactly what a municipal
//! export of the same numbers would.
//!
//! ## Layout
//! - [`period`]: export periods in Oslo local time (year, quarter, month,
//!   year to date, date range).
//! - [`suppress`](mod@suppress): primary and secondary suppression over any
//!   set of published sums.
//! - [`table`]: the published columns, their bokmål headers, and the grid
//!   of counts suppression sees.
//! - [`csv`](mod@csv), [`xlsx`]: the file formats.
//! - [`labels`]: the vocabularies' words, bokmål and English.
//! - [`chart`], [`html`]: SVG bar charts and HTML escaping.
//! - [`vocabulary`]: the codes a totals file counts, and their version.
//! - [`totals_file`]: the signed, unsuppressed totals file (JSON).

pub mod chart;
pub mod csv;
pub mod html;
pub mod labels;
pub mod period;
pub mod suppress;
pub mod table;
pub mod totals_file;
pub mod vocabulary;
pub mod xlsx;

pub use csv::{CsvDialect, to_csv};
pub use period::Period;
pub use suppress::suppress;
pub use table::{Published, Sheet, Value};
pub use xlsx::to_xlsx;

use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};

/// Counts from 1 to `threshold - 1` are shown as `<threshold`.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// The environment variable that fixes the threshold for the operator
/// (read once, by each binary's command line).
pub const THRESHOLD_VAR: &str = "FELTLOGG_SUPPRESS_BELOW";

/// Why building a published table or file failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The period text could not be read.
    #[error("{0}")]
    Period(String),
    /// A bad suppression threshold.
    #[error("{0}")]
    Threshold(String),
    /// The workbook could not be written.
    #[error("cannot write the .xlsx workbook: {0}")]
    Xlsx(String),
}

/// Parses a threshold.
///
/// # Errors
/// [`Error::Threshold`] for a value that is not a whole number from 2 to
/// 1000 (1 would publish every small count).
pub fn parse_threshold(text: &str) -> Result<u64, Error> {
    match text.trim().parse::<u64>() {
        Ok(n) if (2..=1000).contains(&n) => Ok(n),
        _ => Err(Error::Threshold(format!(
            "{THRESHOLD_VAR}={text:?} is not a usable threshold; give a whole number from 2 to 1000 (default {DEFAULT_THRESHOLD})"
        ))),
    }
}

/// Counts for one area (bydel), or for all of them (a total row).
/// Breakdown vectors are indexed like the core vocabulary's `ALL` list.
/// Raw: never publish these without [`suppress`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AreaTotals {
    /// SSB area code; empty on the total row.
    pub bydel: String,
    /// Area name; `Totalt` on the total row.
    pub name: String,
    /// Approved shifts started in the period.
    pub shifts: u64,
    /// Of those, shifts on which two or more distinct workers checked in
    /// (the numerator of the two-in-the-field share; `shifts` is its
    /// denominator).
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

impl AreaTotals {
    /// A row of zeros with every breakdown sized to its vocabulary.
    pub fn empty(bydel: String, name: String) -> Self {
        Self {
            bydel,
            name,
            youths_by_age: vec![0; AgeGroup::ALL.len()],
            youths_by_gender: vec![0; Gender::ALL.len()],
            youths_by_contact: vec![0; ContactKind::ALL.len()],
            youths_by_residence: vec![0; Residence::ALL.len()],
            encounters_by_topic: vec![0; Topic::ALL.len()],
            encounters_by_action: vec![0; Action::ALL.len()],
            encounters_by_weekday: vec![0; 7],
            encounters_by_band: vec![0; 4],
            referrals_by_service: vec![0; ReferralService::ALL.len()],
            referrals_by_status: vec![0; ReferralStatus::ALL.len()],
            ..Self::default()
        }
    }

    /// Adds every count of `other` to this row (name and code stay).
    pub fn add(&mut self, other: &AreaTotals) {
        let add = |a: &mut Vec<u64>, b: &[u64]| {
            if a.len() < b.len() {
                a.resize(b.len(), 0);
            }
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        };
        self.shifts += other.shifts;
        self.shifts_two_plus += other.shifts_two_plus;
        self.field_ms += other.field_ms;
        self.encounters += other.encounters;
        self.youths += other.youths;
        self.referrals += other.referrals;
        add(&mut self.youths_by_age, &other.youths_by_age);
        add(&mut self.youths_by_gender, &other.youths_by_gender);
        add(&mut self.youths_by_contact, &other.youths_by_contact);
        add(&mut self.youths_by_residence, &other.youths_by_residence);
        add(&mut self.encounters_by_topic, &other.encounters_by_topic);
        add(&mut self.encounters_by_action, &other.encounters_by_action);
        add(
            &mut self.encounters_by_weekday,
            &other.encounters_by_weekday,
        );
        add(&mut self.encounters_by_band, &other.encounters_by_band);
        add(&mut self.referrals_by_service, &other.referrals_by_service);
        add(&mut self.referrals_by_status, &other.referrals_by_status);
    }
}

/// The total row of `rows`: their sum, named `Totalt`.
pub fn sum_rows(rows: &[AreaTotals]) -> AreaTotals {
    let mut t = AreaTotals::empty(String::new(), "Totalt".to_owned());
    for r in rows {
        t.add(r);
    }
    t
}

/// Raw totals of a period: one row per area with any data, in code
/// order, and the total row.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// The period.
    pub period: Period,
    /// One row per area.
    pub rows: Vec<AreaTotals>,
    /// The sum of the rows.
    pub total: AreaTotals,
}

impl Totals {
    /// Totals of `rows` (sorted by code) with their total row.
    pub fn new(period: Period, mut rows: Vec<AreaTotals>) -> Self {
        rows.sort_by(|a, b| a.bydel.cmp(&b.bydel));
        let total = sum_rows(&rows);
        Self {
            period,
            rows,
            total,
        }
    }
}
