//! The sync protocol and its crypto: what a device pushes, what it pulls,
//! and how both are sealed. Pure: the app's sync client and the server's
//! handlers do the I/O and call these functions.
//!
//! ## Layout
//! - [`api`]: the unsealed JSON shapes: enrolment and the error body.
//! - [`keys`]: the device key and key id, Ed25519 signing and verifying keys.
//! - [`batch`]: the wire types ([`Batch`], [`PullPage`], [`Ack`]) and their
//!   compact encoding (CBOR, then deflate).
//! - [`envelope`]: sealing and opening (HKDF-SHA256, AES-256-GCM, Ed25519);
//!   the byte layout is documented there.
//! - [`decision`]: shift approvals and returns signed by the server.
//! - [`revocation`]: a revoked phone's signed instruction (retire, lost).
//! - [`recovery`]: what a phone reports after the server went back to a backup.
//! - [`error`]: [`SyncError`], with a stable [`SyncError::code`] for HTTP.
//!
//! A typical push, on the device:
//! `seal_batch(&batch, key_id, &device_key, &device_signer)`; on the server:
//! `peek_header` to find the device and its key, then `open_batch`.

pub mod api;
pub mod batch;
pub mod decision;
pub mod envelope;
pub mod error;
pub mod keys;
pub mod recovery;
pub mod revocation;

pub use batch::{Ack, Batch, MAX_DECODED_LEN, PullPage, Refusal, decode, encode};
pub use decision::{Decision, SignedDecision, sign_decision};
pub use envelope::{
    Direction, Header, MAX_ENVELOPE_LEN, open, open_batch, open_pull_page, peek_header, seal,
    seal_batch, seal_pull_page,
};
pub use error::SyncError;
pub use keys::{DeviceKey, KeyId, SigningKey, VerifyingKey};
pub use recovery::{LossReceipt, LossReport, SeqRange};
pub use revocation::{Revocation, RevocationKind, SignedRevocation, sign_revocation};
