//! What enrolment gives a device, kept outside the SQLite file: the device
//! key, its signing key, the bearer token and the pinned server key. On
//! desktop it is a file only the user can read (mode 0600); the mobile
//! shells can keep the same bytes in the platform keystore.

use super::error::{ClientError, Result};
use feltlogg_core::ids::{DeviceId, UnitId};
use feltlogg_core::sync::{DeviceKey, KeyId, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::path::Path;
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

    /// Writes the credentials to `path`, readable by the owner only, via a
    /// temporary file and a rename so a crash never leaves half a file.
    ///
    /// # Errors
    /// [`ClientError::Credentials`] on any I/O failure.
    pub fn save(&self, path: &Path) -> Result<()> {
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
            .map_err(|e| cred_err(path, e))?,
        );
        let tmp = path.with_extension("tmp");
        write_private(&tmp, &stored).map_err(|e| cred_err(path, e))?;
        std::fs::rename(&tmp, path).map_err(|e| cred_err(path, e))
    }

    /// Reads credentials saved by [`Credentials::save`]; `None` when the
    /// device has not been enrolled (no file).
    ///
    /// # Errors
    /// [`ClientError::Credentials`] when the file exists but is unreadable.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        use base64::Engine;
        let bytes = match std::fs::read(path) {
            Ok(b) => Zeroizing::new(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(cred_err(path, e)),
        };
        let s: Stored = serde_json::from_slice(&bytes).map_err(|e| cred_err(path, e))?;
        let s = Zeroizing::new(s);
        let pkcs8 = base64::engine::general_purpose::STANDARD
            .decode(&s.signing_pkcs8)
            .map_err(|e| cred_err(path, e))?;
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

fn cred_err(path: &Path, e: impl std::fmt::Display) -> ClientError {
    ClientError::Credentials {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
