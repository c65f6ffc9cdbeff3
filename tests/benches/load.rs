//! Many phones at once, and one phone with a big offline backlog, against
//! the real server binary (`feltlogg-test-server`, a child process) on
//! 127.0.0.1.
//!
//! Part 1: N phones (default 500) enrol over HTTP, each prepares a day's
//! log (a shift, its two members, 10–40 encounters, a few referrals, the
//! close; see `load/day.rs`) sealed with the real crypto, and all push it
//! at once in two batches, then all pull. Prints phones, changes, errors,
//! changes/s and push latency p50/p95/p99/max, then checks the server's
//! file: `PRAGMA integrity_check`, and every change sent there exactly once.
//!
//! Part 2: one phone saves 10,000 encounters offline in its real store,
//! then syncs them through the sync client's `push_all` (cut, seal, push,
//! merge, ack). Prints encounters/s and bytes on the wire per encounter.
//!
//! Run: `cargo bench -p feltlogg-tests --bench load`
//! Knobs: `LOAD_PHONES` (500; 0 skips part 1), `LOAD_BIG` (10000; 0 skips
//! part 2), `LOAD_CONCURRENCY` (phones pushing at once; default all),
//! `LOAD_SPREAD_MS` (phones start pushing spread evenly over this time;
//! default 0: all at the same instant).

#[path = "load/big.rs"]
mod big;
#[path = "load/day.rs"]
mod day;
#[path = "load/many.rs"]
mod many;

fn knob(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={v:?} is not a count: {e}; give a whole number")),
        Err(_) => Ok(default),
    }
}

/// The server binary this bench starts (Cargo builds it for benches).
const SERVER_EXE: &str = env!("CARGO_BIN_EXE_feltlogg-test-server");

fn main() -> anyhow::Result<()> {
    let phones = knob("LOAD_PHONES", 500)?;
    let concurrency = knob("LOAD_CONCURRENCY", phones)?.max(1);
    let spread_ms = knob("LOAD_SPREAD_MS", 0)?;
    let encounters = knob("LOAD_BIG", 10_000)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if phones > 0 {
        rt.block_on(many::run(SERVER_EXE, phones, concurrency, spread_ms))?;
    }
    if encounters > 0 {
        rt.block_on(big::run(SERVER_EXE, encounters))?;
    }
    Ok(())
}

/// One value of a query over the server's database file.
fn scalar(db: &std::path::Path, sql: &str) -> anyhow::Result<i64> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}
