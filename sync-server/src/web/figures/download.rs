//! The export form and the download: CSV (two dialects) or xlsx; and, for
//! admins only, the signed, unsuppressed totals file for the national
//! body (`crate::export::national`), logged like every export.

use super::{export_error, period_fields, period_text, scope_note, threshold};
use crate::AppState;
use crate::error::ApiError;
use crate::export::publish::{FileFormat, Request, published_file};
use crate::export::{Period, national};
use crate::web::html::{Form, csrf_input, options};
use crate::web::i18n::t;
use crate::web::{Viewer, WebError, layout};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use feltlogg_core::time::now_ms;
use maud::{Markup, html};

async fn export_form(
    state: &AppState,
    v: &Viewer,
    f: &Form,
    top: Markup,
) -> Result<Html<String>, WebError> {
    let lang = v.lang;
    let fixed = state.suppress_below;
    let th = state
        .db
        .read(move |c| threshold(c, fixed))
        .await
        .map_err(|e| v.fail(e))?;
    let intro = t(lang, "export.intro")
        .replace("{n}", &(th - 1).to_string())
        .replace("{m}", &th.to_string());
    let scope = scope_note(state, v).await?;
    let mut formats = vec![
        ("excel", t(lang, "export.format.excel")),
        ("csv", t(lang, "export.format.csv")),
        ("xlsx", t(lang, "export.format.xlsx")),
    ];
    if v.is_admin() {
        formats.push(("totals", t(lang, "export.format.totals")));
    }
    let body = html! {
        (top)
        p { (intro) }
        (scope)
        @if v.is_admin() {
            p #totals-note { (t(lang, "export.totals_note").replace("{k}", &state.municipality.label())) }
        }
        form method="post" action="/export" class="stack" {
            (csrf_input(&v.csrf))
            (period_fields(lang, f))
            label for="format" { (t(lang, "export.format")) }
            select id="format" name="format" { (options(formats, f.get("format").unwrap_or("excel"))) }
            p { button type="submit" id="download" { (t(lang, "export.submit")) } }
        }
    };
    Ok(layout::page(v, "/export", t(lang, "export.title"), body))
}

/// `GET /export`.
#[tracing::instrument(skip_all)]
pub async fn export_page(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Html<String>, WebError> {
    export_form(&state, &v, &Form::default(), Markup::default()).await
}

/// `POST /export`: the file, as an attachment.
#[tracing::instrument(skip_all)]
pub async fn export(
    State(state): State<AppState>,
    v: Viewer,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = Form::parse(&body);
    v.check_csrf(&form)?;
    let text = period_text(&form);
    let format = match form.text("format") {
        "csv" => FileFormat::Csv,
        "xlsx" => FileFormat::Xlsx,
        "totals" => return totals(&state, &v, &form, text).await,
        _ => FileFormat::CsvExcel,
    };
    let req = Request {
        period: text,
        scope: v.scope(),
        format,
        fixed: state.suppress_below,
    };
    let by = v.actor();
    let made = state
        .db
        .write(move |tx| published_file(tx, &by, &req, now_ms()))
        .await;
    let (label, bytes) = match made {
        Ok(x) => x,
        Err(e @ ApiError::Invalid { .. }) => {
            let page = export_form(&state, &v, &form, layout::error(&e.to_string())).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(e) => return Err(v.fail(e)),
    };
    Ok(attachment(format.as_str(), &label, bytes))
}

/// The signed totals file (admins only), its audit entry written with it.
async fn totals(
    state: &AppState,
    v: &Viewer,
    form: &Form,
    text: String,
) -> Result<Response, WebError> {
    v.require_admin()?;
    let municipality = (*state.municipality).clone();
    let viewer = v.clone();
    let made = state
        .db
        .write(move |c| -> Result<(String, Vec<u8>), ApiError> {
            let period = Period::parse(&text).map_err(export_error)?;
            let by = national::Requester {
                user: Some(viewer.id),
                username: &viewer.username,
                via: "dashboard",
            };
            let bytes = national::make_audited(c, &period, &municipality, by, now_ms())
                .map_err(export_error)?;
            Ok((period.label, bytes))
        })
        .await;
    match made {
        Ok((label, bytes)) => Ok(attachment("totals", &label, bytes)),
        Err(e @ ApiError::Invalid { .. }) => {
            let page = export_form(state, v, form, layout::error(&e.to_string())).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(v.fail(e)),
    }
}

/// A file download named after the period.
fn attachment(format: &str, label: &str, bytes: Vec<u8>) -> Response {
    let (mime, ext) = match format {
        "totals" => ("application/json", "totals.json"),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        _ => ("text/csv; charset=utf-8", "excel.csv"),
    };
    let name = format!("feltlogg-{}.{ext}", label.replace("..", "_"));
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
