//! "Dette er ikke en person" and the unit's own words through
//! `validate` (issue 15): a record saves when its only blocking findings
//! are name spans it confirms, and only then; a confirmation of any other
//! kind, of a near span, of another field, or with the unit's setting off
//! lifts nothing; a unit word is never a name in that unit. All data
//! synthetic. Spans are taken from the screen itself, so these hold
//! whichever recognisers find the name.

use feltlogg_core::Error;
use feltlogg_core::ids::{EncounterId, ShiftId, UnitId};
use feltlogg_core::record::{
    Encounter, NOT_A_PERSON, NotAPerson, Record, RecordKind, Shift, changed_fields,
};
use feltlogg_core::screen::{FindingKind, Span, find_personal_data};
use feltlogg_core::validate;
use feltlogg_core::words::{UnitPolicy, UnitWords};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, ShiftStatus, Topic,
};

/// A note whose only finding is one name, and that name's span.
const NOTE: &str = "snakket med Amir (14) om jobb";

fn name_span(text: &str) -> Span {
    let found = find_personal_data(text);
    assert_eq!(found.len(), 1, "one finding in {text:?}: {found:?}");
    assert_eq!(found[0].kind, FindingKind::Name, "{found:?}");
    Span::from(&found[0])
}

fn encounter(note: &str, confirmed: Vec<NotAPerson>) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: ShiftId::new(),
        at_ms: 1_780_000_000_000,
        bydel: "030102".into(),
        place_type: PlaceType::Park,
        youth_count: 2,
        age_group: AgeGroup::From16To18,
        gender: Gender::Boy,
        contact_kind: ContactKind::Known,
        topics: vec![Topic::School],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: Some(note.to_owned()),
        not_a_person: confirmed,
    }
}

fn on() -> UnitPolicy {
    UnitPolicy::new(&UnitWords::default())
}

fn kind_refused(r: feltlogg_core::Result<()>) -> Option<FindingKind> {
    match r {
        Err(Error::PersonalData { finding, .. }) => Some(finding.kind),
        Ok(()) => None,
        Err(e) => panic!("expected a screen verdict, got {e}"),
    }
}

#[test]
fn a_confirmed_name_span_saves_and_nothing_else_does() {
    let span = name_span(NOTE);
    let policy = on();
    let p = policy.policy();
    assert_eq!(
        kind_refused(validate::encounter(&encounter(NOTE, vec![]), &p)),
        Some(FindingKind::Name)
    );
    let exact = vec![NotAPerson::new("note", span)];
    assert_eq!(
        kind_refused(validate::encounter(&encounter(NOTE, exact.clone()), &p)),
        None
    );
    let near = vec![NotAPerson::new(
        "note",
        Span {
            start: span.start,
            end: span.end - 1,
        },
    )];
    assert_eq!(
        kind_refused(validate::encounter(&encounter(NOTE, near), &p)),
        Some(FindingKind::Name)
    );
    let off = UnitPolicy::new(&UnitWords {
        words: vec![],
        confirmations: false,
    });
    assert_eq!(
        kind_refused(validate::encounter(
            &encounter(NOTE, exact.clone()),
            &off.policy()
        )),
        Some(FindingKind::Name),
        "the unit's setting off: confirmations lift nothing"
    );
    // The field map the server validates gives the same verdicts.
    let fields = encounter(NOTE, exact).to_fields();
    assert!(validate::record(RecordKind::Encounter, &fields, &p).is_ok());
    assert!(validate::record(RecordKind::Encounter, &fields, &off.policy()).is_err());
}

#[test]
fn a_confirmation_smuggled_for_a_phone_number_is_refused() {
    let text = "ring ham på 912 34 567";
    let found = find_personal_data(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, FindingKind::Phone);
    let smuggled = vec![NotAPerson::new("note", Span::from(&found[0]))];
    let policy = on();
    assert_eq!(
        kind_refused(validate::encounter(
            &encounter(text, smuggled),
            &policy.policy()
        )),
        Some(FindingKind::Phone)
    );
    // A name confirmed beside an unconfirmed phone number: the phone still blocks.
    let both = format!("{NOTE}, ring 912 34 567");
    let span = Span::from(
        find_personal_data(&both)
            .iter()
            .find(|f| f.kind == FindingKind::Name)
            .expect("the name"),
    );
    let e = encounter(&both, vec![NotAPerson::new("note", span)]);
    assert_eq!(
        kind_refused(validate::encounter(&e, &policy.policy())),
        Some(FindingKind::Phone)
    );
}

#[test]
fn a_confirmation_names_a_free_text_field_of_its_kind() {
    let span = name_span(NOTE);
    let policy = on();
    let wrong_field = encounter(NOTE, vec![NotAPerson::new("area_note", span)]);
    match validate::encounter(&wrong_field, &policy.policy()) {
        Err(Error::Invalid { field, problem }) => {
            assert_eq!(field, NOT_A_PERSON);
            assert!(problem.contains("area_note"), "{problem}");
        }
        other => panic!("{other:?}"),
    }
    let empty = encounter(
        NOTE,
        vec![NotAPerson::new("note", Span { start: 3, end: 3 })],
    );
    assert!(matches!(
        validate::encounter(&empty, &policy.policy()),
        Err(Error::Invalid { .. })
    ));
    let many = encounter(
        NOTE,
        vec![NotAPerson::new("note", span); validate::MAX_CONFIRMATIONS + 1],
    );
    assert!(matches!(
        validate::encounter(&many, &policy.policy()),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn a_shift_confirms_per_field() {
    let span = name_span(NOTE);
    let shift = Shift {
        id: ShiftId::new(),
        unit_id: UnitId::new(),
        bydel: "030102".into(),
        area_note: "Olaf Ryes plass".into(),
        started_ms: 1_000,
        closed_ms: Some(2_000),
        status: ShiftStatus::Closed,
        reflection: Some(NOTE.into()),
        not_a_person: vec![NotAPerson::new("area_note", span)],
    };
    let policy = on();
    assert!(
        validate::shift(&shift, &policy.policy()).is_err(),
        "confirmed in the wrong field"
    );
    let fixed = Shift {
        not_a_person: vec![NotAPerson::new("reflection", span)],
        ..shift
    };
    assert!(validate::shift(&fixed, &policy.policy()).is_ok());
}

#[test]
fn a_unit_word_is_never_a_name_there_and_lifts_nothing_else() {
    let span = name_span(NOTE);
    let word: String = NOTE
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect();
    let policy = UnitPolicy::new(&UnitWords {
        words: vec![word],
        confirmations: false,
    });
    assert!(validate::encounter(&encounter(NOTE, vec![]), &policy.policy()).is_ok());
    let phone = UnitPolicy::new(&UnitWords {
        words: vec!["912 34 567".into()],
        confirmations: true,
    });
    assert_eq!(
        kind_refused(validate::encounter(
            &encounter("ring 912 34 567", vec![]),
            &phone.policy()
        )),
        Some(FindingKind::Phone)
    );
}

#[test]
fn a_change_to_a_text_carries_its_confirmations() {
    let span = name_span(NOTE);
    let old = encounter("tre gutter i parken", vec![]);
    let new = Encounter {
        note: Some(NOTE.into()),
        not_a_person: vec![NotAPerson::new("note", span)],
        ..old.clone()
    };
    let diff = changed_fields(Some(&old.to_fields()), &new.to_fields());
    assert!(
        diff.contains_key("note") && diff.contains_key(NOT_A_PERSON),
        "{diff:?}"
    );
    // A later edit of the note that keeps the same (empty) confirmations
    // still writes them, so the note and its spans share one stamp.
    let plain = Encounter {
        note: Some("to jenter".into()),
        ..old.clone()
    };
    let diff = changed_fields(Some(&old.to_fields()), &plain.to_fields());
    assert_eq!(diff.get(NOT_A_PERSON), Some(&serde_json::json!([])));
    // An edit that leaves every text alone does not.
    let count = Encounter {
        youth_count: 3,
        ..old.clone()
    };
    let diff = changed_fields(Some(&old.to_fields()), &count.to_fields());
    assert!(!diff.contains_key(NOT_A_PERSON), "{diff:?}");
    // A record stored before confirmations existed still reads.
    let mut fields = old.to_fields();
    fields.remove(NOT_A_PERSON);
    assert_eq!(
        Encounter::from_fields(&fields).expect("reads").not_a_person,
        vec![]
    );
}
