//! The sealed envelope: how a batch (push) or a pull page travels.
//!
//! ```text
//! offset  len  field
//!      0    4  magic b"FLGE"
//!      4    1  format version (1)
//!      5    1  direction: 1 = push (device → server), 2 = pull (server → device)
//!      6    8  key id, big-endian u64
//!     14   16  device id (UUID bytes)
//!     30    8  seq, big-endian u64 (push: batch seq; pull: page cursor)
//!     38   32  HKDF salt, random per envelope
//!     70   12  AES-GCM nonce, random per envelope
//!     82    n  AES-256-GCM ciphertext, then its 16-byte tag
//! 82+n+16  64  Ed25519 signature over bytes [0, 82+n+16)
//! ```
//!
//! The 82 header bytes are the AEAD's additional authenticated data, so a
//! changed header fails to decrypt even without the signature. The batch
//! key is HKDF-SHA256(salt, device key, info = label ‖ key id ‖ device id ‖
//! seq) with label `feltlogg/v1/push` or `feltlogg/v1/pull`: each envelope
//! has its own key, and a push can never be opened as a pull. The device
//! signs pushes with its Ed25519 key; the server signs pull pages with its
//! own. [`open`] checks, in order: size, magic, version, direction, key
//! id, device, signature, then decrypts; the first failure is the error.

use super::batch::{Batch, PullPage, decode, encode};
use super::error::SyncError;
use super::keys::{DeviceKey, KeyId, SIGNATURE_LEN, SigningKey, VerifyingKey, random_bytes};
use crate::ids::DeviceId;
use ring::{aead, hkdf};
use uuid::Uuid;

/// The four bytes every envelope starts with.
pub const MAGIC: [u8; 4] = *b"FLGE";
/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Length of the canonical header.
pub const HEADER_LEN: usize = 82;
/// Length of the AES-GCM tag.
pub const TAG_LEN: usize = 16;
/// The shortest possible envelope: header, empty ciphertext's tag, signature.
pub const MIN_ENVELOPE_LEN: usize = HEADER_LEN + TAG_LEN + SIGNATURE_LEN;
/// The largest envelope sealed or opened; checked before anything else.
pub const MAX_ENVELOPE_LEN: usize = 8 * 1024 * 1024;

/// Which way an envelope travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Device to server: a batch of changes.
    Push,
    /// Server to device: a pull page.
    Pull,
}

impl Direction {
    fn to_byte(self) -> u8 {
        match self {
            Direction::Push => 1,
            Direction::Pull => 2,
        }
    }

    fn from_byte(b: u8) -> Result<Self, SyncError> {
        match b {
            1 => Ok(Direction::Push),
            2 => Ok(Direction::Pull),
            other => Err(SyncError::Decode(format!(
                "unknown envelope direction byte {other}"
            ))),
        }
    }

    /// The HKDF label: push and pull keys differ for the same batch.
    fn label(self) -> &'static [u8] {
        match self {
            Direction::Push => b"feltlogg/v1/push",
            Direction::Pull => b"feltlogg/v1/pull",
        }
    }
}

/// The envelope header: everything needed to pick the key and check the
/// sender before decrypting. Authenticated, not encrypted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Format version ([`VERSION`]).
    pub version: u8,
    /// Push or pull.
    pub direction: Direction,
    /// The device key used.
    pub key_id: KeyId,
    /// The device that pushed, or that the pull page is for.
    pub device_id: DeviceId,
    /// Push: the batch seq. Pull: the page's cursor.
    pub seq: u64,
    /// HKDF salt.
    pub salt: [u8; 32],
    /// AES-GCM nonce.
    pub nonce: [u8; 12],
}

impl Header {
    /// The canonical [`HEADER_LEN`] bytes (layout in the module docs).
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0..4].copy_from_slice(&MAGIC);
        out[4] = self.version;
        out[5] = self.direction.to_byte();
        out[6..14].copy_from_slice(&self.key_id.0.to_be_bytes());
        out[14..30].copy_from_slice(self.device_id.0.as_bytes());
        out[30..38].copy_from_slice(&self.seq.to_be_bytes());
        out[38..70].copy_from_slice(&self.salt);
        out[70..82].copy_from_slice(&self.nonce);
        out
    }

    /// Parses the header at the start of `bytes` (trailing bytes ignored).
    ///
    /// # Errors
    /// [`SyncError::Truncated`] under [`HEADER_LEN`] bytes;
    /// [`SyncError::NotAnEnvelope`] for a bad magic;
    /// [`SyncError::UnknownVersion`]; [`SyncError::Decode`] for an unknown
    /// direction byte.
    pub fn parse(bytes: &[u8]) -> Result<Self, SyncError> {
        let h: &[u8; HEADER_LEN] = bytes
            .get(..HEADER_LEN)
            .and_then(|s| s.try_into().ok())
            .ok_or(SyncError::Truncated {
                needed: HEADER_LEN,
                got: bytes.len(),
            })?;
        if h[0..4] != MAGIC {
            return Err(SyncError::NotAnEnvelope);
        }
        if h[4] != VERSION {
            return Err(SyncError::UnknownVersion(h[4]));
        }
        Ok(Header {
            version: h[4],
            direction: Direction::from_byte(h[5])?,
            key_id: KeyId(u64::from_be_bytes(array(&h[6..14]))),
            device_id: DeviceId(Uuid::from_bytes(array(&h[14..30]))),
            seq: u64::from_be_bytes(array(&h[30..38])),
            salt: array(&h[38..70]),
            nonce: array(&h[70..82]),
        })
    }
}

/// Copies a slice whose length the caller has fixed into an array.
fn array<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(s);
    out
}

/// The AES-256-GCM key for one envelope, derived from the device key.
fn batch_key(key: &DeviceKey, h: &Header) -> Result<aead::LessSafeKey, SyncError> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &h.salt).extract(key.as_bytes());
    let key_id = h.key_id.0.to_be_bytes();
    let seq = h.seq.to_be_bytes();
    let info = [h.direction.label(), &key_id, h.device_id.0.as_bytes(), &seq];
    let okm = prk
        .expand(&info, &aead::AES_256_GCM)
        .map_err(|_| SyncError::Crypto("hkdf expand failed"))?;
    Ok(aead::LessSafeKey::new(aead::UnboundKey::from(okm)))
}

fn check_size(len: usize) -> Result<(), SyncError> {
    if len > MAX_ENVELOPE_LEN {
        return Err(SyncError::TooLarge {
            size: len,
            limit: MAX_ENVELOPE_LEN,
        });
    }
    Ok(())
}

/// Seals `plaintext` into an envelope signed by `signer`.
///
/// # Errors
/// [`SyncError::TooLarge`] when the envelope would exceed
/// [`MAX_ENVELOPE_LEN`]; [`SyncError::Crypto`] when randomness or a
/// primitive fails.
pub fn seal(
    direction: Direction,
    key_id: KeyId,
    key: &DeviceKey,
    device_id: DeviceId,
    seq: u64,
    signer: &SigningKey,
    plaintext: &[u8],
) -> Result<Vec<u8>, SyncError> {
    check_size(MIN_ENVELOPE_LEN.saturating_add(plaintext.len()))?;
    let mut header = Header {
        version: VERSION,
        direction,
        key_id,
        device_id,
        seq,
        salt: [0; 32],
        nonce: [0; 12],
    };
    random_bytes(&mut header.salt)?;
    random_bytes(&mut header.nonce)?;
    let header_bytes = header.to_bytes();
    let mut out = Vec::with_capacity(MIN_ENVELOPE_LEN + plaintext.len());
    out.extend_from_slice(&header_bytes);
    let mut body = plaintext.to_vec();
    batch_key(key, &header)?
        .seal_in_place_append_tag(
            aead::Nonce::assume_unique_for_key(header.nonce),
            aead::Aad::from(&header_bytes[..]),
            &mut body,
        )
        .map_err(|_| SyncError::Crypto("aes-gcm seal failed"))?;
    out.extend_from_slice(&body);
    let signature = signer.sign(&out);
    out.extend_from_slice(&signature);
    Ok(out)
}

/// Reads an envelope's header without opening it, so the receiver can look
/// up the device and its key by id.
///
/// # Errors
/// [`SyncError::TooLarge`], [`SyncError::Truncated`] (under
/// [`MIN_ENVELOPE_LEN`]), and those of [`Header::parse`].
pub fn peek_header(bytes: &[u8]) -> Result<Header, SyncError> {
    check_size(bytes.len())?;
    if bytes.len() < MIN_ENVELOPE_LEN {
        return Err(SyncError::Truncated {
            needed: MIN_ENVELOPE_LEN,
            got: bytes.len(),
        });
    }
    Header::parse(bytes)
}

/// Checks and opens an envelope; returns its header and plaintext.
///
/// # Errors
/// Those of [`peek_header`]; then [`SyncError::WrongDirection`],
/// [`SyncError::UnknownKeyId`] (not `expected_key_id`),
/// [`SyncError::WrongDevice`], [`SyncError::BadSignature`] (changed bytes
/// or another signer), [`SyncError::BadTag`] (wrong device key).
pub fn open(
    bytes: &[u8],
    expected_direction: Direction,
    key: &DeviceKey,
    expected_key_id: KeyId,
    expected_device: DeviceId,
    signer: &VerifyingKey,
) -> Result<(Header, Vec<u8>), SyncError> {
    let header = peek_header(bytes)?;
    if header.direction != expected_direction {
        return Err(SyncError::WrongDirection);
    }
    if header.key_id != expected_key_id {
        return Err(SyncError::UnknownKeyId(header.key_id));
    }
    if header.device_id != expected_device {
        return Err(SyncError::WrongDevice {
            expected: expected_device,
            found: header.device_id,
        });
    }
    // peek_header guaranteed at least MIN_ENVELOPE_LEN bytes.
    let (signed, signature) = bytes.split_at(bytes.len() - SIGNATURE_LEN);
    signer.verify(signed, signature)?;
    let (header_bytes, ciphertext) = signed.split_at(HEADER_LEN);
    let mut body = ciphertext.to_vec();
    let plain_len = batch_key(key, &header)?
        .open_in_place(
            aead::Nonce::assume_unique_for_key(header.nonce),
            aead::Aad::from(header_bytes),
            &mut body,
        )
        .map_err(|_| SyncError::BadTag)?
        .len();
    body.truncate(plain_len);
    Ok((header, body))
}

/// Encodes and seals a device's batch (direction push, seq = batch seq).
///
/// # Errors
/// Those of [`encode`] and [`seal`].
pub fn seal_batch(
    batch: &Batch,
    key_id: KeyId,
    key: &DeviceKey,
    signer: &SigningKey,
) -> Result<Vec<u8>, SyncError> {
    let plain = encode(batch)?;
    seal(
        Direction::Push,
        key_id,
        key,
        batch.device_id,
        batch.seq,
        signer,
        &plain,
    )
}

/// Opens and decodes a pushed batch, checking that the body's device and
/// seq agree with the authenticated header.
///
/// # Errors
/// Those of [`open`] and [`decode`]; [`SyncError::SeqMismatch`] and
/// [`SyncError::WrongDevice`] when header and body disagree.
pub fn open_batch(
    bytes: &[u8],
    key: &DeviceKey,
    key_id: KeyId,
    device_id: DeviceId,
    device_key: &VerifyingKey,
) -> Result<Batch, SyncError> {
    let (header, plain) = open(bytes, Direction::Push, key, key_id, device_id, device_key)?;
    let batch: Batch = decode(&plain)?;
    if batch.seq != header.seq {
        return Err(SyncError::SeqMismatch {
            header: header.seq,
            body: batch.seq,
        });
    }
    if batch.device_id != header.device_id {
        return Err(SyncError::WrongDevice {
            expected: header.device_id,
            found: batch.device_id,
        });
    }
    Ok(batch)
}

/// Encodes and seals a pull page for `device_id` (direction pull, seq =
/// the page's cursor), signed with the server's key.
///
/// # Errors
/// Those of [`encode`] and [`seal`].
pub fn seal_pull_page(
    page: &PullPage,
    key_id: KeyId,
    key: &DeviceKey,
    device_id: DeviceId,
    server_key: &SigningKey,
) -> Result<Vec<u8>, SyncError> {
    let plain = encode(page)?;
    seal(
        Direction::Pull,
        key_id,
        key,
        device_id,
        page.cursor,
        server_key,
        &plain,
    )
}

/// Opens and decodes a pull page asked for from cursor `since`.
///
/// # Errors
/// Those of [`open`] and [`decode`]; [`SyncError::SeqMismatch`] when the
/// body's cursor differs from the header's; [`SyncError::Replayed`] when
/// the cursor is behind `since` (an old page sent again).
pub fn open_pull_page(
    bytes: &[u8],
    key: &DeviceKey,
    key_id: KeyId,
    device_id: DeviceId,
    server_key: &VerifyingKey,
    since: u64,
) -> Result<PullPage, SyncError> {
    let (header, plain) = open(bytes, Direction::Pull, key, key_id, device_id, server_key)?;
    let page: PullPage = decode(&plain)?;
    if page.cursor != header.seq {
        return Err(SyncError::SeqMismatch {
            header: header.seq,
            body: page.cursor,
        });
    }
    if page.cursor < since {
        return Err(SyncError::Replayed {
            since,
            found: page.cursor,
        });
    }
    Ok(page)
}

#[cfg(test)]
mod tests;
