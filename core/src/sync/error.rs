//! Why an envelope, a batch or a signed decision was refused.
//!
//! Messages say which check failed and never echo key material or
//! plaintext: the server returns them to a device as `{code, message}`, and
//! both ends log them.

use super::keys::KeyId;
use crate::codes::ApiErrorCode;
use crate::ids::DeviceId;
use crate::vocab::ShiftStatus;

/// A sync envelope, batch or decision that could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// The bytes do not start with the envelope magic: not a Feltlogg envelope.
    #[error("not a feltlogg sync envelope (bad magic bytes); check the client and server versions")]
    NotAnEnvelope,
    /// A format version this build does not know.
    #[error("unknown envelope format version {0}; update the app or the server")]
    UnknownVersion(u8),
    /// A push where a pull was expected, or the reverse.
    #[error(
        "envelope is for the other sync direction (push versus pull); send it to the right endpoint"
    )]
    WrongDirection,
    /// The key id is not the one held for this device.
    #[error("unknown key id {0} for this device; the device may need to enrol again")]
    UnknownKeyId(KeyId),
    /// The envelope or batch names another device.
    #[error("envelope is for device {found}, expected device {expected}")]
    WrongDevice {
        /// The device the caller expected.
        expected: DeviceId,
        /// The device the bytes name.
        found: DeviceId,
    },
    /// The Ed25519 signature does not verify: tampered, or signed by another key.
    #[error("signature does not verify: the bytes were changed or signed by another key")]
    BadSignature,
    /// AES-GCM refused the ciphertext: wrong device key, or tampered.
    #[error("decryption failed: wrong device key or tampered ciphertext")]
    BadTag,
    /// Fewer bytes than the format needs.
    #[error("envelope is truncated: needs at least {needed} bytes, got {got}")]
    Truncated {
        /// Bytes needed at least.
        needed: usize,
        /// Bytes given.
        got: usize,
    },
    /// An envelope, or its decompressed content, over the size limit.
    #[error("too large: {size} bytes or more, the limit is {limit}; send smaller batches")]
    TooLarge {
        /// The size seen (for decompressed content: the limit plus one).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The header's seq differs from the seq (or cursor) in the body.
    #[error("header seq {header} differs from body seq {body}")]
    SeqMismatch {
        /// Seq in the authenticated header.
        header: u64,
        /// Seq (or cursor) in the decrypted body.
        body: u64,
    },
    /// A pull page older than the cursor the device asked from: a replay.
    #[error(
        "pull page cursor {found} is behind the requested cursor {since}; the page is stale or replayed"
    )]
    Replayed {
        /// The cursor the device asked from.
        since: u64,
        /// The page's cursor.
        found: u64,
    },
    /// A decision whose status is neither `approved` nor `returned`.
    #[error("a signed decision must approve or return a shift, not set it {0}")]
    InvalidDecision(ShiftStatus),
    /// The content is not valid compressed CBOR of the expected type.
    #[error("content cannot be decoded: {0}")]
    Decode(String),
    /// A cryptographic primitive failed (no randomness, a rejected key).
    #[error("crypto failure: {0}")]
    Crypto(&'static str),
}

impl SyncError {
    /// A stable snake_case code for the HTTP error body `{code, message}`.
    pub fn code(&self) -> ApiErrorCode {
        match self {
            SyncError::NotAnEnvelope => ApiErrorCode::NotAnEnvelope,
            SyncError::UnknownVersion(_) => ApiErrorCode::UnknownVersion,
            SyncError::WrongDirection => ApiErrorCode::WrongDirection,
            SyncError::UnknownKeyId(_) => ApiErrorCode::UnknownKeyId,
            SyncError::WrongDevice { .. } => ApiErrorCode::WrongDevice,
            SyncError::BadSignature => ApiErrorCode::BadSignature,
            SyncError::BadTag => ApiErrorCode::BadTag,
            SyncError::Truncated { .. } => ApiErrorCode::Truncated,
            SyncError::TooLarge { .. } => ApiErrorCode::TooLarge,
            SyncError::SeqMismatch { .. } => ApiErrorCode::SeqMismatch,
            SyncError::Replayed { .. } => ApiErrorCode::Replayed,
            SyncError::InvalidDecision(_) => ApiErrorCode::InvalidDecision,
            SyncError::Decode(_) => ApiErrorCode::Decode,
            SyncError::Crypto(_) => ApiErrorCode::Crypto,
        }
    }

    /// The JSON error body the server sends for this error.
    pub fn to_body(&self) -> super::api::ApiErrorBody {
        super::api::ApiErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_messages_lowercase() {
        let errors = [
            SyncError::NotAnEnvelope,
            SyncError::UnknownVersion(9),
            SyncError::WrongDirection,
            SyncError::UnknownKeyId(KeyId(0xabc)),
            SyncError::BadSignature,
            SyncError::BadTag,
            SyncError::Truncated { needed: 10, got: 3 },
            SyncError::TooLarge { size: 9, limit: 8 },
            SyncError::SeqMismatch { header: 1, body: 2 },
            SyncError::Replayed { since: 5, found: 4 },
            SyncError::InvalidDecision(ShiftStatus::Open),
            SyncError::Decode("x".into()),
            SyncError::Crypto("rng"),
        ];
        for e in errors {
            let code = e.code().as_str();
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            let msg = e.to_string();
            assert!(msg.starts_with(|c: char| c.is_lowercase()), "{msg}");
        }
        let body = SyncError::UnknownKeyId(KeyId(0xabc)).to_body();
        assert_eq!(body.code, ApiErrorCode::UnknownKeyId);
        assert!(
            body.message.contains("0000000000000abc"),
            "{}",
            body.message
        );
    }
}
