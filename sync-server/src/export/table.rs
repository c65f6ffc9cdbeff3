//! What an export publishes: two sheets of columns with Norwegian (bokmål)
//! headers, one row per bydel and a total row. The counts are laid out as
//! one grid so suppression sees every sum a reader can check; shares and
//! rates are computed afterwards and hidden when a count they use is.

use super::labels;
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

/// The counts as one grid: one row per bydel, then the total row.
#[derive(Debug)]
pub(crate) struct Grid {
    pub(crate) values: Vec<Vec<u64>>,
    pub(crate) cols: usize,
    pub(crate) groups: Vec<Group>,
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

pub(crate) fn grid(totals: &Totals) -> Grid {
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
    let values = totals
        .rows
        .iter()
        .chain([&totals.total])
        .map(flatten)
        .collect();
    Grid {
        values,
        cols: o.len,
        groups,
    }
}

/// How a published column gets its value.
enum Src {
    Count(usize),
    FieldHours,
    ShareTwoPlus,
    PerWeek(usize),
    /// 100 × sum(num) / den, in percent or per 100.
    Ratio {
        num: Vec<usize>,
        den: usize,
        pct: bool,
    },
    Sum(Vec<usize>),
}

struct Spec {
    key: String,
    header: String,
    src: Src,
}

fn spec(key: impl Into<String>, header: impl Into<String>, src: Src) -> Spec {
    Spec {
        key: key.into(),
        header: header.into(),
        src,
    }
}

fn counts<T: Copy>(
    all: &[T],
    at: usize,
    key: impl Fn(T) -> String,
    header: impl Fn(T) -> String,
) -> Vec<Spec> {
    all.iter()
        .enumerate()
        .map(|(i, &v)| spec(key(v), header(v), Src::Count(at + i)))
        .collect()
}

fn totals_sheet(o: &Off) -> Vec<Spec> {
    let mut s = vec![
        spec("shifts", "Vakter", Src::Count(SHIFTS)),
        spec("field_hours", "Felttimer", Src::FieldHours),
        spec(
            "share_two_plus_pct",
            "Andel vakter med minst to ansatte (%)",
            Src::ShareTwoPlus,
        ),
        spec("encounters", "Kontakter", Src::Count(ENCOUNTERS)),
        spec("youths", "Ungdommer møtt", Src::Count(YOUTHS)),
    ];
    s.extend(counts(
        AgeGroup::ALL,
        o.age,
        |v| format!("youths_age_{}", v.as_str()),
        |v| format!("Ungdommer {}", labels::age(v).nb),
    ));
    s.extend(counts(
        Gender::ALL,
        o.gender,
        |v| format!("youths_gender_{}", v.as_str()),
        |v| labels::gender(v).nb.to_owned(),
    ));
    s.extend(counts(
        ContactKind::ALL,
        o.contact,
        |v| format!("youths_contact_{}", v.as_str()),
        |v| labels::contact(v).nb.to_owned(),
    ));
    s.extend(counts(
        Residence::ALL,
        o.residence,
        |v| format!("youths_residence_{}", v.as_str()),
        |v| labels::residence(v).nb.to_owned(),
    ));
    s.extend(counts(
        Topic::ALL,
        o.topic,
        |v| format!("topic_{}", v.as_str()),
        |v| format!("Tema: {}", labels::topic(v).nb),
    ));
    s.extend(counts(
        Action::ALL,
        o.action,
        |v| format!("action_{}", v.as_str()),
        |v| format!("Tiltak: {}", labels::action(v).nb),
    ));
    s.push(spec("referrals", "Formidlinger", Src::Count(REFERRALS)));
    s.extend(counts(
        ReferralService::ALL,
        o.service,
        |v| format!("referrals_to_{}", v.as_str()),
        |v| format!("Formidlet til {}", labels::service(v).nb),
    ));
    s.extend(counts(
        ReferralStatus::ALL,
        o.status,
        |v| format!("referrals_{}", v.as_str()),
        |v| format!("Formidlinger {}", labels::referral_status(v).nb),
    ));
    s.push(spec(
        "referrals_per_100",
        "Formidlinger per 100 kontakter",
        Src::Ratio {
            num: vec![REFERRALS],
            den: ENCOUNTERS,
            pct: false,
        },
    ));
    s
}

fn key_figures_sheet(o: &Off) -> Vec<Spec> {
    let new = o.contact + index(ContactKind::ALL, ContactKind::New);
    let young: Vec<usize> = [
        AgeGroup::Under13,
        AgeGroup::From13To15,
        AgeGroup::From16To18,
    ]
    .iter()
    .map(|&a| o.age + index(AgeGroup::ALL, a))
    .collect();
    let elsewhere: Vec<usize> = [Residence::OtherBydel, Residence::OtherMunicipality]
        .iter()
        .map(|&r| o.residence + index(Residence::ALL, r))
        .collect();
    let mut s = vec![
        spec("shifts_per_week", "Vakter per uke", Src::PerWeek(SHIFTS)),
        spec(
            "key_new_contacts",
            "Nye kontakter (ungdommer)",
            Src::Count(new),
        ),
        spec(
            "share_18_or_younger_pct",
            "Andel ungdommer 18 år eller yngre (%)",
            Src::Ratio {
                num: young,
                den: YOUTHS,
                pct: true,
            },
        ),
        spec(
            "youths_elsewhere",
            "Ungdommer bosatt i annen bydel eller kommune",
            Src::Sum(elsewhere.clone()),
        ),
        spec(
            "share_elsewhere_pct",
            "Andel bosatt i annen bydel eller kommune (%)",
            Src::Ratio {
                num: elsewhere,
                den: YOUTHS,
                pct: true,
            },
        ),
    ];
    const DAYS: [(&str, &str); 7] = [
        ("mon", "mandag"),
        ("tue", "tirsdag"),
        ("wed", "onsdag"),
        ("thu", "torsdag"),
        ("fri", "fredag"),
        ("sat", "lørdag"),
        ("sun", "søndag"),
    ];
    for (i, (k, d)) in DAYS.iter().enumerate() {
        s.push(spec(
            format!("encounters_weekday_{k}"),
            format!("Kontakter {d}"),
            Src::Count(o.weekday + i),
        ));
    }
    for i in 0..4 {
        let (a, b) = (i * 6, i * 6 + 6);
        s.push(spec(
            format!("encounters_band_{a:02}_{b:02}"),
            format!("Kontakter kl. {a:02}–{b:02}"),
            Src::Count(o.band + i),
        ));
    }
    s
}

fn index<T: PartialEq>(all: &[T], v: T) -> usize {
    all.iter().position(|x| *x == v).unwrap_or(0)
}

pub(crate) fn publish(
    totals: &Totals,
    grid: &Grid,
    hidden: &[Vec<bool>],
    threshold: u64,
) -> Published {
    let o = off();
    let weeks = totals.period.weeks();
    let sheets = [
        ("Totaler", totals_sheet(&o)),
        ("Nøkkeltall", key_figures_sheet(&o)),
    ]
    .into_iter()
    .map(|(name, specs)| {
        let rows = totals
            .rows
            .iter()
            .chain([&totals.total])
            .enumerate()
            .map(|(r, area)| PubRow {
                bydel: area.bydel.clone(),
                name: area.name.clone(),
                total: r + 1 == grid.values.len(),
                cells: specs
                    .iter()
                    .map(|s| cell(&s.src, area, &grid.values[r], &hidden[r], weeks))
                    .collect(),
            })
            .collect();
        Sheet {
            name: name.to_owned(),
            columns: specs
                .into_iter()
                .map(|s| Column {
                    key: s.key,
                    header: s.header,
                })
                .collect(),
            rows,
        }
    })
    .collect();
    Published {
        period: totals.period.clone(),
        threshold,
        sheets,
    }
}

fn cell(src: &Src, area: &AreaTotals, values: &[u64], hidden: &[bool], weeks: f64) -> Value {
    let shown = |c: usize| !hidden.get(c).copied().unwrap_or(true);
    let v = |c: usize| values.get(c).copied().unwrap_or(0);
    let ratio = |num: u64, den: u64| (den > 0).then(|| num as f64 * 100.0 / den as f64);
    match src {
        Src::Count(c) if shown(*c) => Value::Count(v(*c)),
        Src::Count(_) => Value::Suppressed,
        Src::FieldHours => Value::Hours(area.field_ms as f64 / 3_600_000.0),
        Src::ShareTwoPlus if !shown(SHIFTS) => Value::Suppressed,
        Src::ShareTwoPlus => pct(ratio(area.shifts_two_plus, area.shifts)),
        Src::PerWeek(c) if shown(*c) && weeks > 0.0 => Value::Decimal(v(*c) as f64 / weeks),
        Src::PerWeek(c) if shown(*c) => Value::Empty,
        Src::PerWeek(_) => Value::Suppressed,
        Src::Ratio { num, den, .. } if !num.iter().chain([den]).all(|&c| shown(c)) => {
            Value::Suppressed
        }
        Src::Ratio {
            num,
            den,
            pct: is_pct,
        } => {
            let r = ratio(num.iter().map(|&c| v(c)).sum(), v(*den));
            if *is_pct { pct(r) } else { dec(r) }
        }
        Src::Sum(cs) if cs.iter().all(|&c| shown(c)) => {
            Value::Count(cs.iter().map(|&c| v(c)).sum())
        }
        Src::Sum(_) => Value::Suppressed,
    }
}

fn pct(r: Option<f64>) -> Value {
    r.map_or(Value::Empty, Value::Percent)
}

fn dec(r: Option<f64>) -> Value {
    r.map_or(Value::Empty, Value::Decimal)
}
