//! Reading the counts of a period: shifts, members, encounters, referrals.
//! All four come from the compact fact tables kept in step with the merge
//! (migration 0002's triggers; encounters by `db::encounter_facts`): the
//! record tables hold JSON and clock maps, far too slow to scan a million
//! rows of. Counting happens in Rust, in one pass per table, keyed by ids
//! as `u128`.

use super::period::LocalClock;
use super::{AreaTotals, ExportError, Period, Scope, Totals};
use crate::db::encounter_facts::bits;
use crate::db::{areas, vocab_codes};
use feltlogg_core::ids::UnitId;
use feltlogg_core::rules;
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, params};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

use feltlogg_core::time::DAY_MS;

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
    Ok(Totals::new(period.clone(), acc.rows))
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
        self.rows.push(AreaTotals::empty(bydel.to_owned(), name));
        let i = self.rows.len() - 1;
        self.index.insert(bydel.to_owned(), i);
        i
    }
}

/// A 16-byte id blob as a number; anything else reads as none.
fn id_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u128>> {
    Ok(match r.get_ref(idx)? {
        ValueRef::Blob(b) => <[u8; 16]>::try_from(b).ok().map(u128::from_be_bytes),
        _ => None,
    })
}

/// Text bytes; a value of another type reads as none (validation keeps
/// those out, and one bad row must not fail an export).
fn bytes_at<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r [u8]>> {
    Ok(match r.get_ref(idx)? {
        ValueRef::Text(t) => Some(t),
        _ => None,
    })
}

fn text_at<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<&'r str> {
    Ok(bytes_at(r, idx)?
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default())
}

/// The approved shifts of the period, one contiguous range of the
/// `(status, started_ms)` clustered fact table.
const APPROVED: &str = "s.status = 'approved' AND s.started_ms >= ?1 AND s.started_ms < ?2";

fn load_shifts(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
    acc: &mut Acc,
) -> Result<IdMap<ShiftRow>, ExportError> {
    let sql = format!(
        "SELECT s.id, s.unit_id, s.bydel, s.started_ms, s.closed_ms FROM shift_facts s WHERE {APPROVED}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![period.start_ms, period.end_ms])?;
    let mut shifts = IdMap::default();
    while let Some(r) = rows.next()? {
        let (Some(id), Some(unit)) = (id_at(r, 0)?, id_at(r, 1)?) else {
            continue;
        };
        if !scope.includes(UnitId(Uuid::from_u128(unit))) {
            continue;
        }
        let row = acc.row(text_at(r, 2)?);
        acc.rows[row].shifts += 1;
        shifts.insert(
            id,
            ShiftRow {
                row,
                started_ms: r.get(3)?,
                closed_ms: r.get::<_, Option<i64>>(4).ok().flatten(),
            },
        );
    }
    Ok(shifts)
}

/// Field time and the two-worker count, from the shifts' members.
fn add_members(
    conn: &Connection,
    period: &Period,
    shifts: &IdMap<ShiftRow>,
    acc: &mut Acc,
) -> Result<(), ExportError> {
    let sql = format!(
        "SELECT m.shift_id, m.worker_id, m.checked_in_ms, m.checked_out_ms
           FROM shift_facts s JOIN member_facts m ON m.shift_id = s.id
          WHERE {APPROVED}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![period.start_ms, period.end_ms])?;
    let mut workers: IdMap<HashSet<u128, Fast>> = IdMap::default();
    while let Some(r) = rows.next()? {
        let (Some(shift_id), Some(worker)) = (id_at(r, 0)?, id_at(r, 1)?) else {
            continue;
        };
        let Some(shift) = shifts.get(&shift_id) else {
            continue;
        };
        workers.entry(shift_id).or_default().insert(worker);
        let end = shift.closed_ms.unwrap_or(shift.started_ms);
        let ms = |i: usize| r.get::<_, Option<i64>>(i).ok().flatten();
        let checked_in = ms(2).unwrap_or(end);
        acc.rows[shift.row].field_ms +=
            rules::member_field_ms(shift.started_ms, end, checked_in, ms(3));
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

/// A referral as (service, status) vocabulary indexes.
type RefIdx = (Option<usize>, Option<usize>);

/// The referrals of the shifts, by encounter.
fn load_referrals(
    conn: &Connection,
    period: &Period,
    shifts: &IdMap<ShiftRow>,
) -> Result<IdMap<Vec<RefIdx>>, ExportError> {
    let sql = format!(
        "SELECT r.shift_id, r.encounter_id, r.service, r.status
           FROM shift_facts s JOIN referral_facts r ON r.shift_id = s.id WHERE {APPROVED}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![period.start_ms, period.end_ms])?;
    let mut services = Lookup::new(ReferralService::ALL, |v| v.as_str());
    let mut statuses = Lookup::new(ReferralStatus::ALL, |v| v.as_str());
    let mut by_encounter: IdMap<Vec<RefIdx>> = IdMap::default();
    while let Some(r) = rows.next()? {
        let (Some(shift_id), Some(encounter)) = (id_at(r, 0)?, id_at(r, 1)?) else {
            continue;
        };
        if !shifts.contains_key(&shift_id) {
            continue;
        }
        let service = services.one(bytes_at(r, 2)?);
        let status = statuses.one(bytes_at(r, 3)?);
        by_encounter
            .entry(encounter)
            .or_default()
            .push((service, status));
    }
    Ok(by_encounter)
}

/// Wire names to vocabulary indexes, memoised per export.
struct Lookup {
    names: Vec<&'static str>,
    memo: HashMap<Box<[u8]>, Vec<usize>, Fast>,
}

impl Lookup {
    fn new<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Self {
        Self {
            names: all.iter().map(|&v| name(v)).collect(),
            memo: HashMap::default(),
        }
    }

    /// The indexes of a ','-joined list of wire names.
    fn many(&mut self, text: Option<&[u8]>) -> &[usize] {
        let text = text.unwrap_or_default();
        if !self.memo.contains_key(text) {
            let found = text
                .split(|&b| b == b',')
                .filter_map(|part| self.names.iter().position(|n| n.as_bytes() == part))
                .collect();
            self.memo.insert(text.into(), found);
        }
        self.memo.get(text).map_or(&[], Vec::as_slice)
    }

    /// The index of one wire name.
    fn one(&mut self, text: Option<&[u8]>) -> Option<usize> {
        self.many(text).first().copied()
    }
}

/// Packed codes (see migration 0002) to vocabulary indexes.
struct Codes {
    age: Vec<Option<usize>>,
    gender: Vec<Option<usize>>,
    contact: Vec<Option<usize>>,
    residence: Vec<Option<usize>>,
    topic: Vec<Option<usize>>,
    action: Vec<Option<usize>>,
}

impl Codes {
    fn load(conn: &Connection) -> Result<Self, ExportError> {
        fn table<T: Copy>(
            conn: &Connection,
            vocab: &str,
            all: &[T],
            name: impl Fn(T) -> &'static str,
        ) -> Result<Vec<Option<usize>>, ExportError> {
            let mut out = vec![None; 64];
            for (code, wire) in vocab_codes::load(conn, vocab)? {
                if let Some(slot) = usize::try_from(code).ok().and_then(|c| out.get_mut(c)) {
                    *slot = all.iter().position(|&v| name(v) == wire);
                }
            }
            Ok(out)
        }
        Ok(Self {
            age: table(conn, "age_group", AgeGroup::ALL, AgeGroup::as_str)?,
            gender: table(conn, "gender", Gender::ALL, Gender::as_str)?,
            contact: table(conn, "contact_kind", ContactKind::ALL, ContactKind::as_str)?,
            residence: table(conn, "residence", Residence::ALL, Residence::as_str)?,
            topic: table(conn, "topic", Topic::ALL, Topic::as_str)?,
            action: table(conn, "action", Action::ALL, Action::as_str)?,
        })
    }
}

/// The code in bits `shift..shift + 4` as an index into `map`.
fn field(map: &[Option<usize>], packed: u64, shift: u32) -> Option<usize> {
    let code = usize::try_from((packed >> shift) & bits::CODE_MASK).unwrap_or(0);
    map.get(code).copied().flatten()
}

/// Adds 1 to `v` for every code bit set in `bits` (bit n = code n).
fn add_bits(v: &mut [u64], map: &[Option<usize>], mut bits: u64) {
    while bits != 0 {
        let code = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        add_at(v, map.get(code).copied().flatten(), 1);
    }
}

fn add_encounters(
    conn: &Connection,
    period: &Period,
    shifts: &IdMap<ShiftRow>,
    referrals: &IdMap<Vec<RefIdx>>,
    acc: &mut Acc,
) -> Result<(), ExportError> {
    let codes = Codes::load(conn)?;
    let mut stmt = conn.prepare(
        "SELECT shift_id, at_ms, bydel, packed, id FROM encounter_facts
          WHERE at_ms >= ?1 AND at_ms < ?2",
    )?;
    let mut rows = stmt.query(params![
        period.start_ms - DAY_MS,
        period.end_ms + TRAILING_MS
    ])?;
    let mut clock = LocalClock::new()?;
    let mut rows_by_bydel: HashMap<Vec<u8>, usize, Fast> = HashMap::default();
    while let Some(r) = rows.next()? {
        let Some(shift_id) = id_at(r, 0)? else {
            continue;
        };
        if !shifts.contains_key(&shift_id) {
            continue;
        }
        let bydel = bytes_at(r, 2)?.unwrap_or_default();
        let row = match rows_by_bydel.get(bydel) {
            Some(&row) => row,
            None => {
                let row = acc.row(text_at(r, 2)?);
                rows_by_bydel.insert(bydel.to_vec(), row);
                row
            }
        };
        let row = &mut acc.rows[row];
        let packed = u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0);
        let youths = (packed >> bits::YOUTHS) & bits::YOUTHS_MASK;
        row.encounters += 1;
        row.youths += youths;
        add_at(
            &mut row.youths_by_age,
            field(&codes.age, packed, bits::AGE),
            youths,
        );
        add_at(
            &mut row.youths_by_gender,
            field(&codes.gender, packed, bits::GENDER),
            youths,
        );
        add_at(
            &mut row.youths_by_contact,
            field(&codes.contact, packed, bits::CONTACT),
            youths,
        );
        add_at(
            &mut row.youths_by_residence,
            field(&codes.residence, packed, bits::RESIDENCE),
            youths,
        );
        add_bits(
            &mut row.encounters_by_topic,
            &codes.topic,
            (packed >> bits::TOPICS) & bits::TOPICS_MASK,
        );
        add_bits(
            &mut row.encounters_by_action,
            &codes.action,
            (packed >> bits::ACTIONS) & bits::ACTIONS_MASK,
        );
        let (weekday, hour) = clock.weekday_hour(r.get(1)?);
        add_at(&mut row.encounters_by_weekday, Some(weekday), 1);
        add_at(&mut row.encounters_by_band, Some(hour / 6), 1);
        if !referrals.is_empty()
            && let Some(id) = id_at(r, 4)?
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

/// A map keyed by ids as `u128`, with [`Fast`] hashing.
type IdMap<V> = HashMap<u128, V, Fast>;

/// A fast non-cryptographic hasher (FxHash's multiply-rotate). The keys
/// are our own UUIDs and vocabulary words, never chosen by an attacker to
/// collide, and SipHash was a fifth of the export's time.
#[derive(Clone, Copy, Debug, Default)]
struct Fast;

impl std::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_u128(&mut self, n: u128) {
        // Truncations on purpose: fold the two halves.
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

fn add_at(v: &mut [u64], i: Option<usize>, n: u64) {
    if let Some(slot) = i.and_then(|i| v.get_mut(i)) {
        *slot += n;
    }
}
