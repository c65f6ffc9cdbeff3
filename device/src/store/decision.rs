//! The phone's lock rule: a shift becomes approved (locked) or returned
//! (unlocked for correction) only on a decision signed by the pinned server
//! key and held in the same transaction as the status change. Queries on
//! the `held_decision` table live here too, with the team lead's comment.
//!
//! [`VerifiedDecision`] can only be made by verifying a signature, so no
//! caller can hand the store an unsigned lock.

use super::error::Result;
use super::{Store, sync_state};
use feltlogg_core::change::Change;
use feltlogg_core::hlc::{Hlc, SERVER_STAMP_DEVICE};
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_core::sync::{Decision, SignedDecision, SyncError, VerifyingKey};
use feltlogg_core::vocab::ShiftStatus;
use rusqlite::{Connection, params};
use std::collections::BTreeSet;

/// A signed decision whose signature verified against the server key: the
/// only thing the store locks or unlocks a shift on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedDecision(SignedDecision);

impl VerifiedDecision {
    /// Verifies `signed` with the pinned server key.
    ///
    /// # Errors
    /// [`SyncError::BadSignature`] or [`SyncError::InvalidDecision`], as
    /// [`SignedDecision::verify`].
    pub fn verify(signed: SignedDecision, server_key: &VerifyingKey) -> Result<Self, SyncError> {
        signed.verify(server_key)?;
        Ok(Self(signed))
    }

    /// The decision.
    pub fn decision(&self) -> &Decision {
        &self.0.decision
    }

    /// The decision with its signature, as the server sent it.
    pub fn signed(&self) -> &SignedDecision {
        &self.0
    }
}

impl Store {
    /// Keeps a verified decision as the one held for its shift, unless a
    /// later one is held (no status changes: [`Store::apply_remote`] does
    /// both).
    ///
    /// # Errors
    /// [`super::StoreError::Db`]; a JSON error as [`super::StoreError`].
    pub fn hold_decision(&mut self, d: &VerifiedDecision) -> Result<()> {
        let tx = self.conn.transaction()?;
        hold(&tx, d)?;
        tx.commit()?;
        Ok(())
    }

    /// Every held decision, oldest first: kept to report should the server
    /// go back to a backup without them.
    ///
    /// # Errors
    /// [`super::StoreError::Db`]; a JSON error as [`super::StoreError`].
    pub fn held_decisions(&self) -> Result<Vec<SignedDecision>> {
        all(&self.conn)
    }

    /// The team lead's comment on the last decision held for `shift` (the
    /// reason a shift was returned), if any.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn decision_comment(&self, shift: ShiftId) -> Result<Option<String>> {
        comment(&self.conn, shift)
    }
}

/// The (shift, status) pairs decided by `held`: what the status changes of
/// one transaction may set.
pub(crate) type Decided = BTreeSet<(ShiftId, ShiftStatus)>;

/// Keeps `d` as the decision held for its shift (unless a later one is
/// held) and its comment as the one shown with the shift; returns what it
/// decides. The caller's transaction holds it with the status it backs.
pub(crate) fn hold(conn: &Connection, d: &VerifiedDecision) -> Result<(ShiftId, ShiftStatus)> {
    let dec = d.decision();
    conn.prepare_cached(
        "INSERT INTO held_decision (shift_id, decided_at_ms, signed) VALUES (?1, ?2, ?3)
         ON CONFLICT (shift_id) DO UPDATE SET decided_at_ms = excluded.decided_at_ms,
           signed = excluded.signed WHERE excluded.decided_at_ms >= decided_at_ms",
    )?
    .execute(params![
        dec.shift_id.to_string(),
        dec.decided_at_ms,
        serde_json::to_string(d.signed())?
    ])?;
    // The team lead's comment is shown with a returned shift; a later
    // approval without one clears it.
    let key = comment_key(dec.shift_id);
    match &dec.comment {
        Some(c) => sync_state::set(conn, &key, c)?,
        None => sync_state::delete(conn, &key)?,
    }
    Ok((dec.shift_id, dec.status))
}

/// Forgets the decision held on `shift` (the server no longer has it).
pub(crate) fn forget(conn: &Connection, shift: ShiftId) -> Result<()> {
    conn.prepare_cached("DELETE FROM held_decision WHERE shift_id = ?1")?
        .execute([shift.to_string()])?;
    Ok(())
}

fn all(conn: &Connection) -> Result<Vec<SignedDecision>> {
    let mut stmt =
        conn.prepare_cached("SELECT signed FROM held_decision ORDER BY decided_at_ms")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(serde_json::from_str(&row?)?);
    }
    Ok(out)
}

fn comment(conn: &Connection, shift: ShiftId) -> Result<Option<String>> {
    sync_state::get(conn, &comment_key(shift))
}

fn comment_key(shift: ShiftId) -> String {
    format!("decision_comment:{shift}")
}

/// The rule. Drops the `status` field from shift changes that would approve
/// or return a shift without a decision in `decided`; returns the changes
/// kept and how many statuses were dropped. Then adds, for each decision
/// whose shift's status the changes do not carry, the decision as a status
/// change (the server's own change, with its stamp, is preferred).
///
/// The server sends a record as it is now, so a shift sent for an earlier
/// entry (its start, say, on a phone pulling from 0) may carry an approval
/// whose decision is on a later page: dropped here, it comes again with its
/// decision, which the server never puts on a page apart from its status
/// change.
pub(crate) fn signed_statuses(
    changes: &[Change],
    decisions: &[VerifiedDecision],
    decided: &Decided,
) -> (Vec<Change>, u32) {
    let mut dropped = 0;
    let mut kept: Vec<Change> = changes
        .iter()
        .filter_map(|c| {
            let mut c = c.clone();
            if c.kind == RecordKind::Shift
                && let Some(s) = locking_status(&c)
                && !decided.contains(&(ShiftId(c.id), s))
            {
                c.fields.remove("status");
                dropped += 1;
            }
            (!c.fields.is_empty()).then_some(c)
        })
        .collect();
    for d in decisions {
        let d = d.decision();
        let carried = kept
            .iter()
            .any(|c| c.id == d.shift_id.0 && c.fields.contains_key("status"));
        if !carried {
            kept.push(status_change(d.shift_id, d.status, d.decided_at_ms, 0));
        }
    }
    (kept, dropped)
}

/// The change's status when it is one only a decision may set.
fn locking_status(c: &Change) -> Option<ShiftStatus> {
    let status = c
        .fields
        .get("status")
        .and_then(|v| serde_json::from_value::<ShiftStatus>(v.clone()).ok())?;
    matches!(status, ShiftStatus::Approved | ShiftStatus::Returned).then_some(status)
}

/// A status change stamped by the server (the server's stamp device) at
/// `at`, `counter`.
pub(crate) fn status_change(shift: ShiftId, status: ShiftStatus, at: i64, counter: u32) -> Change {
    let mut fields = Fields::new();
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
            counter,
            device: SERVER_STAMP_DEVICE,
        },
    }
}
