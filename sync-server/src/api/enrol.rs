//! `POST /api/v1/devices/enrol`.

use crate::AppState;
use crate::error::ApiError;
use crate::sync::enrol as service;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use feltlogg_core::sync::api::{EnrolRequest, EnrolResponse};
use feltlogg_core::time::now_ms;

/// Enrols a device with a one-time code.
#[tracing::instrument(skip_all)]
pub(super) async fn enrol(
    State(state): State<AppState>,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<Json<EnrolResponse>, ApiError> {
    let Json(req) = body.map_err(|e| ApiError::BadRequest(e.body_text().to_lowercase()))?;
    let server_public = state.server_public;
    let now = now_ms();
    let resp = state
        .db
        .write(move |tx| service::enrol(tx, &req, &server_public, now))
        .await?;
    Ok(Json(resp))
}
