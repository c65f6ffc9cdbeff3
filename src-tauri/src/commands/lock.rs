//! The lock screen's commands: the lock's state, the UI's reports of use
//! and of going to the background, and opening it with a PIN. These (and
//! the sync bar's) are the only commands the app answers while locked
//! ([`crate::lock::OPEN_WHILE_LOCKED`]).

use super::shift::Worker;
use crate::error::{AppError, CmdResult, ErrorKind};
use crate::state::AppState;
use crate::store::{Store, now_ms};
use feltlogg_core::ids::UserId;
use feltlogg_device::lock::{LockReason, UnlockError, unlockers};
use serde::Serialize;
use tauri::State;

/// Why the app is locked, for the lock screen's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LockKind {
    /// The app was started.
    Started,
    /// Nobody used it for the idle time.
    Idle,
    /// It went to the background.
    Background,
    /// The phone has not reached the server for the no-contact time; only
    /// a successful sync opens it.
    NoContact,
}

impl From<LockReason> for LockKind {
    fn from(r: LockReason) -> Self {
        match r {
            LockReason::Started => Self::Started,
            LockReason::Idle => Self::Idle,
            LockReason::Background => Self::Background,
            LockReason::NoContact => Self::NoContact,
        }
    }
}

/// What the lock screen shows, and when the UI should ask again.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct LockView {
    /// Why the app is locked; `None` when it is open.
    pub reason: Option<LockKind>,
    /// Who may open it with their PIN: the workers checked in on the open
    /// shift, or every active worker of the unit when none is.
    pub unlockers: Vec<Worker>,
    /// Whether a shift is open (it stays open while locked).
    pub shift_open: bool,
    /// Milliseconds until the idle lock (0 when locked).
    pub idle_remaining_ms: u64,
    /// The idle time, ms.
    pub idle_ms: u64,
    /// The no-contact time, ms.
    pub no_contact_ms: i64,
    /// The last successful sync (or the time counted from), Unix ms.
    pub last_contact_ms: Option<i64>,
}

fn view(state: &AppState, s: &mut Store) -> CmdResult<LockView> {
    let last_contact_ms = state.lock.refresh(s)?;
    let reason = state.lock.reason();
    let policy = state.lock.policy();
    let unlockers = match reason {
        Some(r) if r.pin_opens() => unlockers(s, now_ms())?
            .into_iter()
            .map(|w| Worker {
                id: w.id,
                name: w.display_name,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(LockView {
        reason: reason.map(LockKind::from),
        unlockers,
        shift_open: s.open_shift()?.is_some(),
        idle_remaining_ms: state.lock.idle_remaining_ms(),
        idle_ms: policy.idle_ms,
        no_contact_ms: policy.no_contact_ms,
        last_contact_ms,
    })
}

async fn read(state: &AppState) -> CmdResult<LockView> {
    let st = state.clone();
    state.with_store(move |s| view(&st, s)).await
}

/// The lock's state.
#[tauri::command]
#[specta::specta]
pub async fn lock_status(state: State<'_, AppState>) -> CmdResult<LockView> {
    read(&state).await
}

/// The worker used the app (a tap, a key): the idle time starts again,
/// unless it has run out already.
#[tauri::command]
#[specta::specta]
pub async fn activity(state: State<'_, AppState>) -> CmdResult<LockView> {
    state.lock.activity();
    read(&state).await
}

/// The app went to the background (the page was hidden or lost focus):
/// locks at once.
#[tauri::command]
#[specta::specta]
pub async fn lock_now(state: State<'_, AppState>) -> CmdResult<LockView> {
    state.lock.background();
    read(&state).await
}

/// Opens the lock with the PIN of a worker who may open it.
///
/// # Errors
/// `pin` for a wrong PIN (or a worker who may not open it here),
/// `pin_locked` with the wait after five wrong ones, `locked` while the
/// no-contact lock holds.
#[tauri::command]
#[specta::specta]
pub async fn unlock(
    state: State<'_, AppState>,
    worker_id: UserId,
    pin: String,
) -> CmdResult<LockView> {
    let st = state.inner().clone();
    state
        .with_store(move |s| {
            st.lock.unlock(s, worker_id, &pin).map_err(unlock_error)?;
            view(&st, s)
        })
        .await
}

fn unlock_error(e: UnlockError) -> AppError {
    match e {
        UnlockError::NoContact => crate::lock::locked_error(LockReason::NoContact),
        UnlockError::NotAllowed { .. } => AppError::new(ErrorKind::Pin, e.to_string()),
        UnlockError::Store(s) => s.into(),
    }
}
