//! Same verdict on the phone and on the server (issue 15): the phone's
//! store validates a typed record (`validate::encounter`), the server the
//! field map it merged (`validate::record`). Random text, corpus text and
//! the fresh sets' notes, with and without a confirmation of each name
//! finding and with the unit's words, go through both and must be judged
//! alike, down to the finding reported. All data synthetic.

mod screen_corpus;

use feltlogg_core::ids::{EncounterId, ShiftId};
use feltlogg_core::record::{Encounter, NotAPerson, Record, RecordKind};
use feltlogg_core::screen::{FindingKind, Span, find_personal_data_with};
use feltlogg_core::validate;
use feltlogg_core::words::{UnitPolicy, UnitWords};
use feltlogg_core::{Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Topic};
use proptest::prelude::*;

fn encounter(note: &str, confirmed: Vec<NotAPerson>) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: ShiftId::new(),
        at_ms: 1_780_000_000_000,
        bydel: "030102".into(),
        place_type: PlaceType::Park,
        youth_count: 2,
        age_group: AgeGroup::From16To18,
        gender: Gender::Girl,
        contact_kind: ContactKind::New,
        topics: vec![Topic::School],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: Some(note.to_owned()),
        not_a_person: confirmed,
    }
}

/// Both call paths on one note: the verdicts (as their messages) agree.
fn same_verdict(note: &str, policy: &UnitPolicy) {
    let p = policy.policy();
    let names: Vec<NotAPerson> = find_personal_data_with(note, p.allowed)
        .iter()
        .filter(|f| f.kind == FindingKind::Name)
        .map(|f| NotAPerson::new("note", Span::from(f)))
        .collect();
    for confirmed in [vec![], names] {
        let e = encounter(note, confirmed);
        let phone = validate::encounter(&e, &p).map_err(|e| e.to_string());
        let server =
            validate::record(RecordKind::Encounter, &e.to_fields(), &p).map_err(|e| e.to_string());
        assert_eq!(phone, server, "note {note:?}");
    }
}

fn policies() -> [UnitPolicy; 2] {
    [
        UnitPolicy::new(&UnitWords::default()),
        UnitPolicy::new(&UnitWords {
            words: vec!["Aurora".into(), "Blå Kors".into(), "Kiwi".into()],
            confirmations: false,
        }),
    ]
}

#[test]
fn corpus_and_fresh_notes_get_one_verdict() {
    let mut notes: Vec<String> = screen_corpus::corpus(3, 20)
        .into_iter()
        .map(|s| s.text)
        .collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screen_fresh");
    for file in [
        "identifying_round3.txt",
        "harmless_round3.txt",
        "identifying_round4.txt",
        "harmless_round4.txt",
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).expect("fresh set");
        notes.extend(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(|l| l.rsplit('\t').next().unwrap_or(l).to_owned()),
        );
    }
    for policy in &policies() {
        for note in &notes {
            same_verdict(note, policy);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_text_gets_one_verdict(
        words in prop::collection::vec(
            prop::sample::select(vec![
                "møtte", "Amir", "(15)", "sa", "at", "på", "Tøyen", "912", "34", "567",
                "ola@eksempel.no", "snap", "kari_07", "bor", "i", "Tvetenveien", "12",
                "Aurora", "Blå", "Kors", "født", "12.03.2009", "EL", "48213", "kiwi", ",", ".",
            ]),
            0..24,
        ),
        noise in "[a-zA-ZæøåÆØÅ0-9 .,@()\u{a0}-]{0,40}",
    ) {
        let note = format!("{} {noise}", words.join(" "));
        for policy in &policies() {
            same_verdict(&note, policy);
        }
    }
}
