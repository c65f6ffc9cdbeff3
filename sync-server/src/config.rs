//! Settings: defaults here, then `FELTLOGG_*` environment variables, then
//! command-line flags (clap's `env` feature applies that order in
//! `main.rs`). Secrets are never part of the printed configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Default database file.
pub const DEFAULT_DB: &str = "./feltlogg.db";
/// Default listen address: loopback only; put a TLS proxy in front.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Largest request body accepted (a sealed batch of ~1,000 changes is far
/// smaller); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What `serve` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// The SQLite file (created and migrated on first start).
    pub db: PathBuf,
    /// Address to listen on.
    pub bind: SocketAddr,
}
