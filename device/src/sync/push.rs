//! Push: cut the outbox into sealed batches, send them in seq order, and
//! let each ack remove what it covers. A batch is sealed once and kept
//! until acked, so a retry after any failure sends the very same bytes and
//! the server's exactly-once rule does the rest.

use super::error::{ClientError, Result};
use super::recover::RecoveryReport;
use super::{SyncClient, http, lock};
use crate::store::Store;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::sync::{Ack, seal_batch};
use std::sync::Mutex;

/// At most this many changes in one batch (DESIGN.md: ~1,000).
pub const BATCH_LIMIT: usize = 1000;

/// What a push did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PushReport {
    /// Batches acknowledged.
    pub batches: u32,
    /// Changes the server applied.
    pub applied: u32,
    /// Changes the server refused (kept, with reasons, in the store).
    pub refused: u32,
    /// Catching up with a server that went back to a backup.
    pub recovery: RecoveryReport,
}

impl SyncClient {
    /// Pushes every waiting change. Stops at the first failure; what was
    /// acked before it stays acked, what was not is sent again next time.
    ///
    /// # Errors
    /// [`ClientError`] from sealing, the network or the server.
    pub async fn push_all(&self, store: &Mutex<Store>) -> Result<PushReport> {
        let mut report = PushReport::default();
        loop {
            let pending = lock(store).sealed_batches()?;
            if pending.is_empty() && !self.cut_next(store)? {
                return Ok(report);
            }
            let last = pending.len();
            for (i, (seq, envelope)) in pending.into_iter().enumerate() {
                // While the last waiting batch is on the wire and the server
                // merges it, seal the next one, so the phone's work and the
                // server's overlap (a backlog of 10,000 syncs ~1.5x faster).
                // A batch sealed ahead waits like any other until acked.
                let (sent, ahead) = tokio::join!(self.send(seq, envelope), async {
                    if i + 1 == last {
                        // Let the connection task write the request first:
                        // sealing then blocks this task, not the send.
                        tokio::task::yield_now().await;
                        self.cut_next(store)
                    } else {
                        Ok(false)
                    }
                });
                let ack = match sent {
                    // The server lacks earlier batches: it went back to a
                    // backup. Catch up once, then send what waits again.
                    Err(ClientError::Server {
                        code: ApiErrorCode::SeqGap,
                        ..
                    }) if !report.recovery.server_went_back => {
                        self.catch_up(store, &mut report.recovery).await?;
                        break;
                    }
                    // Nothing is acked, so the outbox keeps these changes.
                    Err(ClientError::Server {
                        code: ApiErrorCode::SeqReused,
                        ..
                    }) => return Err(ClientError::SeqReused { seq }),
                    other => other?,
                };
                lock(store).ack_batch(ack.seq, &ack.refused)?;
                ahead?;
                report.batches += 1;
                report.applied += ack.applied;
                report.refused += u32::try_from(ack.refused.len()).unwrap_or(u32::MAX);
                if !report.recovery.server_went_back
                    && self.server_went_back(store, &ack.epoch, Some(ack.high_water))?
                {
                    self.catch_up(store, &mut report.recovery).await?;
                }
            }
        }
    }

    /// Seals the next batch from the outbox; false when nothing waits.
    fn cut_next(&self, store: &Mutex<Store>) -> Result<bool> {
        let creds = &self.creds;
        let cut = lock(store).cut_batch(BATCH_LIMIT, |batch| {
            seal_batch(batch, creds.key_id, &creds.device_key, &self.signer)
                .map_err(ClientError::from)
        })?;
        Ok(cut.is_some())
    }

    pub(super) async fn send(&self, seq: u64, envelope: Vec<u8>) -> Result<Ack> {
        let url = format!("{}/api/v1/sync/push", self.creds.server_url);
        let resp = self
            .http
            .post(&url)
            .bearer_auth(self.creds.token.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(envelope)
            .send()
            .await
            .map_err(http::unreachable(&self.creds.server_url))?;
        let bytes = http::body(&self.creds.server_url, resp).await?;
        let ack: Ack =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(e.to_string()))?;
        if ack.seq != seq {
            return Err(ClientError::Protocol(format!(
                "ack for batch {} when batch {seq} was sent",
                ack.seq
            )));
        }
        Ok(ack)
    }
}
