//! The four record kinds of DOMAIN.md. Times are Unix milliseconds (UTC).
//!
//! Records travel as field maps (see [`crate::change`]): `to_fields` and
//! `from_fields` convert, so the merge works on fields while the rules work
//! on typed records.

use crate::error::{Error, Result};
use crate::ids::{EncounterId, MemberId, ReferralId, ShiftId, UnitId, UserId};
use crate::screen::Span;
use crate::vocab::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    ShiftStatus, Topic,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::collections::BTreeMap;

/// Milliseconds since the Unix epoch, UTC.
pub type UnixMs = i64;

/// A record's fields by name, as JSON values: the unit of the merge.
pub type Fields = BTreeMap<String, serde_json::Value>;

/// The kinds of record that sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// [`Shift`]
    Shift,
    /// [`ShiftMember`]
    ShiftMember,
    /// [`Encounter`]
    Encounter,
    /// [`Referral`]
    Referral,
}

impl RecordKind {
    /// Stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Shift => "shift",
            RecordKind::ShiftMember => "shift_member",
            RecordKind::Encounter => "encounter",
            RecordKind::Referral => "referral",
        }
    }

    /// Parses a wire name.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for any other string.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "shift" => Ok(Self::Shift),
            "shift_member" => Ok(Self::ShiftMember),
            "encounter" => Ok(Self::Encounter),
            "referral" => Ok(Self::Referral),
            _ => Err(Error::UnknownValue {
                vocabulary: "RecordKind",
                value: s.to_owned(),
            }),
        }
    }
}

/// A field shift (vakt): two or more workers out together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Shift {
    /// Record id.
    pub id: ShiftId,
    /// The unit the shift belongs to.
    pub unit_id: UnitId,
    /// Area code (bydel) the shift works in.
    pub bydel: String,
    /// Planned area or route: free text, screened.
    pub area_note: String,
    /// When the shift started.
    pub started_ms: UnixMs,
    /// When the workers closed it.
    pub closed_ms: Option<UnixMs>,
    /// Where it stands.
    pub status: ShiftStatus,
    /// The pair's short reflection at closing: free text, screened.
    pub reflection: Option<String>,
    /// Name findings in the area note or reflection that a worker
    /// confirmed are no person (see [`NotAPerson`]).
    #[serde(default)]
    pub not_a_person: Vec<NotAPerson>,
}

/// One worker on one shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShiftMember {
    /// Record id.
    pub id: MemberId,
    /// The shift.
    pub shift_id: ShiftId,
    /// The worker.
    pub worker_id: UserId,
    /// When the worker checked in (PIN verified).
    pub checked_in_ms: UnixMs,
    /// When the worker checked out, if they did.
    pub checked_out_ms: Option<UnixMs>,
}

impl ShiftMember {
    /// Whether the worker was checked in at `at`.
    pub fn present_at(&self, at: UnixMs) -> bool {
        self.checked_in_ms <= at && self.checked_out_ms.is_none_or(|out| at < out)
    }
}

/// An anonymised encounter with one youth or one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Encounter {
    /// Record id.
    pub id: EncounterId,
    /// The shift it was logged on.
    pub shift_id: ShiftId,
    /// When it happened.
    pub at_ms: UnixMs,
    /// Area code where it happened.
    pub bydel: String,
    /// Kind of place.
    pub place_type: PlaceType,
    /// Number of youths met, 1 to 50.
    pub youth_count: u32,
    /// Age group of the youth or (most of) the group.
    pub age_group: AgeGroup,
    /// Gender of the youth or (most of) the group.
    pub gender: Gender,
    /// New or known contact.
    pub contact_kind: ContactKind,
    /// Topics talked about.
    pub topics: Vec<Topic>,
    /// What the workers did.
    pub actions: Vec<Action>,
    /// Where the youths live, coarsely.
    pub residence: Residence,
    /// Optional note: free text, screened.
    pub note: Option<String>,
    /// Name findings in the note that a worker confirmed are no person.
    #[serde(default)]
    pub not_a_person: Vec<NotAPerson>,
}

/// A referral made from an encounter. No names on either side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Referral {
    /// Record id.
    pub id: ReferralId,
    /// The encounter it came from.
    pub encounter_id: EncounterId,
    /// The shift of that encounter (kept so a shift's records can be found at once).
    pub shift_id: ShiftId,
    /// The service referred to.
    pub service: ReferralService,
    /// Where it stands.
    pub status: ReferralStatus,
    /// Optional note: free text, screened.
    pub note: Option<String>,
    /// Name findings in the note that a worker confirmed are no person.
    #[serde(default)]
    pub not_a_person: Vec<NotAPerson>,
}

/// The field that carries a record's confirmed "not a person" spans.
pub const NOT_A_PERSON: &str = "not_a_person";

/// A span of one of a record's free-text fields that a worker confirmed
/// is not a person ("Dette er ikke en person": a shop, a club, an artist
/// the screen took for a name). It lifts a `Name` finding with exactly
/// this span and nothing else (see [`crate::screen::blocking`]); the
/// server checks it again and shows it to the team lead.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NotAPerson {
    /// The free-text field: `area_note`, `reflection` or `note`.
    pub field: String,
    /// First character (Unicode scalar values, not bytes), from 0.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl NotAPerson {
    /// The confirmation of `span` in `field`.
    pub fn new(field: &str, span: Span) -> Self {
        NotAPerson {
            field: field.to_owned(),
            start: span.start,
            end: span.end,
        }
    }

    /// Its span.
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.end,
        }
    }
}

/// The confirmations a field map carries (none when it has none, or they
/// do not read: a record from before confirmations, a tombstone).
pub fn not_a_person_of(fields: &Fields) -> Vec<NotAPerson> {
    fields
        .get(NOT_A_PERSON)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// The spans of `list` confirmed in `field`.
pub fn confirmed_in(list: &[NotAPerson], field: &str) -> Vec<Span> {
    list.iter()
        .filter(|c| c.field == field)
        .map(NotAPerson::span)
        .collect()
}

/// `list` with the confirmations of `field` replaced by `spans`: what a
/// record carries after that field was written anew.
pub fn with_confirmed(list: &[NotAPerson], field: &str, spans: &[Span]) -> Vec<NotAPerson> {
    let mut out: Vec<NotAPerson> = list.iter().filter(|c| c.field != field).cloned().collect();
    out.extend(spans.iter().map(|s| NotAPerson::new(field, *s)));
    out.sort();
    out.dedup();
    out
}

/// Converts a typed record to and from its field map.
pub trait Record: Serialize + DeserializeOwned {
    /// The record's kind.
    const KIND: RecordKind;

    /// The record's fields by name.
    fn to_fields(&self) -> Fields {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map.into_iter().collect(),
            // Our records are structs: serde_json always gives an object.
            _ => Fields::new(),
        }
    }

    /// Reads a record back from its field map.
    ///
    /// # Errors
    /// [`Error::Malformed`] when a field is missing or of the wrong type.
    fn from_fields(fields: &Fields) -> Result<Self> {
        // Read from the borrowed map: building a serde_json object first
        // copied every field, on every record the server merges.
        let map = serde::de::value::MapDeserializer::<_, serde_json::Error>::new(
            fields.iter().map(|(k, v)| (k.as_str(), v)),
        );
        Self::deserialize(map).map_err(|e| Error::Malformed {
            kind: Self::KIND.as_str(),
            detail: e.to_string(),
        })
    }
}

impl Record for Shift {
    const KIND: RecordKind = RecordKind::Shift;
}
impl Record for ShiftMember {
    const KIND: RecordKind = RecordKind::ShiftMember;
}
impl Record for Encounter {
    const KIND: RecordKind = RecordKind::Encounter;
}
impl Record for Referral {
    const KIND: RecordKind = RecordKind::Referral;
}

/// The fields of `new` that differ from `old` (all of them when `old` is
/// `None`): what an edit puts in its change.
///
/// A change that writes a free-text field also writes [`NOT_A_PERSON`],
/// changed or not: the text and its confirmed spans then share one stamp
/// and win or lose the merge together, so a span confirmed in one phone's
/// note never ends up lifting a name in another phone's newer note.
pub fn changed_fields(old: Option<&Fields>, new: &Fields) -> Fields {
    let mut diff: Fields = new
        .iter()
        .filter(|(k, v)| old.and_then(|o| o.get(*k)) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let text_written = diff.keys().any(|k| crate::validate::max_chars(k).is_some());
    if text_written && let Some(confirmed) = new.get(NOT_A_PERSON) {
        diff.insert(NOT_A_PERSON.to_owned(), confirmed.clone());
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_diff_only_changes() {
        let shift = Shift {
            id: ShiftId::new(),
            unit_id: UnitId::new(),
            bydel: "030102".into(),
            area_note: "Olaf Ryes plass".into(),
            started_ms: 1_000,
            closed_ms: None,
            status: ShiftStatus::Open,
            reflection: None,
            not_a_person: Vec::new(),
        };
        let fields = shift.to_fields();
        assert_eq!(Shift::from_fields(&fields).expect("round trip"), shift);
        let mut closed = shift.clone();
        closed.status = ShiftStatus::Closed;
        closed.closed_ms = Some(2_000);
        let diff = changed_fields(Some(&fields), &closed.to_fields());
        let keys: Vec<_> = diff.keys().map(String::as_str).collect();
        assert_eq!(keys, ["closed_ms", "status"]);
    }

    #[test]
    fn missing_field_is_named() {
        let mut fields = Shift {
            id: ShiftId::new(),
            unit_id: UnitId::new(),
            bydel: "030102".into(),
            area_note: String::new(),
            started_ms: 1,
            closed_ms: None,
            status: ShiftStatus::Open,
            reflection: None,
            not_a_person: Vec::new(),
        }
        .to_fields();
        fields.remove("bydel");
        let err = Shift::from_fields(&fields).expect_err("must fail");
        assert!(err.to_string().contains("bydel"), "{err}");
    }
}
