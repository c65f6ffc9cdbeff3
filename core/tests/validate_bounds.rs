//! The edges of `validate`'s rules, each on both sides: time zero, an
//! area code of six characters that are not all digits, each free-text
//! field's own length limit, the most confirmations a record carries, an
//! empty confirmed span, and which confirmations a save keeps. `cargo
//! mutants` showed these limits could move by one, or a field take
//! another's limit, with every earlier test still passing (issue 19).
//! All data synthetic.

use feltlogg_core::Error;
use feltlogg_core::ids::{EncounterId, MemberId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{
    Encounter, NOT_A_PERSON, NotAPerson, Record, RecordKind, Shift, ShiftMember,
};
use feltlogg_core::screen::{FindingKind, Policy, Span, find_personal_data};
use feltlogg_core::validate::{self, MAX_CONFIRMATIONS};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, ShiftStatus, Topic,
};

fn p() -> Policy<'static> {
    Policy::default_for_unit()
}

fn a_shift() -> Shift {
    Shift {
        id: ShiftId::new(),
        unit_id: UnitId::new(),
        bydel: "030102".into(),
        area_note: "Birkelunden".into(),
        started_ms: 1_000,
        closed_ms: Some(2_000),
        status: ShiftStatus::Closed,
        reflection: None,
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
        youth_count: 2,
        age_group: AgeGroup::From16To18,
        gender: Gender::Boy,
        contact_kind: ContactKind::Known,
        topics: vec![Topic::School],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: None,
        not_a_person: Vec::new(),
    }
}

/// The field an `Invalid` error names; panics on anything else.
fn invalid_field(r: feltlogg_core::Result<()>) -> &'static str {
    match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

/// Text of `n` characters with nothing the screen finds.
fn plain(n: usize) -> String {
    "kveld ".chars().cycle().take(n).collect()
}

#[test]
fn time_zero_is_not_before_1970_but_one_ms_earlier_is() {
    let s = Shift {
        started_ms: 0,
        closed_ms: Some(0),
        ..a_shift()
    };
    assert!(validate::shift(&s, &p()).is_ok());
    let e = Encounter {
        at_ms: 0,
        ..an_encounter()
    };
    assert!(validate::encounter(&e, &p()).is_ok());
    let e = Encounter {
        at_ms: -1,
        ..an_encounter()
    };
    assert_eq!(invalid_field(validate::encounter(&e, &p())), "at_ms");
    let m = ShiftMember {
        id: MemberId::new(),
        shift_id: ShiftId::new(),
        worker_id: UserId::new(),
        checked_in_ms: 0,
        checked_out_ms: None,
    };
    assert!(validate::member(&m).is_ok());
    let early = ShiftMember {
        checked_in_ms: -1,
        ..m
    };
    assert_eq!(invalid_field(validate::member(&early)), "checked_in_ms");
}

#[test]
fn an_area_code_is_six_ascii_digits_and_nothing_else() {
    assert!(validate::area_code("bydel", "030102").is_ok());
    for bad in ["03010a", "abcdef", "0301020", "03010", "030１02", ""] {
        assert_eq!(
            invalid_field(validate::area_code("bydel", bad)),
            "bydel",
            "{bad:?}"
        );
    }
}

#[test]
fn each_free_text_field_has_its_own_limit() {
    assert_eq!(validate::max_chars("area_note"), Some(200));
    assert_eq!(validate::max_chars("reflection"), Some(1000));
    assert_eq!(validate::max_chars("note"), Some(1000));
    assert_eq!(validate::max_chars("bydel"), None);
    // A note and a reflection hold 1000 characters, five times an area note.
    let e = Encounter {
        note: Some(plain(1000)),
        ..an_encounter()
    };
    assert!(validate::encounter(&e, &p()).is_ok());
    let s = Shift {
        reflection: Some(plain(1000)),
        ..a_shift()
    };
    assert!(validate::shift(&s, &p()).is_ok());
    let s = Shift {
        reflection: Some(plain(1001)),
        ..a_shift()
    };
    assert_eq!(invalid_field(validate::shift(&s, &p())), "reflection");
}

#[test]
fn the_free_text_fields_of_each_kind() {
    assert_eq!(
        validate::text_fields(RecordKind::Shift),
        ["area_note", "reflection"]
    );
    assert_eq!(validate::text_fields(RecordKind::Encounter), ["note"]);
    assert_eq!(validate::text_fields(RecordKind::Referral), ["note"]);
    assert!(validate::text_fields(RecordKind::ShiftMember).is_empty());
}

fn confirmed(n: usize) -> Vec<NotAPerson> {
    (0..n)
        .map(|i| {
            NotAPerson::new(
                "note",
                Span {
                    start: i,
                    end: i + 1,
                },
            )
        })
        .collect()
}

#[test]
fn a_record_carries_at_most_fifty_confirmations() {
    let e = Encounter {
        not_a_person: confirmed(MAX_CONFIRMATIONS),
        ..an_encounter()
    };
    assert!(validate::encounter(&e, &p()).is_ok());
    let e = Encounter {
        not_a_person: confirmed(MAX_CONFIRMATIONS + 1),
        ..an_encounter()
    };
    assert_eq!(invalid_field(validate::encounter(&e, &p())), NOT_A_PERSON);
}

#[test]
fn a_confirmation_needs_a_span_of_a_field_of_its_kind() {
    let with = |c: NotAPerson| Encounter {
        not_a_person: vec![c],
        ..an_encounter()
    };
    let good = NotAPerson::new("note", Span { start: 2, end: 5 });
    assert!(validate::encounter(&with(good), &p()).is_ok());
    let empty = NotAPerson::new("note", Span { start: 3, end: 3 });
    assert_eq!(
        invalid_field(validate::encounter(&with(empty), &p())),
        NOT_A_PERSON
    );
    let backwards = NotAPerson::new("note", Span { start: 5, end: 2 });
    assert_eq!(
        invalid_field(validate::encounter(&with(backwards), &p())),
        NOT_A_PERSON
    );
    let other_field = NotAPerson::new("reflection", Span { start: 2, end: 5 });
    assert_eq!(
        invalid_field(validate::encounter(&with(other_field), &p())),
        NOT_A_PERSON
    );
    // A shift's reflection is its field, as is its area note.
    let s = Shift {
        not_a_person: vec![NotAPerson::new("reflection", Span { start: 0, end: 1 })],
        ..a_shift()
    };
    assert!(validate::shift(&s, &p()).is_ok());
}

#[test]
fn a_save_keeps_only_confirmations_that_match_a_name_now() {
    let note = "snakket med Amir (14) om jobb";
    let found = find_personal_data(note);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, FindingKind::Name);
    let name = NotAPerson::new("note", Span::from(&found[0]));
    let stale = NotAPerson::new("note", Span { start: 0, end: 7 });
    let elsewhere = NotAPerson::new("area_note", name.span());
    let list = vec![stale, elsewhere, name.clone()];
    let texts = [("note", Some(note)), ("area_note", Some("Birkelunden"))];
    assert_eq!(
        validate::kept_confirmations(&texts, &list, &p()),
        vec![name.clone()]
    );
    // A field whose text is gone keeps none; with confirmations off, none.
    assert!(validate::kept_confirmations(&[("note", None)], &list, &p()).is_empty());
    let off = Policy {
        confirmations: false,
        ..p()
    };
    assert!(validate::kept_confirmations(&texts, &list, &off).is_empty());
    // The kept name lifts the finding; with nothing kept the note is refused.
    let e = Encounter {
        note: Some(note.into()),
        not_a_person: vec![name],
        ..an_encounter()
    };
    assert!(validate::encounter(&e, &p()).is_ok());
    assert!(matches!(
        validate::record(
            RecordKind::Encounter,
            &Encounter {
                not_a_person: vec![],
                ..e
            }
            .to_fields(),
            &p()
        ),
        Err(Error::PersonalData { field: "note", .. })
    ));
}
