//! The anonymity screen end to end (issue #9): a real server on a loopback
//! port and real device stores.
//!
//! - A phone that skipped the screen (its batch sealed by this test with
//!   core's real crypto, a note with a name in it) is refused by the
//!   server's merge; the refusal is kept with its reason and code, reaches
//!   the phone's refused list, and is listed for the team lead.
//! - A note stored before the screen caught names (a "legacy" note,
//!   written on the server as the merge once accepted it) is found by the
//!   old-data scan; the lead's redaction goes out as a server change, and
//!   both phones' stores hold the placeholder text after their next pull,
//!   on an approved shift.

use feltlogg_core::ShiftStatus;
use feltlogg_core::change::Change;
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId};
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_core::screen::{find_personal_data, redact};
use feltlogg_core::sync::seal_batch;
use feltlogg_device::sync::ClientError;
use feltlogg_server::db::{audit, records, review};
use feltlogg_server::demo::legacy::store_as_accepted;
use feltlogg_server::review::screen_scan::{self, Redactor};
use feltlogg_server::{ApiError, now_ms};
use feltlogg_tests::{MINUTE, Phone, Server, close_and_approve, count, seed_unit};

/// A synthetic full name and age, as a worker might type it.
const NAME_NOTE: &str = "Jonas Berggren (15) sa at han vil slutte på skolen.";

/// A wire code (a string, or an enum that serialises as one) as text.
macro_rules! code_text {
    ($code:expr) => {
        serde_json::to_value(&$code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
}

/// Logs an encounter on `phone` and sends it in a batch this test seals
/// itself with the phone's real keys, its note replaced by `note` after
/// the store screened it: what a phone that skipped the screen sends.
async fn push_unscreened(phone: &Phone, shift: ShiftId, at: i64, note: &str) -> EncounterId {
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
        change.fields.insert("note".into(), note.into());
        seal_batch(&batch, creds.key_id, &creds.device_key, &signer).map_err(ClientError::from)
    });
    assert!(cut.expect("sealed").is_some(), "a batch was cut");
    let report = phone.client.sync_once(&phone.store).await.expect("sync");
    assert_eq!(report.push.refused, 1, "the server refuses the note");
    encounter
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_with_a_name_from_a_phone_that_skipped_the_screen_is_refused_kept_and_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Tøyen");
    let phone = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = phone.start_shift(&unit, t0);
    phone.client.sync_once(&phone.store).await.expect("sync");

    let refused = push_unscreened(&phone, shift, t0 + 10 * MINUTE, NAME_NOTE).await;

    // Kept on the server with its reason and code, the record not stored.
    assert_eq!(count(&db, "refusals"), 1);
    let on_server = server
        .state
        .db
        .with(|c| records::load(c, RecordKind::Encounter, refused.uuid()).map_err(ApiError::from))
        .expect("read");
    assert!(on_server.is_none(), "a refused encounter is not merged");
    // Listed for the team lead (the dashboard's refusals query).
    let rows = server
        .state
        .db
        .with(|c| Ok::<_, ApiError>(review::refusals(c, Some(&[unit.id]), None, 10)?))
        .expect("refusals");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].record_id, refused.to_string());
    assert_eq!(code_text!(rows[0].code), "personal_data");
    assert!(rows[0].reason.contains("name"), "{}", rows[0].reason);
    assert!(!rows[0].reason.contains("Berggren"), "{}", rows[0].reason);
    // Shown on the phone, from the ack.
    let on_phone = phone.store().refusals().expect("phone refusals");
    assert_eq!(on_phone.len(), 1);
    assert_eq!(on_phone[0].change_id_or_record, refused.uuid());
    assert_eq!(code_text!(on_phone[0].code), "personal_data");
    assert_eq!(on_phone[0].reason, rows[0].reason);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scan_finds_a_legacy_name_and_the_leads_redaction_reaches_the_phones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("server.db");
    let server = Server::start(&db).await;
    let unit = seed_unit(&server.state, "Ute Vålerenga");
    let a = Phone::enrol(&server.url, &server.state, unit.id).await;
    let b = Phone::enrol(&server.url, &server.state, unit.id).await;
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = a.start_shift(&unit, t0);
    let encounter = a.encounter(shift, t0 + 10 * MINUTE);
    a.client.sync_once(&a.store).await.expect("sync");

    // The note as an older phone's accepted change stored it.
    let mut fields = Fields::new();
    fields.insert("note".into(), NAME_NOTE.into());
    let legacy = Change {
        kind: RecordKind::Encounter,
        id: encounter.uuid(),
        fields,
        hlc: Hlc {
            wall_ms: now_ms(),
            counter: 0,
            device: DeviceId::new(),
        },
    };
    let stored = server
        .state
        .db
        .with(|c| {
            Ok::<_, ApiError>(store_as_accepted(
                c,
                &legacy,
                Some(legacy.hlc.device),
                now_ms(),
            )?)
        })
        .expect("legacy note");
    assert!(stored);
    close_and_approve(
        &server,
        &unit,
        &a,
        shift,
        Some("Rolig kveld"),
        t0 + 120 * MINUTE,
    )
    .await;
    for phone in [&a, &b] {
        phone.client.sync_once(&phone.store).await.expect("sync");
        let note = phone
            .store()
            .encounter(encounter)
            .expect("read")
            .expect("enc")
            .note;
        assert_eq!(
            note.as_deref(),
            Some(NAME_NOTE),
            "the phones hold the old note"
        );
    }

    // The scan finds it; the lead redacts it.
    let lead_units = [unit.id];
    let flagged = server
        .state
        .db
        .with(|c| screen_scan::scan(c, Some(&lead_units)))
        .expect("scan");
    let hit = flagged
        .iter()
        .find(|f| f.stored.id == encounter.uuid() && f.stored.field == "note")
        .expect("the scan flags the legacy note");
    assert!(
        hit.findings
            .iter()
            .any(|f| screen_scan::kind_name(f.kind) == "name"),
        "{:?}",
        hit.findings
    );
    let by = Redactor {
        user: Some(unit.lead),
        username: "leder",
        units: Some(&lead_units),
        lang: "nb",
    };
    server
        .state
        .db
        .write_blocking(|c| {
            screen_scan::redact_field(
                c,
                RecordKind::Encounter,
                encounter.uuid(),
                "note",
                &by,
                now_ms(),
            )
        })
        .expect("redact");
    let want = redact(NAME_NOTE, &find_personal_data(NAME_NOTE), "nb");
    assert!(
        want.contains("[navn]") && !want.contains("Berggren"),
        "{want}"
    );

    // Both phones pull it as any remote change, on the approved shift.
    for phone in [&a, &b] {
        let report = phone.client.sync_once(&phone.store).await.expect("sync");
        assert!(report.pull.changes >= 1, "{report:?}");
        let store = phone.store();
        let note = store.encounter(encounter).expect("read").expect("enc").note;
        assert_eq!(note.as_deref(), Some(want.as_str()));
        let status = store.shift(shift).expect("read").expect("shift").status;
        assert_eq!(
            status,
            ShiftStatus::Approved,
            "still approved, still locked"
        );
    }
    let audited = server
        .state
        .db
        .with(|c| Ok::<_, ApiError>(audit::count_action(c, "note_redact")?))
        .expect("audit");
    assert_eq!(audited, 1);
    server.stop().await;
}
