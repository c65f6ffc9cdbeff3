//! # feltlogg-app
//!
//! The phone app: a thin Tauri v2 shell around `feltlogg-device`.
//!
//! ## Layout
//! - [`store`], [`sync`]: re-exported from `feltlogg-device` (the device's SQLite store and
//!   the sync client), which builds and tests without Tauri or a webview.
//! - [`commands`]: the Tauri commands the UI calls, thin wrappers over the two above.
//! - [`state`], [`error`], [`background`]: the shell's state, the commands' error, the background sync.
//! - [`lock`]: the app lock, which refuses every command but its own while locked.
//! - [`run`]: the one entry point for desktop (`main.rs`) and mobile.

pub mod background;
pub mod commands;
pub mod error;
pub mod lock;
pub mod state;

pub use feltlogg_device::{store, sync};

use commands::{encounter, enrol, lock as lock_cmd, screen, shift, sync as sync_cmd};
use std::path::PathBuf;
use tauri::Manager;

/// Where the UI's generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

/// Every command the UI may call, for the invoke handler and the
/// TypeScript bindings. `build.rs` lists the same names for permissions.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            enrol::app_info,
            enrol::enrol,
            shift::workers,
            shift::areas,
            shift::home,
            shift::shift_view,
            shift::start_shift,
            shift::check_in,
            shift::check_out,
            shift::close_shift,
            encounter::add_encounter,
            encounter::edit_encounter,
            encounter::delete_encounter,
            encounter::add_referral,
            encounter::update_referral,
            screen::screen_text,
            sync_cmd::sync_status,
            sync_cmd::sync_now,
            sync_cmd::refusals,
            lock_cmd::lock_status,
            lock_cmd::activity,
            lock_cmd::lock_now,
            lock_cmd::unlock,
        ])
        .typ::<error::AppError>()
        .constant("VOCAB", vocabularies())
        // One TypeScript type per Rust type: the UI never sends back what it receives.
        .disable_serde_phases()
        // Unix-ms times fit a JavaScript number exactly until the year 287396.
        .dangerously_cast_bigints_to_number()
}

/// Every vocabulary's wire names in display order, so the UI's chips come
/// from the same lists as the Rust enums.
fn vocabularies() -> serde_json::Value {
    use feltlogg_core::*;
    serde_json::json!({
        "place_type": PlaceType::ALL,
        "age_group": AgeGroup::ALL,
        "gender": Gender::ALL,
        "contact_kind": ContactKind::ALL,
        "residence": Residence::ALL,
        "topic": Topic::ALL,
        "action": Action::ALL,
        "service": ReferralService::ALL,
        "ref_status": ReferralStatus::ALL,
    })
}

/// Writes the TypeScript bindings to `path`.
///
/// # Errors
/// The exporter's error, as text.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let ts = specta_typescript::Typescript::default()
        .header("// Generated from the Rust commands by `cargo test -p feltlogg-app --test bindings`; do not edit.\n");
    specta_builder().export(ts, path).map_err(|e| e.to_string())
}

/// The app data directory: `FELTLOGG_DATA_DIR` if set, else the
/// platform's (on Linux `$XDG_DATA_HOME/no.oslo.feltlogg`).
fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(dir) = std::env::var_os(state::DATA_DIR_ENV) {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

/// `./dev run` starts the app against the demo server with a fresh code in
/// `FELTLOGG_SERVER_URL` and `FELTLOGG_ENROL_CODE`: enrol before the window
/// opens, so the first screen is already the field log. A failure leaves
/// the enrol screen, with the reason on stderr.
fn auto_enrol(state: &state::AppState) {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let (Some(url), Some(code)) = (var("FELTLOGG_SERVER_URL"), var("FELTLOGG_ENROL_CODE")) else {
        return;
    };
    if state.client().is_some() {
        return;
    }
    let result = tauri::async_runtime::block_on(enrol::enrol_with(state, &url, &code));
    if let Err(e) = result {
        eprintln!("automatic enrolment at {url} failed: {}", e.message);
    }
}

/// Starts the app: the same entry point on desktop and, through Tauri's
/// mobile entry point, on Android and iOS.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .invoke_handler(lock::guarded(builder.invoke_handler()))
        .on_window_event(lock::on_window_event)
        .setup(|app| {
            let state = state::AppState::open(&data_dir(app)?)?;
            auto_enrol(&state);
            tauri::async_runtime::spawn(background::run(state.clone()));
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        // Nothing else can report this: the window never opened.
        eprintln!("feltlogg could not start: {e}");
        std::process::exit(1);
    }
}
