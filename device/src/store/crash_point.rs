//! Named points between the writes of a pull page, for the crash test: with
//! the `crash-points` feature (tests only), the process aborts at the point
//! [`CRASH_AFTER`] names; without it, a point is nothing.

/// The environment variable naming where to abort: `step#n`, the `n`th time
/// (from 1) the write `step` (one of [`STEPS`]) is done.
#[cfg(feature = "crash-points")]
pub const CRASH_AFTER: &str = "FELTLOGG_CRASH_AFTER";

/// Every step of a pull page, in the order written.
#[cfg(feature = "crash-points")]
pub const STEPS: &[&str] = &[
    "refusals",
    "directory",
    "areas",
    "words",
    "decision",
    "change",
    "cursor",
    "clock",
    "commit",
];

/// Marks that the write `step` was just done.
#[cfg(feature = "crash-points")]
pub(crate) fn after(step: &'static str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    let Ok(target) = std::env::var(CRASH_AFTER) else {
        return;
    };
    let Some((name, nth)) = target.split_once('#') else {
        return;
    };
    if name == step && nth.parse() == Ok(SEEN.fetch_add(1, Ordering::SeqCst) + 1) {
        std::process::abort();
    }
}

/// Marks that the write `step` was just done (nothing without the feature).
#[cfg(not(feature = "crash-points"))]
#[inline(always)]
pub(crate) fn after(_step: &'static str) {}
