//! `GET /admin/audit`: the audit log, newest first, for admins. Read-only:
//! there is no route that changes it, and the table refuses updates.

use super::html::{esc, time};
use super::i18n::t;
use super::{Viewer, WebError, layout};
use crate::AppState;
use crate::db::audit;
use crate::error::ApiError;
use axum::extract::{Query, State};
use axum::response::Html;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Entries per page.
const PAGE: i64 = 100;

/// `GET /admin/audit?before=<id>`.
#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    v.require_admin()?;
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    let entries = state
        .db
        .read(move |c| -> Result<_, ApiError> { Ok(audit::list(c, before, PAGE)?) })
        .await
        .map_err(|e| v.fail(e))?;
    let lang = v.lang;
    let mut body = format!("<p>{}</p>", t(lang, "audit.intro"));
    if entries.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(lang, "audit.empty"));
    } else {
        let _ = write!(
            body,
            "<table><caption>{}</caption><thead><tr>",
            t(lang, "audit.title")
        );
        for h in [
            "col.when",
            "col.who",
            "col.action",
            "col.target",
            "col.detail",
        ] {
            let _ = write!(body, "<th scope=\"col\">{}</th>", t(lang, h));
        }
        body.push_str("</tr></thead><tbody>");
        for e in &entries {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&time(e.at_ms)),
                esc(&e.username),
                esc(&e.action),
                esc(&e.target),
                esc(&e.detail)
            );
        }
        body.push_str("</tbody></table>");
        if let Some(last) = entries.last().filter(|_| entries.len() as i64 == PAGE) {
            let _ = write!(
                body,
                "<p><a href=\"/admin/audit?before={}\">{}</a></p>",
                last.id,
                t(lang, "audit.older")
            );
        }
    }
    Ok(layout::page(
        &v,
        "/admin/audit",
        t(lang, "audit.title"),
        &body,
    ))
}
