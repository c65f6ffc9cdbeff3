//! "Dette er ikke en person" and the unit's words in the phone's store
//! (issue 15): a note whose only blocking findings are confirmed name
//! spans is saved, with the spans in its change; a confirmation for a
//! phone number, or with the unit's setting off, saves nothing; a word on
//! the unit's list is never a name here, and survives a reopen. All data
//! synthetic; spans come from the screen itself.

mod common;

use common::{BYDEL, Fixture, T0, encounter, fixture, last_change, rule};
use feltlogg_core::Error;
use feltlogg_core::ReferralService;
use feltlogg_core::record::{NOT_A_PERSON, NotAPerson};
use feltlogg_core::screen::{FindingKind, Span, find_personal_data};
use feltlogg_core::words::UnitWords;

/// A note whose one finding is a name.
const NOTE: &str = "snakket med Amir (14) om jobb";

fn name_span(text: &str) -> Span {
    let found = find_personal_data(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, FindingKind::Name);
    Span::from(&found[0])
}

fn refused_kind(e: feltlogg_device::store::StoreError) -> FindingKind {
    match rule(e) {
        Error::PersonalData { finding, .. } => finding.kind,
        other => panic!("expected a screen refusal, got {other}"),
    }
}

#[test]
fn a_confirmed_name_is_saved_with_its_span_in_the_change() {
    let mut f = fixture();
    let shift = f.start_ab();
    let span = name_span(NOTE);
    let plain = encounter(shift, T0 + 100, Some(NOTE));
    let before = f.pending();
    let e = f
        .store
        .add_encounter(plain.clone(), T0 + 100)
        .expect_err("a name");
    assert_eq!(refused_kind(e), FindingKind::Name);
    assert_eq!(f.pending(), before, "nothing written");
    let confirmed = feltlogg_core::record::Encounter {
        not_a_person: vec![NotAPerson::new("note", span)],
        ..plain
    };
    let id = f.store.add_encounter(confirmed, T0 + 100).expect("saved");
    let stored = f.store.encounter(id).expect("get").expect("there");
    assert_eq!(stored.not_a_person, vec![NotAPerson::new("note", span)]);
    let change = last_change(&f.store);
    assert_eq!(
        change.fields.get(NOT_A_PERSON),
        Some(&serde_json::json!([{"field": "note", "start": span.start, "end": span.end}]))
    );
    // The referral and the shift's texts take their spans the same way.
    f.store
        .add_referral_confirmed(id, ReferralService::ALL[0], Some(NOTE), &[span], T0 + 200)
        .expect("referral saved");
    f.store
        .close_shift_confirmed(shift, Some(NOTE), &[span], T0 + 300)
        .expect("reflection saved");
    let s = f.store.shift(shift).expect("get").expect("there");
    assert_eq!(s.not_a_person, vec![NotAPerson::new("reflection", span)]);
}

#[test]
fn a_confirmation_for_a_phone_number_or_a_near_span_saves_nothing() {
    let mut f = fixture();
    let shift = f.start_ab();
    let text = "ring ham på 912 34 567";
    let found = find_personal_data(text);
    assert_eq!(found.first().map(|x| x.kind), Some(FindingKind::Phone));
    let smuggled = feltlogg_core::record::Encounter {
        not_a_person: vec![NotAPerson::new("note", Span::from(&found[0]))],
        ..encounter(shift, T0 + 100, Some(text))
    };
    let before = f.pending();
    let e = f
        .store
        .add_encounter(smuggled, T0 + 100)
        .expect_err("a phone number");
    assert_eq!(refused_kind(e), FindingKind::Phone);
    let span = name_span(NOTE);
    let near = feltlogg_core::record::Encounter {
        not_a_person: vec![NotAPerson::new(
            "note",
            Span {
                start: span.start + 1,
                end: span.end,
            },
        )],
        ..encounter(shift, T0 + 100, Some(NOTE))
    };
    let e = f
        .store
        .add_encounter(near, T0 + 100)
        .expect_err("not the exact span");
    assert_eq!(refused_kind(e), FindingKind::Name);
    assert_eq!(f.pending(), before, "nothing written");
}

#[test]
fn with_the_units_setting_off_a_confirmation_lifts_nothing() {
    let mut f = fixture();
    let shift = f.start_ab();
    let off = UnitWords {
        words: vec![],
        confirmations: false,
    };
    f.store.replace_unit_words(&off).expect("words");
    let span = name_span(NOTE);
    let confirmed = feltlogg_core::record::Encounter {
        not_a_person: vec![NotAPerson::new("note", span)],
        ..encounter(shift, T0 + 100, Some(NOTE))
    };
    let before = f.pending();
    let e = f
        .store
        .add_encounter(confirmed.clone(), T0 + 100)
        .expect_err("setting off");
    assert_eq!(refused_kind(e), FindingKind::Name);
    let e = f
        .store
        .start_shift_confirmed(
            BYDEL,
            NOTE,
            &[span],
            &[(f.a, common::PIN_A), (f.c, common::PIN_C)],
            T0,
        )
        .expect_err("setting off, area note");
    assert!(matches!(
        rule(e),
        Error::PersonalData {
            field: "area_note",
            ..
        }
    ));
    assert_eq!(f.pending(), before, "nothing written");
    // Back on (the next pull): the same save goes through.
    f.store
        .replace_unit_words(&UnitWords::default())
        .expect("words");
    f.store.add_encounter(confirmed, T0 + 100).expect("saved");
}

#[test]
fn a_unit_word_is_never_a_name_here_and_survives_a_reopen() {
    let mut f = fixture();
    let shift = f.start_ab();
    let span = name_span(NOTE);
    let word: String = NOTE
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect();
    let words = UnitWords {
        words: vec![word],
        confirmations: true,
    };
    f.store.replace_unit_words(&words).expect("words");
    let Fixture { path, store, .. } = f;
    drop(store);
    let mut store = feltlogg_device::vault::open_file(&path).expect("reopen");
    assert_eq!(store.unit_words().expect("words"), words);
    store
        .add_encounter(encounter(shift, T0 + 100, Some(NOTE)), T0 + 100)
        .expect("the unit's word is no name");
    // A referral note with a phone number stays refused whatever the list says.
    let e = store
        .add_referral(
            store.list_encounters(shift).expect("list")[0].id,
            ReferralService::ALL[0],
            Some("ring 912 34 567"),
            T0 + 200,
        )
        .expect_err("a phone number");
    assert_eq!(refused_kind(e), FindingKind::Phone);
}
