//! The HTTP calls, and the mapping of transport trouble and error bodies
//! to [`ClientError`]. No retries here: the caller decides.

use super::error::{ClientError, Result};
use feltlogg_core::ApiErrorCode;
use feltlogg_core::sync::api::ApiErrorBody;
use std::time::Duration;

/// A client with time-outs that suit a phone on a bad network: give up on a
/// dead connection quickly, allow a slow upload to finish.
///
/// # Errors
/// [`ClientError::Protocol`] if the TLS stack cannot start.
pub fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| ClientError::Protocol(e.to_string()))
}

/// Maps a transport failure (no answer, cut connection, time-out).
pub fn unreachable(url: &str) -> impl FnOnce(reqwest::Error) -> ClientError + '_ {
    move |_| ClientError::Unreachable {
        url: url.to_owned(),
    }
}

/// Reads a response's body, turning a non-2xx status into the server's
/// `{code, message}` error (403 `device_revoked` becomes [`ClientError::Revoked`]).
///
/// # Errors
/// [`ClientError::Server`], [`ClientError::Revoked`], or
/// [`ClientError::Unreachable`] if the body is cut off.
pub async fn body(url: &str, resp: reqwest::Response) -> Result<Vec<u8>> {
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(unreachable(url))?;
    if status.is_success() {
        return Ok(bytes.to_vec());
    }
    let parsed: Option<ApiErrorBody> = serde_json::from_slice(&bytes).ok();
    let (code, message) = parsed.map_or_else(
        || (ApiErrorCode::Unknown, status.to_string()),
        |b| (b.code, b.message),
    );
    if code == ApiErrorCode::DeviceRevoked {
        return Err(ClientError::Revoked);
    }
    Err(ClientError::Server {
        status: status.as_u16(),
        code,
        message,
    })
}
