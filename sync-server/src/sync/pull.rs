//! Cutting a pull page: what changed for the device's unit after its cursor
//! (the server change seq, never a time), sealed for the device and signed
//! with the server key. The unit's directory and its words (with the "not
//! a person" setting) go together: on a pull from 0 and after either changed.
//! A phone revoked with a signed instruction (retire, lost) gets a page
//! with that instruction and nothing else; one revoked without (before
//! instructions existed) gets 403 `device_revoked`.

use crate::db::changelog::{self, PullEntry};
use crate::db::devices::{self, Device};
use crate::db::{areas, revocations, settings, users};
use crate::error::ApiError;
use crate::sync::token;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::ids::DeviceId;
use feltlogg_core::sync::{PullPage, SigningKey, seal_pull_page};
use rusqlite::Connection;
use std::collections::HashSet;

/// Most changelog entries in one page (one more when the page would end
/// between a decision and its status change).
pub const PAGE_SIZE: usize = 1000;

/// The error code of a pull cursor beyond the end of the server's log.
pub const CURSOR_AHEAD: ApiErrorCode = ApiErrorCode::CursorAhead;

/// A sealed page, and the device whose last contact is due to be noted
/// (with [`touch`], in a write after this read).
#[derive(Debug)]
pub struct Pulled {
    /// The sealed page.
    pub sealed: Vec<u8>,
    /// The device to [`touch`], when its last contact is stale.
    pub touch: Option<DeviceId>,
}

/// Authenticates `token` and returns the sealed page after cursor `after`.
/// Run it in one read transaction ([`crate::db::Db::read`]) so the page
/// and the log's end come from one snapshot.
///
/// # Errors
/// [`ApiError::Unauthorized`]; [`ApiError::DeviceRevoked`] for a device
/// revoked without an instruction;
/// [`ApiError::Conflict`] `cursor_ahead` for a cursor past the log; internal
/// errors for database or sealing failures.
pub fn pull(
    conn: &Connection,
    token: &str,
    after: u64,
    server_key: &SigningKey,
    now_ms: i64,
) -> Result<Pulled, ApiError> {
    let device = token::any_device_for_token(conn, token)?;
    let page = if device.revoked_ms.is_some() {
        instruction_page(conn, &device, after)?
    } else {
        unit_page(conn, &device, after)?
    };
    let sealed = seal_pull_page(
        &page,
        device.key_id,
        &device.device_key,
        device.id,
        server_key,
    )
    .map_err(|e| ApiError::Internal(format!("sealing a pull page: {e}")))?;
    tracing::debug!(device = %device.id, after, cursor = page.cursor, more = page.more, "pull page cut");
    Ok(Pulled {
        sealed,
        touch: device.contact_is_stale(now_ms).then_some(device.id),
    })
}

/// Notes the device's last contact (see [`Pulled::touch`]).
///
/// # Errors
/// Database errors.
pub fn touch(conn: &Connection, device: DeviceId, now_ms: i64) -> Result<(), ApiError> {
    Ok(devices::touch(conn, device, now_ms)?)
}

/// A revoked phone's page: its signed instruction and nothing of the unit.
fn instruction_page(conn: &Connection, device: &Device, after: u64) -> Result<PullPage, ApiError> {
    let signed = revocations::get(conn, device.id)?.ok_or(ApiError::DeviceRevoked)?;
    Ok(PullPage {
        cursor: after,
        more: false,
        changes: Vec::new(),
        decisions: Vec::new(),
        refused: Vec::new(),
        directory: None,
        areas: None,
        revoked: true,
        epoch: settings::epoch(conn)?,
        high_water: Some(device.high_water),
        words: None,
        revocation: Some(signed),
    })
}

/// What changed for the device's unit after `after`.
fn unit_page(conn: &Connection, device: &Device, after: u64) -> Result<PullPage, ApiError> {
    let log_end = changelog::max_seq(conn)?;
    if after > log_end {
        // Only a server that went back (restored from a copy) can be behind
        // a cursor it gave out: the phone must start again from its epoch.
        return Err(ApiError::Conflict {
            code: CURSOR_AHEAD,
            message: format!(
                "cursor {after} is ahead of this server's log, which ends at {log_end}; \
                 the server was restored from a backup: send what it lacks and pull from 0"
            ),
        });
    }
    let mut entries = changelog::page(conn, device.unit_id, device.id, after, PAGE_SIZE + 2)?;
    // A decision is followed by its status change; keep the two on one page.
    let keep = match entries.get(PAGE_SIZE - 1) {
        Some((_, PullEntry::Decision(_))) => PAGE_SIZE + 1,
        _ => PAGE_SIZE,
    };
    let more = entries.len() > keep;
    entries.truncate(keep);
    let cursor = match entries.last() {
        Some((seq, _)) if more => *seq,
        // The whole log up to its end was scanned: skip past entries this
        // device does not see, so the next pull starts there.
        _ => log_end,
    };
    let mut page = PullPage {
        cursor,
        more,
        changes: Vec::new(),
        decisions: Vec::new(),
        refused: Vec::new(),
        directory: None,
        areas: None,
        revoked: false,
        epoch: settings::epoch(conn)?,
        high_water: Some(device.high_water),
        words: None,
        revocation: None,
    };
    let mut directory_changed = after == 0;
    // Every entry of a record reads it as it is now: send it once a page.
    let mut sent = HashSet::new();
    for (_, entry) in entries {
        match entry {
            PullEntry::Record(changes) => {
                if changes.first().is_some_and(|c| sent.insert(c.id)) {
                    page.changes.extend(changes);
                }
            }
            PullEntry::Decision(d) => page.decisions.push(d),
            PullEntry::Refusal(r) => page.refused.push(r),
            PullEntry::Directory => directory_changed = true,
        }
    }
    if directory_changed {
        page.directory = Some(users::directory(conn, device.unit_id)?);
        page.words = Some(crate::unit_words::of_unit(conn, device.unit_id)?);
    }
    if after == 0 {
        page.areas = Some(areas::list(conn)?);
    }
    Ok(page)
}
