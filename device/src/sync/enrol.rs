//! Enrolment: a one-time code from a team lead turns a fresh install into a
//! device of a unit, with its own keys.

use super::credentials::Credentials;
use super::error::{ClientError, Result};
use super::http;
use crate::store::Store;
use feltlogg_core::sync::api::{EnrolRequest, EnrolResponse};
use feltlogg_core::sync::{DeviceKey, KeyId, SigningKey, VerifyingKey};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// Enrols this device at `server_url` with a one-time `code`: makes the
/// device's Ed25519 key, registers its public half, stores the answer (the
/// credentials, the directory and the areas, all in the encrypted store).
///
/// # Errors
/// [`ClientError::Unreachable`] when the server does not answer,
/// [`ClientError::Server`] with the server's reason for a wrong, used or
/// expired code, [`ClientError::Credentials`] when they cannot be saved.
pub async fn enrol(
    server_url: &str,
    code: &str,
    device_name: &str,
    store: &Mutex<Store>,
) -> Result<Credentials> {
    let server_url = server_url.trim_end_matches('/');
    let (signer, pkcs8) = SigningKey::generate()?;
    let request = EnrolRequest {
        code: code.trim().to_owned(),
        device_public_key: signer.public_key().to_base64(),
        device_name: device_name.to_owned(),
    };
    let url = format!("{server_url}/api/v1/devices/enrol");
    let resp = http::client()?
        .post(&url)
        .json(&request)
        .send()
        .await
        .map_err(http::unreachable(server_url))?;
    let bytes = http::body(server_url, resp).await?;
    let answer: EnrolResponse =
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(e.to_string()))?;
    let creds = Credentials {
        server_url: server_url.to_owned(),
        device_id: answer.device_id,
        unit_id: answer.unit_id,
        key_id: KeyId(answer.key_id),
        device_key: DeviceKey::from_base64(&answer.device_key)?,
        signing_pkcs8: pkcs8,
        token: Zeroizing::new(answer.token.clone()),
        server_key: VerifyingKey::from_base64(&answer.server_public_key)?,
    };
    // Credentials first: a store that thinks it is enrolled without keys
    // could never sync, while keys without a store entry are simply reused.
    let mut store = super::lock(store);
    creds.save(&store)?;
    store.init_device(answer.device_id, answer.unit_id)?;
    store.replace_directory(&answer.directory)?;
    if !answer.areas.is_empty() {
        store.replace_areas(&answer.areas)?;
    }
    Ok(creds)
}
