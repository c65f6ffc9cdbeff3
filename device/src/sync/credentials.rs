//! What enrolment gives a device: the device key, its signing key, the
//! bearer token and the pinned server key. Kept inside the encrypted store
//! (its key is in the phone's keystore, see [`crate::vault`]), never in a
//! plain file.

use super::error::{ClientError, Result};
use crate::store::Store;
use feltlogg_core::ids::{DeviceId, UnitId};
use feltlogg_core::sync::{DeviceKey, KeyId, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// A device's credentials. Debug never shows a secret.
pub struct Credentials {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    pub server_url: String,
    /// This device.
    pub device_id: DeviceId,
    /// The unit it belongs to.
    pub unit_id: UnitId,
    /// The device key's id.
    pub key_id: KeyId,
    /// The symmetric device key.
    pub device_key: DeviceKey,
    /// The device's Ed25519 key, PKCS#8.
    pub signing_pkcs8: Zeroizing<Vec<u8>>,
    /// The bearer token.
    pub token: Zeroizing<String>,
    /// The server's pinned public key.
    pub server_key: VerifyingKey,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("server_url", &self.server_url)
            .field("device_id", &self.device_id)
            .field("unit_id", &self.unit_id)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The file format: base64 for the binary parts.
#[derive(Serialize, Deserialize)]
struct Stored {
    server_url: String,
    device_id: DeviceId,
    unit_id: UnitId,
    key_id: u64,
    device_key: String,
    signing_pkcs8: String,
    token: String,
    server_key: String,
}

impl Credentials {
    /// The device's signing key.
    ///
    /// # Errors
    /// [`ClientError::Crypto`] if the stored key is unreadable.
    pub fn signer(&self) -> Result<SigningKey> {
        Ok(SigningKey::from_pkcs8(&self.signing_pkcs8)?)
    }

    /// Saves the credentials in the (encrypted) store, replacing any.
    ///
    /// # Errors
    /// [`ClientError::Credentials`] when the store cannot write them.
    pub fn save(&self, store: &Store) -> Result<()> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let stored = Zeroizing::new(
            serde_json::to_vec(&Stored {
                server_url: self.server_url.clone(),
                device_id: self.device_id,
                unit_id: self.unit_id,
                key_id: self.key_id.as_u64(),
                device_key: self.device_key.to_base64().to_string(),
                signing_pkcs8: b64.encode(self.signing_pkcs8.as_slice()),
                token: self.token.to_string(),
                server_key: self.server_key.to_base64(),
            })
            .map_err(cred_err)?,
        );
        store.put_credentials(&stored).map_err(cred_err)
    }

    /// The credentials saved by [`Credentials::save`]; `None` when the
    /// device has not been enrolled.
    ///
    /// # Errors
    /// [`ClientError::Credentials`] when they are stored but unreadable.
    pub fn load(store: &Store) -> Result<Option<Self>> {
        use base64::Engine;
        let Some(bytes) = store.credentials().map_err(cred_err)? else {
            return Ok(None);
        };
        let s: Stored = serde_json::from_slice(&bytes).map_err(cred_err)?;
        let s = Zeroizing::new(s);
        let pkcs8 = base64::engine::general_purpose::STANDARD
            .decode(&s.signing_pkcs8)
            .map_err(cred_err)?;
        Ok(Some(Self {
            server_url: s.server_url.clone(),
            device_id: s.device_id,
            unit_id: s.unit_id,
            key_id: KeyId(s.key_id),
            device_key: DeviceKey::from_base64(&s.device_key)?,
            signing_pkcs8: Zeroizing::new(pkcs8),
            token: Zeroizing::new(s.token.clone()),
            server_key: VerifyingKey::from_base64(&s.server_key)?,
        }))
    }
}

impl zeroize::Zeroize for Stored {
    fn zeroize(&mut self) {
        self.device_key.zeroize();
        self.signing_pkcs8.zeroize();
        self.token.zeroize();
    }
}

fn cred_err(e: impl std::fmt::Display) -> ClientError {
    ClientError::Credentials(e.to_string())
}
