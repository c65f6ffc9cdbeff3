//! Per-record validation: ranges, times in order, text lengths, no
//! duplicates, and every free-text field through the anonymity screen.
//!
//! The app calls these before it saves a record; the server calls
//! [`record`] again on every merged record and never trusts the device.
//! Both pass the unit's screen [`Policy`]: its allowed words, and whether
//! a worker's confirmed "not a person" spans ([`NotAPerson`]) lift a name
//! finding. The life-cycle and pairing rules live in [`crate::rules`].

use crate::change::DELETED;
use crate::error::{Error, Result};
use crate::record::{
    Encounter, Fields, NOT_A_PERSON, NotAPerson, Record, RecordKind, Referral, Shift, ShiftMember,
    UnixMs, confirmed_in, not_a_person_of,
};
use crate::screen::{Policy, effective_confirmations, find_personal_data_with, screen_with};
use std::collections::BTreeSet;
use std::fmt::Debug;

/// Most characters in a shift's planned area or route.
pub const MAX_AREA_NOTE_CHARS: usize = 200;
/// Most characters in a note or a reflection.
pub const MAX_NOTE_CHARS: usize = 1000;
/// Fewest youths an encounter can count.
pub const MIN_YOUTH_COUNT: u32 = 1;
/// Most youths one encounter can count; a larger crowd is several encounters.
pub const MAX_YOUTH_COUNT: u32 = 50;

/// Most "not a person" confirmations one record carries: far more than a
/// note of 1,000 characters has names, few enough that checking them costs
/// nothing.
pub const MAX_CONFIRMATIONS: usize = 50;

/// The free-text fields of any record kind, each with the most characters
/// it may hold; screened even on a tombstone.
const FREE_TEXT_FIELDS: [(&str, usize); 3] = [
    ("area_note", MAX_AREA_NOTE_CHARS),
    ("reflection", MAX_NOTE_CHARS),
    ("note", MAX_NOTE_CHARS),
];

/// The free-text fields a record kind has: what is screened, may carry a
/// confirmation, and may be redacted.
pub fn text_fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Shift => &["area_note", "reflection"],
        RecordKind::Encounter | RecordKind::Referral => &["note"],
        RecordKind::ShiftMember => &[],
    }
}

/// The most characters a record's free-text `field` may hold; `None` for
/// a field that is not free text.
pub fn max_chars(field: &str) -> Option<usize> {
    FREE_TEXT_FIELDS
        .iter()
        .find(|(name, _)| *name == field)
        .map(|&(_, max)| max)
}

/// Validates a shift.
///
/// # Errors
/// [`Error::Invalid`] for a bad area code, a negative start, a close
/// before the start, text over its length, or a confirmation that names no
/// free-text field of a shift; [`Error::PersonalData`] when the area note
/// or reflection holds personal data that `policy` and the confirmations
/// do not lift.
pub fn shift(s: &Shift, policy: &Policy<'_>) -> Result<()> {
    area_code("bydel", &s.bydel)?;
    not_negative("started_ms", s.started_ms)?;
    if let Some(closed) = s.closed_ms {
        not_before("closed_ms", closed, "started_ms", s.started_ms)?;
    }
    confirmations(RecordKind::Shift, &s.not_a_person)?;
    free_text("area_note", &s.area_note, policy, &s.not_a_person)?;
    if let Some(reflection) = &s.reflection {
        free_text("reflection", reflection, policy, &s.not_a_person)?;
    }
    Ok(())
}

/// Validates one worker's membership of a shift.
///
/// # Errors
/// [`Error::Invalid`] for a negative check-in or a check-out before it.
pub fn member(m: &ShiftMember) -> Result<()> {
    not_negative("checked_in_ms", m.checked_in_ms)?;
    if let Some(out) = m.checked_out_ms {
        not_before("checked_out_ms", out, "checked_in_ms", m.checked_in_ms)?;
    }
    Ok(())
}

/// Validates an encounter.
///
/// # Errors
/// [`Error::Invalid`] for a negative time, a bad area code, a youth count
/// outside 1 to 50, a topic or action given twice, a note over 1000
/// characters, or a confirmation that names another field than `note`;
/// [`Error::PersonalData`] when the note holds personal data that `policy`
/// and the confirmations do not lift.
pub fn encounter(e: &Encounter, policy: &Policy<'_>) -> Result<()> {
    not_negative("at_ms", e.at_ms)?;
    area_code("bydel", &e.bydel)?;
    if !(MIN_YOUTH_COUNT..=MAX_YOUTH_COUNT).contains(&e.youth_count) {
        return Err(Error::Invalid {
            field: "youth_count",
            problem: format!(
                "{} youths is out of range; give {MIN_YOUTH_COUNT} to {MAX_YOUTH_COUNT} \
                 (log a larger crowd as several encounters)",
                e.youth_count
            ),
        });
    }
    no_duplicates("topics", &e.topics)?;
    no_duplicates("actions", &e.actions)?;
    confirmations(RecordKind::Encounter, &e.not_a_person)?;
    if let Some(note) = &e.note {
        free_text("note", note, policy, &e.not_a_person)?;
    }
    Ok(())
}

/// Validates a referral.
///
/// # Errors
/// [`Error::Invalid`] for a note over 1000 characters or a confirmation
/// that names another field than `note`; [`Error::PersonalData`] when the
/// note holds personal data that `policy` and the confirmations do not
/// lift.
pub fn referral(r: &Referral, policy: &Policy<'_>) -> Result<()> {
    confirmations(RecordKind::Referral, &r.not_a_person)?;
    if let Some(note) = &r.note {
        free_text("note", note, policy, &r.not_a_person)?;
    }
    Ok(())
}

/// Checks the form of an area code: six ASCII digits (an SSB bydel code).
/// Whether the area exists is data, checked against the area table by the
/// caller.
///
/// # Errors
/// [`Error::Invalid`] naming `field` when `code` is not six ASCII digits.
pub fn area_code(field: &'static str, code: &str) -> Result<()> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::Invalid {
            field,
            problem: format!(
                "area code {code:?} is not six digits; use the SSB code, e.g. \"030102\""
            ),
        })
    }
}

/// Reads a field map as a record of `kind` and validates it: what the
/// server runs on every merged record.
///
/// A deleted record (tombstone) whose other fields are incomplete is
/// accepted, but any free text it still carries is screened (with the
/// confirmations it carries, when they read).
///
/// # Errors
/// [`Error::Malformed`] when the fields cannot be read as `kind`;
/// otherwise the errors of [`shift`], [`member`], [`encounter`] or
/// [`referral`].
pub fn record(kind: RecordKind, fields: &Fields, policy: &Policy<'_>) -> Result<()> {
    let checked = match kind {
        RecordKind::Shift => Shift::from_fields(fields).and_then(|s| shift(&s, policy)),
        RecordKind::ShiftMember => ShiftMember::from_fields(fields).and_then(|m| member(&m)),
        RecordKind::Encounter => Encounter::from_fields(fields).and_then(|e| encounter(&e, policy)),
        RecordKind::Referral => Referral::from_fields(fields).and_then(|r| referral(&r, policy)),
    };
    let deleted = fields.get(DELETED) == Some(&serde_json::Value::Bool(true));
    match checked {
        Err(Error::Malformed { .. }) if deleted => {
            let confirmed = not_a_person_of(fields);
            for (name, _) in FREE_TEXT_FIELDS {
                if let Some(text) = fields.get(name).and_then(serde_json::Value::as_str) {
                    free_text(name, text, policy, &confirmed)?;
                }
            }
            Ok(())
        }
        other => other,
    }
}

/// The confirmations of `list` that match a name finding in their field's
/// text (`texts`: each free-text field with its text) under `policy` now:
/// what a record keeps when it is saved. A span left from an earlier text
/// is dropped, so it can never lift a name written later in its place.
pub fn kept_confirmations(
    texts: &[(&str, Option<&str>)],
    list: &[NotAPerson],
    policy: &Policy<'_>,
) -> Vec<NotAPerson> {
    let mut kept = Vec::new();
    for &(field, text) in texts {
        let confirmed = confirmed_in(list, field);
        if confirmed.is_empty() {
            continue;
        }
        let found = find_personal_data_with(text.unwrap_or(""), policy.allowed);
        kept.extend(
            effective_confirmations(&found, policy, &confirmed)
                .into_iter()
                .map(|s| NotAPerson::new(field, s)),
        );
    }
    kept.sort();
    kept
}

/// A record's confirmations each name one of its kind's free-text fields
/// with a span that is not empty, and there are not too many of them.
fn confirmations(kind: RecordKind, list: &[NotAPerson]) -> Result<()> {
    if list.len() > MAX_CONFIRMATIONS {
        return Err(Error::Invalid {
            field: NOT_A_PERSON,
            problem: format!(
                "{} confirmations is too many; confirm at most {MAX_CONFIRMATIONS} spans",
                list.len()
            ),
        });
    }
    let fields = text_fields(kind);
    match list
        .iter()
        .find(|c| !fields.contains(&c.field.as_str()) || c.start >= c.end)
    {
        Some(c) => Err(Error::Invalid {
            field: NOT_A_PERSON,
            problem: format!(
                "confirmation of {:?} {}..{} names no span of a free-text field of a {}; \
                 confirm a name found in one of: {}",
                c.field,
                c.start,
                c.end,
                kind.as_str(),
                fields.join(", ")
            ),
        }),
        None => Ok(()),
    }
}

fn not_negative(field: &'static str, ms: UnixMs) -> Result<()> {
    if ms < 0 {
        return Err(Error::Invalid {
            field,
            problem: format!("time {ms} is before 1970; the device clock is wrong"),
        });
    }
    Ok(())
}

fn not_before(field: &'static str, ms: UnixMs, earlier: &str, earlier_ms: UnixMs) -> Result<()> {
    if ms < earlier_ms {
        return Err(Error::Invalid {
            field,
            problem: format!("time {ms} is before {earlier} {earlier_ms}; it must come after"),
        });
    }
    Ok(())
}

/// A free-text field within its limit ([`max_chars`]) and through the
/// anonymity screen under `policy`, with the spans `confirmed` for it.
fn free_text(
    field: &'static str,
    text: &str,
    policy: &Policy<'_>,
    confirmed: &[NotAPerson],
) -> Result<()> {
    let max_chars = max_chars(field).unwrap_or(usize::MAX);
    let n = text.chars().count();
    if n > max_chars {
        return Err(Error::Invalid {
            field,
            problem: format!(
                "text of {n} characters is too long; shorten it to {max_chars} at most"
            ),
        });
    }
    screen_with(field, text, policy, &confirmed_in(confirmed, field))
}

fn no_duplicates<T: Ord + Debug>(field: &'static str, values: &[T]) -> Result<()> {
    let mut seen = BTreeSet::new();
    match values.iter().find(|v| !seen.insert(*v)) {
        Some(dup) => Err(Error::Invalid {
            field,
            problem: format!("{dup:?} is given twice; give each value once"),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{EncounterId, ReferralId, ShiftId, UnitId};
    use crate::screen::FindingKind;
    use crate::vocab::*;

    fn p() -> Policy<'static> {
        Policy::default_for_unit()
    }

    fn a_shift() -> Shift {
        Shift {
            id: ShiftId::new(),
            unit_id: UnitId::new(),
            bydel: "030102".into(),
            area_note: "Olaf Ryes plass og Birkelunden".into(),
            started_ms: 1_000,
            closed_ms: Some(2_000),
            status: ShiftStatus::Closed,
            reflection: Some("god kveld, følg opp jentegruppa".into()),
            not_a_person: Vec::new(),
        }
    }

    fn an_encounter() -> Encounter {
        Encounter {
            id: EncounterId::new(),
            shift_id: ShiftId::new(),
            at_ms: 1_500,
            bydel: "030102".into(),
            place_type: PlaceType::Park,
            youth_count: 3,
            age_group: AgeGroup::From16To18,
            gender: Gender::Girl,
            contact_kind: ContactKind::Known,
            topics: vec![Topic::School, Topic::Family],
            actions: vec![Action::Conversation, Action::Referral],
            residence: Residence::ThisBydel,
            note: None,
            not_a_person: Vec::new(),
        }
    }

    fn field_of(r: Result<()>) -> &'static str {
        match r {
            Err(Error::Invalid { field, .. } | Error::PersonalData { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn accepts_good_records() {
        assert!(shift(&a_shift(), &p()).is_ok());
        assert!(encounter(&an_encounter(), &p()).is_ok());
        assert!(record(RecordKind::Shift, &a_shift().to_fields(), &p()).is_ok());
    }

    #[test]
    fn shift_rules() {
        let mut s = a_shift();
        s.closed_ms = Some(999);
        assert_eq!(field_of(shift(&s, &p())), "closed_ms");
        let mut s = a_shift();
        s.started_ms = -1;
        assert_eq!(field_of(shift(&s, &p())), "started_ms");
        let mut s = a_shift();
        s.area_note = "x".repeat(201);
        assert_eq!(field_of(shift(&s, &p())), "area_note");
        s.area_note = "ø".repeat(200);
        assert!(
            shift(&s, &p()).is_ok(),
            "200 characters (400 bytes) is allowed"
        );
        s.reflection = Some("ring henne på 98765432".into());
        assert_eq!(field_of(shift(&s, &p())), "reflection");
        let mut s = a_shift();
        s.bydel = "0301".into();
        assert_eq!(field_of(shift(&s, &p())), "bydel");
    }

    #[test]
    fn member_times_in_order() {
        let m = ShiftMember {
            id: crate::ids::MemberId::new(),
            shift_id: ShiftId::new(),
            worker_id: crate::ids::UserId::new(),
            checked_in_ms: 10,
            checked_out_ms: Some(10),
        };
        assert!(member(&m).is_ok());
        let early = ShiftMember {
            checked_out_ms: Some(9),
            ..m
        };
        assert_eq!(field_of(member(&early)), "checked_out_ms");
    }

    #[test]
    fn encounter_rules() {
        for (count, ok) in [(0, false), (1, true), (50, true), (51, false)] {
            let e = Encounter {
                youth_count: count,
                ..an_encounter()
            };
            assert_eq!(encounter(&e, &p()).is_ok(), ok, "youth_count {count}");
        }
        let mut e = an_encounter();
        e.topics.push(Topic::School);
        let err = encounter(&e, &p()).expect_err("duplicate topic");
        assert!(err.to_string().contains("School"), "{err}");
        let mut e = an_encounter();
        e.actions = vec![Action::Information, Action::Information];
        assert_eq!(field_of(encounter(&e, &p())), "actions");
        let mut e = an_encounter();
        e.note = Some("hun heter ola@eksempel.no".into());
        match encounter(&e, &p()) {
            Err(Error::PersonalData { field, finding }) => {
                assert_eq!((field, finding.kind), ("note", FindingKind::Email));
            }
            other => panic!("{other:?}"),
        }
        e.note = Some("a".repeat(1001));
        assert_eq!(field_of(encounter(&e, &p())), "note");
    }

    #[test]
    fn referral_note_screened() {
        let r = Referral {
            id: ReferralId::new(),
            encounter_id: EncounterId::new(),
            shift_id: ShiftId::new(),
            service: ReferralService::ALL[0],
            status: ReferralStatus::ALL[0],
            note: Some("+47 22 33 44 55".into()),
            not_a_person: Vec::new(),
        };
        assert_eq!(field_of(referral(&r, &p())), "note");
        let fields = r.to_fields();
        assert_eq!(
            field_of(record(RecordKind::Referral, &fields, &p())),
            "note"
        );
    }

    #[test]
    fn record_parses_and_handles_tombstones() {
        let mut fields = an_encounter().to_fields();
        fields.remove("bydel");
        assert!(matches!(
            record(RecordKind::Encounter, &fields, &p()),
            Err(Error::Malformed { .. })
        ));
        let mut tomb = Fields::new();
        tomb.insert(DELETED.into(), serde_json::Value::Bool(true));
        assert!(record(RecordKind::Encounter, &tomb, &p()).is_ok());
        tomb.insert("note".into(), "98765432".into());
        assert_eq!(field_of(record(RecordKind::Encounter, &tomb, &p())), "note");
        let e = Encounter {
            youth_count: 0,
            ..an_encounter()
        };
        let mut fields = e.to_fields();
        assert_eq!(
            field_of(record(RecordKind::Encounter, &fields, &p())),
            "youth_count"
        );
        fields.insert(DELETED.into(), serde_json::Value::Bool(true));
        assert_eq!(
            field_of(record(RecordKind::Encounter, &fields, &p())),
            "youth_count"
        );
    }
}
