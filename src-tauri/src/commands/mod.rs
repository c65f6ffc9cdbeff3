//! The Tauri commands: thin wrappers over the device store and the sync
//! client. Each parses its arguments, calls one store or client function
//! on a blocking thread (or the network), and maps the error to
//! [`crate::error::AppError`]. No SQL and no rules here.
//!
//! Every command is listed in [`crate::specta_builder`] (which generates
//! `ui/src/bindings.ts`) and in `build.rs` (which makes its `allow-*`
//! permission for `capabilities/default.json`).

pub mod encounter;
pub mod enrol;
pub mod screen;
pub mod shift;
pub mod sync;
