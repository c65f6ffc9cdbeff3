//! Pull: pages of what changed for the unit since the device's cursor (a
//! server change seq, never a time). Each page is verified and applied with
//! its cursor in one store transaction. A shift is locked (approved) or
//! unlocked (returned) only on a decision signed by the pinned server key.

use super::error::{ClientError, Result};
use super::recover::{RecoveryReport, SeenDecisions};
use super::{SyncClient, http, lock};
use crate::store::Store;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::change::Change;
use feltlogg_core::hlc::{Hlc, SERVER_STAMP_DEVICE};
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::{PullPage, open_pull_page};
use feltlogg_core::vocab::ShiftStatus;
use std::collections::BTreeSet;
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
        let mut seen = SeenDecisions::new();
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
            let page = match self.fetch(cursor).await {
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
            for signed in &page.decisions {
                let d = &signed.decision;
                let newest = seen
                    .get(&d.shift_id)
                    .is_none_or(|(at, _)| *at <= d.decided_at_ms);
                if newest {
                    seen.insert(d.shift_id, (d.decided_at_ms, d.status));
                }
            }
            let more = page.more;
            self.apply(store, page, &mut report)?;
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

    fn apply(&self, store: &Mutex<Store>, page: PullPage, report: &mut PullReport) -> Result<()> {
        let mut decided = BTreeSet::new();
        let mut held = Vec::new();
        let mut decision_changes = Vec::new();
        let mut comments = Vec::new();
        for signed in &page.decisions {
            let d = signed.verify(&self.creds.server_key)?;
            held.push(signed.clone());
            decided.insert((d.shift_id, d.status));
            decision_changes.push(decision_change(d.shift_id, d.status, d.decided_at_ms));
            comments.push((d.shift_id, d.comment.clone()));
        }
        let (mut changes, dropped) = keep_signed_statuses(page.changes, &decided);
        // The server's own status change (with its stamp) is preferred; the
        // synthesised one only fills in when the page carried none.
        for dc in decision_changes {
            if !changes
                .iter()
                .any(|c| c.id == dc.id && c.fields.contains_key("status"))
            {
                changes.push(dc);
            }
        }
        let mut store = lock(store);
        // Refusals, directory and words first: they are idempotent, so a crash
        // before the page commits only repeats them on the next pull.
        store.record_refusals(&page.refused)?;
        if let Some(dir) = &page.directory {
            store.replace_directory(dir)?;
        }
        if let Some(areas) = &page.areas {
            store.replace_areas(areas)?;
        }
        // The unit's words and setting: the next save screens with them.
        if let Some(words) = &page.words {
            store.replace_unit_words(words)?;
        }
        // The team lead's comment is shown with a returned shift; a later
        // approval without one clears it.
        for (shift, comment) in comments {
            store.set_sync_fact(&decision_comment_key(shift), comment.as_deref())?;
        }
        let cursor = i64::try_from(page.cursor)
            .map_err(|_| ClientError::Protocol(format!("cursor {} out of range", page.cursor)))?;
        store.apply_remote_page(&changes, Some(cursor))?;
        // Kept to report, should the server go back to a backup without it.
        for signed in &held {
            store.hold_decision(signed)?;
        }
        report.changes += u32::try_from(changes.len()).unwrap_or(u32::MAX);
        report.decisions += u32::try_from(decided.len()).unwrap_or(u32::MAX);
        report.unsigned_dropped += dropped;
        Ok(())
    }
}

/// Drops the `status` field from shift changes that would approve or
/// return a shift without a verified decision in the same page; returns the
/// changes kept and how many statuses were dropped. The server sends a
/// record as it is now, so a shift sent for an earlier entry (its start,
/// say, on a phone pulling from 0) may carry an approval whose decision is
/// on a later page: dropped here, it comes again with its decision, which
/// the server never puts on a page apart from its status change.
fn keep_signed_statuses(
    changes: Vec<Change>,
    decided: &BTreeSet<(ShiftId, ShiftStatus)>,
) -> (Vec<Change>, u32) {
    let mut dropped = 0;
    let kept = changes
        .into_iter()
        .filter_map(|mut c| {
            if c.kind != RecordKind::Shift {
                return Some(c);
            }
            let status = c
                .fields
                .get("status")
                .and_then(|v| serde_json::from_value::<ShiftStatus>(v.clone()).ok());
            if let Some(s @ (ShiftStatus::Approved | ShiftStatus::Returned)) = status
                && !decided.contains(&(ShiftId(c.id), s))
            {
                c.fields.remove("status");
                dropped += 1;
            }
            (!c.fields.is_empty()).then_some(c)
        })
        .collect();
    (kept, dropped)
}

/// A decision as a status change, stamped at the decision time by the
/// server (with the server's stamp device).
fn decision_change(shift: ShiftId, status: ShiftStatus, at: i64) -> Change {
    let mut fields = feltlogg_core::record::Fields::new();
    fields.insert(
        "status".to_owned(),
        serde_json::Value::String(status.as_str().to_owned()),
    );
    Change {
        kind: RecordKind::Shift,
        id: shift.0,
        fields,
        hlc: Hlc {
            wall_ms: at,
            counter: 0,
            device: SERVER_STAMP_DEVICE,
        },
    }
}

/// Where the last verified decision's comment on `shift` is kept.
fn decision_comment_key(shift: ShiftId) -> String {
    format!("decision_comment:{shift}")
}

/// The team lead's comment on the last decision pulled for `shift` (the
/// reason a shift was returned), if any.
///
/// # Errors
/// [`ClientError::Store`].
pub fn decision_comment(store: &Store, shift: ShiftId) -> Result<Option<String>> {
    Ok(store.sync_fact(&decision_comment_key(shift))?)
}
