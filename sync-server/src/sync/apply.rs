//! Applying a pushed batch: check the envelope against the token's device,
//! enforce the seq rules, open it, and in ONE SQLite transaction journal
//! the sealed bytes, merge every change (or refuse it with a reason),
//! advance the device's high-water mark and store the ack. A crash at any
//! point leaves all of it or none of it. No HTTP in here.
//!
//! Seq rules: the envelope is opened (signature, key id, device, tag) before
//! any seq rule, so nothing is answered for bytes the device did not sign.
//! A seq at or below the high-water mark gets its stored ack again only
//! when the bytes are the journalled ones (exactly-once effect); other
//! bytes under a used seq are `seq_reused` (409), never acked, so the
//! phone keeps those changes. A seq beyond the next one is a gap (409
//! naming the expected seq); only the next seq is applied.

mod cache;
mod checks;

use crate::db::batches;
use crate::db::changelog::{self, RefEntry};
use crate::db::devices::{self, Device};
use crate::db::refusals::{self, NewRefusal};
use crate::db::settings;
use crate::error::ApiError;
use crate::sync::token;
use cache::BatchCache;
use checks::Outcome;
use feltlogg_core::change::Change;
use feltlogg_core::sync::{
    Ack, Batch, Direction, Header, Refusal, SyncError, open_batch, peek_header,
};
use feltlogg_core::{ApiErrorCode, RefusalCode};
use rusqlite::{Connection, TransactionBehavior};
use std::borrow::Cow;

/// The error code of a used seq sent again with other bytes.
pub const SEQ_REUSED: ApiErrorCode = ApiErrorCode::SeqReused;

/// A push whose envelope opened: the device it came from (as read before
/// the writer's turn), its header and the batch inside.
#[derive(Debug)]
pub struct Opened {
    device: Device,
    header: Header,
    batch: Batch,
}

impl Opened {
    /// How many changes the batch holds (what bounds a group of batches).
    pub fn changes(&self) -> usize {
        self.batch.changes.len()
    }
}

/// Handles one push: [`open`] then [`apply`] in one transaction of its own.
/// (The server splits the two so that opening, the CPU work, happens
/// outside the writer's turn.) Returns the ack to send.
///
/// # Errors
/// As for [`open`] and [`apply`]. Nothing is written on any error.
pub fn push(
    conn: &mut Connection,
    token: &str,
    envelope: &[u8],
    now_ms: i64,
) -> Result<Ack, ApiError> {
    let opened = open(conn, token, envelope)?;
    apply_alone(conn, &opened, envelope, now_ms)
}

/// [`apply`] in a transaction of its own, committed before it returns.
///
/// # Errors
/// As for [`apply`]; nothing is written on any error.
pub fn apply_alone(
    conn: &mut Connection,
    opened: &Opened,
    envelope: &[u8],
    now_ms: i64,
) -> Result<Ack, ApiError> {
    // IMMEDIATE: take the write lock before reading the high-water mark, so
    // two pushes of the same seq cannot both apply it.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let ack = apply(&tx, opened, envelope, now_ms)?;
    tx.commit()?;
    Ok(ack)
}

/// Authenticates `token` and opens the batch in `envelope`: reads only, so
/// it runs on any connection, before the writer's turn.
///
/// # Errors
/// [`ApiError::Unauthorized`], [`ApiError::DeviceRevoked`];
/// [`ApiError::DeviceMismatch`] when the header names another device;
/// [`ApiError::Envelope`] for an envelope that fails to open (the
/// [`SyncError`] says which check).
pub fn open(conn: &Connection, token: &str, envelope: &[u8]) -> Result<Opened, ApiError> {
    let device = token::any_device_for_token(conn, token)?;
    if !device.may_push() {
        return Err(ApiError::DeviceRevoked);
    }
    let header = peek_header(envelope)?;
    if header.direction != Direction::Push {
        return Err(SyncError::WrongDirection.into());
    }
    if header.device_id != device.id {
        return Err(ApiError::DeviceMismatch {
            header: header.device_id.to_string(),
            token: device.id.to_string(),
        });
    }
    if header.key_id != device.key_id {
        return Err(SyncError::UnknownKeyId(header.key_id).into());
    }
    // Verify and open before any seq rule: a replay is answered only for
    // bytes this device signed.
    let batch = open_batch(
        envelope,
        &device.device_key,
        device.key_id,
        device.id,
        &device.public_key,
    )?;
    Ok(Opened {
        device,
        header,
        batch,
    })
}

/// Applies or replays an opened batch inside `tx`, which the caller opened
/// IMMEDIATE (holding SQLite's write lock) and commits: the seq rules, the
/// merge, the journal, the high-water mark and the ack, all in `tx`.
/// `envelope` is the one [`open`] opened.
///
/// # Errors
/// [`ApiError::Unauthorized`] or [`ApiError::DeviceRevoked`] when the
/// device went since it was opened; [`ApiError::SeqGap`] naming the
/// expected seq; [`ApiError::SeqInvalid`] for seq 0; `seq_reused` (409)
/// for other bytes under a used seq; database failures. The caller rolls
/// back what was written on any error.
pub fn apply(
    tx: &Connection,
    opened: &Opened,
    envelope: &[u8],
    now_ms: i64,
) -> Result<Ack, ApiError> {
    let header = &opened.header;
    let device = devices::get(tx, opened.device.id)?.ok_or(ApiError::Unauthorized)?;
    if !device.may_push() {
        return Err(ApiError::DeviceRevoked);
    }
    if device.contact_is_stale(now_ms) {
        devices::touch(tx, device.id, now_ms)?;
    }
    if device.key_id != header.key_id {
        // Re-keyed since the envelope was opened.
        return Err(SyncError::UnknownKeyId(header.key_id).into());
    }
    let seq = header.seq;
    if seq <= device.high_water {
        return replay(tx, &device, seq, envelope);
    }
    let expected = device.high_water.saturating_add(1);
    if seq > expected {
        return Err(ApiError::SeqGap { expected, got: seq });
    }
    let ack = merge_batch(tx, &device, &opened.batch, now_ms)?;
    batches::insert(
        tx,
        device.id,
        seq,
        envelope,
        &serde_json::to_string(&ack)?,
        now_ms,
    )?;
    devices::set_high_water(tx, device.id, seq)?;
    tracing::info!(
        device = %device.id, seq, applied = ack.applied,
        refused = ack.refused.len(), clamped = ack.clamped, "batch applied"
    );
    Ok(ack)
}

/// The stored ack of an applied seq, with the current high-water mark, when
/// `envelope` is the very envelope journalled for it; `seq_reused` when it
/// is not (another batch sealed under a used seq: its changes were never
/// applied, and the phone must keep them).
fn replay(tx: &Connection, device: &Device, seq: u64, envelope: &[u8]) -> Result<Ack, ApiError> {
    let Some(journalled) = batches::get(tx, device.id, seq)? else {
        return Err(ApiError::SeqInvalid { got: seq });
    };
    if journalled.envelope != envelope {
        tracing::warn!(device = %device.id, seq, "push refused: seq already used by other bytes");
        return Err(ApiError::Conflict {
            code: SEQ_REUSED,
            message: format!(
                "batch seq {seq} was already used by another batch from this phone; \
                 these changes were not saved on the server: keep them and send them \
                 in a new batch (seq {} is next)",
                device.high_water.saturating_add(1)
            ),
        });
    }
    let mut ack: Ack = serde_json::from_str(&journalled.ack_json)?;
    ack.high_water = device.high_water;
    ack.epoch = settings::epoch(tx)?;
    tracing::debug!(device = %device.id, seq, "batch replayed: stored ack returned");
    Ok(ack)
}

/// Merges or refuses every change of `batch`; returns the ack.
fn merge_batch(
    tx: &Connection,
    device: &Device,
    batch: &Batch,
    now_ms: i64,
) -> Result<Ack, ApiError> {
    let mut ack = Ack {
        seq: batch.seq,
        high_water: batch.seq,
        applied: 0,
        refused: Vec::new(),
        clamped: 0,
        epoch: settings::epoch(tx)?,
    };
    let mut cache = BatchCache::default();
    for change in &batch.changes {
        let (hlc, clamped) = change.hlc.clamp_to(now_ms);
        // Copy the change only when its stamp changes: most are not clamped.
        let stamped = if clamped {
            ack.clamped = ack.clamped.saturating_add(1);
            Cow::Owned(Change {
                hlc,
                ..change.clone()
            })
        } else {
            Cow::Borrowed(change)
        };
        match checks::merge_one(tx, &mut cache, device, &stamped, now_ms)? {
            Outcome::Merged { won_any } => {
                ack.applied = ack.applied.saturating_add(1);
                if won_any {
                    changelog::insert_change(
                        tx,
                        device.unit_id,
                        change.kind,
                        change.id,
                        Some(device.id),
                        clamped,
                        now_ms,
                    )?;
                }
            }
            Outcome::Refused { code, reason } => {
                ack.refused.push(refuse(
                    tx, device, batch.seq, change, code, &reason, now_ms,
                )?);
            }
        }
    }
    Ok(ack)
}

/// Keeps a refused change with its reason and queues the refusal for the
/// device's next pull.
fn refuse(
    tx: &Connection,
    device: &Device,
    batch_seq: u64,
    change: &Change,
    code: RefusalCode,
    reason: &str,
    now_ms: i64,
) -> Result<Refusal, ApiError> {
    let new = NewRefusal {
        device_id: device.id,
        unit_id: device.unit_id,
        batch_seq,
        change,
        code: code.as_str(),
        reason,
    };
    let id = refusals::insert(tx, &new, now_ms)?;
    changelog::insert_ref(
        tx,
        device.unit_id,
        RefEntry::Refusal,
        Some(change.id),
        Some(device.id),
        Some(id),
        now_ms,
    )?;
    tracing::info!(device = %device.id, record = %change.id, code = code.as_str(), "change refused");
    Ok(Refusal {
        change_id_or_record: change.id,
        kind: change.kind,
        batch_seq,
        reason: reason.to_owned(),
        code,
    })
}
