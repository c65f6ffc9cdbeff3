//! Benchmark (not a test): how long saving one encounter takes on a store
//! that already holds 100,000, through the real `add_encounter` (one
//! transaction, `synchronous=FULL`, outbox append, clock persisted), on the
//! encrypted store the app uses and, in the same run, on a plain one (the
//! format before encryption) to show what SQLCipher costs.
//!
//! Run: `cargo bench -p feltlogg-device --bench save_encounter`
//! Set `FELTLOGG_BENCH_DIR` to measure on a particular file system (the
//! default is the system temp dir), `FELTLOGG_BENCH_ONLY=encrypted|plain`
//! to run one store, `FELTLOGG_BENCH_FILL` for another fill than 100,000.

use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, UnixMs};
use feltlogg_core::secret::hash_secret;
use feltlogg_core::{Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Topic};
use feltlogg_device::store::{Store, now_ms};
use std::time::{Duration, Instant};

const DEFAULT_FILL: usize = 100_000;
const SHIFTS: usize = 100;
const MEASURED: usize = 1_000;
const PIN_A: &str = "111111";
const PIN_B: &str = "222222";

fn encounter(shift: ShiftId, at: UnixMs, i: usize) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: shift,
        at_ms: at,
        bydel: "030102".into(),
        place_type: PlaceType::ALL[i % PlaceType::ALL.len()],
        youth_count: u32::try_from(i % 5).unwrap_or(0) + 1,
        age_group: AgeGroup::ALL[i % AgeGroup::ALL.len()],
        gender: Gender::ALL[i % Gender::ALL.len()],
        contact_kind: ContactKind::ALL[i % ContactKind::ALL.len()],
        topics: vec![Topic::ALL[i % Topic::ALL.len()]],
        actions: vec![Action::ALL[i % Action::ALL.len()]],
        residence: Residence::ALL[i % Residence::ALL.len()],
        note: i
            .is_multiple_of(4)
            .then(|| "snakket om skole og fritid, avtalt ny prat neste uke".to_owned()),
        not_a_person: Vec::new(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> BenchResult<()> {
    let base = std::env::var_os("FELTLOGG_BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    let dir = tempfile::tempdir_in(base)?;
    let fill = std::env::var("FELTLOGG_BENCH_FILL").map_or(Ok(DEFAULT_FILL), |v| v.parse())?;
    let only = std::env::var("FELTLOGG_BENCH_ONLY").unwrap_or_default();
    let enc = dir.path().join("encrypted.db");
    if only == "plain" {
        measure(
            "plain",
            Store::open_plain(&dir.path().join("plain.db"))?,
            fill,
        )?;
        return Ok(());
    }
    let (e50, e99) = measure("encrypted", feltlogg_device::vault::open_file(&enc)?, fill)?;
    if only == "encrypted" {
        return Ok(());
    }
    let (p50, p99) = measure(
        "plain",
        Store::open_plain(&dir.path().join("plain.db"))?,
        fill,
    )?;
    println!(
        "encrypted / plain: p50 {:.2}x, p99 {:.2}x",
        e50 / p50,
        e99 / p99
    );
    Ok(())
}

/// Fills `store` and times [`MEASURED`] saves; returns p50 and p99 in ms.
fn measure(label: &str, mut store: Store, fill: usize) -> BenchResult<(f64, f64)> {
    let unit = UnitId::new();
    store.init_device(DeviceId::new(), unit)?;
    let (a, b) = (UserId::new(), UserId::new());
    let entry = |id, pin: &str| -> BenchResult<WorkerEntry> {
        Ok(WorkerEntry {
            id,
            unit_id: unit,
            display_name: "bench".into(),
            pin_verifier: hash_secret(pin)?,
            active: true,
        })
    };
    store.replace_directory(&[entry(a, PIN_A)?, entry(b, PIN_B)?])?;

    // Fill through the real API: 100 shifts of 1,000 encounters each.
    let fill_start = Instant::now();
    let mut now = now_ms() - 365 * feltlogg_core::time::DAY_MS;
    let mut shift = ShiftId::new();
    for s in 0..SHIFTS {
        shift = store.start_shift("030102", "", &[(a, PIN_A), (b, PIN_B)], now)?;
        for i in 0..fill / SHIFTS {
            now += 1;
            store.add_encounter(encounter(shift, now, s * 1000 + i), now)?;
        }
        if s + 1 < SHIFTS {
            store.close_shift(shift, None, now)?;
        }
    }
    let elapsed = fill_start.elapsed();
    println!(
        "{label}: filled {} encounters in {:.1} s ({:.3} ms each), {} changes pending",
        store.encounter_count()?,
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / fill as f64,
        store.pending_changes()?
    );

    let mut times = Vec::with_capacity(MEASURED);
    for i in 0..MEASURED {
        now += 1;
        let e = encounter(shift, now, i);
        let t = Instant::now();
        store.add_encounter(e, now)?;
        times.push(t.elapsed());
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.50), percentile(&times, 0.99));
    println!(
        "{label}: add_encounter x{MEASURED} on {fill} encounters: p50 {p50:.3} ms, p99 {p99:.3} ms, max {:.3} ms",
        percentile(&times, 1.0),
    );
    Ok((p50, p99))
}
