//! After a restore from a backup: the banner on the review queue that
//! names the shifts whose decision the restored server lost (phones
//! reported them, signed by this server) and the phones that lost batches.

use crate::AppState;
use crate::db::losses::{self, BatchLoss, NeedsDecision};
use crate::error::ApiError;
use crate::web::html::time;
use crate::web::i18n::{Lang, t};
use crate::web::{Viewer, WebError};
use feltlogg_core::ids::UnitId;
use maud::{Markup, html};

/// The banner, empty when nothing was lost.
///
/// # Errors
/// [`WebError`] when the database fails.
#[tracing::instrument(skip_all)]
pub async fn banner(state: &AppState, v: &Viewer) -> Result<Markup, WebError> {
    let units = v.filter().map(<[_]>::to_vec);
    let (shifts, batches) = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            let seen = |u: UnitId| units.as_ref().is_none_or(|list| list.contains(&u));
            let shifts: Vec<NeedsDecision> = losses::needing_decision(c, None)?
                .into_iter()
                .filter(|n| seen(n.unit))
                .collect();
            let batches: Vec<BatchLoss> = losses::batch_losses(c, None)?
                .into_iter()
                .filter(|b| seen(b.unit))
                .collect();
            Ok((shifts, batches))
        })
        .await
        .map_err(|e| v.fail(e))?;
    Ok(render(v.lang, &shifts, &batches))
}

fn render(lang: Lang, shifts: &[NeedsDecision], batches: &[BatchLoss]) -> Markup {
    if shifts.is_empty() && batches.is_empty() {
        return Markup::default();
    }
    html! {
        section #restored .error role="alert" {
            @if !shifts.is_empty() {
                h2 { (t(lang, "restored.needs_decision")) }
                ul {
                    @for s in shifts {
                        @let what = if s.lost_status == "approved" {
                            t(lang, "restored.lost_approval")
                        } else {
                            t(lang, "restored.lost_return")
                        };
                        li.needs-decision {
                            a href={ "/shifts/" (s.shift) } { (s.shift) }
                            ": " (what) " " (time(s.decided_at_ms)) " " (t(lang, "restored.lost"))
                        }
                    }
                }
            }
            @if !batches.is_empty() {
                h2 { (t(lang, "restored.batches_lost")) }
                ul {
                    @for b in batches {
                        li.batch-loss {
                            (b.device_name) " (" (b.device) "): " (t(lang, "restored.batches")) " "
                            (b.from) "–" (b.to) ", " (time(b.reported_ms))
                        }
                    }
                }
            }
        }
    }
}
