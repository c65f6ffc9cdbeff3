//! After a restore from a backup: the banner on the review queue that
//! names the shifts whose decision the restored server lost (phones
//! reported them, signed by this server) and the phones that lost batches.
//! The texts live here, in both languages, until they join the i18n table.

use crate::AppState;
use crate::db::losses::{self, BatchLoss, NeedsDecision};
use crate::error::ApiError;
use crate::web::html::{esc, time};
use crate::web::i18n::Lang;
use crate::web::{Viewer, WebError};
use feltlogg_core::ids::UnitId;
use std::fmt::Write as _;

/// The banner, empty when nothing was lost.
///
/// # Errors
/// [`WebError`] when the database fails.
#[tracing::instrument(skip_all)]
pub async fn banner(state: &AppState, v: &Viewer) -> Result<String, WebError> {
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

fn render(lang: Lang, shifts: &[NeedsDecision], batches: &[BatchLoss]) -> String {
    if shifts.is_empty() && batches.is_empty() {
        return String::new();
    }
    let nb = lang == Lang::Nb;
    let mut out = String::from("<section id=\"restored\" class=\"error\" role=\"alert\">");
    if !shifts.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2><ul>",
            if nb {
                "Trenger ny avgjørelse etter gjenoppretting"
            } else {
                "Need a decision again after a restore"
            }
        );
        for s in shifts {
            let what = match (nb, s.lost_status.as_str()) {
                (true, "approved") => "godkjenning",
                (true, _) => "retur",
                (false, "approved") => "approval",
                (false, _) => "return",
            };
            let lost = if nb { "tapt" } else { "lost" };
            let _ = write!(
                out,
                "<li class=\"needs-decision\"><a href=\"/shifts/{id}\">{id}</a>: {what} {time} {lost}</li>",
                id = s.shift,
                time = esc(&time(s.decided_at_ms)),
            );
        }
        out.push_str("</ul>");
    }
    if !batches.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2><ul>",
            if nb {
                "Endringer tapt: telefonen hadde ikke lenger batchene"
            } else {
                "Changes lost: the phone no longer kept the batches"
            }
        );
        for b in batches {
            let _ = write!(
                out,
                "<li class=\"batch-loss\">{} ({}): {} {}–{}, {}</li>",
                esc(&b.device_name),
                b.device,
                if nb { "batcher" } else { "batches" },
                b.from,
                b.to,
                esc(&time(b.reported_ms)),
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}
