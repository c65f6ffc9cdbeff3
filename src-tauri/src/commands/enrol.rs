//! Enrolment and what the app knows about itself.

use crate::error::{AppError, CmdResult, ErrorKind};
use crate::state::AppState;
use feltlogg_core::ids::{DeviceId, UnitId};
use serde::Serialize;
use tauri::State;

/// Whether the device is enrolled, and where it syncs.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct AppInfo {
    /// True once enrolled.
    pub enrolled: bool,
    /// The sync server's URL.
    pub server_url: Option<String>,
    /// This device.
    pub device_id: Option<DeviceId>,
    /// Its unit.
    pub unit_id: Option<UnitId>,
    /// The store would not open with this phone's key at start (the key
    /// was lost, e.g. after the phone was restored); it was set aside for a
    /// technician and the phone must be enrolled again.
    pub store_set_aside: bool,
}

fn info(state: &AppState) -> AppInfo {
    let client = state.client();
    let creds = client.as_ref().map(|c| c.credentials());
    AppInfo {
        enrolled: creds.is_some(),
        server_url: creds.map(|c| c.server_url.clone()),
        device_id: creds.map(|c| c.device_id),
        unit_id: creds.map(|c| c.unit_id),
        store_set_aside: state.set_aside.is_some() && creds.is_none(),
    }
}

/// What the app knows about itself (the first call the UI makes).
#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    Ok(info(&state))
}

/// Enrols this device at `server_url` with the one-time `code` a team
/// lead made.
///
/// # Errors
/// `unreachable`, `code_unknown`, `code_expired`, `code_used`,
/// `already_enrolled`, `invalid` (a URL that is not http(s)).
#[tauri::command]
#[specta::specta]
pub async fn enrol(
    state: State<'_, AppState>,
    server_url: String,
    code: String,
) -> CmdResult<AppInfo> {
    enrol_with(&state, &server_url, &code).await?;
    Ok(info(&state))
}

/// Enrols the device: the enrol command, and `./dev run`'s automatic
/// enrolment against the demo server (`FELTLOGG_SERVER_URL`,
/// `FELTLOGG_ENROL_CODE`).
///
/// # Errors
/// As [`enrol`].
pub async fn enrol_with(state: &AppState, server_url: &str, code: &str) -> CmdResult<()> {
    if state.client().is_some() {
        return Err(AppError::new(
            ErrorKind::AlreadyEnrolled,
            "this device is already enrolled; it syncs with its server",
        ));
    }
    let url = server_url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        let mut e = AppError::new(
            ErrorKind::Invalid,
            format!(
                "server address {url:?} must start with https:// (or http:// on a test network)"
            ),
        );
        e.field = Some("server_url".into());
        return Err(e);
    }
    let name = format!("Feltlogg ({})", std::env::consts::OS);
    let creds = crate::sync::enrol(url, code, &name, &state.store).await?;
    state.set_client(crate::sync::SyncClient::new(creds)?);
    state.lock.enrolled();
    Ok(())
}
