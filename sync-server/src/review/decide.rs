//! A team lead's decision on a closed shift: approve (locks it) or return
//! with a comment (unlocks it for correction). The shift's status changes
//! with a server stamp later than any the field has, and the decision is
//! signed with the server key so devices can verify it before they lock or
//! unlock. Both reach the unit's devices on their next pull. The audit
//! entry (`shift_approve`, `shift_return`) is written in the same
//! transaction, so there is no decision without its entry.

use crate::db::audit::{self, Actor};
use crate::db::changelog::{self, RefEntry};
use crate::db::encounter_facts::LazyCodes;
use crate::db::{decisions, records, users};
use crate::error::ApiError;
use feltlogg_core::change::{Change, RecordState};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::UnitId;
use feltlogg_core::ids::{ShiftId, UserId};
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_core::screen::{AllowedWords, Finding, find_personal_data_with};
use feltlogg_core::sync::{Decision, SignedDecision, SigningKey, sign_decision};
use feltlogg_core::{ApiErrorCode, Role, ShiftStatus, rules};
use rusqlite::{Connection, Transaction};

pub use feltlogg_core::hlc::SERVER_STAMP_DEVICE;

/// Most characters in a return comment.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// What the team lead decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Approve: the shift is final.
    Approve,
    /// Return for correction, saying what to correct.
    Return {
        /// Required, non-empty.
        comment: String,
    },
}

/// Decides on a shift as user `by`, writes the audit entry, and returns the
/// signed decision. The caller's transaction should be IMMEDIATE
/// ([`crate::db::Db::write`]), so the shift read is the one changed.
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown shift or user;
/// [`ApiError::Forbidden`] when `by` is not an active team lead of the
/// shift's unit or an admin; [`ApiError::Conflict`] (`shift_not_closed`)
/// when the shift is not closed; [`ApiError::Invalid`] for a return
/// without a comment, or with one the anonymity screen flags (the
/// comment reaches the phones; see [`return_comment_findings`]).
pub fn decide_shift(
    tx: &Transaction<'_>,
    server_key: &SigningKey,
    shift_id: ShiftId,
    verdict: Verdict,
    by: UserId,
    now_ms: i64,
) -> Result<SignedDecision, ApiError> {
    let (to, comment) = match verdict {
        Verdict::Approve => (ShiftStatus::Approved, None),
        Verdict::Return { comment } => (ShiftStatus::Returned, Some(check_length(&comment)?)),
    };
    let shift = records::load(tx, RecordKind::Shift, shift_id.uuid())?
        .ok_or_else(|| ApiError::NotFound(format!("no shift with id {shift_id}")))?;
    let actor = check_may_decide(tx, by, shift.unit_id)?;
    if let Some(comment) = &comment {
        let unit = crate::unit_words::policy(tx, shift.unit_id)?;
        check_screened(comment, unit.policy().allowed)?;
    }
    let from = shift
        .state
        .fields
        .get("status")
        .and_then(|s| s.value.as_str())
        .and_then(|s| ShiftStatus::parse(s).ok());
    if from != Some(ShiftStatus::Closed) {
        let from = from.map_or("without a status", ShiftStatus::as_str);
        return Err(ApiError::Conflict {
            code: ApiErrorCode::ShiftNotClosed,
            message: format!(
                "shift {shift_id} is {from}; only a closed shift can be approved or returned"
            ),
        });
    }
    rules::check_transition(ShiftStatus::Closed, to).map_err(|e| ApiError::Conflict {
        code: ApiErrorCode::BadTransition,
        message: e.to_string(),
    })?;
    let change = status_change(&shift.state, shift_id, to, now_ms);
    let mut state = shift.state;
    state.merge(&change);
    records::upsert(
        tx,
        &mut LazyCodes::default(),
        shift_id.uuid(),
        shift.unit_id,
        &state,
        None,
        now_ms,
    )?;
    // The decision goes in the log right before its status change, and a
    // pull page never ends between the two (see `sync::pull`): the device
    // accepts an approving or returning status only with its signed decision.
    let seq = changelog::insert_ref(
        tx,
        shift.unit_id,
        RefEntry::Decision,
        Some(shift_id.uuid()),
        None,
        None,
        now_ms,
    )?;
    let (action, detail) = match to {
        ShiftStatus::Returned => ("shift_return", comment.clone().unwrap_or_default()),
        _ => ("shift_approve", String::new()),
    };
    let decision = Decision {
        shift_id,
        status: to,
        comment,
        decided_at_ms: now_ms,
        decided_by: by,
        server_seq: seq,
    };
    let signed = sign_decision(&decision, server_key)
        .map_err(|e| ApiError::Internal(format!("signing a decision: {e}")))?;
    let id = decisions::insert(tx, shift_id, shift.unit_id, by, &signed, now_ms)?;
    changelog::set_ref(tx, seq, id)?;
    changelog::insert_change(
        tx,
        shift.unit_id,
        change.kind,
        change.id,
        None,
        false,
        now_ms,
    )?;
    audit::record(tx, now_ms, &actor, action, &shift_id.to_string(), &detail)?;
    tracing::info!(shift = %shift_id, status = %to, by = %by, "shift decided");
    Ok(signed)
}

/// What the anonymity screen finds in a return comment as the dashboard
/// and `decide_shift` read it (trimmed, with the shift's unit's words
/// `allowed`; a lead confirms nothing): spans in characters of the
/// trimmed text.
pub fn return_comment_findings(comment: &str, allowed: &AllowedWords) -> Vec<Finding> {
    find_personal_data_with(comment.trim(), allowed)
}

/// The comment trimmed, within 1 to [`MAX_COMMENT_CHARS`] characters.
fn check_length(comment: &str) -> Result<String, ApiError> {
    let comment = comment.trim();
    let n = comment.chars().count();
    if n == 0 || n > MAX_COMMENT_CHARS {
        return Err(ApiError::Invalid {
            field: "comment",
            problem: format!(
                "a returned shift needs a comment of 1 to {MAX_COMMENT_CHARS} characters saying what to correct; got {n}"
            ),
        });
    }
    Ok(comment.to_owned())
}

/// A comment reaches the workers' phones: the same screen as their notes,
/// with the unit's words.
fn check_screened(comment: &str, allowed: &AllowedWords) -> Result<(), ApiError> {
    if let Some(finding) = return_comment_findings(comment, allowed).into_iter().next() {
        return Err(ApiError::Invalid {
            field: "comment",
            problem: format!(
                "the comment holds {finding}; it reaches the workers' phones, so write it without \
                 identifying anyone (or replace that part with a placeholder such as [navn])"
            ),
        });
    }
    Ok(())
}

/// Admins decide on every unit's shifts; team leads on their units' only.
/// The decider as the audit names them.
fn check_may_decide(tx: &Connection, by: UserId, unit: UnitId) -> Result<Actor, ApiError> {
    let user =
        users::get(tx, by)?.ok_or_else(|| ApiError::NotFound(format!("no user with id {by}")))?;
    let allowed = user.active
        && match user.role {
            Role::Admin => true,
            Role::TeamLead => users::units_of(tx, by)?.contains(&unit),
            Role::Worker => false,
        };
    if allowed {
        Ok(Actor::user(by, &user.username))
    } else {
        Err(ApiError::Forbidden(format!(
            "user {} may not decide on shifts of unit {unit}; only its team leads and admins may",
            user.username
        )))
    }
}

/// A server stamp for a write to a field whose current stamp is `current`:
/// later than it even when a device's clock ran ahead of ours, so the
/// server's write wins on every device (decisions, redactions).
pub fn server_stamp(current: Option<Hlc>, now_ms: i64) -> Hlc {
    match current {
        Some(cur) if cur.wall_ms >= now_ms => Hlc {
            wall_ms: cur.wall_ms,
            counter: cur.counter.saturating_add(1),
            device: SERVER_STAMP_DEVICE,
        },
        _ => Hlc {
            wall_ms: now_ms,
            counter: 0,
            device: SERVER_STAMP_DEVICE,
        },
    }
}

/// The status change, stamped by [`server_stamp`].
fn status_change(state: &RecordState, shift: ShiftId, to: ShiftStatus, now_ms: i64) -> Change {
    let hlc = server_stamp(state.fields.get("status").map(|s| s.hlc), now_ms);
    let mut fields = Fields::new();
    fields.insert(
        "status".into(),
        serde_json::Value::String(to.as_str().into()),
    );
    Change {
        kind: RecordKind::Shift,
        id: shift.uuid(),
        fields,
        hlc,
    }
}
