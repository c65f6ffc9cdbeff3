//! What phones report after the server went back to a backup: batches the
//! server had acknowledged that the phone no longer keeps (lost; the
//! device's high-water mark moves past them so its later batches apply),
//! and decisions the server signed that the restored database lacks (the
//! shift needs a decision again; the dashboard lists it). Both are kept
//! and logged. No HTTP in here.

use crate::db::{devices, losses, review};
use crate::error::ApiError;
use crate::sync::token;
use feltlogg_core::sync::{LossReceipt, LossReport, SeqRange, VerifyingKey};
use rusqlite::{Connection, Transaction};

/// Records `report` for the token's device, in one transaction.
///
/// # Errors
/// [`ApiError::Unauthorized`], [`ApiError::DeviceRevoked`];
/// [`ApiError::Invalid`] for a lost range that does not start right after
/// the device's high-water mark; [`ApiError::Envelope`] for a decision
/// whose signature is not this server's (nothing is recorded then).
pub fn report(
    tx: &Transaction<'_>,
    token: &str,
    report: &LossReport,
    server_key: &VerifyingKey,
    now_ms: i64,
) -> Result<LossReceipt, ApiError> {
    let device = token::device_for_token(tx, token)?;
    // Check every signature before writing anything.
    for signed in &report.decisions {
        signed.verify(server_key)?;
    }
    let device = devices::get(tx, device.id)?.ok_or(ApiError::Unauthorized)?;
    let mut high_water = device.high_water;
    if let Some(range) = report.lost_batches {
        high_water = lost_batches(tx, device.id, high_water, range, now_ms)?;
    }
    let mut recorded = 0u32;
    for signed in &report.decisions {
        let d = &signed.decision;
        if losses::holds_decision(tx, d.shift_id, d.decided_at_ms)? {
            continue;
        }
        // The shift may not be back yet; it is then listed under the
        // reporting phone's unit, which is the only unit it may see.
        let unit = review::shift_unit(tx, d.shift_id)?.unwrap_or(device.unit_id);
        if unit != device.unit_id {
            continue;
        }
        let signed_json = serde_json::to_string(signed)?;
        let lost = losses::LostDecision {
            shift: d.shift_id,
            unit,
            status: d.status.as_str(),
            decided_at_ms: d.decided_at_ms,
            signed_json: &signed_json,
            reported_by: device.id,
        };
        if losses::insert_lost_decision(tx, &lost, now_ms)? {
            recorded += 1;
            tracing::warn!(
                device = %device.id, shift = %d.shift_id, status = %d.status,
                "decision lost in a restore: the shift needs a decision again"
            );
        }
    }
    Ok(LossReceipt {
        high_water,
        decisions_recorded: recorded,
    })
}

/// Records a lost range and moves the high-water mark past it; a range
/// reported before is accepted again (the phone may retry).
fn lost_batches(
    tx: &Connection,
    device: feltlogg_core::ids::DeviceId,
    high_water: u64,
    range: SeqRange,
    now_ms: i64,
) -> Result<u64, ApiError> {
    if range.to < range.from {
        return Err(ApiError::Invalid {
            field: "lost_batches",
            problem: format!(
                "range {}..={} is empty; give from <= to",
                range.from, range.to
            ),
        });
    }
    if range.to <= high_water {
        return Ok(high_water);
    }
    if range.from != high_water.saturating_add(1) {
        return Err(ApiError::Invalid {
            field: "lost_batches",
            problem: format!(
                "a lost range must start at seq {}, right after the last batch the server holds, not at {}",
                high_water.saturating_add(1),
                range.from
            ),
        });
    }
    losses::insert_batch_loss(tx, device, range.from, range.to, now_ms)?;
    devices::set_high_water(tx, device, range.to)?;
    tracing::warn!(
        device = %device, from = range.from, to = range.to,
        "batches lost: the phone no longer holds what the restored server lacks"
    );
    Ok(range.to)
}
