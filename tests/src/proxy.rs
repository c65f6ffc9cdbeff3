//! A flaky TCP proxy on loopback: between a phone and the server it drops
//! connections, delays them, and cuts them in the middle of a request or
//! of a response (so the server applies a batch whose ack never arrives).
//! Faults are drawn from a seeded generator, so a failing run repeats.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy did, by kind.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections closed at once.
    pub dropped: AtomicU32,
    /// Connections delayed, then forwarded.
    pub delayed: AtomicU32,
    /// Requests cut after part of their body.
    pub cut_request: AtomicU32,
    /// Responses cut after their first bytes (the server did the work).
    pub cut_response: AtomicU32,
    /// Connections forwarded untouched.
    pub clean: AtomicU32,
}

/// A running proxy.
#[derive(Debug)]
pub struct FlakyProxy {
    /// The URL to give the phone.
    pub url: String,
    /// Counts of what it did.
    pub stats: Arc<Stats>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FlakyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

enum Fault {
    Drop,
    Delay(Duration),
    CutRequest(usize),
    CutResponse(usize),
    Clean(Duration),
}

fn draw(rng: &mut StdRng) -> Fault {
    match rng.gen_range(0..100) {
        0..20 => Fault::Drop,
        20..35 => Fault::Delay(Duration::from_millis(rng.gen_range(20..300))),
        35..55 => Fault::CutRequest(rng.gen_range(1..4000)),
        55..75 => Fault::CutResponse(rng.gen_range(1..60)),
        // Clean, but only for a while: a pooled keep-alive connection would
        // otherwise carry every later request past the faults.
        _ => Fault::Clean(Duration::from_millis(rng.gen_range(20..200))),
    }
}

/// Starts a proxy to `upstream` with faults drawn from `seed`.
pub async fn start(upstream: SocketAddr, seed: u64) -> FlakyProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let stats = Arc::new(Stats::default());
    let counts = stats.clone();
    let task = tokio::spawn(async move {
        let mut rng = StdRng::seed_from_u64(seed);
        while let Ok((client, _)) = listener.accept().await {
            let fault = draw(&mut rng);
            let counts = counts.clone();
            tokio::spawn(async move {
                let _ = handle(client, upstream, fault, &counts).await;
            });
        }
    });
    FlakyProxy { url, stats, task }
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: Fault,
    stats: &Stats,
) -> std::io::Result<()> {
    match fault {
        Fault::Drop => {
            stats.dropped.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Fault::Delay(d) => {
            stats.delayed.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(d).await;
            let mut server = TcpStream::connect(upstream).await?;
            let _ = tokio::time::timeout(
                d * 3,
                tokio::io::copy_bidirectional(&mut client, &mut server),
            )
            .await;
            Ok(())
        }
        Fault::CutRequest(n) => {
            stats.cut_request.fetch_add(1, Ordering::Relaxed);
            let mut server = TcpStream::connect(upstream).await?;
            let mut buf = vec![0u8; n];
            let got = client.read(&mut buf).await?;
            server.write_all(&buf[..got]).await?;
            Ok(())
        }
        Fault::CutResponse(n) => {
            stats.cut_response.fetch_add(1, Ordering::Relaxed);
            let server = TcpStream::connect(upstream).await?;
            let (mut cr, mut cw) = client.into_split();
            let (mut sr, mut sw) = server.into_split();
            let up = tokio::spawn(async move { tokio::io::copy(&mut cr, &mut sw).await });
            let mut buf = vec![0u8; n];
            let got = sr.read_exact(&mut buf).await.map(|_| n).unwrap_or(0);
            cw.write_all(&buf[..got]).await?;
            up.abort();
            Ok(())
        }
        Fault::Clean(lifetime) => {
            stats.clean.fetch_add(1, Ordering::Relaxed);
            let mut server = TcpStream::connect(upstream).await?;
            let _ = tokio::time::timeout(
                lifetime,
                tokio::io::copy_bidirectional(&mut client, &mut server),
            )
            .await;
            Ok(())
        }
    }
}
