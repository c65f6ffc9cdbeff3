//! Approve, return with a comment, and bulk approve; `decide_shift`
//! writes each decision's audit entry in the decision's transaction. A return comment the
//! anonymity screen flags is not sent: the form comes back with it
//! highlighted and a fix button (see `screen.rs`).

use super::screen::ReturnDraft;
use super::shift_page::render_shift;
use super::{load_shift, parse_shift};
use crate::AppState;
use crate::db::review;
use crate::error::ApiError;
use crate::review::decide::{Verdict, decide_shift, return_comment_findings};
use crate::web::html::Form;
use crate::web::i18n::t;
use crate::web::{Viewer, WebError};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use feltlogg_core::ids::ShiftId;
use feltlogg_core::screen::redact;
use feltlogg_core::time::now_ms;

/// Decides on one shift as the viewer, after checking that it is theirs
/// (a shift of another unit is not found, not forbidden).
fn decide_one(
    tx: &rusqlite::Transaction<'_>,
    state: &AppState,
    v: &Viewer,
    id: ShiftId,
    verdict: Verdict,
) -> Result<(), ApiError> {
    let unit = review::shift_unit(tx, id)?;
    if !unit.is_some_and(|u| v.may_see(u)) {
        return Err(ApiError::NotFound(format!(
            "no shift with id {id} in your units"
        )));
    }
    decide_shift(tx, &state.server_key, id, verdict, v.id, now_ms())?;
    Ok(())
}

async fn decide(
    state: AppState,
    v: Viewer,
    id: String,
    body: Bytes,
    ret: bool,
) -> Result<Response, WebError> {
    let id = parse_shift(&v, &id)?;
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let comment = form.text("comment").trim().to_owned();
    if ret && comment.is_empty() {
        let view = load_shift(&state, &v, id).await?;
        let page = render_shift(
            &v,
            id,
            &view,
            Some(t(v.lang, "shift.comment_required")),
            None,
        );
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    if ret && let Some(page) = screened(&state, &v, id, &comment, &form).await? {
        return Ok(page);
    }
    let verdict = if ret {
        Verdict::Return { comment }
    } else {
        Verdict::Approve
    };
    let (st, viewer) = (state.clone(), v.clone());
    let done = state
        .db
        .write(move |tx| decide_one(tx, &st, &viewer, id, verdict))
        .await;
    match done {
        Ok(()) => {
            let msg = if ret { "returned" } else { "approved" };
            Ok(Redirect::to(&format!("/review?msg={msg}")).into_response())
        }
        Err(ApiError::NotFound(_)) => Err(WebError::NotFound(v.lang)),
        Err(ApiError::Conflict { .. }) => {
            let view = load_shift(&state, &v, id).await?;
            let page = render_shift(&v, id, &view, Some(t(v.lang, "shift.not_closed")), None);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(v.fail(e)),
    }
}

/// The return form again when the comment cannot go as it is: the fix
/// button (`fix=redact`) answers with the found spans replaced by
/// placeholders, for the lead to check and send; a comment the screen
/// flags answers 422 with the spans highlighted. `None`: send it.
async fn screened(
    state: &AppState,
    v: &Viewer,
    id: ShiftId,
    comment: &str,
    form: &Form,
) -> Result<Option<Response>, WebError> {
    let view = load_shift(state, v, id).await?;
    let findings = return_comment_findings(comment, view.words.policy().allowed);
    let fix = form.text("fix") == "redact";
    if findings.is_empty() && !fix {
        return Ok(None);
    }
    let (status, error, draft) = if fix {
        let fixed = redact(comment, &findings, v.lang.code());
        let draft = ReturnDraft {
            comment: fixed,
            findings: Vec::new(),
            fixed: true,
        };
        (StatusCode::OK, None, draft)
    } else {
        let draft = ReturnDraft {
            comment: comment.to_owned(),
            findings,
            fixed: false,
        };
        let error = Some(t(v.lang, "screen.comment_refused"));
        (StatusCode::UNPROCESSABLE_ENTITY, error, draft)
    };
    let page = render_shift(v, id, &view, error, Some(&draft));
    Ok(Some((status, page).into_response()))
}

/// `POST /shifts/{id}/approve`.
#[tracing::instrument(skip_all)]
pub async fn approve(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    decide(state, v, id, body, false).await
}

/// `POST /shifts/{id}/return` (with a required `comment`).
#[tracing::instrument(skip_all)]
pub async fn return_shift(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    decide(state, v, id, body, true).await
}

/// `POST /review/bulk-approve`: approves every checked shift that is the
/// viewer's and closed, in one transaction; counts the rest as failed (a
/// refused shift writes nothing, so the others still go).
#[tracing::instrument(skip_all)]
pub async fn bulk_approve(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let ids: Vec<Option<ShiftId>> = form.all("shift").iter().map(|s| s.parse().ok()).collect();
    let (st, viewer) = (state.clone(), v.clone());
    let (done, failed) = state
        .db
        .write(move |tx| -> Result<(u32, u32), ApiError> {
            let (mut done, mut failed) = (0, 0);
            for id in ids {
                match id.map(|id| decide_one(tx, &st, &viewer, id, Verdict::Approve)) {
                    Some(Ok(())) => done += 1,
                    Some(Err(ApiError::Internal(e))) => return Err(ApiError::Internal(e)),
                    _ => failed += 1,
                }
            }
            Ok((done, failed))
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(Redirect::to(&format!("/review?done={done}&failed={failed}")).into_response())
}
