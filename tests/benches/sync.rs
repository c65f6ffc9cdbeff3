//! Server merge throughput and bytes on the wire.
//!
//! 100 devices × 1,000 encounters are sealed as real batches (one per
//! device, with the shift and its two members first so the pairing rule
//! holds, and the shift's close last so the next device's shift may check
//! in the same two workers), then applied through the server's real push path (auth, open,
//! journal, merge, rule checks, ack) into a real SQLite file. The same
//! encounter rows are then inserted into a plain table with prepared
//! statements in one transaction, for comparison. Finally: bytes on the
//! wire per encounter, sealed versus plain JSON.
//!
//! The cost per part (µs per change) replays the same batches piece by
//! piece through the server's own writers into a fresh database: opening,
//! the record rows (with the export fact), the pull entries, the journal
//! with one commit per batch; what the merge costs beyond those is the
//! lookups, rule checks and in-memory merge.
//!
//! Run: `cargo bench -p feltlogg-tests --bench sync`

use feltlogg_core::hlc::Clock;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ShiftId, UserId};
use feltlogg_core::record::{Encounter, Fields, Record, RecordKind, Shift, ShiftMember};
use feltlogg_core::sync::api::EnrolRequest;
use feltlogg_core::sync::{
    Batch, DeviceKey, KeyId, SigningKey, VerifyingKey, open_batch, seal_batch,
};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, ShiftStatus, Topic,
};
use feltlogg_server::{AppState, now_ms};
use feltlogg_tests::{MINUTE, enrol_code, seed_unit, whole_record_change};
use std::time::Instant;

/// Devices (batches of 1,000 encounters); `SYNC_DEVICES` makes a quicker run.
fn devices() -> usize {
    std::env::var("SYNC_DEVICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}
const PER_DEVICE: usize = 1000;

struct Sealed {
    token: String,
    envelope: Vec<u8>,
    opener: Opener,
    encounters: Vec<Encounter>,
    json_bytes: usize,
}

/// What the server needs to open a device's envelope.
struct Opener {
    key: DeviceKey,
    key_id: KeyId,
    device_id: DeviceId,
    public: VerifyingKey,
}

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = AppState::open(&dir.path().join("bench.db"))?;
    let unit = seed_unit(&state, "Ute Bench");
    let t0 = now_ms() - 30 * 24 * 60 * MINUTE;
    let sealed: Vec<Sealed> = (0..devices())
        .map(|d| seal_device(&state, &unit, t0 + d as i64 * 60 * MINUTE))
        .collect::<anyhow::Result<_>>()?;

    let start = Instant::now();
    let mut applied = 0;
    for s in &sealed {
        let ack = state
            .db
            .with(|c| feltlogg_server::sync::apply::push(c, &s.token, &s.envelope, now_ms()))?;
        // A refused change is far cheaper than a merged one: the bench
        // measures merging only if nothing is refused.
        anyhow::ensure!(
            ack.refused.is_empty(),
            "bench batch refused: {:?}",
            ack.refused.first()
        );
        applied += ack.applied;
    }
    let merge = start.elapsed();
    let changes = devices() * (PER_DEVICE + 4);
    anyhow::ensure!(
        applied as usize == changes,
        "applied {applied} of {changes}"
    );
    let merge_rate = changes as f64 / merge.as_secs_f64();

    let raw = raw_insert(&dir.path().join("raw.db"), &sealed)?;
    let raw_rate = (devices() * PER_DEVICE) as f64 / raw.as_secs_f64();
    let open_rate = changes as f64 / open_only(&sealed)?.as_secs_f64();
    let floor = floor_insert(&dir.path().join("floor.db"), &sealed)?;
    let floor_rate = (devices() * PER_DEVICE) as f64 / floor.as_secs_f64();
    // Opening and storing cannot overlap within one push, so their times add.
    let bound = 1.0 / (1.0 / open_rate + 1.0 / floor_rate);

    let parts = parts(&dir.path().join("parts.db"), &sealed, merge)?;

    let wire: usize = sealed.iter().map(|s| s.envelope.len()).sum();
    let json: usize = sealed.iter().map(|s| s.json_bytes).sum();
    let n = (devices() * PER_DEVICE) as f64;
    println!(
        "merge: {changes} changes in {merge:.2?} = {merge_rate:.0} changes/s (real push path)"
    );
    println!(
        "raw insert: {} rows in {raw:.2?} = {raw_rate:.0} rows/s",
        devices() * PER_DEVICE
    );
    println!(
        "merge / raw = {:.2} (target >= 0.15)",
        merge_rate / raw_rate
    );
    println!("  parts of the merge, each measured alone:");
    println!("  open only (verify, decrypt, inflate, decode): {open_rate:.0} changes/s");
    println!(
        "  the rows a merge keeps per encounter (record with stamps, pull entry, export fact), plain inserts in one transaction: {floor_rate:.0} encounters/s"
    );
    println!(
        "  => bound: a merge doing only these two, with no rule check and no per-batch commit, would reach {bound:.0}/s = {:.2} of raw",
        bound / raw_rate
    );
    println!("merge / bound = {:.2} (target >= 0.60)", merge_rate / bound);
    parts.print();
    println!(
        "wire: {:.1} bytes/encounter sealed vs {:.1} plain JSON = {:.1} % (target <= 40 %)",
        wire as f64 / n,
        json as f64 / n,
        100.0 * wire as f64 / json as f64
    );
    Ok(())
}

/// Enrols one device and seals its batch: a shift, two members, 1,000
/// encounters, the shift's close.
fn seal_device(
    state: &AppState,
    unit: &feltlogg_tests::Unit,
    start: i64,
) -> anyhow::Result<Sealed> {
    let (signer, _) = SigningKey::generate()?;
    let req = EnrolRequest {
        code: enrol_code(state, unit.id),
        device_public_key: signer.public_key().to_base64(),
        device_name: "bench".into(),
    };
    let resp = state.db.write_blocking(|c| {
        feltlogg_server::sync::enrol::enrol(c, &req, &state.server_public, now_ms())
    })?;
    let mut clock = Clock::new(resp.device_id);
    let shift = Shift {
        id: ShiftId::new(),
        unit_id: unit.id,
        bydel: "030102".into(),
        area_note: "Birkelunden".into(),
        started_ms: start,
        closed_ms: None,
        status: ShiftStatus::Open,
        reflection: None,
        not_a_person: Vec::new(),
    };
    let mut changes = vec![whole_record_change(&shift, &mut clock, start)];
    for w in &unit.workers[..2] {
        let m = member(shift.id, *w, start);
        changes.push(whole_record_change(&m, &mut clock, start));
    }
    let encounters: Vec<Encounter> = (0..PER_DEVICE)
        .map(|i| encounter(shift.id, start + 1000 + i as i64 * 1000, i))
        .collect();
    for e in &encounters {
        changes.push(whole_record_change(e, &mut clock, e.at_ms));
    }
    let end = start + 1000 + PER_DEVICE as i64 * 1000;
    let closed = Shift {
        closed_ms: Some(end),
        status: ShiftStatus::Closed,
        ..shift
    };
    changes.push(whole_record_change(&closed, &mut clock, end));
    let batch = Batch {
        device_id: resp.device_id,
        seq: 1,
        changes,
    };
    let json_bytes = serde_json::to_vec(&batch.changes)?.len();
    let key = DeviceKey::from_base64(&resp.device_key)?;
    let envelope = seal_batch(&batch, KeyId(resp.key_id), &key, &signer)?;
    Ok(Sealed {
        token: resp.token.clone(),
        envelope,
        opener: Opener {
            key,
            key_id: KeyId(resp.key_id),
            device_id: resp.device_id,
            public: signer.public_key(),
        },
        encounters,
        json_bytes,
    })
}

fn member(shift: ShiftId, worker: UserId, at: i64) -> ShiftMember {
    ShiftMember {
        id: MemberId::new(),
        shift_id: shift,
        worker_id: worker,
        checked_in_ms: at,
        checked_out_ms: None,
    }
}

fn encounter(shift: ShiftId, at: i64, i: usize) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: shift,
        at_ms: at,
        bydel: "030102".into(),
        place_type: PlaceType::ALL[i % PlaceType::ALL.len()],
        youth_count: 1 + (i % 5) as u32,
        age_group: AgeGroup::ALL[i % AgeGroup::ALL.len()],
        gender: Gender::ALL[i % Gender::ALL.len()],
        contact_kind: if i.is_multiple_of(3) {
            ContactKind::New
        } else {
            ContactKind::Known
        },
        // Each topic once: validation refuses a repeated one.
        topics: match Topic::ALL[i % Topic::ALL.len()] {
            Topic::Leisure => vec![Topic::Leisure],
            t => vec![t, Topic::Leisure],
        },
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: i
            .is_multiple_of(10)
            .then(|| "Snakket om sommerjobb og skolestart".to_owned()),
        not_a_person: Vec::new(),
    }
}

/// Opens every envelope (signature, AEAD, inflate, decode) and does
/// nothing else: the part of a push that is crypto and decoding.
fn open_only(sealed: &[Sealed]) -> anyhow::Result<std::time::Duration> {
    let start = Instant::now();
    for s in sealed {
        let o = &s.opener;
        let batch = open_batch(&s.envelope, &o.key, o.key_id, o.device_id, &o.public)?;
        std::hint::black_box(batch);
    }
    Ok(start.elapsed())
}

/// The least a merge must store per encounter, as plain rows: the record
/// (as in [`raw_insert`]), the pull entry that points the unit's other
/// phones at it (as the server's changelog does since it stopped copying
/// the change), and the export fact row.
fn floor_insert(path: &std::path::Path, sealed: &[Sealed]) -> anyhow::Result<std::time::Duration> {
    let mut conn = plain_db(path)?;
    conn.execute_batch(
        "CREATE TABLE pull (seq INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, kind TEXT NOT NULL,
         record_id TEXT NOT NULL, origin TEXT, created_ms INTEGER NOT NULL);
         CREATE TABLE fact (at_ms INTEGER NOT NULL, id BLOB NOT NULL, shift_id BLOB NOT NULL,
         bydel TEXT, packed INTEGER NOT NULL, PRIMARY KEY (at_ms, id)) WITHOUT ROWID;",
    )?;
    let start = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut record = tx.prepare(INSERT_ENCOUNTER)?;
        let mut pull = tx.prepare(
            "INSERT INTO pull (unit_id, kind, record_id, origin, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut fact = tx.prepare("INSERT INTO fact VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for e in sealed.iter().flat_map(|s| &s.encounters) {
            put_encounter(&mut record, e)?;
            pull.execute(rusqlite::params![
                "unit",
                "encounter",
                e.id.to_string(),
                "device",
                e.at_ms
            ])?;
            fact.execute(rusqlite::params![
                e.at_ms,
                e.id.uuid().as_bytes(),
                e.shift_id.uuid().as_bytes(),
                e.bydel,
                i64::from(e.youth_count)
            ])?;
        }
    }
    tx.commit()?;
    Ok(start.elapsed())
}

/// The same encounters as plain rows, prepared statements, one transaction.
fn raw_insert(path: &std::path::Path, sealed: &[Sealed]) -> anyhow::Result<std::time::Duration> {
    let mut conn = plain_db(path)?;
    let start = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(INSERT_ENCOUNTER)?;
        for e in sealed.iter().flat_map(|s| &s.encounters) {
            put_encounter(&mut stmt, e)?;
        }
    }
    tx.commit()?;
    Ok(start.elapsed())
}

const INSERT_ENCOUNTER: &str =
    "INSERT INTO encounter VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// A database with the server's durability settings and a plain,
/// typed encounter table.
fn plain_db(path: &std::path::Path) -> anyhow::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE encounter (id TEXT PRIMARY KEY, shift_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
         bydel TEXT NOT NULL, place_type TEXT NOT NULL, youth_count INTEGER NOT NULL,
         age_group TEXT NOT NULL, gender TEXT NOT NULL, contact_kind TEXT NOT NULL,
         topics TEXT NOT NULL, actions TEXT NOT NULL, residence TEXT NOT NULL, note TEXT)",
    )?;
    Ok(conn)
}

fn put_encounter(stmt: &mut rusqlite::Statement<'_>, e: &Encounter) -> anyhow::Result<()> {
    stmt.execute(rusqlite::params![
        e.id.to_string(),
        e.shift_id.to_string(),
        e.at_ms,
        e.bydel,
        e.place_type.as_str(),
        e.youth_count,
        e.age_group.as_str(),
        e.gender.as_str(),
        e.contact_kind.as_str(),
        serde_json::to_string(&e.topics)?,
        serde_json::to_string(&e.actions)?,
        e.residence.as_str(),
        e.note,
    ])?;
    Ok(())
}

/// What each part of a merge costs alone, in µs per change.
struct Parts {
    merge: f64,
    open: f64,
    records: f64,
    pull: f64,
    journal: f64,
}

impl Parts {
    fn print(&self) {
        let rest = self.merge - self.open - self.records - self.pull - self.journal;
        println!("  cost per part, µs per change (each part alone through the server's own code):");
        println!(
            "    open (verify, decrypt, inflate, decode) {:.2}",
            self.open
        );
        println!(
            "    record rows with export facts (db::records) {:.2}",
            self.records
        );
        println!("    pull entries (db::changelog) {:.2}", self.pull);
        println!("    journal and one commit per batch {:.2}", self.journal);
        println!("    lookups, rule checks, in-memory merge (the rest) {rest:.2}");
        println!("    whole merge {:.2}", self.merge);
    }
}

/// Replays the merge's writes part by part into fresh databases, each
/// part timed alone (the best of three runs: the machine is shared): the
/// record rows, the pull entries (both in one transaction, so no commit is
/// counted twice), then the journal rows with a commit per batch.
fn parts(
    path: &std::path::Path,
    sealed: &[Sealed],
    merge: std::time::Duration,
) -> anyhow::Result<Parts> {
    let opened: Vec<Batch> = sealed
        .iter()
        .map(|s| {
            let o = &s.opener;
            open_batch(&s.envelope, &o.key, o.key_id, o.device_id, &o.public)
        })
        .collect::<Result<_, _>>()?;
    let changes: usize = opened.iter().map(|b| b.changes.len()).sum();
    let us = |d: std::time::Duration| d.as_secs_f64() * 1e6 / changes as f64;
    let mut best = [std::time::Duration::MAX; 4];
    for run in 0..3 {
        let [records, pull, journal] =
            parts_once(&path.with_extension(format!("{run}.db")), sealed, &opened)?;
        let times = [open_only(sealed)?, records, pull, journal];
        for (b, t) in best.iter_mut().zip(times) {
            *b = (*b).min(t);
        }
    }
    Ok(Parts {
        merge: us(merge),
        open: us(best[0]),
        records: us(best[1]),
        pull: us(best[2]),
        journal: us(best[3]),
    })
}

/// One run of the parts: (records, pull entries, journal and commits).
fn parts_once(
    path: &std::path::Path,
    sealed: &[Sealed],
    opened: &[Batch],
) -> anyhow::Result<[std::time::Duration; 3]> {
    use feltlogg_core::change::RecordState;
    use feltlogg_server::db::{batches, changelog, encounter_facts::LazyCodes, records};
    let state = AppState::open(path)?;
    let unit = seed_unit(&state, "Ute Deler");
    let now = now_ms();
    // What the merge has worked out before it writes: the merged state, its
    // values and, for an encounter, the typed record.
    let merged: Vec<(RecordState, Fields, Option<Encounter>)> = opened
        .iter()
        .flat_map(|b| &b.changes)
        .map(|ch| {
            let mut st = RecordState::new(ch.kind);
            st.merge(ch);
            let values = st.values();
            let e = (ch.kind == RecordKind::Encounter)
                .then(|| Encounter::from_fields(&values).ok())
                .flatten();
            (st, values, e)
        })
        .collect();
    let (records_time, pull_time) = state.db.with(|c| {
        let tx = c.transaction()?;
        let mut codes = LazyCodes::default();
        let start = Instant::now();
        let changes = opened
            .iter()
            .flat_map(|b| b.changes.iter().map(move |ch| (b, ch)));
        for ((b, ch), (st, values, e)) in changes.zip(&merged) {
            let w = records::Write {
                id: ch.id,
                unit: unit.id,
                state: st,
                values,
                encounter: e.as_ref(),
                existed: ch.kind == RecordKind::Shift && st.fields.contains_key("closed_ms"),
                origin: Some(b.device_id),
                now_ms: now,
            };
            records::write(&tx, &mut codes, &w)?;
        }
        let records_time = start.elapsed();
        let start = Instant::now();
        for b in opened {
            for ch in &b.changes {
                changelog::insert_change(
                    &tx,
                    unit.id,
                    ch.kind,
                    ch.id,
                    Some(b.device_id),
                    false,
                    now,
                )?;
            }
        }
        let pull_time = start.elapsed();
        tx.commit()?;
        anyhow::Ok((records_time, pull_time))
    })?;
    let journal_time = state.db.with(|c| {
        // The journal names devices this database never enrolled.
        c.pragma_update(None, "foreign_keys", "OFF")?;
        let start = Instant::now();
        for (b, s) in opened.iter().zip(sealed) {
            let tx = c.transaction()?;
            batches::insert(&tx, b.device_id, b.seq + 1, &s.envelope, "{}", now)?;
            tx.commit()?;
        }
        anyhow::Ok(start.elapsed())
    })?;
    Ok([records_time, pull_time, journal_time])
}
