//! `GET /admin/audit`: the audit log, newest first, for admins. Read-only:
//! there is no route that changes it, and the table refuses updates.

use super::html::time;
use super::i18n::t;
use super::{Viewer, WebError, layout};
use crate::AppState;
use crate::db::audit;
use crate::error::ApiError;
use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use std::collections::HashMap;

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
    let heads = [
        "col.when",
        "col.who",
        "col.action",
        "col.target",
        "col.detail",
    ];
    let older = entries.last().filter(|_| entries.len() as i64 == PAGE);
    let body = html! {
        p { (t(lang, "audit.intro")) }
        @if entries.is_empty() {
            p { (t(lang, "audit.empty")) }
        } @else {
            table {
                caption { (t(lang, "audit.title")) }
                thead { tr { @for h in heads { th scope="col" { (t(lang, h)) } } } }
                tbody {
                    @for e in &entries {
                        tr {
                            td { (time(e.at_ms)) }
                            td { (e.username) }
                            td { (e.action) }
                            td { (e.target) }
                            td { (e.detail) }
                        }
                    }
                }
            }
            @if let Some(last) = older {
                p { a href={ "/admin/audit?before=" (last.id) } { (t(lang, "audit.older")) } }
            }
        }
    };
    Ok(layout::page(
        &v,
        "/admin/audit",
        t(lang, "audit.title"),
        body,
    ))
}
