//! The unit's own words and "Dette er ikke en person" end to end (issue
//! 15): a real server on a loopback port and real device stores.
//!
//! - An artist the screen takes for a person is confirmed as "not a person"
//!   on the phone, saved with its span, pushed and accepted by the server,
//!   listed for the team lead, added to the unit's words in one click
//!   (audited); after the phone's next pull the same word is no longer a
//!   name there.
//! - A name with no confirmation, in a batch that skipped the phone's
//!   screen, is refused; so is a confirmation smuggled for a phone number,
//!   and a confirmed name once the unit has turned confirmations off.

use feltlogg_core::ids::{EncounterId, ShiftId};
use feltlogg_core::record::{Fields, NOT_A_PERSON, NotAPerson, RecordKind};
use feltlogg_core::screen::{FindingKind, Span, find_personal_data};
use feltlogg_core::sync::seal_batch;
use feltlogg_core::{Error, RefusalCode};
use feltlogg_device::store::StoreError;
use feltlogg_device::sync::ClientError;
use feltlogg_server::db::{audit, records, review};
use feltlogg_server::review::screen_scan;
use feltlogg_server::unit_words::{self, ConfirmedSpan, Editor};
use feltlogg_server::{ApiError, now_ms};
use feltlogg_tests::{MINUTE, Phone, Server, Unit, new_encounter, seed_unit};

/// Notes naming an artist or a place the screen may take for a person: the first in
/// which it finds exactly one name is used, so the test holds whichever
/// recognisers find names.
const VENUE_NOTES: [&str; 4] = [
    "Snakket om konserten til Aurora",
    "Møtte gjengen utenfor Vega Scene",
    "Snakket om Selma på Tøyen",
    "snakket med Amir (14) om jobb",
];

/// A note whose one finding is a name, and that name's span.
fn venue_note() -> (&'static str, Span) {
    VENUE_NOTES
        .iter()
        .find_map(|&note| match find_personal_data(note).as_slice() {
            [f] if f.kind == FindingKind::Name => Some((note, Span::from(f))),
            _ => None,
        })
        .expect("the screen finds one name in one of the venue notes")
}

fn word_of(text: &str, span: Span) -> String {
    text.chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect()
}

/// The unit's team lead, as the dashboard names them to `unit_words`.
fn lead<'a>(unit: &Unit, units: &'a [feltlogg_core::ids::UnitId]) -> Editor<'a> {
    Editor {
        user: Some(unit.lead),
        username: "leder",
        units: Some(units),
    }
}

/// Logs a clean encounter on `phone` and sends it in a batch this test
/// seals itself with the phone's real keys, the encounter's fields
/// overwritten by `fields` after the store screened it: what a phone that
/// skipped the screen sends. Returns the encounter and how many changes
/// the server refused.
async fn push_tampered(
    phone: &Phone,
    shift: ShiftId,
    at: i64,
    fields: Fields,
) -> (EncounterId, u32) {
    let encounter = phone.encounter(shift, at);
    let creds = phone.client.credentials();
    let signer = creds.signer().expect("signer");
    let cut = phone.store().cut_batch(1000, |batch| {
        let mut batch = batch.clone();
        let change = batch
            .changes
            .iter_mut()
            .find(|c| c.id == encounter.uuid())
            .expect("the encounter is in the batch");
        change.fields.extend(fields);
        seal_batch(&batch, creds.key_id, &creds.device_key, &signer).map_err(ClientError::from)
    });
    assert!(cut.expect("sealed").is_some(), "a batch was cut");
    let report = phone.client.sync_once(&phone.store).await.expect("sync");
    (encounter, report.push.refused)
}

fn note_with(note: &str, confirmed: &[NotAPerson]) -> Fields {
    let mut f = Fields::new();
    f.insert("note".into(), note.into());
    f.insert(
        NOT_A_PERSON.into(),
        serde_json::to_value(confirmed).expect("json"),
    );
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_venue_is_accepted_listed_added_to_the_units_words_and_no_longer_a_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Grønland");
    let phone = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = phone.start_shift(&unit, t0);
    let (note, span) = venue_note();
    let word = word_of(note, span);

    // On the phone: refused as it stands, saved with the span confirmed.
    let mut e = new_encounter(shift, t0 + 10 * MINUTE);
    e.note = Some(note.into());
    let refused = phone
        .store()
        .add_encounter(e.clone(), e.at_ms)
        .expect_err("a name");
    assert!(
        matches!(refused, StoreError::Rule(Error::PersonalData { .. })),
        "{refused}"
    );
    e.not_a_person = vec![NotAPerson::new("note", span)];
    let id = phone
        .store()
        .add_encounter(e.clone(), e.at_ms)
        .expect("confirmed, saved");

    // Pushed and accepted with exactly that span.
    let report = phone.client.sync_once(&phone.store).await.expect("sync");
    // The shift, its two members and the encounter.
    assert_eq!(
        (report.push.refused, report.push.applied),
        (0, 4),
        "{report:?}"
    );
    let on_server = server
        .state
        .db
        .with(|c| records::load(c, RecordKind::Encounter, id.uuid()).map_err(ApiError::from))
        .expect("read")
        .expect("merged");
    assert_eq!(
        on_server.state.values().get(NOT_A_PERSON),
        Some(&serde_json::json!([{"field": "note", "start": span.start, "end": span.end}]))
    );

    // Listed for the lead as confirmed; one click puts the word on the unit's list.
    let units = [unit.id];
    let confirmed = server
        .state
        .db
        .with(|c| screen_scan::scan(c, Some(&units)))
        .map(screen_scan::confirmed_only)
        .expect("scan");
    assert_eq!(confirmed.len(), 1, "{confirmed:?}");
    assert_eq!(
        (confirmed[0].stored.id, confirmed[0].confirmed.as_slice()),
        (id.uuid(), &[span][..])
    );
    let at = ConfirmedSpan {
        kind: RecordKind::Encounter,
        id: id.uuid(),
        field: "note",
        span,
    };
    let (added_to, added) = server
        .state
        .db
        .write_blocking(|c| unit_words::add_confirmed(c, &at, &lead(&unit, &units), now_ms()))
        .expect("add the word");
    assert_eq!((added_to, added.as_str()), (unit.id, word.as_str()));
    let audited = server
        .state
        .db
        .with(|c| Ok::<_, ApiError>(audit::count_action(c, "word_add")?))
        .expect("audit");
    assert_eq!(audited, 1);
    let after = server
        .state
        .db
        .with(|c| screen_scan::scan(c, Some(&units)))
        .expect("scan");
    assert!(
        after.iter().all(|f| f.stored.id != id.uuid()),
        "no longer flagged on the server: {after:?}"
    );

    // The phone still takes the word for a name until its next pull …
    let mut again = new_encounter(shift, t0 + 20 * MINUTE);
    again.note = Some(note.into());
    let before_pull = phone.store().add_encounter(again.clone(), again.at_ms);
    assert!(
        before_pull.is_err(),
        "the phone has not pulled the word yet"
    );
    // … and not after it.
    phone.client.sync_once(&phone.store).await.expect("sync");
    assert!(
        phone
            .store()
            .unit_words()
            .expect("words")
            .words
            .contains(&word)
    );
    phone
        .store()
        .add_encounter(again, t0 + 20 * MINUTE)
        .expect("the unit's word is no name on the phone");
    let report = phone.client.sync_once(&phone.store).await.expect("sync");
    assert_eq!(report.push.refused, 0, "the server agrees: {report:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unconfirmed_name_a_smuggled_confirmation_and_a_confirmation_with_the_setting_off_are_refused()
 {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Kampen");
    let phone = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = phone.start_shift(&unit, t0);
    phone.client.sync_once(&phone.store).await.expect("sync");
    let (note, span) = venue_note();

    // A name with no confirmation, from a phone that skipped its screen.
    let (plain, n) = push_tampered(&phone, shift, t0 + 10 * MINUTE, note_with(note, &[])).await;
    assert_eq!(n, 1, "an unconfirmed name is refused");
    // A confirmation smuggled for a phone number.
    let phone_note = "ring meg på 912 34 567";
    let number = find_personal_data(phone_note);
    assert_eq!(number.first().map(|f| f.kind), Some(FindingKind::Phone));
    let smuggled = [NotAPerson::new("note", Span::from(&number[0]))];
    let (smuggled_id, n) = push_tampered(
        &phone,
        shift,
        t0 + 20 * MINUTE,
        note_with(phone_note, &smuggled),
    )
    .await;
    assert_eq!(n, 1, "a confirmation lifts no phone number");
    // A confirmation of a near span (one character short).
    let near = [NotAPerson::new(
        "note",
        Span {
            start: span.start,
            end: span.end - 1,
        },
    )];
    let (_, n) = push_tampered(&phone, shift, t0 + 30 * MINUTE, note_with(note, &near)).await;
    assert_eq!(n, 1, "only the exact span is lifted");

    // The unit turns confirmations off: the exact span lifts nothing either
    // (the phone has not pulled the setting yet, so its own store saves it).
    let units = [unit.id];
    server
        .state
        .db
        .write_blocking(|c| {
            unit_words::set_confirmations(c, unit.id, false, &lead(&unit, &units), now_ms())
        })
        .expect("setting off");
    let mut e = new_encounter(shift, t0 + 40 * MINUTE);
    e.note = Some(note.into());
    e.not_a_person = vec![NotAPerson::new("note", span)];
    let off = phone
        .store()
        .add_encounter(e, t0 + 40 * MINUTE)
        .expect("the phone's setting is still on");
    let report = phone.client.sync_once(&phone.store).await.expect("sync");
    assert_eq!(
        report.push.refused, 1,
        "the server's setting is off: {report:?}"
    );
    // After that pull the phone knows: its own store refuses the same save.
    let mut e = new_encounter(shift, t0 + 50 * MINUTE);
    e.note = Some(note.into());
    e.not_a_person = vec![NotAPerson::new("note", span)];
    assert!(
        phone.store().add_encounter(e, t0 + 50 * MINUTE).is_err(),
        "the phone pulled the setting"
    );

    // Every refusal is kept with the screen's code, the records not merged.
    let rows = server
        .state
        .db
        .with(|c| Ok::<_, ApiError>(review::refusals(c, Some(&units), None, 10)?))
        .expect("refusals");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| RefusalCode::from_wire(&r.code) == RefusalCode::PersonalData),
        "{rows:?}"
    );
    let smuggled_row = rows
        .iter()
        .find(|r| r.record_id == smuggled_id.to_string())
        .expect("kept");
    assert!(
        smuggled_row.reason.contains("phone"),
        "{}",
        smuggled_row.reason
    );
    for refused in [plain, smuggled_id, off] {
        let stored = server
            .state
            .db
            .with(|c| {
                records::load(c, RecordKind::Encounter, refused.uuid()).map_err(ApiError::from)
            })
            .expect("read");
        assert!(stored.is_none(), "a refused encounter is not merged");
    }
    server.stop().await;
}
