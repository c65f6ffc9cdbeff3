//! Export bench: a year of totals over 1,000,000 encounters must take
//! under a second (build, suppress, and write the workbook).
//!
//! `cargo bench -p feltlogg-server --bench export`
//!
//! The database is built once through the server's own record writer
//! (`db::records::upsert`, as the merge calls it, from core's typed
//! records), so the fact tables are filled as on a live server. It is kept
//! in the target directory and reused; set `FELTLOGG_BENCH_REBUILD=1` to
//! build it again and `FELTLOGG_BENCH_ENCOUNTERS=N` for another size.
//!
//! `FELTLOGG_BENCH_SCANS=1` also prints bare scans of the fact table.
//! For comparison it also times one GROUP BY straight over the record
//! table's VIRTUAL JSON columns: the path the fact tables replace.

use feltlogg_core::change::RecordState;
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ReferralId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Record, Referral, Shift, ShiftMember};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    ShiftStatus, Topic,
};
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::records;
use feltlogg_server::export::{self, CsvDialect, Period, Scope};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const UNITS: [(&str, &str); 5] = [
    ("Uteseksjonen", "030116"),
    ("Ute Grünerløkka", "030102"),
    ("Ute Søndre Nordstrand", "030115"),
    ("Ute Stovner", "030111"),
    ("Ute Frogner", "030105"),
];
const ENCOUNTERS_PER_SHIFT: u64 = 20;
use feltlogg_core::time::HOUR_MS as HOUR;

fn main() {
    let n: u64 = std::env::var("FELTLOGG_BENCH_ENCOUNTERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let path = db_path(n);
    let rebuild = std::env::var("FELTLOGG_BENCH_REBUILD").is_ok_and(|v| v == "1");
    if rebuild || !path.exists() {
        let started = Instant::now();
        build(&path, n);
        println!(
            "built {} with {n} encounters in {:.1?}",
            path.display(),
            started.elapsed()
        );
    }
    let conn = feltlogg_server::db::open(&path).expect("open bench db");
    let period = Period::parse("2025").expect("period");
    if std::env::var("FELTLOGG_BENCH_SCANS").is_ok() {
        raw_scans(&conn, &period);
    }
    let runs = 5;
    let mut build_t = Vec::new();
    let mut all_t = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        let totals = export::build_totals(&conn, &period, &Scope::All).expect("totals");
        let t1 = t0.elapsed();
        let published = export::suppress(&totals, export::DEFAULT_THRESHOLD);
        let xlsx = export::to_xlsx(&published).expect("xlsx");
        let csv = export::to_csv(&published, CsvDialect::Excel);
        all_t.push(t0.elapsed());
        build_t.push(t1);
        last = Some((
            totals.total.encounters,
            totals.total.shifts,
            xlsx.len(),
            csv.len(),
        ));
    }
    let (enc, shifts, xlsx, csv) = last.expect("ran");
    println!(
        "export year 2025: {enc} encounters on {shifts} approved shifts counted; xlsx {xlsx} B, csv {csv} B"
    );
    println!(
        "  build_totals median {:.1?}; build+suppress+xlsx+csv median {:.1?} (of {runs} runs)",
        median(&mut build_t),
        median(&mut all_t)
    );
    let t = Instant::now();
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT e.bydel, e.age_group, count(*), sum(e.youth_count)
               FROM encounters e JOIN shifts s ON s.id = e.shift_id
              WHERE s.status = 'approved' AND e.deleted = 0 AND s.deleted = 0
              GROUP BY e.bydel, e.age_group)",
            [],
            |r| r.get(0),
        )
        .expect("baseline");
    println!(
        "  baseline: one GROUP BY (bydel, age) over the JSON record table: {:.1?} ({rows} groups)",
        t.elapsed()
    );
    let target = Duration::from_secs(1);
    let m = median(&mut all_t);
    println!(
        "  target < {target:?}: {}",
        if m < target { "met" } else { "MISSED" }
    );
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn db_path(n: u64) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join(format!("feltlogg-export-bench-{n}.db"))
}

fn build(path: &Path, n: u64) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut conn = feltlogg_server::db::open(path).expect("create bench db");
    conn.pragma_update(None, "synchronous", "OFF")
        .expect("pragma");
    let tx = conn.transaction().expect("tx");
    let mut out = Out {
        tx: &tx,
        codes: LazyCodes::default(),
    };
    let by = feltlogg_server::db::audit::Actor::operator("bench");
    let units: Vec<(UnitId, &str)> = UNITS
        .iter()
        .map(|(name, bydel)| {
            let u = feltlogg_server::admin::add_unit(&tx, &by, name, bydel, 0).expect("unit");
            (u.id, *bydel)
        })
        .collect();
    let device = DeviceId::new();
    let mut rng = StdRng::seed_from_u64(2025);
    let period = Period::parse("2025").expect("period");
    let shifts = n.div_ceil(ENCOUNTERS_PER_SHIFT);
    let span = period.end_ms - period.start_ms - 12 * HOUR;
    // Devices push roughly in time order: insert shifts by start time.
    let mut starts: Vec<i64> = (0..shifts)
        .map(|_| period.start_ms + rng.gen_range(0..span))
        .collect();
    starts.sort_unstable();
    for (s, start) in (0..shifts).zip(starts) {
        let (unit, bydel) = units[usize::try_from(s % 5).unwrap_or(0)];
        let count = ENCOUNTERS_PER_SHIFT.min(n - s * ENCOUNTERS_PER_SHIFT);
        insert_shift(&mut out, &mut rng, device, unit, bydel, start, count);
    }
    tx.commit().expect("commit");
}

/// Where records go: the transaction and the export codes for its writes.
struct Out<'a> {
    tx: &'a Connection,
    codes: LazyCodes,
}

/// Writes record `id` as the merge does: one stamp on every field, through
/// the server's own record writer (which also files its export fact row).
fn put<R: Record>(out: &mut Out<'_>, unit: UnitId, id: uuid::Uuid, rec: &R, hlc: Hlc) {
    let state = RecordState::of_record(rec, hlc);
    records::upsert(out.tx, &mut out.codes, id, unit, &state, None, 0).expect("upsert");
}

fn pick<T: Copy>(rng: &mut StdRng, all: &[T]) -> T {
    all[rng.gen_range(0..all.len())]
}

fn insert_shift(
    out: &mut Out<'_>,
    rng: &mut StdRng,
    device: DeviceId,
    unit: UnitId,
    bydel: &str,
    start: i64,
    count: u64,
) {
    let hlc = Hlc {
        wall_ms: start,
        counter: 0,
        device,
    };
    let status = if rng.gen_bool(0.9) {
        ShiftStatus::Approved
    } else {
        ShiftStatus::Closed
    };
    let shift = Shift {
        id: ShiftId::new(),
        unit_id: unit,
        bydel: bydel.to_owned(),
        area_note: "Rute sentrum".into(),
        started_ms: start,
        closed_ms: Some(start + 5 * HOUR),
        status,
        reflection: Some("Rolig kveld.".into()),
        not_a_person: Vec::new(),
    };
    put(out, unit, shift.id.uuid(), &shift, hlc);
    for _ in 0..2 {
        let m = ShiftMember {
            id: MemberId::new(),
            shift_id: shift.id,
            worker_id: UserId::new(),
            checked_in_ms: start,
            checked_out_ms: Some(start + 5 * HOUR),
        };
        put(out, unit, m.id.uuid(), &m, hlc);
    }
    for i in 0..count {
        let e = Encounter {
            id: EncounterId::new(),
            shift_id: shift.id,
            at_ms: start + i64::try_from(i).unwrap_or(0) * 14 * 60_000,
            bydel: bydel.to_owned(),
            place_type: pick(rng, PlaceType::ALL),
            youth_count: rng.gen_range(1..5),
            age_group: pick(rng, AgeGroup::ALL),
            gender: pick(rng, Gender::ALL),
            contact_kind: pick(rng, ContactKind::ALL),
            topics: vec![pick(rng, Topic::ALL), pick(rng, Topic::ALL)],
            actions: vec![Action::Conversation, pick(rng, Action::ALL)],
            residence: pick(rng, Residence::ALL),
            note: None,
            not_a_person: Vec::new(),
        };
        put(out, unit, e.id.uuid(), &e, hlc);
        if rng.gen_bool(0.1) {
            let r = Referral {
                id: ReferralId::new(),
                encounter_id: e.id,
                shift_id: shift.id,
                service: pick(rng, ReferralService::ALL),
                status: pick(rng, ReferralStatus::ALL),
                note: None,
                not_a_person: Vec::new(),
            };
            put(out, unit, r.id.uuid(), &r, hlc);
        }
    }
}

/// With `FELTLOGG_BENCH_SCANS=1`: the bare cost of reading the fact table
/// (what no Rust-side counting can go below).
fn raw_scans(conn: &Connection, period: &Period) {
    for sql in [
        "SELECT count(*) FROM encounter_facts WHERE at_ms >= ?1 AND at_ms < ?2",
        "SELECT shift_id, at_ms, bydel, packed, id FROM encounter_facts WHERE at_ms >= ?1 AND at_ms < ?2",
        "SELECT shift_id FROM encounter_facts WHERE at_ms >= ?1 AND at_ms < ?2",
    ] {
        let t = Instant::now();
        let mut stmt = conn.prepare(sql).expect("p");
        let mut rows = stmt
            .query(params![period.start_ms, period.end_ms])
            .expect("q");
        let mut n = 0u64;
        while let Some(r) = rows.next().expect("row") {
            for i in 0..r.as_ref().column_count() {
                let _ = r.get_ref(i).expect("c");
            }
            n += 1;
        }
        println!("  scan {:.1?} rows {n}: {sql}", t.elapsed());
    }
}
