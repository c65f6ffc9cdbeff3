//! Part 2 of the load bench: one phone saves N encounters offline in its
//! real store, then syncs them through the sync client's `push_all`: cut
//! the outbox into batches, seal, push over HTTP, the server merges, the
//! ack deletes what it covers.

use feltlogg_device::sync::{SyncClient, enrol};
use feltlogg_server::{AppState, now_ms};
use feltlogg_tests::{ChildServer, PINS, enrol_code, new_encounter, seed_unit};
use std::sync::Mutex;
use std::time::Instant;

pub async fn run(exe: &str, encounters: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("big.db");
    let (unit, code) = {
        let state = AppState::open(&db)?;
        let unit = seed_unit(&state, "Ute Stor");
        let code = enrol_code(&state, unit.id);
        (unit, code)
    };
    let server = ChildServer::spawn(exe, &db, 0);
    let url = format!("http://127.0.0.1:{}", server.port);
    let store = Mutex::new(feltlogg_device::vault::open_file(
        &dir.path().join("device.db"),
    )?);
    let creds = enrol(&url, &code, "stortelefon", &store).await?;
    let client = SyncClient::new(creds)?;

    // Offline: a long shift, one encounter a second, all in the outbox.
    let n = i64::try_from(encounters)?;
    let start = now_ms() - (n + 3_600) * 1_000;
    let saved = Instant::now();
    {
        let mut s = store
            .lock()
            .map_err(|_| anyhow::anyhow!("store lock poisoned"))?;
        let workers = [(unit.workers[0], PINS[0]), (unit.workers[1], PINS[1])];
        let shift = s.start_shift("030102", "Olaf Ryes plass", &workers, start)?;
        for i in 0..n {
            let at = start + 1_000 + i * 1_000;
            s.add_encounter(new_encounter(shift, at), at)?;
        }
    }
    let saved = saved.elapsed();
    let pending = store
        .lock()
        .map_err(|_| anyhow::anyhow!("store lock poisoned"))?
        .pending_changes()?;

    let synced = Instant::now();
    let report = client.push_all(&store).await?;
    let synced = synced.elapsed();
    let left = store
        .lock()
        .map_err(|_| anyhow::anyhow!("store lock poisoned"))?
        .pending_changes()?;
    let wire = crate::scalar(&db, "SELECT sum(length(envelope)) FROM batches")?;
    let on_server = crate::scalar(&db, "SELECT count(*) FROM encounters")?;
    let db_bytes = crate::scalar(
        &db,
        "SELECT p.page_count * s.page_size FROM pragma_page_count() p, pragma_page_size() s",
    )?;
    drop(server);

    println!(
        "big phone: {encounters} encounters saved offline in {saved:.2?}; {pending} changes waiting"
    );
    println!(
        "big phone: push_all {} batches, {} applied, {} refused in {synced:.2?} = {:.0} encounters/s (target >= 25000)",
        report.batches,
        report.applied,
        report.refused,
        encounters as f64 / synced.as_secs_f64()
    );
    println!(
        "big phone: {:.1} bytes on the wire per encounter ({wire} bytes sealed)",
        wire as f64 / encounters as f64
    );
    println!(
        "big phone: the server's database holds {db_bytes} bytes = {:.0} bytes per encounter (record, fact, pull entry, journal, indexes)",
        db_bytes as f64 / encounters as f64
    );
    anyhow::ensure!(
        left == 0 && report.refused == 0 && on_server == n && report.applied as usize == pending,
        "not every change synced exactly once: {left} left on the phone, {on_server} encounters on the server, {} applied of {pending}",
        report.applied
    );
    Ok(())
}
