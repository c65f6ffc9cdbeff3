//! Sync status (always on screen) and the sync button.

use crate::background::{self, last_error_kind};
use crate::error::{AppError, CmdResult, ErrorKind};
use crate::state::AppState;
use feltlogg_core::RefusalCode;
use feltlogg_core::record::RecordKind;
use serde::Serialize;
use tauri::State;

/// What the sync bar shows.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct SyncView {
    /// Changes saved here and not yet acknowledged by the server.
    pub pending_changes: u32,
    /// When the last sync succeeded (Unix ms).
    pub last_success_ms: Option<i64>,
    /// The last error in plain (English) words; cleared by a success.
    pub last_error: Option<String>,
    /// The last error's kind, for the UI to say it in the worker's language.
    pub last_error_kind: Option<ErrorKind>,
    /// Changes the server refused (kept, with reasons).
    pub refused: u32,
}

async fn read(state: &AppState) -> CmdResult<SyncView> {
    let store = std::sync::Arc::clone(&state.store);
    tauri::async_runtime::spawn_blocking(move || {
        let status = crate::sync::status(&store)?;
        let s = crate::sync::lock(&store);
        Ok(SyncView {
            pending_changes: u32::try_from(status.pending_changes).unwrap_or(u32::MAX),
            last_success_ms: status.last_success_ms,
            last_error: status.last_error,
            last_error_kind: last_error_kind(&s),
            refused: u32::try_from(s.refusals()?.len()).unwrap_or(u32::MAX),
        })
    })
    .await
    .map_err(|e| AppError::internal(format!("a store task failed: {e}; restart the app")))?
}

/// The sync status.
#[tauri::command]
#[specta::specta]
pub async fn sync_status(state: State<'_, AppState>) -> CmdResult<SyncView> {
    read(&state).await
}

/// Syncs now (push, then pull) and returns the status.
///
/// # Errors
/// `not_enrolled`, `unreachable`, `revoked`, `server`, `protocol`.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, AppState>) -> CmdResult<SyncView> {
    let client = state.client().ok_or_else(|| {
        AppError::new(
            ErrorKind::NotEnrolled,
            "this device is not enrolled; enrol it with a code from the team lead first",
        )
    })?;
    background::sync_once(&state, &client).await?;
    read(&state).await
}

/// One change the server refused: what kind of record, which rule (a
/// stable code the UI explains in the worker's language) and the server's
/// own words.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct RefusalView {
    /// The record the refused change was for.
    pub record_id: String,
    /// Its kind.
    pub kind: RecordKind,
    /// The rule, e.g. `shift_locked`; `unknown` from an older server or
    /// for a rule newer than this app.
    pub code: RefusalCode,
    /// The server's reason (English).
    pub reason: String,
}

/// The changes the server refused, oldest first. They stay on the phone;
/// the team lead sees the same list in the dashboard.
///
/// # Errors
/// `internal` if the store cannot be read.
#[tauri::command]
#[specta::specta]
pub async fn refusals(state: State<'_, AppState>) -> CmdResult<Vec<RefusalView>> {
    state
        .with_store(|s| {
            Ok(s.refusals()?
                .into_iter()
                .map(|r| RefusalView {
                    record_id: r.change_id_or_record.to_string(),
                    kind: r.kind,
                    code: r.code,
                    reason: r.reason,
                })
                .collect())
        })
        .await
}
