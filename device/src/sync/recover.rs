//! When the server went back to a backup: the phone sees a new epoch, a
//! high-water mark behind what it had acknowledged, a push gap or a pull
//! cursor the server refuses. It then re-sends the retained sealed batches
//! the server lacks (the same bytes), reports a range its retention no
//! longer holds, and pulls from the start; at the end of that pull it
//! undoes the decisions the server no longer holds (the server is the
//! truth for decisions) and reports them, so the dashboard can list the
//! shifts that need a decision again.

use super::error::{ClientError, Result};
use super::{SyncClient, http, lock};
use crate::store::{Store, VerifiedDecision};
use feltlogg_core::ids::ShiftId;
use feltlogg_core::sync::{LossReceipt, LossReport, SeqRange, SignedDecision};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What catching up with a restored server did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RecoveryReport {
    /// Whether the server was found to have gone back.
    pub server_went_back: bool,
    /// Retained batches sent again.
    pub resent: u32,
    /// Batches the server lacked and this phone no longer kept.
    pub lost: Option<SeqRange>,
    /// Shifts whose decision the server no longer holds, undone here.
    pub decisions_undone: Vec<ShiftId>,
}

impl RecoveryReport {
    /// The loss in plain words, for the sync bar, if anything was lost.
    pub fn loss_notice(&self) -> Option<String> {
        self.lost.map(|r| {
            format!(
                "the server was restored from a backup and this phone no longer kept batches {}–{} (older than its retention): the changes in them are lost; tell your team lead",
                r.from, r.to
            )
        })
    }
}

/// The newest verified decision the server showed on each shift in a pull.
#[derive(Debug, Default)]
pub(crate) struct SeenDecisions(BTreeMap<ShiftId, VerifiedDecision>);

impl SeenDecisions {
    /// Remembers `d` unless a later decision on its shift was seen.
    pub(crate) fn see(&mut self, d: &VerifiedDecision) {
        let dec = d.decision();
        let newest = self
            .0
            .get(&dec.shift_id)
            .is_none_or(|seen| seen.decision().decided_at_ms <= dec.decided_at_ms);
        if newest {
            self.0.insert(dec.shift_id, d.clone());
        }
    }

    /// Whether the server no longer holds `held`: it showed no decision on
    /// the shift, or only an older one.
    fn lost(&self, held: &SignedDecision) -> bool {
        let d = &held.decision;
        self.0
            .get(&d.shift_id)
            .is_none_or(|seen| seen.decision().decided_at_ms < d.decided_at_ms)
    }
}

impl SyncClient {
    /// Whether what the server just said shows it went back: another epoch
    /// than the one remembered, or a high-water mark behind this phone's
    /// acknowledged seq. The first epoch seen is remembered.
    pub(crate) fn server_went_back(
        &self,
        store: &Mutex<Store>,
        epoch: &str,
        high_water: Option<u64>,
    ) -> Result<bool> {
        let mut s = lock(store);
        let behind = high_water.is_some_and(|h| h < s.acked_seq().unwrap_or(0));
        match s.server_epoch()? {
            Some(known) if !epoch.is_empty() && known != epoch => Ok(true),
            None if !epoch.is_empty() => {
                s.set_server_epoch(epoch)?;
                Ok(behind)
            }
            _ => Ok(behind),
        }
    }

    /// Re-sends what the server lacks, reports what is gone, and restarts
    /// the pull from 0 under the server's new epoch.
    ///
    /// # Errors
    /// Network, server and store errors; what was re-sent stays sent.
    pub(crate) async fn catch_up(
        &self,
        store: &Mutex<Store>,
        report: &mut RecoveryReport,
    ) -> Result<()> {
        report.server_went_back = true;
        let probe = self.fetch(0).await?;
        let Some(held) = probe.high_water else {
            return Err(ClientError::Protocol(
                "the server went back but does not say what it holds; update the server".into(),
            ));
        };
        let (acked, retained) = {
            let s = lock(store);
            (s.acked_seq()?, s.acked_batches_after(held)?)
        };
        let mut expected = held.saturating_add(1);
        for (seq, envelope) in retained.into_iter().filter(|(seq, _)| *seq <= acked) {
            if seq > expected {
                self.report_lost(report, expected, seq - 1).await?;
            }
            let ack = self.send(seq, envelope).await?;
            lock(store).ack_batch(ack.seq, &ack.refused)?;
            report.resent += 1;
            expected = seq.saturating_add(1);
        }
        if expected <= acked {
            self.report_lost(report, expected, acked).await?;
        }
        let mut s = lock(store);
        s.set_server_epoch(&probe.epoch)?;
        s.restart_pull()?;
        Ok(())
    }

    async fn report_lost(&self, report: &mut RecoveryReport, from: u64, to: u64) -> Result<()> {
        let range = SeqRange { from, to };
        self.post_loss(&LossReport {
            lost_batches: Some(range),
            decisions: Vec::new(),
        })
        .await?;
        report.lost = Some(match report.lost {
            Some(r) => SeqRange {
                from: r.from.min(from),
                to: r.to.max(to),
            },
            None => range,
        });
        Ok(())
    }

    /// At the end of the pull from 0: decisions held here that the server
    /// did not send are undone (back to what it holds) and reported.
    pub(crate) async fn settle_decisions(
        &self,
        store: &Mutex<Store>,
        seen: &SeenDecisions,
        report: &mut RecoveryReport,
    ) -> Result<()> {
        let held = lock(store).held_decisions()?;
        let lost: Vec<SignedDecision> = held.into_iter().filter(|h| seen.lost(h)).collect();
        if !lost.is_empty() {
            self.post_loss(&LossReport {
                lost_batches: None,
                decisions: lost.clone(),
            })
            .await?;
        }
        let mut s = lock(store);
        for h in &lost {
            let shift = h.decision.shift_id;
            // Back to what the server holds: an older decision, or closed.
            s.undo_decision(shift, seen.0.get(&shift))?;
            report.decisions_undone.push(shift);
        }
        s.finish_repull()?;
        Ok(())
    }

    async fn post_loss(&self, loss: &LossReport) -> Result<LossReceipt> {
        let url = format!("{}/api/v1/sync/lost", self.creds.server_url);
        let resp = self
            .http
            .post(&url)
            .bearer_auth(self.creds.token.as_str())
            .json(loss)
            .send()
            .await
            .map_err(http::unreachable(&self.creds.server_url))?;
        let bytes = http::body(&self.creds.server_url, resp).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(e.to_string()))
    }
}
