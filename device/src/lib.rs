//! # feltlogg-device
//!
//! The phone's side of Feltlogg without its UI: the store and the sync
//! client. `feltlogg-app` (the Tauri shell in `src-tauri/`) is a thin layer
//! of commands over this crate; the store tests, the save bench and the
//! end-to-end tests use it directly, so they build without Tauri, WebKitGTK
//! or the UI.
//!
//! - [`lock`]: the app lock's rules: idle, background, no contact with the server, who may open it.
//! - [`store`]: the local SQLite store, its embedded migrations and its rules.
//! - [`sync`]: the sync client: enrolment, sealed batches, push, pull, back-off.
//! - [`vault`]: the data at rest: the encryption key in the keystore, the
//!   upgrade of a plain store, setting aside, wiping.

pub mod lock;
pub mod store;
pub mod sync;
pub mod vault;
