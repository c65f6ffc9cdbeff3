//! The app lock's rules, in one place: when the app locks, who may open
//! it, and the no-contact lock. No Tauri here: the shell
//! (`src-tauri/src/lock.rs`) keeps one [`Lock`] for the app's lifetime,
//! asks it before every command, and feeds it the UI's activity and the
//! window's focus.
//!
//! Two kinds of lock:
//! - a **PIN lock** ([`LockReason::Started`], [`LockReason::Idle`],
//!   [`LockReason::Background`]): the app was started, left alone for the
//!   idle time, or sent to the background. A PIN of a worker in
//!   [`unlockers`] opens it. The shift stays open; the lock only hides the
//!   screen, so a half-written form is there again afterwards.
//! - the **no-contact lock** ([`LockReason::NoContact`]): the phone has not
//!   reached the server for [`LockPolicy::no_contact_ms`] (14 days by
//!   default). Issue 16 asks that such a phone lock rather than wipe, so a
//!   lost phone that never comes online stops opening, while one that was
//!   only offline loses nothing. No PIN opens it; a successful sync does,
//!   because the rule reads the time of the last successful sync.
//!
//! Times are wall-clock Unix ms: a monotonic clock stops while a phone
//! sleeps (Linux's `CLOCK_MONOTONIC`), which would stretch the idle time
//! by every minute in a pocket.

use crate::store::{Store, StoreError};
use feltlogg_core::directory::WorkerEntry;
use feltlogg_core::ids::UserId;
use feltlogg_core::record::UnixMs;
use feltlogg_core::time::DAY_MS;

/// The idle time before the app locks: 5 minutes (issue 16).
pub const DEFAULT_IDLE_MS: u64 = 5 * 60 * 1000;
/// How long a phone may go without reaching the server before it locks.
pub const DEFAULT_NO_CONTACT_MS: i64 = 14 * DAY_MS;
/// The sync fact holding when this device first had no successful sync to
/// count from (enrolled, never synced; or upgraded from a version that
/// did not record it), so such a phone too locks after the no-contact time.
pub const CONTACT_BASELINE: &str = "lock_contact_baseline_ms";

/// Why the app is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockReason {
    /// The app was started: a restart must not open what a lock closed.
    Started,
    /// Nobody touched the app for the idle time.
    Idle,
    /// The app went to the background (another app, the screen off).
    Background,
    /// The phone has not reached the server for the no-contact time.
    NoContact,
}

impl LockReason {
    /// Whether a worker's PIN opens this lock (every kind but no-contact).
    pub fn pin_opens(self) -> bool {
        self != Self::NoContact
    }
}

/// The two times that decide the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockPolicy {
    /// Idle time before the app locks, ms.
    pub idle_ms: u64,
    /// Time without a successful sync before the phone locks, ms.
    pub no_contact_ms: i64,
}

impl Default for LockPolicy {
    fn default() -> Self {
        Self {
            idle_ms: DEFAULT_IDLE_MS,
            no_contact_ms: DEFAULT_NO_CONTACT_MS,
        }
    }
}

/// Whether a phone whose last contact with the server was at
/// `last_contact` is past the no-contact time at `now`.
pub fn no_contact(policy: LockPolicy, last_contact: UnixMs, now: UnixMs) -> bool {
    now.saturating_sub(last_contact) >= policy.no_contact_ms
}

/// The PIN lock's state for one run of the app.
#[derive(Clone, Debug)]
pub struct Lock {
    policy: LockPolicy,
    pin_lock: Option<LockReason>,
    last_activity: UnixMs,
}

impl Lock {
    /// A lock for an app started at `now`: locked ([`LockReason::Started`])
    /// when there is something to protect, i.e. the phone is enrolled.
    pub fn new(policy: LockPolicy, enrolled: bool, now: UnixMs) -> Self {
        Self {
            policy,
            pin_lock: enrolled.then_some(LockReason::Started),
            last_activity: now,
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> LockPolicy {
        self.policy
    }

    /// Locks for idleness if the idle time has run out by `now`. A clock
    /// set back counts as no time passed.
    fn expire(&mut self, now: UnixMs) {
        let idle = u64::try_from(now.saturating_sub(self.last_activity)).unwrap_or(0);
        if self.pin_lock.is_none() && idle >= self.policy.idle_ms {
            self.pin_lock = Some(LockReason::Idle);
        }
    }

    /// Someone used the app at `now`: the idle time starts again, unless
    /// the app is locked already (activity never opens a lock).
    pub fn activity(&mut self, now: UnixMs) {
        self.expire(now);
        if self.pin_lock.is_none() {
            self.last_activity = now;
        }
    }

    /// The app went to the background at `now`: it locks (an earlier
    /// reason, if locked already, is kept).
    pub fn background(&mut self, now: UnixMs) {
        self.expire(now);
        self.pin_lock.get_or_insert(LockReason::Background);
    }

    /// The PIN lock at `now`, if any.
    pub fn pin_lock(&mut self, now: UnixMs) -> Option<LockReason> {
        self.expire(now);
        self.pin_lock
    }

    /// Milliseconds until the idle lock at `now` (0 when locked).
    pub fn idle_remaining_ms(&mut self, now: UnixMs) -> u64 {
        if self.pin_lock(now).is_some() {
            return 0;
        }
        let idle = u64::try_from(now.saturating_sub(self.last_activity)).unwrap_or(0);
        self.policy.idle_ms.saturating_sub(idle)
    }

    /// The lock at `now`, given the phone's last contact with the server:
    /// no-contact first (it outranks a PIN lock, which no PIN may open
    /// while it holds), else the PIN lock. `last_contact` is `None` on a
    /// phone that is not enrolled, which has nothing to lock.
    pub fn reason(&mut self, last_contact: Option<UnixMs>, now: UnixMs) -> Option<LockReason> {
        let last_contact = last_contact?;
        if no_contact(self.policy, last_contact, now) {
            return Some(LockReason::NoContact);
        }
        self.pin_lock(now)
    }

    /// Opens the PIN lock at `now` for the worker whose PIN was verified.
    fn open(&mut self, now: UnixMs) {
        self.pin_lock = None;
        self.last_activity = now;
    }

    /// Opens the PIN lock of a phone that was just enrolled: whoever
    /// enrolled it had the team lead's code, and there is nothing on it yet.
    pub fn enrolled(&mut self, now: UnixMs) {
        self.open(now);
    }
}

/// Why [`unlock`] refused.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    /// The no-contact lock holds: only a successful sync opens it.
    #[error("this phone has not reached the server for too long; sync it to open the app")]
    NoContact,
    /// The worker may not open this lock (not checked in on the open shift,
    /// or not an active worker of the unit).
    #[error("worker {worker} cannot open the lock here; choose a worker checked in on the shift")]
    NotAllowed {
        /// The worker's id.
        worker: String,
    },
    /// The PIN check failed (wrong PIN, the growing wait) or the store did.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// When this device last reached the server: its last successful sync,
/// else the baseline recorded the first time this was asked (and kept),
/// so a phone that never synced locks the no-contact time after that.
/// `None` on a phone that is not enrolled.
///
/// # Errors
/// [`StoreError::Db`] when the sync facts cannot be read or written.
pub fn last_contact(store: &mut Store, now: UnixMs) -> Result<Option<UnixMs>, StoreError> {
    if store.device().is_none() {
        return Ok(None);
    }
    let read = |store: &Store, key: &str| -> Result<Option<UnixMs>, StoreError> {
        Ok(store.sync_fact(key)?.and_then(|s| s.parse().ok()))
    };
    if let Some(ms) = read(store, crate::sync::LAST_SUCCESS)? {
        return Ok(Some(ms));
    }
    if let Some(ms) = read(store, CONTACT_BASELINE)? {
        return Ok(Some(ms));
    }
    store.set_sync_fact(CONTACT_BASELINE, Some(&now.to_string()))?;
    Ok(Some(now))
}

/// Who may open a PIN lock at `now`: the workers checked in on the open
/// shift, since they hold the phone and answer for what is on it; with
/// no open shift, or none checked in on it, every active worker of the
/// unit, since the next thing anyone does is start a shift (which takes
/// two PINs again) and the phone shows only the unit's own shifts.
///
/// # Errors
/// [`StoreError::Db`].
pub fn unlockers(store: &Store, now: UnixMs) -> Result<Vec<WorkerEntry>, StoreError> {
    let directory: Vec<WorkerEntry> = store
        .directory()?
        .into_iter()
        .filter(|w| w.active)
        .collect();
    let Some(shift) = store.open_shift()? else {
        return Ok(directory);
    };
    let present: Vec<UserId> = store
        .shift_members(shift.id)?
        .iter()
        .filter(|m| m.present_at(now))
        .map(|m| m.worker_id)
        .collect();
    if present.is_empty() {
        return Ok(directory);
    }
    Ok(directory
        .into_iter()
        .filter(|w| present.contains(&w.id))
        .collect())
}

/// Opens the PIN lock with `worker`'s PIN at `now`. The PIN is checked by
/// [`Store::verify_pin`], so wrong tries count against the same persisted
/// allowance as at check-in (five, then a growing wait).
///
/// # Errors
/// [`UnlockError::NoContact`] while that lock holds (nothing is verified
/// or counted), [`UnlockError::NotAllowed`] for a worker not in
/// [`unlockers`], [`UnlockError::Store`] with [`StoreError::Pin`] or
/// [`StoreError::PinLocked`] for a wrong PIN or while the wait runs.
pub fn unlock(
    store: &mut Store,
    lock: &mut Lock,
    worker: UserId,
    pin: &str,
    now: UnixMs,
) -> Result<(), UnlockError> {
    let contact = last_contact(store, now)?;
    if lock.reason(contact, now) == Some(LockReason::NoContact) {
        return Err(UnlockError::NoContact);
    }
    if !unlockers(store, now)?.iter().any(|w| w.id == worker) {
        return Err(UnlockError::NotAllowed {
            worker: worker.to_string(),
        });
    }
    store.verify_pin(worker, pin, now)?;
    lock.open(now);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: UnixMs = 1_800_000_000_000;
    const POLICY: LockPolicy = LockPolicy {
        idle_ms: 60_000,
        no_contact_ms: 10 * DAY_MS,
    };

    #[test]
    fn an_enrolled_app_starts_locked_and_an_unenrolled_one_does_not() {
        let mut lock = Lock::new(POLICY, true, T0);
        assert_eq!(lock.pin_lock(T0), Some(LockReason::Started));
        let mut fresh = Lock::new(POLICY, false, T0);
        assert_eq!(fresh.pin_lock(T0), None);
        // Not enrolled: no contact to count from, nothing to lock.
        assert_eq!(Lock::new(POLICY, true, T0).reason(None, T0), None);
    }

    #[test]
    fn idle_time_locks_and_activity_before_it_pushes_it_back() {
        let mut lock = Lock::new(POLICY, false, T0);
        lock.activity(T0 + 59_999);
        assert_eq!(lock.pin_lock(T0 + 119_998), None);
        assert_eq!(lock.idle_remaining_ms(T0 + 119_998), 1);
        assert_eq!(lock.pin_lock(T0 + 119_999), Some(LockReason::Idle));
        assert_eq!(lock.idle_remaining_ms(T0 + 119_999), 0);
    }

    #[test]
    fn activity_never_opens_a_lock() {
        let mut lock = Lock::new(POLICY, false, T0);
        // Activity that arrives after the idle time has run out is too late.
        lock.activity(T0 + 60_000);
        assert_eq!(lock.pin_lock(T0 + 60_001), Some(LockReason::Idle));
        lock.background(T0 + 60_002);
        assert_eq!(lock.pin_lock(T0 + 60_002), Some(LockReason::Idle));
    }

    #[test]
    fn background_locks_at_once() {
        let mut lock = Lock::new(POLICY, false, T0);
        lock.background(T0 + 1);
        assert_eq!(lock.pin_lock(T0 + 1), Some(LockReason::Background));
        lock.open(T0 + 2);
        assert_eq!(lock.pin_lock(T0 + 2), None);
        assert_eq!(lock.idle_remaining_ms(T0 + 2), 60_000);
    }

    #[test]
    fn a_clock_set_back_counts_as_no_time_passed() {
        let mut lock = Lock::new(POLICY, false, T0);
        assert_eq!(lock.pin_lock(T0 - 3_600_000), None);
        assert_eq!(lock.idle_remaining_ms(T0 - 3_600_000), 60_000);
    }

    #[test]
    fn no_contact_outranks_the_pin_lock_and_lifts_with_a_newer_contact() {
        let mut lock = Lock::new(POLICY, false, T0);
        let late = T0 + 10 * DAY_MS;
        assert_eq!(lock.reason(Some(T0), late - 1), Some(LockReason::Idle));
        assert_eq!(lock.reason(Some(T0), late), Some(LockReason::NoContact));
        assert!(!LockReason::NoContact.pin_opens());
        // A sync at `late` lifts it; the PIN lock (idle) is still there.
        assert_eq!(lock.reason(Some(late), late), Some(LockReason::Idle));
        assert!(LockReason::Idle.pin_opens());
    }

    #[test]
    fn the_default_policy_is_five_minutes_and_fourteen_days() {
        let p = LockPolicy::default();
        assert_eq!(p.idle_ms, 300_000);
        assert_eq!(p.no_contact_ms, 14 * 24 * 3_600_000);
    }
}
