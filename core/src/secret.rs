//! PINs and passwords: slow salted hashes (Argon2id), PIN format check.
//! Pure computation, so it lives here and both sides share it.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Why a PIN or password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Not exactly six digits.
    #[error("a pin is exactly 6 digits; got {len} character(s)")]
    PinFormat {
        /// Characters given (the PIN itself is never echoed).
        len: usize,
    },
    /// Does not match.
    #[error("wrong pin or password")]
    Mismatch,
    /// The stored verifier is not a valid PHC string.
    #[error("stored verifier is unreadable: {0}")]
    BadVerifier(String),
}

// OWASP's Argon2id floor (19 MiB, 2 passes): slow enough to make guessing a
// stolen directory costly, quick enough (~30 ms) for a check-in on a phone.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks that a PIN is six ASCII digits.
///
/// # Errors
/// [`SecretError::PinFormat`] otherwise.
pub fn check_pin_format(pin: &str) -> Result<(), SecretError> {
    if pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(SecretError::PinFormat {
            len: pin.chars().count(),
        })
    }
}

/// Hashes a PIN or password with a fresh random salt.
///
/// # Errors
/// [`SecretError::BadVerifier`] if hashing fails (it does not for valid input).
pub fn hash_secret(secret: &str) -> Result<String, SecretError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SecretError::BadVerifier(e.to_string()))
}

/// Verifies a PIN or password against a stored verifier.
///
/// # Errors
/// [`SecretError::Mismatch`] for a wrong secret, [`SecretError::BadVerifier`]
/// for a corrupt verifier.
pub fn verify_secret(secret: &str, verifier: &str) -> Result<(), SecretError> {
    let parsed =
        PasswordHash::new(verifier).map_err(|e| SecretError::BadVerifier(e.to_string()))?;
    hasher()
        .verify_password(secret.as_bytes(), &parsed)
        .map_err(|_| SecretError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_pin_verifies_wrong_pin_does_not() {
        let v = hash_secret("482913").expect("hash");
        assert!(v.starts_with("$argon2id$"));
        assert!(verify_secret("482913", &v).is_ok());
        assert_eq!(verify_secret("482914", &v), Err(SecretError::Mismatch));
    }

    #[test]
    fn pin_format() {
        assert!(check_pin_format("012345").is_ok());
        assert!(check_pin_format("12345").is_err());
        assert!(check_pin_format("12345a").is_err());
    }
}
