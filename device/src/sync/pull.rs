//! Pull: pages of what changed for the unit since the device's cursor (a
//! server change seq, never a time). Each page is opened (its envelope
//! verified), its decisions verified with the pinned server key, and then
//! applied whole with its cursor in one store transaction
//! ([`Store::apply_remote`]), which holds the lock rule: a shift is locked
//! (approved) or unlocked (returned) only on a verified decision.

use super::error::{ClientError, Result};
use super::recover::{RecoveryReport, SeenDecisions};
use super::{SyncClient, http, lock};
use crate::store::{RemotePage, Store, VerifiedDecision};
use feltlogg_core::ApiErrorCode;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::sync::{PullPage, SignedDecision, open_pull_page};
use std::sync::Mutex;

/// What a pull did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PullReport {
    /// Pages applied.
    pub pages: u32,
    /// Changes from other devices and the server applied.
    pub changes: u32,
    /// Verified decisions applied.
    pub decisions: u32,
    /// Status changes dropped for want of a valid signed decision.
    pub unsigned_dropped: u32,
    /// Catching up with a server that went back to a backup.
    pub recovery: RecoveryReport,
}

impl SyncClient {
    /// Pulls and applies every page after the stored cursor.
    ///
    /// # Errors
    /// [`ClientError::Wipe`] for a verified revocation instruction;
    /// [`ClientError::Revoked`] when the server says the device is revoked;
    /// [`ClientError::Crypto`] when a page or decision does not verify
    /// (nothing of that page is applied); network and store errors.
    pub async fn pull_all(&self, store: &Mutex<Store>) -> Result<PullReport> {
        let mut report = PullReport::default();
        let mut seen = SeenDecisions::default();
        {
            // A pull from 0 cut short last time starts over: decisions are
            // settled only from a complete view of what the server holds.
            let mut s = lock(store);
            if s.repull_pending()? && s.pull_cursor()? != 0 {
                s.restart_pull()?;
            }
        }
        loop {
            let cursor = u64::try_from(lock(store).pull_cursor()?).unwrap_or(0);
            let mut page = match self.fetch(cursor).await {
                // Only a server that went back refuses a cursor it gave out.
                Err(ClientError::Server {
                    code: ApiErrorCode::CursorAhead,
                    ..
                }) if !report.recovery.server_went_back => {
                    self.catch_up(store, &mut report.recovery).await?;
                    continue;
                }
                other => other?,
            };
            // A signed instruction (retire, lost) comes before anything else.
            if let Some(signed) = &page.revocation {
                return Err(self.obey(store, signed).await);
            }
            if page.revoked {
                return Err(ClientError::Revoked);
            }
            if !report.recovery.server_went_back
                && self.server_went_back(store, &page.epoch, page.high_water)?
            {
                self.catch_up(store, &mut report.recovery).await?;
                continue;
            }
            // Nothing of a page whose decision does not verify is applied.
            let decisions = self.verify(std::mem::take(&mut page.decisions))?;
            for d in &decisions {
                seen.see(d);
            }
            let more = page.more;
            apply(store, page, decisions, &mut report)?;
            report.pages += 1;
            if !more {
                if lock(store).repull_pending()? {
                    self.settle(store, &seen, &mut report.recovery).await?;
                }
                return Ok(report);
            }
        }
    }

    /// Settles decisions after a pull from 0; if that fails, the next sync
    /// pulls from 0 again, so no decision is judged from a partial view.
    async fn settle(
        &self,
        store: &Mutex<Store>,
        seen: &SeenDecisions,
        report: &mut RecoveryReport,
    ) -> Result<()> {
        let settled = self.settle_decisions(store, seen, report).await;
        if settled.is_err() {
            lock(store).restart_pull()?;
        }
        settled
    }

    pub(super) async fn fetch(&self, cursor: u64) -> Result<PullPage> {
        let url = format!("{}/api/v1/sync/pull?after={cursor}", self.creds.server_url);
        let resp = self
            .http
            .get(&url)
            .bearer_auth(self.creds.token.as_str())
            .send()
            .await
            .map_err(http::unreachable(&self.creds.server_url))?;
        let bytes = http::body(&self.creds.server_url, resp).await?;
        let c = &self.creds;
        Ok(open_pull_page(
            &bytes,
            &c.device_key,
            c.key_id,
            c.device_id,
            &c.server_key,
            cursor,
        )?)
    }

    /// Verifies the page's decisions with the pinned server key.
    ///
    /// # Errors
    /// [`ClientError::Crypto`] when one does not verify.
    fn verify(&self, decisions: Vec<SignedDecision>) -> Result<Vec<VerifiedDecision>> {
        decisions
            .into_iter()
            .map(|signed| Ok(VerifiedDecision::verify(signed, &self.creds.server_key)?))
            .collect()
    }
}

/// Applies a page with its verified decisions and cursor: one store
/// transaction, in which the store holds the lock rule.
fn apply(
    store: &Mutex<Store>,
    page: PullPage,
    decisions: Vec<VerifiedDecision>,
    report: &mut PullReport,
) -> Result<()> {
    let cursor = i64::try_from(page.cursor)
        .map_err(|_| ClientError::Protocol(format!("cursor {} out of range", page.cursor)))?;
    let applied = lock(store).apply_remote(RemotePage {
        refused: page.refused,
        directory: page.directory,
        areas: page.areas,
        words: page.words,
        changes: page.changes,
        decisions,
        cursor: Some(cursor),
    })?;
    report.changes += applied.changes;
    report.decisions += applied.decisions;
    report.unsigned_dropped += applied.unsigned_dropped;
    Ok(())
}

/// The team lead's comment on the last decision pulled for `shift` (the
/// reason a shift was returned), if any.
///
/// # Errors
/// [`ClientError::Store`].
pub fn decision_comment(store: &Store, shift: ShiftId) -> Result<Option<String>> {
    Ok(store.decision_comment(shift)?)
}
