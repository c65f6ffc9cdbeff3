//! `POST /api/v1/sync/push` and `GET /api/v1/sync/pull`.

use super::BearerToken;
use crate::AppState;
use crate::config::MAX_BODY_BYTES;
use crate::error::ApiError;
use crate::sync::{apply, pull, recover};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use feltlogg_core::sync::{Ack, LossReceipt, LossReport};
use feltlogg_core::time::now_ms;
use serde::Deserialize;

/// Applies a sealed batch; answers with its ack (JSON).
#[tracing::instrument(skip_all)]
pub(super) async fn push(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Ack>, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: MAX_BODY_BYTES,
            }
        } else {
            ApiError::BadRequest(e.body_text().to_lowercase())
        }
    })?;
    // Opening (signature, decryption, decoding) is CPU work that needs no
    // writer: it runs on a blocking thread before the writer's turn, so
    // many pushes open at once while one writes.
    let envelope = body.clone();
    let opened = state
        .db
        .read(move |conn| apply::open(conn, &token, &envelope))
        .await?;
    // Applied in a group commit with the pushes waiting beside it: one
    // transaction, one fsync, each batch in its own savepoint; acked only
    // after the commit that holds it.
    let now = now_ms();
    let weight = opened.changes();
    let ack = state
        .db
        .call_write_group(weight, move |tx| apply::apply(tx, &opened, &body, now))
        .await?;
    Ok(Json(ack))
}

/// `?after=CURSOR`: the server change seq the device has seen (0 at first).
#[derive(Debug, Deserialize)]
pub(super) struct PullQuery {
    #[serde(default)]
    after: u64,
}

/// The sealed page after the cursor (application/octet-stream).
#[tracing::instrument(skip_all)]
pub(super) async fn pull(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Query(q) = query.map_err(|e| {
        ApiError::BadRequest(format!(
            "{}; give ?after= the cursor of the last page, 0 at first",
            e.body_text().to_lowercase()
        ))
    })?;
    let key = state.server_key.clone();
    let now = now_ms();
    let pulled = state
        .db
        .read(move |conn| pull::pull(conn, &token, q.after, &key, now))
        .await?;
    if let Some(device) = pulled.touch {
        // The page is cut either way: a failure here only loses the time.
        let noted = state.db.write(move |tx| pull::touch(tx, device, now)).await;
        if let Err(e) = noted {
            tracing::warn!(error = %e, "could not note a device's last contact");
        }
    }
    Ok(([(CONTENT_TYPE, "application/octet-stream")], pulled.sealed))
}

/// `POST /api/v1/sync/lost`: what a phone lost, or holds that the server
/// lost, after the server went back to a backup (JSON both ways).
#[tracing::instrument(skip_all)]
pub(super) async fn lost(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
    body: Result<Json<LossReport>, JsonRejection>,
) -> Result<Json<LossReceipt>, ApiError> {
    let Json(report) = body.map_err(|e| ApiError::BadRequest(e.body_text().to_lowercase()))?;
    let key = state.server_public;
    let now = now_ms();
    let receipt = state
        .db
        .write(move |tx| recover::report(tx, &token, &report, &key, now))
        .await?;
    Ok(Json(receipt))
}
