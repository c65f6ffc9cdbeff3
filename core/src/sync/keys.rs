//! The keys of sync: the per-device symmetric key that encrypts batches,
//! its key id, and the Ed25519 keys that sign them (device) and decisions
//! and pull pages (server).
//!
//! Secrets are zeroized on drop and print as `***` in `Debug`, so a stray
//! `{:?}` in a log line cannot leak them.

use super::error::SyncError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Length of a device key in bytes (256 bits).
pub const DEVICE_KEY_LEN: usize = 32;
/// Length of an Ed25519 public key in bytes.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of an Ed25519 signature in bytes.
pub const SIGNATURE_LEN: usize = 64;

/// Fills `out` from the operating system's secure random source.
pub(crate) fn random_bytes(out: &mut [u8]) -> Result<(), SyncError> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| SyncError::Crypto("the system random source failed"))
}

/// A device's random 256-bit key: the input keying material from which
/// every batch key (push and pull) is derived. Made by the server at
/// enrolment and held by the device and the server only.
// No PartialEq: comparing secrets with `==` is not constant-time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DeviceKey([u8; DEVICE_KEY_LEN]);

impl DeviceKey {
    /// A fresh random key.
    ///
    /// # Errors
    /// [`SyncError::Crypto`] when the system random source fails.
    pub fn generate() -> Result<Self, SyncError> {
        let mut key = Self([0; DEVICE_KEY_LEN]);
        random_bytes(&mut key.0)?;
        Ok(key)
    }

    /// A key from its stored bytes.
    pub fn from_bytes(bytes: [u8; DEVICE_KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// A key from a stored slice (e.g. a SQLite blob).
    ///
    /// # Errors
    /// [`SyncError::Decode`] when `bytes` is not exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SyncError> {
        let arr: [u8; DEVICE_KEY_LEN] = bytes.try_into().map_err(|_| {
            SyncError::Decode(format!(
                "a device key is {DEVICE_KEY_LEN} bytes, got {}",
                bytes.len()
            ))
        })?;
        Ok(Self(arr))
    }

    /// The key's bytes, for storage only.
    pub fn as_bytes(&self) -> &[u8; DEVICE_KEY_LEN] {
        &self.0
    }

    /// The key as unpadded standard base64, for the enrolment response.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(self.0))
    }

    /// Reads a key from [`DeviceKey::to_base64`]'s form.
    ///
    /// # Errors
    /// [`SyncError::Decode`] when the text is not base64 of 32 bytes; the
    /// message never echoes the text.
    pub fn from_base64(text: &str) -> Result<Self, SyncError> {
        let bytes = Zeroizing::new(
            B64.decode(text.trim_end_matches('='))
                .map_err(|_| SyncError::Decode("device key is not valid base64".into()))?,
        );
        Self::from_slice(&bytes)
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceKey(***)")
    }
}

/// Names a device key so a receiver can pick the right one before
/// decrypting, and so keys can be rotated. Displayed as 16 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub u64);

impl KeyId {
    /// A fresh random key id. The top bit is always clear so the id fits a
    /// SQLite INTEGER (i64) without a sign flip.
    ///
    /// # Errors
    /// [`SyncError::Crypto`] when the system random source fails.
    pub fn generate() -> Result<Self, SyncError> {
        let mut b = [0u8; 8];
        random_bytes(&mut b)?;
        Ok(Self(u64::from_be_bytes(b) >> 1))
    }

    /// The id as a number.
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl std::str::FromStr for KeyId {
    type Err = SyncError;
    fn from_str(s: &str) -> Result<Self, SyncError> {
        u64::from_str_radix(s, 16)
            .map(Self)
            .map_err(|_| SyncError::Decode(format!("key id {s:?} is not 1 to 16 hex digits")))
    }
}

// Hex text on the wire: JSON readers in JavaScript lose precision on u64.
impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An Ed25519 signing key: a device's (signs its pushes) or the server's
/// (signs pull pages and shift decisions).
pub struct SigningKey(Ed25519KeyPair);

impl SigningKey {
    /// A fresh key pair, and its PKCS#8 v2 document for storage (zeroized
    /// on drop).
    ///
    /// # Errors
    /// [`SyncError::Crypto`] when the random source fails.
    pub fn generate() -> Result<(Self, Zeroizing<Vec<u8>>), SyncError> {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| SyncError::Crypto("could not generate an ed25519 key"))?;
        let pkcs8 = Zeroizing::new(doc.as_ref().to_vec());
        Ok((Self::from_pkcs8(&pkcs8)?, pkcs8))
    }

    /// Loads a key from its stored PKCS#8 v2 document.
    ///
    /// # Errors
    /// [`SyncError::Crypto`] when ring rejects the document.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, SyncError> {
        Ed25519KeyPair::from_pkcs8(pkcs8)
            .map(Self)
            .map_err(|_| SyncError::Crypto("stored ed25519 key is not a valid pkcs#8 v2 document"))
    }

    /// The public half, to register (device) or pin (server).
    pub fn public_key(&self) -> VerifyingKey {
        let mut out = [0u8; PUBLIC_KEY_LEN];
        out.copy_from_slice(self.0.public_key().as_ref());
        VerifyingKey(out)
    }

    /// Signs `msg`; the signature is [`SIGNATURE_LEN`] bytes.
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        self.0.sign(msg).as_ref().to_vec()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

/// An Ed25519 public key. Travels as unpadded standard base64.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VerifyingKey(pub [u8; PUBLIC_KEY_LEN]);

impl VerifyingKey {
    /// Checks `sig` over `msg`.
    ///
    /// # Errors
    /// [`SyncError::BadSignature`] when it does not verify (including a
    /// signature of the wrong length).
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<(), SyncError> {
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(msg, sig)
            .map_err(|_| SyncError::BadSignature)
    }

    /// The key as unpadded standard base64.
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }

    /// Reads a key from base64 (padding optional).
    ///
    /// # Errors
    /// [`SyncError::Decode`] when the text is not base64 of 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SyncError> {
        let bytes = B64
            .decode(text.trim_end_matches('='))
            .map_err(|_| SyncError::Decode(format!("public key {text:?} is not valid base64")))?;
        let arr: [u8; PUBLIC_KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
            SyncError::Decode(format!(
                "a public key is {PUBLIC_KEY_LEN} bytes, got {}",
                bytes.len()
            ))
        })?;
        Ok(Self(arr))
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey({})", self.to_base64())
    }
}

impl Serialize for VerifyingKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for VerifyingKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_show_in_debug() {
        let key = DeviceKey::generate().expect("key");
        let (sk, _pkcs8) = SigningKey::generate().expect("signing key");
        assert_eq!(format!("{key:?}"), "DeviceKey(***)");
        assert_eq!(format!("{sk:?}"), "SigningKey(***)");
    }

    #[test]
    fn device_key_round_trips_through_bytes_and_base64() {
        let key = DeviceKey::generate().expect("key");
        let from_slice = DeviceKey::from_slice(key.as_bytes()).expect("slice");
        assert_eq!(from_slice.as_bytes(), key.as_bytes());
        let from_b64 = DeviceKey::from_base64(&key.to_base64()).expect("b64");
        assert_eq!(from_b64.as_bytes(), key.as_bytes());
        let err = DeviceKey::from_slice(&[1, 2, 3]).expect_err("short");
        assert!(err.to_string().contains("got 3"), "{err}");
        let other = DeviceKey::generate().expect("key");
        assert_ne!(other.as_bytes(), key.as_bytes(), "keys must be random");
    }

    #[test]
    fn key_id_is_hex_and_fits_i64() {
        for _ in 0..32 {
            let id = KeyId::generate().expect("id");
            assert!(i64::try_from(id.as_u64()).is_ok());
            let text = id.to_string();
            assert_eq!(text.len(), 16);
            assert_eq!(text.parse::<KeyId>().expect("parse"), id);
            let json = serde_json::to_string(&id).expect("json");
            assert_eq!(serde_json::from_str::<KeyId>(&json).expect("json back"), id);
        }
        assert!("xyz".parse::<KeyId>().is_err());
    }

    #[test]
    fn sign_verify_and_reload_from_pkcs8() {
        let (sk, pkcs8) = SigningKey::generate().expect("signing key");
        let vk = sk.public_key();
        let sig = sk.sign(b"hello");
        assert_eq!(sig.len(), SIGNATURE_LEN);
        vk.verify(b"hello", &sig).expect("verifies");
        assert_eq!(vk.verify(b"hellO", &sig), Err(SyncError::BadSignature));
        assert_eq!(
            vk.verify(b"hello", &sig[..63]),
            Err(SyncError::BadSignature)
        );
        let again = SigningKey::from_pkcs8(&pkcs8).expect("reload");
        assert_eq!(again.public_key(), vk);
        assert!(SigningKey::from_pkcs8(b"not a key").is_err());
        let b64 = vk.to_base64();
        assert_eq!(VerifyingKey::from_base64(&b64).expect("b64"), vk);
        let json = serde_json::to_string(&vk).expect("json");
        assert_eq!(
            serde_json::from_str::<VerifyingKey>(&json).expect("back"),
            vk
        );
    }
}
