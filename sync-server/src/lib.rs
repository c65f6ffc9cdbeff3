//! # feltlogg-server
//!
//! The sync server: enrols devices, applies their sealed batches exactly
//! once, merges records field by field, re-checks the core rules, keeps
//! refused changes with their reasons, and serves sealed pull pages. One
//! embedded SQLite file holds everything. A library plus a thin binary, so
//! tests start a real server on port 0.
//!
//! ## Layout
//! - [`config`]: settings and their defaults.
//! - [`db`]: `open()` with the pragmas and migrations, a connection pool
//!   with a read door (query-only connections) and a write door (one
//!   transaction), run off the async threads; one query module per table;
//!   [`db::audit`] the audit log and the acting [`db::audit::Actor`].
//! - [`error`]: [`ApiError`], the one error type, and its `{code, message}`
//!   response.
//! - [`sync`]: the phones' sync path: [`sync::token`] (device bearer
//!   tokens and enrolment codes, stored hashed), [`sync::enrol`],
//!   [`sync::apply`] (a pushed batch in one transaction), [`sync::pull`]
//!   (a sealed pull page), [`sync::recover`] (losses phones report after
//!   a restore).
//! - [`review`]: the team lead's operations: [`review::decide`] (approve
//!   or return a shift, signed) and [`review::screen_scan`] (the screen
//!   over stored text, and redaction).
//! - [`admin`]: units, users, enrolment codes, revocation (retired or
//!   lost, with a signed instruction); the CLI and the dashboard both
//!   call it.
//! - [`unit_words`]: a unit's own words and "not a person" setting, and its screen policy.
//! - [`backup`]: a consistent copy while serving, and restore with a new epoch.
//! - [`demo`]: a fresh database filled with a synthetic year.
//! - [`export`]: totals per bydel and period, suppressed, as CSV/.xlsx;
//!   the signed, unsuppressed totals file for the national body;
//!   [`export::publish`] the audited operations.
//! - [`feedback`]: the youths' feedback cards, answers and results.
//! - [`api`]: the axum routes; thin handlers that parse, call, map errors.
//! - [`web`]: the team-lead and admin dashboard (server-rendered HTML);
//!   `web::auth` is the dashboard's sign-in (sessions, passwords, OpenID
//!   Connect), apart from the devices' tokens in [`sync::token`].
//! - [`request_log`]: one log line per request (method, route, status, latency).
//!
//! Every operation that changes state takes a `&Transaction` from
//! [`db::Db::write`] and the acting [`db::audit::Actor`], and writes its
//! audit entry in that transaction.

pub mod admin;
pub mod api;
pub mod backup;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod export;
pub mod feedback;
pub mod request_log;
pub mod review;
pub mod sync;
pub mod unit_words;
pub mod web;

pub use error::ApiError;

use axum::Router;
use db::{Db, DbError};
use feltlogg_core::sync::{SigningKey, VerifyingKey};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

/// What every handler shares: the database pool and the server's key.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The server's signing key (decisions, pull pages).
    pub server_key: Arc<SigningKey>,
    /// Its public half, given to devices at enrolment.
    pub server_public: VerifyingKey,
    /// Dashboard sign-in settings (defaults: passwords, plain http).
    pub auth: Arc<config::AuthConfig>,
    /// The operator's fixed small-number threshold, if any
    /// ([`config::ServerConfig::suppress_below`]).
    pub suppress_below: Option<u64>,
    /// Whose totals the national totals file holds (default Oslo).
    pub municipality: Arc<config::Municipality>,
    /// The public feedback form's memory: tries per address, token key.
    pub door: Arc<feedback::tries::Door>,
}

impl AppState {
    /// Opens (creating and migrating) the database and loads the key.
    ///
    /// # Errors
    /// [`DbError`] when the database cannot be opened or has no usable key.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        let db = Db::open(path)?;
        let key = db.read_blocking(|conn| db::server_key::load(conn))?;
        // Recorded so `restore` can refuse a copy made under another key.
        let public = key.public_key().to_base64();
        db.write_blocking(|tx| {
            db::settings::remember_server_key(tx, &public).map_err(DbError::from)
        })?;
        Ok(Self {
            db,
            server_public: key.public_key(),
            server_key: Arc::new(key),
            auth: Arc::new(config::AuthConfig::default()),
            suppress_below: None,
            municipality: Arc::new(config::default_municipality()),
            door: Arc::new(
                feedback::tries::Door::new()
                    .map_err(|_| DbError::ServerKey("the system random source failed".into()))?,
            ),
        })
    }

    /// The same state with these sign-in settings.
    ///
    /// # Errors
    /// The settings' problem, in words ([`config::AuthConfig::check`]).
    pub fn with_auth(mut self, auth: config::AuthConfig) -> Result<Self, String> {
        auth.check()?;
        self.auth = Arc::new(auth);
        Ok(self)
    }
}

/// The router: the API under `/api/v1`, `/healthz`, and the dashboard.
pub fn app(state: AppState) -> Router {
    // Security headers on every response: API, health, static, errors, 404.
    let https = state.auth.https();
    api::routes()
        .merge(web::routes())
        .with_state(state)
        .layer(axum::middleware::map_response_with_state(
            https,
            web::auth::headers::security_headers,
        ))
        // Outermost, so the logged status is the one sent.
        .layer(request_log::layer())
}

/// Connections the kernel queues for the server before it accepts them.
/// tokio's `bind` asks for 128 (as std does); a morning burst of 500 phones
/// overflowed that, and each dropped SYN came back a second later (TCP's
/// first retransmit): the load bench's p99 push was that second. Linux
/// caps it at `net.core.somaxconn` (4096 on current kernels).
const LISTEN_BACKLOG: u32 = 1024;

/// A listener on `addr` with [`LISTEN_BACKLOG`].
///
/// # Errors
/// The socket's, e.g. the address is in use.
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Serves `app(state)` on `listener` until `shutdown` completes, then
/// finishes the requests in flight.
///
/// # Errors
/// The listener's I/O errors.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address feeds the dashboard's per-address sign-in delay.
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Now, in Unix milliseconds: core's clock, re-exported for the tests and
/// tools that use this crate (the server's own code names
/// `feltlogg_core::time::now_ms`, the one name for now).
pub use feltlogg_core::time::now_ms;
