//! Encounters and referrals: log, edit, delete; refer and follow up.

use crate::error::CmdResult;
use crate::state::AppState;
use crate::store::now_ms;
use feltlogg_core::ids::{EncounterId, ReferralId, ShiftId};
use feltlogg_core::record::{Encounter, NotAPerson, confirmed_in, with_confirmed};
use feltlogg_core::screen::Span;
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
    /// The name spans of the note the worker confirmed are no person
    /// (empty for none).
    pub not_a_person: Vec<Span>,
}

/// The note trimmed, with its confirmations moved to count in it.
fn clean_confirmed(note: Option<String>, list: &[NotAPerson]) -> (Option<String>, Vec<NotAPerson>) {
    let (note, spans) = super::trimmed(note, &confirmed_in(list, "note"));
    (note, with_confirmed(list, "note", &spans))
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
            let (note, spans) = super::trimmed(input.note, &input.not_a_person);
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
                note,
                not_a_person: with_confirmed(&[], "note", &spans),
            };
            Ok(s.add_encounter(new, now_ms())?)
        })
        .await
}

/// Saves an edited encounter (whole record, its `not_a_person` spans
/// meant for the note as sent); true when anything changed.
///
/// # Errors
/// As [`add_encounter`].
#[tauri::command]
#[specta::specta]
pub async fn edit_encounter(state: State<'_, AppState>, encounter: Encounter) -> CmdResult<bool> {
    state
        .change_store(move |s| {
            let mut e = encounter;
            (e.note, e.not_a_person) = clean_confirmed(e.note, &e.not_a_person);
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

/// Refers the youth(s) of an encounter to a service, with the name spans
/// of the note the worker confirmed are no person.
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
    not_a_person: Vec<Span>,
) -> CmdResult<ReferralId> {
    state
        .change_store(move |s| {
            let (note, spans) = super::trimmed(note, &not_a_person);
            let id =
                s.add_referral_confirmed(encounter_id, service, note.as_deref(), &spans, now_ms())?;
            Ok(id)
        })
        .await
}

/// Moves a referral on (made, followed up, declined) and sets its note;
/// `not_a_person` gives the note's confirmed name spans anew (`None`
/// keeps those of an unchanged note).
#[tauri::command]
#[specta::specta]
pub async fn update_referral(
    state: State<'_, AppState>,
    referral_id: ReferralId,
    status: ReferralStatus,
    note: Option<String>,
    not_a_person: Option<Vec<Span>>,
) -> CmdResult<bool> {
    state
        .change_store(move |s| {
            let given = not_a_person.is_some();
            let (note, spans) = super::trimmed(note, &not_a_person.unwrap_or_default());
            let spans = given.then_some(spans.as_slice());
            Ok(s.update_referral_confirmed(referral_id, status, note.as_deref(), spans, now_ms())?)
        })
        .await
}
