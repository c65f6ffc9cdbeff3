//! Reading the counts of a period in one pass per table. Shifts and their
//! members come from the record tables through the `(status, started_ms)`
//! index; encounters and referrals from the compact fact tables that
//! migration 0002 keeps in step with the merge (the record tables hold
//! JSON and clock maps, far too slow to scan a million rows of). Counting
//! happens in Rust, keyed by UUIDs as `u128`, so no row is parsed twice.

use super::period::LocalClock;
use super::{AreaTotals, ExportError, Period, Scope, Totals};
use crate::db::areas;
use feltlogg_core::ids::UnitId;
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};
use rusqlite::{Connection, Row, params};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const DAY_MS: i64 = 86_400_000;

/// How far after a period's end an encounter of a shift started in the
/// period may lie (a shift left open for days still counts whole).
const TRAILING_MS: i64 = 14 * DAY_MS;

/// Counts approved shifts of `scope` started in `period`, and everything
/// logged on them. Raw numbers: publish only through [`super::suppress`].
///
/// # Errors
/// [`ExportError::Sqlite`] when a query fails; [`ExportError::Period`] if
/// the time zone is missing.
pub fn build_totals(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
) -> Result<Totals, ExportError> {
    let names: HashMap<String, String> = areas::list(conn)?
        .into_iter()
        .map(|a| (a.code, a.name))
        .collect();
    let mut acc = Acc {
        names,
        index: HashMap::new(),
        rows: Vec::new(),
    };
    let shifts = load_shifts(conn, period, scope, &mut acc)?;
    add_members(conn, period, &shifts, &mut acc)?;
    let referrals = load_referrals(conn, period, &shifts)?;
    add_encounters(conn, period, &shifts, &referrals, &mut acc)?;
    let mut rows = acc.rows;
    rows.sort_by(|a, b| a.bydel.cmp(&b.bydel));
    let total = sum_rows(&rows);
    Ok(Totals {
        period: period.clone(),
        scope: scope.clone(),
        rows,
        total,
    })
}

/// An approved shift of the period.
struct ShiftRow {
    row: usize,
    started_ms: i64,
    closed_ms: Option<i64>,
}

/// Rows by bydel, made on first use.
struct Acc {
    names: HashMap<String, String>,
    index: HashMap<String, usize>,
    rows: Vec<AreaTotals>,
}

impl Acc {
    fn row(&mut self, bydel: &str) -> usize {
        if let Some(&i) = self.index.get(bydel) {
            return i;
        }
        let name = self
            .names
            .get(bydel)
            .cloned()
            .unwrap_or_else(|| format!("Ukjent område {bydel}"));
        self.rows.push(empty_row(bydel.to_owned(), name));
        let i = self.rows.len() - 1;
        self.index.insert(bydel.to_owned(), i);
        i
    }
}

/// A row of zeros with every breakdown sized to its vocabulary.
pub(crate) fn empty_row(bydel: String, name: String) -> AreaTotals {
    AreaTotals {
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
        ..AreaTotals::default()
    }
}

fn uuid_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u128>> {
    Ok(text_at(r, idx)?
        .and_then(|s| Uuid::parse_str(s).ok())
        .map(|u| u.as_u128()))
}

/// A text column; a value of another type reads as none (validation keeps
/// those out, and one bad row must not fail an export).
fn text_at<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(idx)?.as_str_or_null().ok().flatten())
}

const APPROVED: &str =
    "s.status = 'approved' AND s.deleted = 0 AND s.started_ms >= ?1 AND s.started_ms < ?2";

fn load_shifts(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
    acc: &mut Acc,
) -> Result<HashMap<u128, ShiftRow>, ExportError> {
    let sql = format!(
        "SELECT s.id, s.unit_id, s.bydel, s.started_ms, s.closed_ms FROM shifts s WHERE {APPROVED}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![period.start_ms, period.end_ms])?;
    let mut shifts = HashMap::new();
    while let Some(r) = rows.next()? {
        let (Some(id), Some(unit)) = (uuid_at(r, 0)?, uuid_at(r, 1)?) else {
            continue;
        };
        if !scope.includes(UnitId(Uuid::from_u128(unit))) {
            continue;
        }
        let bydel: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        let row = acc.row(&bydel);
        acc.rows[row].shifts += 1;
        shifts.insert(
            id,
            ShiftRow {
                row,
                started_ms: r.get(3)?,
                closed_ms: r.get(4)?,
            },
        );
    }
    Ok(shifts)
}

/// Field time and the two-worker count, from the shifts' members.
fn add_members(
    conn: &Connection,
    period: &Period,
    shifts: &HashMap<u128, ShiftRow>,
    acc: &mut Acc,
) -> Result<(), ExportError> {
    let sql = format!(
        "SELECT m.shift_id, m.worker_id, m.checked_in_ms, m.checked_out_ms
           FROM shifts s JOIN shift_members m ON m.shift_id = s.id
          WHERE {APPROVED} AND m.deleted = 0"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![period.start_ms, period.end_ms])?;
    let mut workers: HashMap<u128, HashSet<u128>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (Some(shift_id), Some(worker)) = (uuid_at(r, 0)?, uuid_at(r, 1)?) else {
            continue;
        };
        let Some(shift) = shifts.get(&shift_id) else {
            continue;
        };
        workers.entry(shift_id).or_default().insert(worker);
        let end = shift.closed_ms.unwrap_or(shift.started_ms);
        let from = r
            .get::<_, Option<i64>>(2)?
            .unwrap_or(end)
            .max(shift.started_ms);
        let to = r.get::<_, Option<i64>>(3)?.unwrap_or(end).min(end);
        acc.rows[shift.row].field_ms += (to - from).max(0);
    }
    for (shift_id, set) in workers {
        if set.len() >= 2
            && let Some(shift) = shifts.get(&shift_id)
        {
            acc.rows[shift.row].shifts_two_plus += 1;
        }
    }
    Ok(())
}

/// The referrals of the shifts by encounter: (service, status) indexes.
fn load_referrals(
    conn: &Connection,
    period: &Period,
    shifts: &HashMap<u128, ShiftRow>,
) -> Result<HashMap<u128, Vec<(Option<usize>, Option<usize>)>>, ExportError> {
    let sql = format!(
        "SELECT r.shift_id, r.encounter_id, r.service, r.status
           FROM shifts s JOIN referral_facts r ON r.shift_id = s.id WHERE {APPROVED}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![period.start_ms, period.end_ms])?;
    let mut by_encounter: HashMap<u128, Vec<_>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (Some(shift_id), Some(encounter)) = (uuid_at(r, 0)?, uuid_at(r, 1)?) else {
            continue;
        };
        if !shifts.contains_key(&shift_id) {
            continue;
        }
        let service = index_of(ReferralService::ALL, |v| v.as_str(), text_at(r, 2)?);
        let status = index_of(ReferralStatus::ALL, |v| v.as_str(), text_at(r, 3)?);
        by_encounter
            .entry(encounter)
            .or_default()
            .push((service, status));
    }
    Ok(by_encounter)
}

fn index_of<T: Copy>(
    all: &[T],
    name: impl Fn(T) -> &'static str,
    value: Option<&str>,
) -> Option<usize> {
    let value = value?;
    all.iter().position(|v| name(*v) == value)
}

fn add_encounters(
    conn: &Connection,
    period: &Period,
    shifts: &HashMap<u128, ShiftRow>,
    referrals: &HashMap<u128, Vec<(Option<usize>, Option<usize>)>>,
    acc: &mut Acc,
) -> Result<(), ExportError> {
    let mut stmt = conn.prepare(
        "SELECT shift_id, id, at_ms, bydel, youth_count, age_group, gender, contact_kind,
                residence, topics, actions
           FROM encounter_facts WHERE at_ms >= ?1 AND at_ms < ?2",
    )?;
    let mut rows = stmt.query(params![
        period.start_ms - DAY_MS,
        period.end_ms + TRAILING_MS
    ])?;
    let mut clock = LocalClock::new()?;
    // Bydel text to row, without allocating per encounter.
    let mut last_bydel: (String, usize) = (String::new(), usize::MAX);
    while let Some(r) = rows.next()? {
        let Some(shift_id) = uuid_at(r, 0)? else {
            continue;
        };
        if !shifts.contains_key(&shift_id) {
            continue;
        }
        let bydel = text_at(r, 3)?.unwrap_or_default();
        if last_bydel.1 == usize::MAX || last_bydel.0 != bydel {
            last_bydel = (bydel.to_owned(), acc.row(bydel));
        }
        let row = &mut acc.rows[last_bydel.1];
        let youths = u64::try_from(r.get::<_, Option<i64>>(4)?.unwrap_or(0)).unwrap_or(0);
        row.encounters += 1;
        row.youths += youths;
        let text = |i: usize| text_at(r, i);
        add_at(
            &mut row.youths_by_age,
            index_of(AgeGroup::ALL, |v| v.as_str(), text(5)?),
            youths,
        );
        add_at(
            &mut row.youths_by_gender,
            index_of(Gender::ALL, |v| v.as_str(), text(6)?),
            youths,
        );
        add_at(
            &mut row.youths_by_contact,
            index_of(ContactKind::ALL, |v| v.as_str(), text(7)?),
            youths,
        );
        add_at(
            &mut row.youths_by_residence,
            index_of(Residence::ALL, |v| v.as_str(), text(8)?),
            youths,
        );
        for topic in text(9)?.unwrap_or_default().split(',') {
            add_at(
                &mut row.encounters_by_topic,
                index_of(Topic::ALL, |v| v.as_str(), Some(topic)),
                1,
            );
        }
        for action in text(10)?.unwrap_or_default().split(',') {
            add_at(
                &mut row.encounters_by_action,
                index_of(Action::ALL, |v| v.as_str(), Some(action)),
                1,
            );
        }
        let (weekday, hour) = clock.weekday_hour(r.get(2)?);
        add_at(&mut row.encounters_by_weekday, Some(weekday), 1);
        add_at(&mut row.encounters_by_band, Some(hour / 6), 1);
        if let Some(id) = uuid_at(r, 1)?
            && let Some(list) = referrals.get(&id)
        {
            for &(service, status) in list {
                row.referrals += 1;
                add_at(&mut row.referrals_by_service, service, 1);
                add_at(&mut row.referrals_by_status, status, 1);
            }
        }
    }
    Ok(())
}

fn add_at(v: &mut [u64], i: Option<usize>, n: u64) {
    if let Some(slot) = i.and_then(|i| v.get_mut(i)) {
        *slot += n;
    }
}

/// The total row: the sum of `rows`.
pub(crate) fn sum_rows(rows: &[AreaTotals]) -> AreaTotals {
    let mut t = empty_row(String::new(), "Totalt".to_owned());
    let add = |a: &mut Vec<u64>, b: &[u64]| {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
    };
    for r in rows {
        t.shifts += r.shifts;
        t.shifts_two_plus += r.shifts_two_plus;
        t.field_ms += r.field_ms;
        t.encounters += r.encounters;
        t.youths += r.youths;
        t.referrals += r.referrals;
        add(&mut t.youths_by_age, &r.youths_by_age);
        add(&mut t.youths_by_gender, &r.youths_by_gender);
        add(&mut t.youths_by_contact, &r.youths_by_contact);
        add(&mut t.youths_by_residence, &r.youths_by_residence);
        add(&mut t.encounters_by_topic, &r.encounters_by_topic);
        add(&mut t.encounters_by_action, &r.encounters_by_action);
        add(&mut t.encounters_by_weekday, &r.encounters_by_weekday);
        add(&mut t.encounters_by_band, &r.encounters_by_band);
        add(&mut t.referrals_by_service, &r.referrals_by_service);
        add(&mut t.referrals_by_status, &r.referrals_by_status);
    }
    t
}
