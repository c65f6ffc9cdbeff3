//! Part 1 of the load bench: N phones enrol, push a day each in two
//! batches and pull, all at once over HTTP, against the server binary.

use crate::day::{self, Day};
use feltlogg_core::Role;
use feltlogg_core::ids::{DeviceId, UnitId, UserId};
use feltlogg_core::sync::api::{EnrolRequest, EnrolResponse};
use feltlogg_core::sync::{
    Ack, Batch, DeviceKey, KeyId, SigningKey, VerifyingKey, open_pull_page, seal_batch,
};
use feltlogg_server::admin::{self, UserSpec};
use feltlogg_server::{AppState, now_ms};
use feltlogg_tests::{ChildServer, integrity_ok};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Phones per unit; each phone's day is worked by its own pair of workers,
/// so check-ins never clash however the pushes interleave.
const PHONES_PER_UNIT: usize = 5;
/// One minute in ms.
const MINUTE: i64 = 60_000;

/// What a phone needs before it enrols.
struct Plan {
    code: String,
    unit: UnitId,
    pair: [UserId; 2],
}

/// An enrolled phone with its day sealed, ready to push.
struct Ready {
    unit: UnitId,
    token: String,
    device: DeviceId,
    key: DeviceKey,
    key_id: KeyId,
    server_key: VerifyingKey,
    sealed: [Vec<u8>; 2],
    /// When, after the start, this phone begins to push.
    delay: Duration,
    changes: usize,
    /// The records those changes write (a shift, its members, …).
    records: usize,
    encounters: usize,
    referrals: usize,
}

/// What one phone saw.
#[derive(Default)]
struct Seen {
    latencies: Vec<Duration>,
    applied: usize,
    /// The distinct records its pull pages held.
    pulled: usize,
    errors: Vec<String>,
}

pub async fn run(
    exe: &str,
    phones: usize,
    concurrency: usize,
    spread_ms: usize,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("load.db");
    let t = Instant::now();
    let plans = seed(&db, phones)?;
    let server = ChildServer::spawn(exe, &db, 0);
    let url = Arc::new(format!("http://127.0.0.1:{}", server.port));
    let ready = enrol_all(&url, plans).await?;
    println!(
        "load: {phones} phones seeded, enrolled and their days sealed in {:.1?}",
        t.elapsed()
    );
    // Phone i starts pushing at i/N of the spread (0: all at once).
    let ready: Vec<Arc<Ready>> = ready
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let delay = Duration::from_millis((i * spread_ms / phones.max(1)) as u64);
            Arc::new(Ready { delay, ..r })
        })
        .collect();
    println!(
        "load: {phones} phones start pushing {}",
        if spread_ms == 0 {
            "at once".to_owned()
        } else {
            format!("spread evenly over {spread_ms} ms")
        }
    );
    let gate = Arc::new(Semaphore::new(concurrency));
    let start = Instant::now();
    let pushed = each(&ready, &gate, &url, push_day).await;
    let push_time = start.elapsed();
    let start = Instant::now();
    let pulled = each(&ready, &gate, &url, pull_all).await;
    let pull_time = start.elapsed();
    report(&ready, &pushed, push_time, &pulled, pull_time);
    check(&db, &ready, &pulled)?;
    drop(server);
    Ok(())
}

/// A database with one unit per five phones, two workers per phone, and an
/// enrolment code per phone. Two threads: each worker's PIN is hashed
/// (Argon2), which is most of the time here.
fn seed(db: &Path, phones: usize) -> anyhow::Result<Vec<Plan>> {
    let state = AppState::open(db)?;
    let units = phones.div_ceil(PHONES_PER_UNIT);
    let half = units.div_ceil(2);
    let plans = std::thread::scope(|s| {
        let a = s.spawn(|| seed_units(&state, 0..half.min(units)));
        let b = s.spawn(|| seed_units(&state, half.min(units)..units));
        let mut plans = a
            .join()
            .map_err(|_| anyhow::anyhow!("seeding thread panicked"))??;
        plans.extend(
            b.join()
                .map_err(|_| anyhow::anyhow!("seeding thread panicked"))??,
        );
        anyhow::Ok(plans)
    })?;
    Ok(plans.into_iter().take(phones).collect())
}

fn seed_units(state: &AppState, units: std::ops::Range<usize>) -> anyhow::Result<Vec<Plan>> {
    let now = now_ms();
    let mut plans = Vec::new();
    for u in units {
        state.db.write_blocking(|c| {
            let by = &feltlogg_server::db::audit::Actor::operator("bench");
            let unit = admin::add_unit(c, by, &format!("Ute Last {u}"), "030102", now)?;
            for p in 0..PHONES_PER_UNIT {
                let mut pair = [UserId::new(); 2];
                for (w, slot) in pair.iter_mut().enumerate() {
                    let spec = UserSpec {
                        username: format!("last-{u}-{p}-{w}"),
                        display_name: format!("Arbeider {u}-{p}-{w}"),
                        role: Role::Worker,
                        unit: Some(unit.id.to_string()),
                        pin: Some(format!("{:06}", 100_000 + u * 10 + p * 2 + w)),
                        password: None,
                    };
                    *slot = admin::add_user(c, by, &spec, now)?;
                }
                let code = admin::make_enrol_code(c, by, &unit.id.to_string(), 120, now)?.code;
                plans.push(Plan {
                    code,
                    unit: unit.id,
                    pair,
                });
            }
            anyhow::Ok(())
        })?;
    }
    Ok(plans)
}

/// Enrols every phone over HTTP (all at once) and seals its day.
async fn enrol_all(url: &Arc<String>, plans: Vec<Plan>) -> anyhow::Result<Vec<Ready>> {
    let mut set = JoinSet::new();
    for (i, plan) in plans.into_iter().enumerate() {
        let url = Arc::clone(url);
        set.spawn(async move { (i, enrol(&url, plan).await) });
    }
    let mut ready: Vec<(usize, Ready)> = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (i, r) = joined?;
        ready.push((i, r?));
    }
    ready.sort_by_key(|(i, _)| *i);
    Ok(ready.into_iter().map(|(_, r)| r).collect())
}

async fn enrol(url: &str, plan: Plan) -> anyhow::Result<Ready> {
    let (signer, _) = SigningKey::generate()?;
    let req = EnrolRequest {
        code: plan.code,
        device_public_key: signer.public_key().to_base64(),
        device_name: "lasttelefon".into(),
    };
    let resp = reqwest::Client::new()
        .post(format!("{url}/api/v1/devices/enrol"))
        .json(&req)
        .send()
        .await?
        .error_for_status()?;
    let e: EnrolResponse = resp.json().await?;
    let key = DeviceKey::from_base64(&e.device_key)?;
    let key_id = KeyId(e.key_id);
    // Yesterday evening, so no stamp is in the future.
    let start = now_ms() - 20 * 60 * MINUTE;
    let Day {
        first,
        second,
        encounters,
        referrals,
    } = day::day(
        e.device_id,
        plan.unit,
        plan.pair,
        start,
        &mut rand::thread_rng(),
    );
    let changes = first.len() + second.len();
    let records = first.iter().chain(&second).map(|c| c.id);
    let records = records.collect::<std::collections::HashSet<_>>().len();
    let seal = |seq: u64, changes: Vec<_>| {
        let batch = Batch {
            device_id: e.device_id,
            seq,
            changes,
        };
        seal_batch(&batch, key_id, &key, &signer)
    };
    Ok(Ready {
        unit: plan.unit,
        sealed: [seal(1, first)?, seal(2, second)?],
        delay: Duration::ZERO,
        token: e.token,
        device: e.device_id,
        key_id,
        server_key: VerifyingKey::from_base64(&e.server_public_key)?,
        key,
        changes,
        records,
        encounters,
        referrals,
    })
}

/// Runs `work` for every phone at once (at most `gate` at a time), each
/// with its own HTTP client as a real phone has; results in phone order.
async fn each<F, Fut>(
    ready: &[Arc<Ready>],
    gate: &Arc<Semaphore>,
    url: &Arc<String>,
    work: F,
) -> Vec<Seen>
where
    F: Fn(reqwest::Client, Arc<String>, Arc<Ready>) -> Fut,
    Fut: Future<Output = Seen> + Send + 'static,
{
    let mut set = JoinSet::new();
    for (i, r) in ready.iter().enumerate() {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_default();
        let fut = work(client, Arc::clone(url), Arc::clone(r));
        let gate = Arc::clone(gate);
        set.spawn(async move {
            let _permit = gate.acquire_owned().await;
            (i, fut.await)
        });
    }
    let mut out: Vec<(usize, Seen)> = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(seen) => out.push(seen),
            Err(e) => out.push((usize::MAX, Seen::failed(e.to_string()))),
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, s)| s).collect()
}

impl Seen {
    fn failed(error: String) -> Self {
        Self {
            errors: vec![error],
            ..Self::default()
        }
    }
}

/// Pushes the phone's two batches in order, timing each request.
async fn push_day(client: reqwest::Client, url: Arc<String>, r: Arc<Ready>) -> Seen {
    let mut seen = Seen::default();
    tokio::time::sleep(r.delay).await;
    for (i, envelope) in r.sealed.iter().enumerate() {
        let start = Instant::now();
        let result = push_one(&client, &url, &r.token, envelope.clone()).await;
        seen.latencies.push(start.elapsed());
        match result {
            Ok(ack) if ack.seq == i as u64 + 1 && ack.refused.is_empty() => {
                seen.applied += ack.applied as usize;
            }
            Ok(ack) => seen.errors.push(format!(
                "batch {} acked as seq {} with {} refused (first: {:?})",
                i + 1,
                ack.seq,
                ack.refused.len(),
                ack.refused.first().map(|r| &r.reason)
            )),
            Err(e) => {
                seen.errors.push(e.to_string());
                break;
            }
        }
    }
    seen
}

async fn push_one(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    envelope: Vec<u8>,
) -> anyhow::Result<Ack> {
    let resp = client
        .post(format!("{url}/api/v1/sync/push"))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
        .body(envelope)
        .send()
        .await?;
    let status = resp.status();
    let body = resp.bytes().await?;
    anyhow::ensure!(
        status.is_success(),
        "push answered {status}: {}",
        String::from_utf8_lossy(&body)
    );
    Ok(serde_json::from_slice(&body)?)
}

/// Pulls every page from cursor 0, opening each with the real crypto.
async fn pull_all(client: reqwest::Client, url: Arc<String>, r: Arc<Ready>) -> Seen {
    let mut seen = Seen::default();
    let mut records = std::collections::HashSet::new();
    let mut cursor = 0;
    loop {
        let start = Instant::now();
        let page = async {
            let resp = client
                .get(format!("{url}/api/v1/sync/pull?after={cursor}"))
                .bearer_auth(&r.token)
                .send()
                .await?
                .error_for_status()?;
            let bytes = resp.bytes().await?;
            anyhow::Ok(open_pull_page(
                &bytes,
                &r.key,
                r.key_id,
                r.device,
                &r.server_key,
                cursor,
            )?)
        }
        .await;
        seen.latencies.push(start.elapsed());
        match page {
            Ok(page) => {
                // A page sends each record as it is now (one change per
                // stamp), so records, not changes, are what to count.
                records.extend(page.changes.iter().map(|c| c.id));
                seen.pulled = records.len();
                cursor = page.cursor;
                if !page.more {
                    return seen;
                }
            }
            Err(e) => {
                seen.errors.push(e.to_string());
                return seen;
            }
        }
    }
}

fn report(ready: &[Arc<Ready>], pushed: &[Seen], push: Duration, pulled: &[Seen], pull: Duration) {
    let changes: usize = ready.iter().map(|r| r.changes).sum();
    let errors: usize = pushed.iter().map(|s| s.errors.len()).sum();
    let applied: usize = pushed.iter().map(|s| s.applied).sum();
    let mut lat: Vec<Duration> = pushed.iter().flat_map(|s| s.latencies.clone()).collect();
    lat.sort();
    println!(
        "load: {} phones, {changes} changes in {} batches, {errors} errors, {applied} applied, pushed in {push:.2?} = {:.0} changes/s",
        ready.len(),
        lat.len(),
        applied as f64 / push.as_secs_f64()
    );
    println!("load: push latency {}", percentiles(&lat));
    if let Some(e) = pushed.iter().flat_map(|s| &s.errors).next() {
        println!("load: first push error: {e}");
    }
    let pull_errors: usize = pulled.iter().map(|s| s.errors.len()).sum();
    let mut lat: Vec<Duration> = pulled.iter().flat_map(|s| s.latencies.clone()).collect();
    lat.sort();
    println!(
        "load: pull: {} pages, {} records to the partner phones, {pull_errors} errors, in {pull:.2?}; latency {}",
        lat.len(),
        pulled.iter().map(|s| s.pulled).sum::<usize>(),
        percentiles(&lat)
    );
    if let Some(e) = pulled.iter().flat_map(|s| &s.errors).next() {
        println!("load: first pull error: {e}");
    }
}

fn percentiles(sorted: &[Duration]) -> String {
    let at = |q: f64| {
        let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(i).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_millis();
    format!(
        "p50 {} ms p95 {} ms p99 {} ms max {} ms",
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(sorted.last().copied().unwrap_or_default())
    )
}

/// The server's file holds every change sent exactly once, and each phone
/// pulled exactly the records its unit partners wrote.
fn check(db: &Path, ready: &[Arc<Ready>], pulled: &[Seen]) -> anyhow::Result<()> {
    let sum = |f: fn(&Ready) -> usize| ready.iter().map(|r| f(r) as i64).sum::<i64>();
    let phones = ready.len() as i64;
    let expect = [
        (
            "shifts",
            "SELECT count(*) FROM shifts WHERE status = 'closed'",
            phones,
        ),
        (
            "members",
            "SELECT count(*) FROM shift_members WHERE checked_out_ms IS NOT NULL",
            2 * phones,
        ),
        (
            "encounters",
            "SELECT count(*) FROM encounters",
            sum(|r| r.encounters),
        ),
        (
            "referrals",
            "SELECT count(*) FROM referrals",
            sum(|r| r.referrals),
        ),
        (
            "pull entries",
            "SELECT count(*) FROM changelog WHERE entry = 'change'",
            sum(|r| r.changes),
        ),
        ("batches", "SELECT count(*) FROM batches", 2 * phones),
        ("refusals", "SELECT count(*) FROM refusals", 0),
    ];
    let mut bad = Vec::new();
    for (what, sql, want) in expect {
        let got = crate::scalar(db, sql)?;
        if got != want {
            bad.push(format!("{what}: {got} on the server, {want} sent"));
        }
    }
    for (r, seen) in ready.iter().zip(pulled) {
        let partners: usize = ready
            .iter()
            .filter(|o| o.unit == r.unit && o.device != r.device)
            .map(|o| o.records)
            .sum();
        if seen.pulled != partners {
            bad.push(format!(
                "a phone pulled {} records, its partners wrote {partners}",
                seen.pulled
            ));
            break;
        }
    }
    let integrity = integrity_ok(db);
    println!(
        "load: check: integrity_check {}, {} mismatches (lost or doubled){}",
        if integrity { "ok" } else { "FAILED" },
        bad.len(),
        bad.first()
            .map(|b| format!("; first: {b}"))
            .unwrap_or_default()
    );
    anyhow::ensure!(
        integrity && bad.is_empty(),
        "the server does not hold every change exactly once"
    );
    Ok(())
}
