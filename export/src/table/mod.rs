//! What an export publishes: two sheets of columns with Norwegian (bokmål)
//! headers, one row per bydel (or municipality) and a total row. The
//! counts are laid out as one grid so suppression sees every sum a reader
//! can check; shares and rates are computed afterwards and hidden when a
//! count they use is.
//!
//! Here: the published values and the grid; `columns.rs`: each published
//! column's header and how its value is computed from the grid.

mod columns;

pub use columns::{PubInput, publish};

use super::suppress::Group;
use super::{AreaTotals, Period, Totals};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};

/// One published value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A count at or above the threshold, or zero.
    Count(u64),
    /// A hidden count, or a figure computed from one: shown as `<5`.
    Suppressed,
    /// Hours, one decimal.
    Hours(f64),
    /// A share in percent (0–100), one decimal.
    Percent(f64),
    /// Any other figure, one decimal.
    Decimal(f64),
    /// No figure (a share of nothing).
    Empty,
}

impl Value {
    /// The text of the value: `<threshold` for a hidden one, one decimal
    /// with `.` or `,` for fractions, nothing for [`Value::Empty`].
    pub fn render(&self, threshold: u64, decimal_comma: bool) -> String {
        let dec = |x: f64| {
            let s = format!("{x:.1}");
            if decimal_comma {
                s.replace('.', ",")
            } else {
                s
            }
        };
        match self {
            Value::Count(n) => n.to_string(),
            Value::Suppressed => format!("<{threshold}"),
            Value::Hours(x) | Value::Percent(x) | Value::Decimal(x) => dec(*x),
            Value::Empty => String::new(),
        }
    }

    /// The value as a number to draw, when it may be drawn (not hidden,
    /// not empty).
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Hours(x) | Value::Percent(x) | Value::Decimal(x) => Some(*x),
            Value::Suppressed | Value::Empty => None,
        }
    }
}

/// A published column: a stable machine key and its Norwegian header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Stable key, e.g. `youths_age_13_15` (for code and the dashboard).
    pub key: String,
    /// Header in bokmål, e.g. `Ungdommer 13–15 år`.
    pub header: String,
}

/// A published row.
#[derive(Clone, Debug, PartialEq)]
pub struct PubRow {
    /// SSB area code; empty on the total row.
    pub bydel: String,
    /// Area name, or `Totalt`.
    pub name: String,
    /// Whether this is the total row.
    pub total: bool,
    /// One value per column.
    pub cells: Vec<Value>,
}

/// One sheet (one block of columns in CSV).
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// Sheet name, e.g. `Totaler`, `Nøkkeltall`.
    pub name: String,
    /// The columns after the two key columns (code, name).
    pub columns: Vec<Column>,
    /// Bydel rows in code order, then the total row.
    pub rows: Vec<PubRow>,
}

/// What may be shown or written: suppressed totals of a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    /// The period.
    pub period: Period,
    /// Counts below this were hidden.
    pub threshold: u64,
    /// `Totaler` and `Nøkkeltall`.
    pub sheets: Vec<Sheet>,
}

impl Published {
    /// The value of column `key` for `bydel` (None: the total row), from
    /// whichever sheet has that column. Keys are listed in [`Sheet::columns`];
    /// key figures: `shifts_per_week`, `key_new_contacts`,
    /// `share_18_or_younger_pct`, `youths_elsewhere`, `share_elsewhere_pct`,
    /// `encounters_weekday_mon` … `_sun`, `encounters_band_00_06` …,
    /// `share_two_plus_pct`, `field_hours`, `referrals_per_100`.
    pub fn get(&self, bydel: Option<&str>, key: &str) -> Option<&Value> {
        self.sheets.iter().find_map(|s| {
            let col = s.columns.iter().position(|c| c.key == key)?;
            let row = s.rows.iter().find(|r| match bydel {
                None => r.total,
                Some(b) => !r.total && r.bydel == b,
            })?;
            row.cells.get(col)
        })
    }

    /// The sheet named `name`.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// The counts as one grid, a row per [`AreaTotals`], and the sums within
/// each row that a reader can check (age groups to youths met, …).
#[derive(Debug)]
pub struct Grid {
    /// The counts, rows × columns.
    pub values: Vec<Vec<u64>>,
    /// Columns per row.
    pub cols: usize,
    /// The sums within every row.
    pub groups: Vec<Group>,
}

/// Where each part of [`AreaTotals`] sits in a grid row.
struct Off {
    age: usize,
    gender: usize,
    contact: usize,
    residence: usize,
    topic: usize,
    action: usize,
    service: usize,
    status: usize,
    weekday: usize,
    band: usize,
    len: usize,
}

const SHIFTS: usize = 0;
const ENCOUNTERS: usize = 1;
const YOUTHS: usize = 2;
const REFERRALS: usize = 3;

fn off() -> Off {
    let mut at = 4;
    let mut next = |n: usize| {
        let here = at;
        at += n;
        here
    };
    let o = Off {
        age: next(AgeGroup::ALL.len()),
        gender: next(Gender::ALL.len()),
        contact: next(ContactKind::ALL.len()),
        residence: next(Residence::ALL.len()),
        topic: next(Topic::ALL.len()),
        action: next(Action::ALL.len()),
        service: next(ReferralService::ALL.len()),
        status: next(ReferralStatus::ALL.len()),
        weekday: next(7),
        band: next(4),
        len: 0,
    };
    Off { len: at, ..o }
}

fn flatten(r: &AreaTotals) -> Vec<u64> {
    let mut v = vec![r.shifts, r.encounters, r.youths, r.referrals];
    for part in [
        &r.youths_by_age,
        &r.youths_by_gender,
        &r.youths_by_contact,
        &r.youths_by_residence,
        &r.encounters_by_topic,
        &r.encounters_by_action,
        &r.referrals_by_service,
        &r.referrals_by_status,
        &r.encounters_by_weekday,
        &r.encounters_by_band,
    ] {
        v.extend_from_slice(part);
    }
    v
}

/// The grid of an export: one row per bydel, then the total row.
pub(crate) fn grid(totals: &Totals) -> Grid {
    let rows: Vec<&AreaTotals> = totals.rows.iter().chain([&totals.total]).collect();
    grid_of(&rows)
}

/// The grid of `rows`, in their order.
pub fn grid_of(rows: &[&AreaTotals]) -> Grid {
    let o = off();
    let range = |start: usize, n: usize| (start..start + n).collect::<Vec<_>>();
    // Topics and actions are multi-valued: they sum to nothing.
    let groups = vec![
        Group {
            total: YOUTHS,
            members: range(o.age, AgeGroup::ALL.len()),
        },
        Group {
            total: YOUTHS,
            members: range(o.gender, Gender::ALL.len()),
        },
        Group {
            total: YOUTHS,
            members: range(o.contact, ContactKind::ALL.len()),
        },
        Group {
            total: YOUTHS,
            members: range(o.residence, Residence::ALL.len()),
        },
        Group {
            total: REFERRALS,
            members: range(o.service, ReferralService::ALL.len()),
        },
        Group {
            total: REFERRALS,
            members: range(o.status, ReferralStatus::ALL.len()),
        },
        Group {
            total: ENCOUNTERS,
            members: range(o.weekday, 7),
        },
        Group {
            total: ENCOUNTERS,
            members: range(o.band, 4),
        },
    ];
    let values = rows.iter().map(|r| flatten(r)).collect();
    Grid {
        values,
        cols: o.len,
        groups,
    }
}
