//! The app lock in the shell. The rules are `feltlogg_device::lock`'s;
//! this file holds the one [`AppLock`] of the app's run, refuses every
//! command while it is locked ([`guarded`], around the invoke handler, so
//! a reloaded page or a call typed into devtools meets the same refusal),
//! and locks when the window loses focus or the app is suspended
//! ([`on_window_event`]). The UI reports use (`activity`) and its own
//! `visibilitychange`/blur (`lock_now`); both only ever keep or close the
//! lock, and only a PIN (or, for the no-contact lock, a sync) opens it.

use crate::error::{AppError, ErrorKind};
use crate::state::AppState;
use crate::store::{Store, StoreError, now_ms};
use feltlogg_core::record::UnixMs;
use feltlogg_device::lock::{Lock, LockPolicy, LockReason, last_contact};
use std::sync::Mutex;
use tauri::Manager;

/// Overrides the idle time, in seconds (the app e2e uses a few).
pub const IDLE_ENV: &str = "FELTLOGG_LOCK_IDLE_SECS";
/// Overrides the no-contact time, in seconds (default 14 days).
pub const NO_CONTACT_ENV: &str = "FELTLOGG_NO_CONTACT_LOCK_SECS";

/// The commands the UI may call while locked: the lock screen's own, the
/// sync bar's and the sync button (which is how a no-contact lock lifts).
/// Every other command, including any added later, is refused.
pub const OPEN_WHILE_LOCKED: &[&str] = &[
    "app_info",
    "lock_status",
    "unlock",
    "activity",
    "lock_now",
    "sync_status",
    "sync_now",
];

/// The policy: the defaults, with [`IDLE_ENV`] and [`NO_CONTACT_ENV`]
/// when set to a positive whole number of seconds (anything else is
/// ignored, so a typo cannot switch the lock off).
pub fn policy_from_env() -> LockPolicy {
    policy_from(|key| std::env::var(key).ok())
}

fn policy_from(var: impl Fn(&str) -> Option<String>) -> LockPolicy {
    let secs = |key: &str| {
        var(key)
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|s| *s > 0)
            .map(|s| u64::from(s) * 1000)
    };
    let mut policy = LockPolicy::default();
    if let Some(ms) = secs(IDLE_ENV) {
        policy.idle_ms = ms;
    }
    if let Some(ms) = secs(NO_CONTACT_ENV).and_then(|ms| i64::try_from(ms).ok()) {
        policy.no_contact_ms = ms;
    }
    policy
}

/// The lock of this run of the app, shared by the commands and the guard.
#[derive(Debug)]
pub struct AppLock {
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    lock: Lock,
    /// The last contact with the server as last read from the store. The
    /// guard runs on the IPC thread and must not wait for the store, so
    /// it reads this copy; every lock command reads the store again, and
    /// a stale copy can only lock early, never open.
    last_contact: Option<UnixMs>,
}

impl AppLock {
    /// The lock of an app starting now: locked if enrolled.
    pub fn start(enrolled: bool) -> Self {
        let now = now_ms();
        Self {
            inner: Mutex::new(Inner {
                lock: Lock::new(policy_from_env(), enrolled, now),
                last_contact: enrolled.then_some(now),
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Reads the last contact from the store into the copy the guard uses.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn refresh(&self, store: &mut Store) -> Result<Option<UnixMs>, StoreError> {
        let contact = last_contact(store, now_ms())?;
        self.with(|i| i.last_contact = contact);
        Ok(contact)
    }

    /// The lock now, if any (none on a phone that is not enrolled).
    pub fn reason(&self) -> Option<LockReason> {
        self.with(|i| i.lock.reason(i.last_contact, now_ms()))
    }

    /// Milliseconds until the idle lock (0 when locked).
    pub fn idle_remaining_ms(&self) -> u64 {
        self.with(|i| i.lock.idle_remaining_ms(now_ms()))
    }

    /// The policy in force.
    pub fn policy(&self) -> LockPolicy {
        self.with(|i| i.lock.policy())
    }

    /// Someone used the app.
    pub fn activity(&self) {
        self.with(|i| i.lock.activity(now_ms()));
    }

    /// The app went to the background.
    pub fn background(&self) {
        self.with(|i| i.lock.background(now_ms()));
    }

    /// The phone was just enrolled here: nothing to protect yet, and the
    /// person holding it had the team lead's code.
    pub fn enrolled(&self) {
        self.with(|i| {
            i.lock.enrolled(now_ms());
            i.last_contact = Some(now_ms());
        });
    }

    /// Opens the PIN lock with `worker`'s PIN. The PIN is checked on a copy
    /// of the lock, so the guard never waits for the slow PIN hash.
    ///
    /// # Errors
    /// As [`feltlogg_device::lock::unlock`].
    pub fn unlock(
        &self,
        store: &mut Store,
        worker: feltlogg_core::ids::UserId,
        pin: &str,
    ) -> Result<(), feltlogg_device::lock::UnlockError> {
        let mut copy = self.with(|i| i.lock.clone());
        let outcome = feltlogg_device::lock::unlock(store, &mut copy, worker, pin, now_ms());
        if outcome.is_ok() {
            self.with(|i| i.lock = copy);
        }
        self.refresh(store)?;
        outcome
    }
}

/// The refusal of a command while the app is locked.
pub fn locked_error(reason: LockReason) -> AppError {
    let message = if reason.pin_opens() {
        "the app is locked; open it with the PIN of a worker on the shift"
    } else {
        "the app is locked: this phone has not reached the server for too long; sync it"
    };
    AppError::new(ErrorKind::Locked, message)
}

/// Wraps the app's invoke handler: while the app is locked, a command
/// not in [`OPEN_WHILE_LOCKED`] is refused with `locked` and never runs.
pub fn guarded<R, F>(handler: F) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
where
    R: tauri::Runtime,
    F: Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static,
{
    move |invoke| {
        if !OPEN_WHILE_LOCKED.contains(&invoke.message.command()) {
            let reason = invoke
                .message
                .webview_ref()
                .try_state::<AppState>()
                .filter(|s| s.client().is_some())
                .and_then(|s| s.lock.reason());
            if let Some(reason) = reason {
                invoke.resolver.reject(locked_error(reason));
                return true;
            }
        }
        handler(invoke)
    }
}

/// Locks when the app goes to the background: on a desktop when its
/// window loses focus, on a phone when the app is suspended (Android's
/// `onPause`, iOS's `willResignActive`). Not on a phone's focus loss: an
/// Android WebView shows a `<select>` as a dialog, which takes the
/// window's focus, and the start screen's worker choice would lock.
pub fn on_window_event<R: tauri::Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    #[cfg(desktop)]
    let background = matches!(event, tauri::WindowEvent::Focused(false));
    #[cfg(mobile)]
    let background = matches!(event, tauri::WindowEvent::Suspended);
    if background && let Some(state) = window.try_state::<AppState>() {
        state.lock.background();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        let pairs = pairs.to_vec();
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn only_positive_whole_seconds_override_the_policy() {
        let p = policy_from(env(&[(IDLE_ENV, "3"), (NO_CONTACT_ENV, "0")]));
        assert_eq!(p.idle_ms, 3_000);
        assert_eq!(p.no_contact_ms, LockPolicy::default().no_contact_ms);
        let p = policy_from(env(&[(IDLE_ENV, "five"), (NO_CONTACT_ENV, " 60 ")]));
        assert_eq!(p.idle_ms, LockPolicy::default().idle_ms);
        assert_eq!(p.no_contact_ms, 60_000);
        assert_eq!(policy_from(env(&[])), LockPolicy::default());
    }

    #[test]
    fn every_command_open_while_locked_is_a_command_of_the_app() {
        let src = include_str!("../build.rs");
        for name in OPEN_WHILE_LOCKED {
            assert!(src.contains(&format!("\"{name}\"")), "{name} is no command");
        }
    }
}
