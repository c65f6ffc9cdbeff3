//! The sync client: enrolment, push, pull, retries, the background loop
//! ([`background`]) and the status the app shows. No Tauri types: it runs the same in the app and in tests.
//!
//! The store sits behind a `std::sync::Mutex` that is locked only between
//! network calls, never across an `.await`, so the UI keeps saving while a
//! sync is under way.

pub mod background;
mod backoff;
mod credentials;
mod enrol;
mod error;
mod http;
mod pull;
mod push;
mod recover;
mod revoke;

pub use backoff::Backoff;
pub use credentials::Credentials;
pub use enrol::enrol;
pub use error::{ClientError, Result};
pub use pull::{PullReport, decision_comment};
pub use push::{BATCH_LIMIT, PushReport};
pub use recover::RecoveryReport;

use crate::store::{Store, now_ms};
use feltlogg_core::sync::SigningKey;
use std::sync::{Mutex, MutexGuard};

pub(crate) const LAST_SUCCESS: &str = "last_success_ms";
/// The sync fact holding the last error in plain words ([`SyncStatus::last_error`]).
pub const LAST_ERROR: &str = "last_error";

/// Locks the store. A panic while it was held cannot leave a half-written
/// transaction (SQLite rolls it back), so a poisoned lock is safe to reuse.
pub fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Talks to the sync server for one enrolled device.
#[derive(Debug)]
pub struct SyncClient {
    http: reqwest::Client,
    creds: Credentials,
    signer: SigningKey,
}

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// The push half.
    pub push: PushReport,
    /// The pull half.
    pub pull: PullReport,
}

impl SyncReport {
    /// Batches lost in catching up with a restored server, in plain words.
    pub fn loss_notice(&self) -> Option<String> {
        self.push
            .recovery
            .loss_notice()
            .or_else(|| self.pull.recovery.loss_notice())
    }
}

/// What the app shows about sync, always.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SyncStatus {
    /// Changes saved here and not yet acknowledged by the server.
    pub pending_changes: usize,
    /// When the last sync succeeded, Unix ms.
    pub last_success_ms: Option<i64>,
    /// The last error, in plain words; cleared by a success.
    pub last_error: Option<String>,
}

/// The sync status as the store remembers it.
///
/// # Errors
/// [`ClientError::Store`].
pub fn status(store: &Mutex<Store>) -> Result<SyncStatus> {
    let store = lock(store);
    Ok(SyncStatus {
        pending_changes: store.pending_changes()?,
        last_success_ms: store.sync_fact(LAST_SUCCESS)?.and_then(|s| s.parse().ok()),
        last_error: store.sync_fact(LAST_ERROR)?,
    })
}

impl SyncClient {
    /// A client for the device with these credentials.
    ///
    /// # Errors
    /// [`ClientError::Crypto`] if the stored signing key is unreadable.
    pub fn new(creds: Credentials) -> Result<Self> {
        Ok(Self {
            http: http::client()?,
            signer: creds.signer()?,
            creds,
        })
    }

    /// The credentials in use.
    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    /// One sync: push everything, then pull everything. A phone revoked
    /// with a signed instruction ends with [`ClientError::Wipe`] (after
    /// pushing what it has, for `retire`): the caller wipes it. The outcome is
    /// remembered for [`status`]: the time of a success, or the error's
    /// plain words.
    ///
    /// # Errors
    /// The first [`ClientError`] met; what was done before it stays done.
    pub async fn sync_once(&self, store: &Mutex<Store>) -> Result<SyncReport> {
        let outcome: Result<SyncReport> = async {
            let push = match self.push_all(store).await {
                // A revoked phone may have a signed instruction waiting,
                // which only its pull carries.
                Err(ClientError::Revoked) => {
                    return Err(self
                        .pull_all(store)
                        .await
                        .err()
                        .unwrap_or(ClientError::Revoked));
                }
                other => other?,
            };
            let pull = self.pull_all(store).await?;
            Ok(SyncReport { push, pull })
        }
        .await;
        let mut s = lock(store);
        match &outcome {
            Ok(report) => {
                s.set_sync_fact(LAST_SUCCESS, Some(&now_ms().to_string()))?;
                // A loss found while catching up with a restored server
                // stays on the sync bar, in plain words, until the next sync.
                let notice = report.loss_notice();
                s.set_sync_fact(LAST_ERROR, notice.as_deref())?;
            }
            Err(e) => s.set_sync_fact(LAST_ERROR, Some(&e.to_string()))?,
        }
        outcome
    }

    /// Syncs, retrying transient failures (network, server trouble) with
    /// capped exponential back-off and jitter, at most `attempts` times.
    /// Errors only a person can fix (revoked, refused) are returned at once.
    ///
    /// # Errors
    /// The last [`ClientError`] when every attempt failed.
    pub async fn sync_with_retry(
        &self,
        store: &Mutex<Store>,
        backoff: &mut Backoff,
        attempts: u32,
    ) -> Result<SyncReport> {
        let mut tried = 0;
        loop {
            tried += 1;
            match self.sync_once(store).await {
                Ok(r) => {
                    backoff.reset();
                    return Ok(r);
                }
                Err(e) if e.is_transient() && tried < attempts => {
                    tokio::time::sleep(backoff.next_delay()).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}
