//! Runs the sync server on `127.0.0.1:0` over the database given as the
//! first argument and prints `port N` once it listens, so a test can start
//! it as a child process and kill it at any moment.

use std::io::Write;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let db = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: feltlogg-test-server DB [PORT]"))?;
    let port: u16 = std::env::args()
        .nth(2)
        .map_or(Ok(0), |p| p.parse())
        .map_err(|e| anyhow::anyhow!("port: {e}"))?;
    let state = feltlogg_server::AppState::open(std::path::Path::new(&db))?;
    let listener = feltlogg_server::listen(([127, 0, 0, 1], port).into())?;
    let mut out = std::io::stdout();
    writeln!(out, "port {}", listener.local_addr()?.port())?;
    out.flush()?;
    feltlogg_server::serve(listener, state, std::future::pending()).await?;
    Ok(())
}
