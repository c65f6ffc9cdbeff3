//! Encounters and referrals: log, edit, delete; refer and follow up.

use crate::error::CmdResult;
use crate::state::AppState;
use crate::store::now_ms;
use feltlogg_core::ids::{EncounterId, ReferralId, ShiftId};
use feltlogg_core::record::Encounter;
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    Topic,
};
use serde::Deserialize;
use tauri::State;

/// An encounter as the encounter screen sends it; the time is taken when
/// it is saved.
#[derive(Clone, Debug, Deserialize, specta::Type)]
pub struct EncounterInput {
    /// The shift it is logged on.
    pub shift_id: ShiftId,
    /// Area code where it happened.
    pub bydel: String,
    /// Kind of place.
    pub place_type: PlaceType,
    /// Number of youths met.
    pub youth_count: u32,
    /// Age group.
    pub age_group: AgeGroup,
    /// Gender.
    pub gender: Gender,
    /// New or known contact.
    pub contact_kind: ContactKind,
    /// Topics talked about.
    pub topics: Vec<Topic>,
    /// What the workers did.
    pub actions: Vec<Action>,
    /// Where the youths live, coarsely.
    pub residence: Residence,
    /// Optional note, screened before saving.
    pub note: Option<String>,
}

fn clean(note: Option<String>) -> Option<String> {
    note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())
}

/// Logs an encounter now.
///
/// # Errors
/// `need_two_to_log`, `shift_locked`, `personal_data` (the note: nothing
/// is saved), `invalid`, `not_found`.
#[tauri::command]
#[specta::specta]
pub async fn add_encounter(
    state: State<'_, AppState>,
    input: EncounterInput,
) -> CmdResult<EncounterId> {
    state
        .change_store(move |s| {
            let new = Encounter {
                id: EncounterId::new(),
                shift_id: input.shift_id,
                at_ms: now_ms(),
                bydel: input.bydel,
                place_type: input.place_type,
                youth_count: input.youth_count,
                age_group: input.age_group,
                gender: input.gender,
                contact_kind: input.contact_kind,
                topics: input.topics,
                actions: input.actions,
                residence: input.residence,
                note: clean(input.note),
            };
            Ok(s.add_encounter(new, now_ms())?)
        })
        .await
}

/// Saves an edited encounter (whole record); true when anything changed.
///
/// # Errors
/// As [`add_encounter`].
#[tauri::command]
#[specta::specta]
pub async fn edit_encounter(state: State<'_, AppState>, encounter: Encounter) -> CmdResult<bool> {
    state
        .change_store(move |s| {
            let mut e = encounter;
            e.note = clean(e.note);
            Ok(s.edit_encounter(&e, now_ms())?)
        })
        .await
}

/// Deletes an encounter and its referrals.
#[tauri::command]
#[specta::specta]
pub async fn delete_encounter(
    state: State<'_, AppState>,
    encounter_id: EncounterId,
) -> CmdResult<()> {
    state
        .change_store(move |s| Ok(s.delete_encounter(encounter_id, now_ms())?))
        .await
}

/// Refers the youth(s) of an encounter to a service.
///
/// # Errors
/// `need_two_to_log`, `shift_locked`, `personal_data`, `not_found`.
#[tauri::command]
#[specta::specta]
pub async fn add_referral(
    state: State<'_, AppState>,
    encounter_id: EncounterId,
    service: ReferralService,
    note: Option<String>,
) -> CmdResult<ReferralId> {
    state
        .change_store(move |s| {
            let note = clean(note);
            Ok(s.add_referral(encounter_id, service, note.as_deref(), now_ms())?)
        })
        .await
}

/// Moves a referral on (made, followed up, declined) and sets its note.
#[tauri::command]
#[specta::specta]
pub async fn update_referral(
    state: State<'_, AppState>,
    referral_id: ReferralId,
    status: ReferralStatus,
    note: Option<String>,
) -> CmdResult<bool> {
    state
        .change_store(move |s| {
            let note = clean(note);
            Ok(s.update_referral(referral_id, status, note.as_deref(), now_ms())?)
        })
        .await
}
