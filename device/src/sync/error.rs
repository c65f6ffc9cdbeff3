//! The sync client's one error type. Messages are the plain words the app
//! shows under "last error", so they say what happened and what to do.

use crate::store::StoreError;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::sync::{RevocationKind, SyncError};

/// Why a sync step failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached (no network, server down, time-out).
    #[error("cannot reach the server at {url}; the changes are kept and sent when it answers")]
    Unreachable {
        /// The server URL tried.
        url: String,
    },
    /// The server refused a call and said why.
    #[error("the server refused the request ({code}): {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The server's stable error code (`Unknown` for one this build
        /// does not know, or when the body was not an error body).
        code: ApiErrorCode,
        /// The server's message.
        message: String,
    },
    /// The device was revoked by an administrator.
    #[error(
        "this phone has been revoked by an administrator; ask your team lead to enrol it again"
    )]
    Revoked,
    /// The server's instruction to wipe this phone, verified with the
    /// pinned server key and naming this device (never made from a bare
    /// 401 or 403): the caller wipes the phone.
    #[error("{}", wipe_text(*.kind))]
    Wipe {
        /// Retired (everything was sent first) or lost.
        kind: RevocationKind,
    },
    /// The server holds other bytes under this batch's seq (a phone restored
    /// from an old copy of itself): it took none of these changes.
    #[error(
        "the server already has a different batch {seq} from this phone, so it did not save these changes; they are kept on this phone: ask your team lead to contact support before syncing again"
    )]
    SeqReused {
        /// The batch seq.
        seq: u64,
    },
    /// The server's reply could not be opened or verified.
    #[error("the server's reply could not be verified ({}); nothing was changed", .0.code())]
    Crypto(#[from] SyncError),
    /// The server's reply was not what the protocol says.
    #[error("the server's reply was not understood: {0}")]
    Protocol(String),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The credentials in the store could not be read or written.
    #[error("the device credentials in the store cannot be used: {0}; enrol the phone again")]
    Credentials(String),
}

impl ClientError {
    /// A stable machine-readable name, for the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            ClientError::Unreachable { .. } => "unreachable",
            ClientError::Server { .. } => "server",
            ClientError::Revoked => "revoked",
            ClientError::Wipe { .. } => "wipe",
            ClientError::SeqReused { .. } => "seq_reused",
            ClientError::Crypto(_) => "crypto",
            ClientError::Protocol(_) => "protocol",
            ClientError::Store(e) => e.kind(),
            ClientError::Credentials(_) => "credentials",
        }
    }

    /// Whether trying again later can help (network and server trouble),
    /// as opposed to a state only a person can fix (revoked, bad data).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable { .. } => true,
            ClientError::Server { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

fn wipe_text(kind: RevocationKind) -> &'static str {
    match kind {
        RevocationKind::Retire => {
            "this phone has been retired by an administrator; everything was sent, and its data is deleted from it"
        }
        RevocationKind::Lost => {
            "this phone has been reported lost by an administrator; its data is deleted from it"
        }
    }
}

/// Serialised as `{kind, message}` for the UI.
impl serde::Serialize for ClientError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ClientError", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// Shorthand for sync client results.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;
