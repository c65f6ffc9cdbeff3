//! The team lead's review: the queue of closed shifts in their units,
//! a shift's page with everything logged in it, approve, return with a
//! required comment, bulk approve, and the refused changes.
//!
//! - `queue.rs`: the queue and the refused-changes page.
//! - `shift_page.rs`: a shift's page and its tables.
//! - `decide.rs`: approve, return and bulk approve.
//! - `screen.rs`: a flagged return comment's highlight and fix, and the
//!   old-data scan with its redact button.
//!
//! Here: loading a shift the viewer may see, shared by the page and the
//! decisions (which show the page again on an error).

mod decide;
mod queue;
mod restored;
mod screen;
mod shift_page;

pub use decide::{approve, bulk_approve, return_shift};
pub use queue::{queue, refusals};
/// The flagged-span highlight, also used by the youths' form.
pub(crate) use screen::marked;
pub use screen::{add_word, redact as redact_text, scan_page};
pub use shift_page::shift_page;

use super::{Viewer, WebError};
use crate::AppState;
use crate::db::review;
use crate::error::ApiError;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::record::Encounter;

fn parse_shift(v: &Viewer, id: &str) -> Result<ShiftId, WebError> {
    id.parse().map_err(|_| WebError::NotFound(v.lang))
}

/// Everything the shift page shows.
struct ShiftView {
    head: review::ShiftHead,
    members: Vec<review::MemberRow>,
    encounters: Vec<Encounter>,
    referrals: Vec<feltlogg_core::record::Referral>,
    refusals: Vec<review::RefusalRow>,
    decisions: Vec<review::DecisionRow>,
    /// The unit's screen: its words and "not a person" setting.
    words: feltlogg_core::words::UnitPolicy,
}

/// Loads a shift if the viewer may see it; `None` otherwise (404 either
/// way, so a shift of another unit is not revealed).
async fn load_shift(state: &AppState, v: &Viewer, id: ShiftId) -> Result<ShiftView, WebError> {
    let viewer = v.clone();
    let found = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            let Some(head) = review::shift_head(c, id)? else {
                return Ok(None);
            };
            if !viewer.may_see(head.unit_id) {
                return Ok(None);
            }
            Ok(Some(ShiftView {
                members: review::members(c, id)?,
                encounters: review::encounters(c, id)?,
                referrals: review::referrals(c, id)?,
                refusals: review::refusals(c, Some(&[head.unit_id]), Some(id), 200)?,
                decisions: review::decisions(c, id)?,
                words: crate::unit_words::policy(c, head.unit_id)?,
                head,
            }))
        })
        .await
        .map_err(|e| v.fail(e))?;
    found.ok_or(WebError::NotFound(v.lang))
}
