//! Device enrolment: a one-time code and the device's public key in; the
//! device's id, symmetric key, bearer token, the server's public key and
//! the unit's directory and areas out. The code is marked used in the same
//! transaction that creates the device, so it works exactly once.

use crate::db::devices::{self, NewDevice};
use crate::db::{areas, enrol_codes, users};
use crate::error::ApiError;
use crate::sync::token;
use feltlogg_core::ids::DeviceId;
use feltlogg_core::sync::api::{EnrolRequest, EnrolResponse};
use feltlogg_core::sync::{DeviceKey, KeyId, VerifyingKey};
use rusqlite::Transaction;

/// Most characters in a device name.
pub const MAX_DEVICE_NAME_CHARS: usize = 64;

/// Enrols a device, in the caller's IMMEDIATE transaction
/// ([`crate::db::Db::write`]).
///
/// # Errors
/// [`ApiError::Invalid`] for a bad public key or device name;
/// [`ApiError::EnrolCodeUnknown`], [`ApiError::EnrolCodeUsed`],
/// [`ApiError::EnrolCodeExpired`] for a code that cannot be used.
pub fn enrol(
    tx: &Transaction<'_>,
    req: &EnrolRequest,
    server_key: &VerifyingKey,
    now_ms: i64,
) -> Result<EnrolResponse, ApiError> {
    let public_key =
        VerifyingKey::from_base64(req.device_public_key.trim()).map_err(|e| ApiError::Invalid {
            field: "device_public_key",
            problem: e.to_string(),
        })?;
    let name = req.device_name.trim();
    let name_chars = name.chars().count();
    if name_chars == 0 || name_chars > MAX_DEVICE_NAME_CHARS {
        return Err(ApiError::Invalid {
            field: "device_name",
            problem: format!(
                "a device name has 1 to {MAX_DEVICE_NAME_CHARS} characters; got {name_chars}"
            ),
        });
    }
    let code_hash = token::sha256(token::normalise_code(&req.code).as_bytes());
    let code = enrol_codes::find(tx, &code_hash)?.ok_or(ApiError::EnrolCodeUnknown)?;
    if code.used_ms.is_some() {
        return Err(ApiError::EnrolCodeUsed);
    }
    if now_ms >= code.expires_ms {
        return Err(ApiError::EnrolCodeExpired);
    }
    let crypto = |e: feltlogg_core::sync::SyncError| ApiError::Internal(e.to_string());
    let device_key = DeviceKey::generate().map_err(crypto)?;
    let key_id = KeyId::generate().map_err(crypto)?;
    let token = token::new_token()?;
    let id = DeviceId::new();
    devices::insert(
        tx,
        &NewDevice {
            id,
            unit_id: code.unit_id,
            name,
            public_key,
            device_key: &device_key,
            key_id,
            token_hash: &token::sha256(token.as_bytes()),
        },
        now_ms,
    )?;
    if !enrol_codes::mark_used(tx, &code_hash, id, now_ms)? {
        return Err(ApiError::EnrolCodeUsed);
    }
    let response = EnrolResponse {
        device_id: id,
        device_key: device_key.to_base64().to_string(),
        key_id: key_id.as_u64(),
        token,
        server_public_key: server_key.to_base64(),
        unit_id: code.unit_id,
        directory: users::directory(tx, code.unit_id)?,
        areas: areas::list(tx)?,
    };
    tracing::info!(device = %id, unit = %code.unit_id, "device enrolled");
    Ok(response)
}
