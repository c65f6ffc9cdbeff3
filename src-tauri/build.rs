//! Generates the Tauri context and one `allow-<command>` permission per
//! app command, so `capabilities/default.json` can allow exactly the
//! commands the UI uses (and nothing else is callable from the webview).

/// Must match the commands in `specta_builder()` in `src/lib.rs`.
const COMMANDS: &[&str] = &[
    "app_info",
    "enrol",
    "workers",
    "areas",
    "home",
    "shift_view",
    "start_shift",
    "check_in",
    "check_out",
    "close_shift",
    "add_encounter",
    "edit_encounter",
    "delete_encounter",
    "add_referral",
    "update_referral",
    "screen_text",
    "sync_status",
    "sync_now",
    "refusals",
    "lock_status",
    "activity",
    "lock_now",
    "unlock",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
