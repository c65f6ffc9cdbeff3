//! Secrets the server hands out (device tokens, enrolment codes), how they
//! are stored (SHA-256 only), and how a bearer token becomes a device.

use crate::db::devices::{self, Device};
use crate::error::ApiError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::Connection;

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or typed from a screen (no O or 0, no I or 1). 32 of them, so a
/// random byte masked to 5 bits picks one without bias.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Characters in an enrolment code: 10 × 5 bits = 50 bits, far beyond
/// guessing within its lifetime of an hour.
pub const ENROL_CODE_LEN: usize = 10;

/// SHA-256 of `bytes`. Tokens and codes are random and high-entropy, so a
/// fast hash suffices: nobody can guess their way back from it.
pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    digest(&SHA256, bytes).as_ref().to_vec()
}

fn random(out: &mut [u8]) -> Result<(), ApiError> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| ApiError::Internal("system random source failed".into()))
}

/// A fresh 256-bit device bearer token, base64url without padding.
///
/// # Errors
/// [`ApiError::Internal`] when the random source fails.
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    random(bytes.as_mut())?;
    Ok(URL_SAFE_NO_PAD.encode(bytes.as_ref()))
}

/// A fresh one-time enrolment code of [`ENROL_CODE_LEN`] characters.
///
/// # Errors
/// [`ApiError::Internal`] when the random source fails.
pub fn new_enrol_code() -> Result<String, ApiError> {
    new_code(ENROL_CODE_LEN)
}

/// A fresh random code of `len` characters of the unambiguous alphabet:
/// 5 bits each (enrolment codes, feedback cards).
///
/// # Errors
/// [`ApiError::Internal`] when the random source fails.
pub fn new_code(len: usize) -> Result<String, ApiError> {
    let mut bytes = vec![0u8; len];
    random(&mut bytes)?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// A code as typed, made comparable: upper case, without spaces or dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The device a bearer token belongs to.
///
/// # Errors
/// [`ApiError::Unauthorized`] for an unknown token;
/// [`ApiError::DeviceRevoked`] for a revoked device.
pub fn device_for_token(conn: &Connection, token: &str) -> Result<Device, ApiError> {
    let device = any_device_for_token(conn, token)?;
    if device.revoked_ms.is_some() {
        return Err(ApiError::DeviceRevoked);
    }
    Ok(device)
}

/// The device a bearer token belongs to, revoked or not: for the sync
/// calls that still serve a revoked phone (a retired one's last push, any
/// one's signed instruction).
///
/// # Errors
/// [`ApiError::Unauthorized`] for an unknown token.
pub fn any_device_for_token(conn: &Connection, token: &str) -> Result<Device, ApiError> {
    devices::by_token_hash(conn, &sha256(token.as_bytes()))?.ok_or(ApiError::Unauthorized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet_and_normalise() {
        let code = new_enrol_code().expect("code");
        assert_eq!(code.len(), ENROL_CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        assert_eq!(normalise_code(" abc-de fgh "), "ABCDEFGH");
    }

    #[test]
    fn tokens_are_256_bits_and_differ() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).expect("b64").len(), 32);
        assert_ne!(a, b);
    }
}
