//! The background sync: one loop for the app's lifetime that runs by itself
//! whenever the server answers. It syncs, then sleeps: a minute after a
//! success, a back-off delay (1 s doubling to 5 min, with jitter) after
//! network or server trouble, five minutes after an error only a person can
//! fix, an hour while the device is not enrolled. A wake-up (a local change,
//! an enrolment) cuts the sleep short, after a short debounce so a burst of
//! saves goes out as one sync.
//!
//! The shell only spawns it, handing in its own sync (which holds the shell's
//! gate and remembers the error for the UI) and its `Notify`.

use super::{Backoff, Result, SyncReport};
use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;
use tokio::sync::Notify;

/// How long the loop sleeps after each kind of outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// After a successful sync, unless woken.
    pub after_success: Duration,
    /// After an error that retrying cannot fix (revoked, refused).
    pub after_permanent: Duration,
    /// While the device is not enrolled, unless woken.
    pub not_enrolled: Duration,
    /// A short pause after a wake-up, so a burst of saves is one sync.
    pub debounce: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            after_success: Duration::from_secs(60),
            after_permanent: Duration::from_secs(300),
            not_enrolled: Duration::from_secs(3600),
            debounce: Duration::from_millis(300),
        }
    }
}

impl Schedule {
    /// The sleep after `outcome` (`None`: not enrolled); a success resets
    /// the back-off, trouble worth retrying takes its next delay.
    pub fn after(&self, outcome: Option<&Result<SyncReport>>, backoff: &mut Backoff) -> Duration {
        match outcome {
            None => self.not_enrolled,
            Some(Ok(_)) => {
                backoff.reset();
                self.after_success
            }
            Some(Err(e)) if e.is_transient() => backoff.next_delay(),
            Some(Err(_)) => self.after_permanent,
        }
    }
}

/// The loop; never returns. `sync` runs one sync and gives its outcome, or
/// `None` while the device is not enrolled; `wake` cuts a sleep short.
pub async fn run<F, Fut>(wake: &Notify, schedule: Schedule, mut sync: F) -> Infallible
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<Result<SyncReport>>>,
{
    let mut backoff = Backoff::default();
    loop {
        let outcome = sync().await;
        let wait = schedule.after(outcome.as_ref(), &mut backoff);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = wake.notified() => tokio::time::sleep(schedule.debounce).await,
        }
    }
}
