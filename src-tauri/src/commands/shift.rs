//! Shifts: the worker directory and areas to start one, start, check in
//! and out, close, and the views the home and shift screens show.

use crate::error::CmdResult;
use crate::state::AppState;
use crate::store::{Store, now_ms};
use feltlogg_core::area::Area;
use feltlogg_core::ids::{ShiftId, UserId};
use feltlogg_core::record::{Encounter, Referral, Shift, ShiftMember, UnixMs};
use feltlogg_core::screen::Span;
use feltlogg_core::{ShiftStatus, rules};
use serde::{Deserialize, Serialize};
use tauri::State;

/// A worker as the start screen shows them: no PIN verifier.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct Worker {
    /// The worker's id.
    pub id: UserId,
    /// First name or initials.
    pub name: String,
}

/// One worker checking in, with their PIN.
#[derive(Clone, Deserialize, specta::Type)]
pub struct WorkerPin {
    /// The worker.
    pub worker_id: UserId,
    /// Their 6-digit PIN (never logged).
    pub pin: String,
}

impl std::fmt::Debug for WorkerPin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPin")
            .field("worker_id", &self.worker_id)
            .finish_non_exhaustive()
    }
}

/// A worker on a shift.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct MemberView {
    /// The worker.
    pub worker_id: UserId,
    /// Their name from the directory (the id if unknown).
    pub name: String,
    /// Check-in time.
    pub checked_in_ms: UnixMs,
    /// Check-out time, if checked out.
    pub checked_out_ms: Option<UnixMs>,
}

/// An encounter with its referrals.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct EncounterView {
    /// The encounter.
    pub encounter: Encounter,
    /// Its referrals.
    pub referrals: Vec<Referral>,
}

/// The figures shown when closing and on the home screen.
#[derive(Clone, Debug, Default, Serialize, specta::Type)]
pub struct Summary {
    /// Field hours, summed over workers (check-in to check-out, or to now).
    pub field_hours: f64,
    /// Encounters logged.
    pub encounters: u32,
    /// Youths met.
    pub youths: u32,
    /// Referrals made.
    pub referrals: u32,
}

/// A shift as the home list shows it.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct ShiftSummary {
    /// The shift.
    pub shift: Shift,
    /// Its figures.
    pub summary: Summary,
    /// The team lead's comment on the last decision (why it was returned).
    pub comment: Option<String>,
}

/// Everything the shift screen shows.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct ShiftView {
    /// The shift.
    pub shift: Shift,
    /// Its workers, checked in or out.
    pub members: Vec<MemberView>,
    /// How many are checked in now.
    pub present: u32,
    /// Encounters, oldest first.
    pub encounters: Vec<EncounterView>,
    /// Figures.
    pub summary: Summary,
    /// The team lead's comment on the last decision.
    pub comment: Option<String>,
    /// Whether encounters can be added or edited (open or returned).
    pub editable: bool,
}

/// The home screen: the open shift and the recent ones.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct Home {
    /// The open shift, if any.
    pub open_shift: Option<ShiftSummary>,
    /// Shifts of the last 24 hours plus every open or returned one, newest first.
    pub shifts: Vec<ShiftSummary>,
}

/// The unit's active workers, by name.
#[tauri::command]
#[specta::specta]
pub async fn workers(state: State<'_, AppState>) -> CmdResult<Vec<Worker>> {
    state
        .with_store(|s| {
            Ok(s.directory()?
                .into_iter()
                .filter(|w| w.active)
                .map(|w| Worker {
                    id: w.id,
                    name: w.display_name,
                })
                .collect())
        })
        .await
}

/// The areas (bydeler), by code.
#[tauri::command]
#[specta::specta]
pub async fn areas(state: State<'_, AppState>) -> CmdResult<Vec<Area>> {
    state.with_store(|s| Ok(s.areas()?)).await
}

/// The home screen.
#[tauri::command]
#[specta::specta]
pub async fn home(state: State<'_, AppState>) -> CmdResult<Home> {
    state
        .with_store(|s| {
            let now = now_ms();
            let shifts = s
                .list_shifts_today(now)?
                .into_iter()
                .map(|sh| summarise(s, sh))
                .collect::<CmdResult<Vec<_>>>()?;
            let open_shift = shifts
                .iter()
                .find(|x| x.shift.status == ShiftStatus::Open)
                .cloned();
            Ok(Home { open_shift, shifts })
        })
        .await
}

/// One shift, for the shift screen.
#[tauri::command]
#[specta::specta]
pub async fn shift_view(state: State<'_, AppState>, shift_id: ShiftId) -> CmdResult<ShiftView> {
    state.with_store(move |s| view(s, shift_id)).await
}

/// Starts a shift with two or more workers, each with their PIN;
/// `not_a_person` holds the name spans of the area note the workers
/// confirmed are no person (empty for none).
///
/// # Errors
/// `need_two_to_start`, `pin`, `pin_locked`, `already_on_open_shift`,
/// `personal_data` (in the area note), `invalid`.
#[tauri::command]
#[specta::specta]
pub async fn start_shift(
    state: State<'_, AppState>,
    bydel: String,
    area_note: String,
    not_a_person: Vec<Span>,
    workers: Vec<WorkerPin>,
) -> CmdResult<ShiftId> {
    state
        .change_store(move |s| {
            let pairs: Vec<(UserId, &str)> = workers
                .iter()
                .map(|w| (w.worker_id, w.pin.as_str()))
                .collect();
            Ok(s.start_shift_confirmed(&bydel, &area_note, &not_a_person, &pairs, now_ms())?)
        })
        .await
}

/// Checks a worker in on an open shift, with their PIN.
#[tauri::command]
#[specta::specta]
pub async fn check_in(
    state: State<'_, AppState>,
    shift_id: ShiftId,
    worker_id: UserId,
    pin: String,
) -> CmdResult<ShiftView> {
    state
        .change_store(move |s| {
            s.check_in(shift_id, worker_id, &pin, now_ms())?;
            view(s, shift_id)
        })
        .await
}

/// Checks a worker out; logging pauses when fewer than two remain.
#[tauri::command]
#[specta::specta]
pub async fn check_out(
    state: State<'_, AppState>,
    shift_id: ShiftId,
    worker_id: UserId,
) -> CmdResult<ShiftView> {
    state
        .change_store(move |s| {
            s.check_out(shift_id, worker_id, now_ms())?;
            view(s, shift_id)
        })
        .await
}

/// Closes a shift (or closes a corrected, returned one again), with the
/// pair's optional reflection and the name spans of it they confirmed are
/// no person (`not_a_person`, counted in the reflection as sent).
#[tauri::command]
#[specta::specta]
pub async fn close_shift(
    state: State<'_, AppState>,
    shift_id: ShiftId,
    reflection: Option<String>,
    not_a_person: Vec<Span>,
) -> CmdResult<ShiftView> {
    state
        .change_store(move |s| {
            let (reflection, spans) = super::trimmed(reflection, &not_a_person);
            s.close_shift_confirmed(shift_id, reflection.as_deref(), &spans, now_ms())?;
            view(s, shift_id)
        })
        .await
}

fn view(s: &Store, id: ShiftId) -> CmdResult<ShiftView> {
    let now = now_ms();
    let shift = s
        .shift(id)?
        .ok_or_else(|| crate::store::StoreError::NotFound {
            what: "shift",
            id: id.to_string(),
        })?;
    let names = s.directory()?;
    let name_of = |w: UserId| {
        names
            .iter()
            .find(|e| e.id == w)
            .map_or_else(|| w.to_string(), |e| e.display_name.clone())
    };
    let raw_members = s.shift_members(id)?;
    let present = rules::present_at(&raw_members, now);
    let members = raw_members
        .iter()
        .map(|m| MemberView {
            worker_id: m.worker_id,
            name: name_of(m.worker_id),
            checked_in_ms: m.checked_in_ms,
            checked_out_ms: m.checked_out_ms,
        })
        .collect();
    let mut encounters = Vec::new();
    for e in s.list_encounters(id)? {
        let referrals = s.list_referrals(e.id)?;
        encounters.push(EncounterView {
            encounter: e,
            referrals,
        });
    }
    let summary = figures(&shift, &raw_members, &encounters, now);
    let comment = crate::sync::decision_comment(s, id)?;
    let editable = rules::offers_edits(shift.status);
    Ok(ShiftView {
        shift,
        members,
        present: to_u32(present),
        encounters,
        summary,
        comment,
        editable,
    })
}

fn summarise(s: &Store, shift: Shift) -> CmdResult<ShiftSummary> {
    let v = view(s, shift.id)?;
    Ok(ShiftSummary {
        shift: v.shift,
        summary: v.summary,
        comment: v.comment,
    })
}

/// Field hours per worker (DOMAIN.md: closed − started, per worker), to
/// now for an open shift.
fn figures(
    shift: &Shift,
    members: &[ShiftMember],
    encounters: &[EncounterView],
    now: UnixMs,
) -> Summary {
    // An open shift's time runs to now.
    let end_of_shift = shift.closed_ms.unwrap_or(now);
    Summary {
        field_hours: rules::field_hours(shift.started_ms, end_of_shift, members),
        encounters: to_u32(encounters.len()),
        youths: encounters.iter().map(|e| e.encounter.youth_count).sum(),
        referrals: to_u32(encounters.iter().map(|e| e.referrals.len()).sum()),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
