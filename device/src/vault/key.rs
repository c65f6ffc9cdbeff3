//! The database key: 256 random bits, handed to SQLCipher as a raw key.

use super::error::{Result, VaultError};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// Bytes in a database key.
pub const KEY_LEN: usize = 32;

/// A SQLCipher raw key. Never printed; wiped from memory when dropped.
pub struct DbKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

impl DbKey {
    /// A fresh random key from the operating system's generator.
    ///
    /// # Errors
    /// [`VaultError::Keystore`] if the generator fails.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        SystemRandom::new()
            .fill(bytes.as_mut())
            .map_err(|_| VaultError::Keystore("the random generator failed".into()))?;
        Ok(Self(bytes))
    }

    /// The key from stored bytes.
    ///
    /// # Errors
    /// [`VaultError::Keystore`] unless there are exactly [`KEY_LEN`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; KEY_LEN] = bytes.try_into().map_err(|_| {
            VaultError::Keystore(format!(
                "the stored database key has {} bytes instead of {KEY_LEN}",
                bytes.len()
            ))
        })?;
        Ok(Self(Zeroizing::new(arr)))
    }

    /// The bytes, to put in a keystore.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The raw-key literal SQLCipher takes, `"x'<64 hex digits>'"`.
    pub(crate) fn literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(KEY_LEN * 2 + 3));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        s.push('\'');
        s
    }

    /// The statement that keys a fresh connection.
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("PRAGMA key = \"{}\";", self.literal().as_str()))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_is_the_raw_key_in_hex() {
        let key = DbKey::from_bytes(&[0xab; KEY_LEN]).expect("key");
        let lit = key.literal();
        assert_eq!(lit.len(), 67);
        assert!(
            lit.starts_with("x'abab") && lit.ends_with("ab'"),
            "{}",
            lit.as_str()
        );
        assert_eq!(format!("{key:?}"), "DbKey(..)");
    }

    #[test]
    fn keys_differ_and_short_bytes_are_refused() {
        let a = DbKey::generate().expect("a");
        let b = DbKey::generate().expect("b");
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert!(DbKey::from_bytes(&[1; 31]).is_err());
    }
}
