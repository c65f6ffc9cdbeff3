//! The anonymity screen in the dashboard (issue #9): a return comment the
//! screen flags is refused with the span highlighted and fixed with one
//! tap; the old-data scan lists flagged stored text of the viewer's units
//! and redacts it as a server change (approved shifts too), audited; the
//! command line's report never holds the text.

use crate::util::{Env, Who};
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_core::change::Change;
use feltlogg_core::hlc::{Hlc, SERVER_STAMP_DEVICE};
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::{changelog, records, review};
use feltlogg_server::review::decide::{Verdict, decide_shift};
use feltlogg_server::review::screen_scan;
use feltlogg_server::{ApiError, now_ms};

/// A synthetic mobile number the screen has always caught.
pub const PHONE_NOTE: &str = "Avtalt å ringe 912 34 567 i morgen om jobben.";
/// A synthetic full name (caught once core's name recogniser is in).
pub const NAME_NOTE: &str = "Jonas Berggren (15) sa at han vil slutte på skolen.";

/// A closed shift of `unit` with one encounter whose note is `note`
/// (written straight to the record tables, as stored before the screen
/// caught it); approved too when `approve`.
pub fn noted_encounter(
    env: &Env,
    unit: UnitId,
    note: &str,
    approve: bool,
) -> (ShiftId, EncounterId) {
    let workers = if unit == env.unit_a {
        env.workers_a
    } else {
        env.workers_b
    };
    let shift = env.closed_shift(unit, workers, 30, 1);
    let encounter = env
        .db(|c| review::encounters(c, shift))
        .first()
        .expect("one encounter")
        .id;
    let mut fields = Fields::new();
    fields.insert("note".into(), serde_json::Value::String(note.into()));
    let change = Change {
        kind: RecordKind::Encounter,
        id: encounter.uuid(),
        fields,
        hlc: Hlc {
            wall_ms: now_ms(),
            counter: 1,
            device: DeviceId(uuid::Uuid::now_v7()),
        },
    };
    env.db(|c| {
        let mut stored =
            records::load(c, RecordKind::Encounter, encounter.uuid())?.expect("stored");
        stored.state.merge(&change);
        let codes = &mut LazyCodes::default();
        records::upsert(
            c,
            codes,
            encounter.uuid(),
            unit,
            &stored.state,
            None,
            now_ms(),
        )
    });
    if approve {
        let lead = if unit == env.unit_a {
            env.lead_a
        } else {
            env.lead_b
        };
        decide(env, shift, Verdict::Approve, lead).expect("approve");
    }
    (shift, encounter)
}

fn decide(env: &Env, shift: ShiftId, verdict: Verdict, by: UserId) -> Result<(), ApiError> {
    let key = env.state.server_key.clone();
    env.state
        .db
        .write_blocking(|c| decide_shift(c, &key, shift, verdict, by, now_ms()).map(|_| ()))
}

/// The stored note of an encounter.
pub fn note_of(env: &Env, encounter: EncounterId) -> String {
    env.db(|c| records::load(c, RecordKind::Encounter, encounter.uuid()))
        .and_then(|s| {
            s.state
                .fields
                .get("note")
                .and_then(|v| v.value.as_str().map(str::to_owned))
        })
        .unwrap_or_default()
}

fn signed_comments(env: &Env, shift: ShiftId) -> Vec<String> {
    env.db(|c| review::decisions(c, shift))
        .iter()
        .filter_map(|d| serde_json::from_str::<feltlogg_core::sync::SignedDecision>(&d.signed).ok())
        .filter_map(|s| s.decision.comment)
        .collect()
}

#[tokio::test]
async fn a_return_comment_with_a_phone_number_is_refused_highlighted_fixed_and_sent() {
    let env = Env::new();
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let lead = env.session(Who::LeadA);
    let path = format!("/shifts/{shift}/return");
    let r = env
        .post(lead.as_ref(), &path, &[("comment", PHONE_NOTE)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(
        page.contains("<mark>912 34 567</mark>"),
        "span highlighted: {page}"
    );
    assert!(
        page.contains("Telefonnummer (tegn 16–25)"),
        "what and where, in bokmål"
    );
    assert!(page.contains("id=\"comment-fix\""), "the one-tap fix");
    assert!(page.contains("role=\"alert\""), "refusal announced");
    assert_eq!(env.status(shift), Some(ShiftStatus::Closed), "nothing sent");
    assert!(signed_comments(&env, shift).is_empty());
    assert_eq!(env.audit_count("shift_return"), 0);

    let fields = [("comment", PHONE_NOTE), ("fix", "redact")];
    let fixed = env.post(lead.as_ref(), &path, &fields).await;
    assert_eq!(fixed.status, StatusCode::OK);
    let page = fixed.text();
    let want = "Avtalt å ringe [telefon] i morgen om jobben.";
    assert!(page.contains(&format!(">{want}</textarea>")), "{page}");
    assert!(
        !page.contains("912 34 567"),
        "the number is gone from the form"
    );
    assert_eq!(
        env.status(shift),
        Some(ShiftStatus::Closed),
        "the fix only fixes"
    );

    let sent = env.post(lead.as_ref(), &path, &[("comment", want)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    assert_eq!(env.status(shift), Some(ShiftStatus::Returned));
    assert_eq!(signed_comments(&env, shift), vec![want.to_owned()]);
}

#[tokio::test]
async fn the_fix_speaks_english_in_the_english_dashboard() {
    let env = Env::new();
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let lead = env.session(Who::LeadA).expect("session");
    let path = format!("/shifts/{shift}/return");
    let body = format!(
        "csrf={}&comment={}&fix=redact",
        lead.1,
        feltlogg_server::web::html::url_encode(PHONE_NOTE)
    );
    let req = axum::http::Request::post(&path)
        .header(
            axum::http::header::COOKIE,
            format!("fl_session={}; fl_lang=en", lead.0),
        )
        .header(
            axum::http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(axum::body::Body::from(body))
        .expect("request");
    let page = env.send(req).await.text();
    assert!(page.contains("Avtalt å ringe [phone] i morgen"), "{page}");
}

#[tokio::test]
async fn a_return_comment_with_a_name_is_refused() {
    let env = Env::new();
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let lead = env.session(Who::LeadA);
    let path = format!("/shifts/{shift}/return");
    let r = env
        .post(lead.as_ref(), &path, &[("comment", NAME_NOTE)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("<mark>Jonas Berggren</mark>"));
    assert_eq!(env.status(shift), Some(ShiftStatus::Closed));
}

/// The command line (`shift return`) goes through `decide_shift`, which
/// screens too, and says so without repeating the number.
#[test]
fn decide_shift_refuses_a_flagged_comment_without_echoing_it() {
    let env = Env::new();
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let verdict = Verdict::Return {
        comment: PHONE_NOTE.into(),
    };
    match decide(&env, shift, verdict, env.lead_a) {
        Err(ApiError::Invalid { field, problem }) => {
            assert_eq!(field, "comment");
            assert!(
                problem.contains("phone number at characters 16-25"),
                "{problem}"
            );
            assert!(!problem.contains("912"), "{problem}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(env.status(shift), Some(ShiftStatus::Closed));
}

#[tokio::test]
async fn the_scan_lists_the_viewers_flagged_notes_and_redacts_one_on_an_approved_shift() {
    let env = Env::new();
    let (shift_a, enc_a) = noted_encounter(&env, env.unit_a, PHONE_NOTE, true);
    let (_, clean) = noted_encounter(&env, env.unit_a, "Rolig kveld ved Olaf Ryes plass.", false);
    let (_, enc_b) = noted_encounter(&env, env.unit_b, PHONE_NOTE, false);
    assert_eq!(env.status(shift_a), Some(ShiftStatus::Approved));

    let lead_a = env.session(Who::LeadA);
    let page = env.get(lead_a.as_ref(), "/review/screen").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains(&format!("data-id=\"{enc_a}\"")),
        "A's note listed"
    );
    assert!(html.contains("<mark>912 34 567</mark>"));
    assert!(html.contains(&format!("id=\"redact-{enc_a}-note\"")));
    assert!(
        !html.contains(&enc_b.to_string()),
        "B's note is not A's lead's"
    );
    assert!(
        !html.contains(&clean.to_string()),
        "a clean note is not listed"
    );
    let admin = env.session(Who::Admin);
    let all = env.get(admin.as_ref(), "/review/screen").await.text();
    assert!(all.contains(&enc_a.to_string()) && all.contains(&enc_b.to_string()));
    let queue = env.get(lead_a.as_ref(), "/review").await.text();
    assert!(
        queue.contains("href=\"/review/screen\""),
        "linked from the review page"
    );

    let forged = [
        ("csrf", "wrong-token"),
        ("kind", "encounter"),
        ("id", &enc_a.to_string()),
        ("field", "note"),
    ];
    let r = env
        .post(lead_a.as_ref(), "/review/screen/redact", &forged)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "without the CSRF token");
    assert_eq!(note_of(&env, enc_a), PHONE_NOTE);
    let seq_before = env.db(|c| changelog::max_seq(c));
    let form = [
        ("kind", "encounter"),
        ("id", &enc_a.to_string()),
        ("field", "note"),
    ];
    let r = env
        .post(lead_a.as_ref(), "/review/screen/redact", &form)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location.as_deref(), Some("/review/screen?msg=redacted"));
    assert_eq!(
        note_of(&env, enc_a),
        "Avtalt å ringe [telefon] i morgen om jobben."
    );
    assert_eq!(
        env.status(shift_a),
        Some(ShiftStatus::Approved),
        "still approved"
    );
    // The redaction is an ordinary server change in the log the phones pull:
    // the record as it is now, the note under the server's stamp.
    let pulled = |after| {
        env.db(|c| changelog::page(c, env.unit_a, DeviceId(uuid::Uuid::now_v7()), after, 1000))
    };
    let record = pulled(seq_before)
        .into_iter()
        .find_map(|(_, e)| match e {
            changelog::PullEntry::Record(cs) if cs[0].id == enc_a.uuid() => Some(cs),
            _ => None,
        })
        .expect("the redaction is in the pull");
    let by_server: Vec<_> = record
        .iter()
        .filter(|c| c.hlc.device == SERVER_STAMP_DEVICE)
        .collect();
    assert_eq!(by_server.len(), 1, "{record:?}");
    assert_eq!(
        by_server[0].fields.keys().collect::<Vec<_>>(),
        ["not_a_person", "note"],
        "only the note (with its confirmations, none left) is the server's write"
    );
    // A phone pulling from the start (a new phone, or every phone after a
    // restore) never receives the note as it was before the redaction.
    let from_start = format!("{:?}", pulled(0));
    assert!(from_start.contains("[telefon]"), "{from_start}");
    assert!(
        !from_start.contains(PHONE_NOTE),
        "the unredacted note is still in the pull log"
    );
    assert_eq!(env.audit_count("note_redact"), 1);
    let entry = env
        .db(|c| feltlogg_server::db::audit::list(c, None, 1))
        .remove(0);
    assert_eq!(entry.target, format!("encounter/{enc_a}"));
    assert_eq!(entry.detail, "note: phone 15..25");
    assert!(
        !entry.detail.contains("912"),
        "the audit log never holds the text"
    );
    let after = env.get(lead_a.as_ref(), "/review/screen").await.text();
    assert!(
        !after.contains(&format!("data-id=\"{enc_a}\"")),
        "nothing left to flag"
    );

    let again = env
        .post(lead_a.as_ref(), "/review/screen/redact", &form)
        .await;
    assert_eq!(
        again.location.as_deref(),
        Some("/review/screen?msg=nothing")
    );
    assert_eq!(
        env.audit_count("note_redact"),
        1,
        "nothing redacted, nothing audited"
    );

    let b_form = [
        ("kind", "encounter"),
        ("id", &enc_b.to_string()),
        ("field", "note"),
    ];
    let denied = env
        .post(lead_a.as_ref(), "/review/screen/redact", &b_form)
        .await;
    assert_eq!(
        denied.status,
        StatusCode::NOT_FOUND,
        "another unit's record is not revealed"
    );
    assert_eq!(note_of(&env, enc_b), PHONE_NOTE);
    let bad_field = [
        ("kind", "encounter"),
        ("id", &enc_b.to_string()),
        ("field", "at_ms"),
    ];
    let admin_bad = env
        .post(admin.as_ref(), "/review/screen/redact", &bad_field)
        .await;
    assert_eq!(
        admin_bad.status,
        StatusCode::BAD_REQUEST,
        "{}",
        admin_bad.text()
    );
    assert_eq!(note_of(&env, enc_b), PHONE_NOTE);
}

#[test]
fn the_command_line_report_names_where_but_never_the_text() {
    let env = Env::new();
    let (_, enc) = noted_encounter(&env, env.unit_a, PHONE_NOTE, false);
    let flagged = env
        .state
        .db
        .with(|c| screen_scan::scan(c, None))
        .expect("scan");
    let lines = screen_scan::report_lines(&flagged);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let words: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        words,
        ["encounter", &enc.to_string(), "note", "phone", "15..25"]
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.contains("912") && !l.contains("jobben"))
    );
}

#[test]
fn the_scan_finds_a_name_in_an_old_note() {
    let env = Env::new();
    let (_, enc) = noted_encounter(&env, env.unit_a, NAME_NOTE, true);
    let flagged = env
        .state
        .db
        .with(|c| screen_scan::scan(c, Some(&[env.unit_a])))
        .expect("scan");
    let f = flagged
        .iter()
        .find(|f| f.stored.id == enc.uuid())
        .expect("the name is flagged");
    assert_eq!(screen_scan::kind_name(f.findings[0].kind), "name");
}

/// The demo's legacy notes (a name in an approved shift's encounter note,
/// a handle and a hyphenated number in a closed shift's reflection, per
/// unit) are what the scan finds in the demo.
#[test]
fn the_scan_finds_every_legacy_note_the_demo_seeds() {
    use feltlogg_server::demo::{self, legacy};
    let dir = tempfile::tempdir().expect("temp dir");
    let state = feltlogg_server::AppState::open(&dir.path().join("demo.db")).expect("open");
    let opts = demo::DemoOptions {
        seed: 7,
        now_ms: now_ms(),
        days: feltlogg_server::demo::YEAR_DAYS,
    };
    let (report, flagged) = state
        .db
        .with(|c| {
            let report = demo::fill(c, &opts).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok::<_, ApiError>((report, screen_scan::scan(c, None)?))
        })
        .expect("demo and scan");
    assert_eq!(report.legacy_notes, 10, "two per unit, five units");
    let legacy: Vec<_> = flagged
        .iter()
        .filter(|f| {
            [legacy::NAME_NOTE, legacy::HANDLE_REFLECTION].contains(&f.stored.text.as_str())
        })
        .collect();
    assert_eq!(legacy.len(), 10, "every legacy text is flagged");
    for f in &legacy {
        let kinds: Vec<String> = f
            .findings
            .iter()
            .map(|x| screen_scan::kind_name(x.kind))
            .collect();
        let want: &[&str] = if f.stored.field == "note" {
            &["name"]
        } else {
            &["handle", "phone"]
        };
        assert_eq!(kinds, want, "{:?} {}", f.stored.source, f.stored.field);
    }
}
