//! The published columns of both sheets: key, bokmål header, and how
//! each value comes from the grid (counts, hours, shares, rates).

use super::{
    Column, ENCOUNTERS, Off, PubRow, Published, REFERRALS, SHIFTS, Sheet, Value, YOUTHS, off,
};
use crate::labels;
use crate::{AreaTotals, Period};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};

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

/// One row to publish: its counts, which of them are hidden, and whether
/// it is the table's total row.
#[derive(Clone, Copy, Debug)]
pub struct PubInput<'a> {
    /// The row's counts (code, name, field time).
    pub area: &'a AreaTotals,
    /// Its grid row ([`super::grid_of`]).
    pub values: &'a [u64],
    /// Which grid cells are hidden ([`crate::suppress::hidden_cells`]).
    pub hidden: &'a [bool],
    /// Whether this is the total row.
    pub total: bool,
}

/// The published sheets of `rows`, in their order: counts where shown,
/// `<threshold` where hidden, shares and rates hidden with their counts.
pub fn publish(period: &Period, rows: &[PubInput<'_>], threshold: u64) -> Published {
    let o = off();
    let weeks = period.weeks();
    let sheets = [
        ("Totaler", totals_sheet(&o)),
        ("Nøkkeltall", key_figures_sheet(&o)),
    ]
    .into_iter()
    .map(|(name, specs)| {
        let rows = rows
            .iter()
            .map(|row| PubRow {
                bydel: row.area.bydel.clone(),
                name: row.area.name.clone(),
                total: row.total,
                cells: specs
                    .iter()
                    .map(|s| cell(&s.src, row.area, row.values, row.hidden, weeks))
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
        period: period.clone(),
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
