//! # feltlogg-app
//!
//! The phone app: a Tauri v2 shell around a device store and a sync client.
//!
//! ## Layout
//! - [`store`]: the local SQLite store and its rules (no Tauri types, testable without a webview).
//! - [`sync`]: the sync client: enrolment, sealed batches, push, pull, back-off (no Tauri types either).
//! - [`run`]: the Tauri shell, the one entry point for desktop (`main.rs`) and mobile.

pub mod store;
pub mod sync;

/// Starts the app: the same entry point on desktop and, through Tauri's
/// mobile entry point, on Android and iOS.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default().run(tauri::generate_context!());
    if let Err(e) = result {
        // Nothing else can report this: the window never opened.
        eprintln!("feltlogg could not start: {e}");
        std::process::exit(1);
    }
}
