//! The one error type of the server's operations, [`ApiError`], and how it
//! becomes an HTTP response: a status and a JSON body `{code, message}`
//! ([`feltlogg_core::sync::api::ApiErrorBody`]). Internal errors are logged
//! once, here, and never shown: the client gets `internal` and a request to
//! try again.

use crate::db::DbError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use feltlogg_core::ApiErrorCode;
use feltlogg_core::sync::SyncError;
use feltlogg_core::sync::api::ApiErrorBody;

/// Why a request or an operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request body or a parameter cannot be read.
    #[error("{0}")]
    BadRequest(String),
    /// A value failed validation.
    #[error("{field}: {problem}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong, naming the value.
        problem: String,
    },
    /// No enrolment code matches.
    #[error("enrolment code is not known; check it or ask your team lead for a new one")]
    EnrolCodeUnknown,
    /// The code was used already.
    #[error("enrolment code was already used; ask your team lead for a new one")]
    EnrolCodeUsed,
    /// The code has expired.
    #[error("enrolment code has expired; ask your team lead for a new one")]
    EnrolCodeExpired,
    /// No or unknown bearer token.
    #[error("missing or unknown device token; enrol this phone again")]
    Unauthorized,
    /// The device was revoked.
    #[error(
        "this phone has been revoked by an administrator; ask your team lead to enrol it again"
    )]
    DeviceRevoked,
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The envelope's header names another device than the token's.
    #[error("envelope is for device {header}, but the token belongs to device {token}")]
    DeviceMismatch {
        /// Device in the header.
        header: String,
        /// Device of the token.
        token: String,
    },
    /// A batch seq after a gap.
    #[error(
        "batch seq {got} is ahead: the server expects seq {expected} next; send that batch first"
    )]
    SeqGap {
        /// The seq the server expects.
        expected: u64,
        /// The seq sent.
        got: u64,
    },
    /// A seq that was never applied and cannot come next (0).
    #[error("batch seq {got} is not valid; batch seqs start at 1")]
    SeqInvalid {
        /// The seq sent.
        got: u64,
    },
    /// An envelope that failed to open.
    #[error(transparent)]
    Envelope(#[from] SyncError),
    /// A body over the limit.
    #[error("request body is over the limit of {limit} bytes; send smaller batches")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The operation conflicts with the current state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: ApiErrorCode,
        /// What is wrong and what to do.
        message: String,
    },
    /// A bug or an I/O failure: logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The stable code of the JSON body.
    pub fn code(&self) -> ApiErrorCode {
        match self {
            ApiError::BadRequest(_) => ApiErrorCode::BadRequest,
            ApiError::Invalid { .. } => ApiErrorCode::Invalid,
            ApiError::EnrolCodeUnknown => ApiErrorCode::EnrolCodeUnknown,
            ApiError::EnrolCodeUsed => ApiErrorCode::EnrolCodeUsed,
            ApiError::EnrolCodeExpired => ApiErrorCode::EnrolCodeExpired,
            ApiError::Unauthorized => ApiErrorCode::Unauthorized,
            ApiError::DeviceRevoked => ApiErrorCode::DeviceRevoked,
            ApiError::Forbidden(_) => ApiErrorCode::Forbidden,
            ApiError::DeviceMismatch { .. } => ApiErrorCode::DeviceMismatch,
            ApiError::SeqGap { .. } => ApiErrorCode::SeqGap,
            ApiError::SeqInvalid { .. } => ApiErrorCode::SeqInvalid,
            ApiError::Envelope(e) => e.code(),
            ApiError::TooLarge { .. } => ApiErrorCode::TooLarge,
            ApiError::NotFound(_) => ApiErrorCode::NotFound,
            ApiError::Conflict { code, .. } => *code,
            ApiError::Internal(_) => ApiErrorCode::Internal,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Invalid { .. } | ApiError::SeqInvalid { .. } => {
                StatusCode::BAD_REQUEST
            }
            ApiError::EnrolCodeUnknown | ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::EnrolCodeUsed | ApiError::EnrolCodeExpired => StatusCode::GONE,
            ApiError::DeviceRevoked | ApiError::Forbidden(_) | ApiError::DeviceMismatch { .. } => {
                StatusCode::FORBIDDEN
            }
            ApiError::SeqGap { .. } | ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Envelope(SyncError::TooLarge { .. }) | ApiError::TooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::Envelope(SyncError::WrongDevice { .. }) => StatusCode::FORBIDDEN,
            ApiError::Envelope(SyncError::Crypto(_)) | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ApiError::Envelope(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
        }
    }

    /// The body sent to the client; internal details stay in the log.
    pub fn body(&self) -> ApiErrorBody {
        let message = match self.status() {
            StatusCode::INTERNAL_SERVER_ERROR => {
                "the server failed to handle this request; try again later".to_owned()
            }
            _ => self.to_string(),
        };
        ApiErrorBody {
            code: self.code(),
            message,
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(format!("json: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(code = self.code().as_str(), "request refused");
        }
        (status, Json(self.body())).into_response()
    }
}
