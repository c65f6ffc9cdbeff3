//! The unit's own words on the dashboard (issue 15): a team lead adds and
//! removes their unit's words and turns "not a person" off, each change
//! audited and announced to the phones; a lead of another unit cannot
//! touch them; only admins keep the municipality's list; a word holding a
//! phone number is refused. Names a worker confirmed are marked on the
//! shift page and listed on `/review/screen`, where one click adds the
//! word to the unit's words.

use crate::util::{Env, Who};
use axum::http::StatusCode;
use feltlogg_core::change::Change;
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId, UnitId};
use feltlogg_core::record::{Fields, NOT_A_PERSON, NotAPerson, RecordKind};
use feltlogg_core::screen::{FindingKind, Span, find_personal_data};
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::{records, unit_words, units};
use feltlogg_server::now_ms;

/// An artist or a venue the screen may take for a person; the first note
/// in which it finds exactly one name is used.
const VENUE_NOTES: [&str; 3] = [
    "Snakket om konserten til Aurora",
    "Møtte gjengen utenfor Vega Scene",
    "snakket med Amir (14) om jobb",
];

/// A note with one name finding and its span.
pub fn venue_note() -> (&'static str, Span) {
    VENUE_NOTES
        .iter()
        .find_map(|&note| match find_personal_data(note).as_slice() {
            [f] if f.kind == FindingKind::Name => Some((note, Span::from(f))),
            _ => None,
        })
        .expect("one name in a venue note")
}

/// A closed shift of `unit` with one encounter whose note names an artist,
/// its span confirmed as "not a person" (as a phone's accepted change
/// stores it).
pub fn confirmed_encounter(env: &Env, unit: UnitId) -> (ShiftId, EncounterId, Span) {
    let workers = if unit == env.unit_a {
        env.workers_a
    } else {
        env.workers_b
    };
    let shift = env.closed_shift(unit, workers, 30, 1);
    let encounter = env
        .db(|c| feltlogg_server::db::review::encounters(c, shift))
        .first()
        .expect("one encounter")
        .id;
    let (note, span) = venue_note();
    let mut fields = Fields::new();
    fields.insert("note".into(), note.into());
    let confirmed = vec![NotAPerson::new("note", span)];
    fields.insert(
        NOT_A_PERSON.into(),
        serde_json::to_value(confirmed).expect("json"),
    );
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
        records::upsert(
            c,
            &mut LazyCodes::default(),
            encounter.uuid(),
            unit,
            &stored.state,
            None,
            now_ms(),
        )
    });
    (shift, encounter, span)
}

/// The words on `unit`'s list (`None`: the municipality's).
pub fn words_of(env: &Env, unit: Option<UnitId>) -> Vec<String> {
    env.db(|c| unit_words::list(c, unit))
        .into_iter()
        .map(|w| w.word)
        .collect()
}

fn directory_entries(env: &Env, unit: UnitId) -> i64 {
    env.db(|c| {
        c.query_row(
            "SELECT count(*) FROM changelog WHERE unit_id = ?1 AND entry = 'directory'",
            [unit.to_string()],
            |r| r.get(0),
        )
    })
}

#[tokio::test]
async fn a_lead_curates_their_units_words_audited_and_announced_to_the_phones() {
    let env = Env::new();
    let lead = env.session(Who::LeadA);
    let path = format!("/words/{}", env.unit_a);
    let page = env.get(lead.as_ref(), &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("id=\"words-table-empty\""),
        "{}",
        page.text()
    );
    let announced = directory_entries(&env, env.unit_a);

    let r = env
        .post(
            lead.as_ref(),
            &format!("{path}/add"),
            &[("word", "  Blå   Kors ")],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some(&*format!("{path}?msg=added")))
    );
    assert_eq!(words_of(&env, Some(env.unit_a)), ["Blå Kors"]);
    assert_eq!(env.audit_count("word_add"), 1);
    assert_eq!(
        directory_entries(&env, env.unit_a),
        announced + 1,
        "the phones are told"
    );
    // The same word again, in other case: no second entry, nothing audited.
    let r = env
        .post(
            lead.as_ref(),
            &format!("{path}/add"),
            &[("word", "blå kors")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some(&*format!("{path}?msg=exists")));
    assert_eq!(env.audit_count("word_add"), 1);
    // A phone number is never a unit word.
    let r = env
        .post(
            lead.as_ref(),
            &format!("{path}/add"),
            &[("word", "912 34 567")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("role=\"alert\""), "{}", r.text());
    assert_eq!(words_of(&env, Some(env.unit_a)), ["Blå Kors"]);

    let page = env.get(lead.as_ref(), &path).await.text();
    assert!(
        page.contains("Blå Kors") && page.contains("lead.a"),
        "{page}"
    );
    let id = env.db(|c| unit_words::list(c, Some(env.unit_a)))[0].id;
    let r = env
        .post(
            lead.as_ref(),
            &format!("{path}/remove"),
            &[("id", &id.to_string())],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some(&*format!("{path}?msg=removed")));
    assert!(words_of(&env, Some(env.unit_a)).is_empty());
    assert_eq!(env.audit_count("word_remove"), 1);

    // The setting: off, audited once, announced.
    assert!(env.db(|c| units::confirmations(c, env.unit_a)));
    let r = env
        .post(
            lead.as_ref(),
            &format!("{path}/setting"),
            &[("confirmations", "off")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!env.db(|c| units::confirmations(c, env.unit_a)));
    assert_eq!(env.audit_count("words_setting"), 1);
    assert_eq!(directory_entries(&env, env.unit_a), announced + 3);
    let page = env.get(lead.as_ref(), &path).await.text();
    assert!(
        page.contains("value=\"off\" id=\"confirmations-off\" checked"),
        "{page}"
    );
}

#[tokio::test]
async fn a_lead_of_unit_b_cannot_see_or_edit_unit_as_words() {
    let env = Env::new();
    env.db(|c| unit_words::insert(c, Some(env.unit_a), "Tøyen Unlimited", "lead.a", now_ms()));
    let id = env.db(|c| unit_words::list(c, Some(env.unit_a)))[0]
        .id
        .to_string();
    let lead_b = env.session(Who::LeadB);
    let path = format!("/words/{}", env.unit_a);
    assert_eq!(
        env.get(lead_b.as_ref(), &path).await.status,
        StatusCode::NOT_FOUND
    );
    for (action, form) in [
        ("add", vec![("word", "Kiwi")]),
        ("remove", vec![("id", id.as_str())]),
        ("setting", vec![("confirmations", "off")]),
    ] {
        let r = env
            .post(lead_b.as_ref(), &format!("{path}/{action}"), &form)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(words_of(&env, Some(env.unit_a)), ["Tøyen Unlimited"]);
    assert!(env.db(|c| units::confirmations(c, env.unit_a)));
    assert_eq!(
        env.audit_count("word_add") + env.audit_count("word_remove"),
        0
    );
    // B's index lists B only.
    let index = env.get(lead_b.as_ref(), "/words").await.text();
    assert!(
        index.contains(&env.unit_b.to_string()) && !index.contains(&env.unit_a.to_string()),
        "{index}"
    );
}

#[tokio::test]
async fn only_admins_keep_the_municipalitys_words_which_every_unit_reads() {
    let env = Env::new();
    let lead = env.session(Who::LeadA);
    let admin = env.session(Who::Admin);
    let page = env.get(lead.as_ref(), "/words/municipality").await;
    assert_eq!(page.status, StatusCode::OK, "leads see the list");
    assert!(!page.text().contains("id=\"word-add\""), "but get no form");
    let r = env
        .post(
            lead.as_ref(),
            "/words/municipality/add",
            &[("word", "Uteseksjonen")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(words_of(&env, None).is_empty());
    let before = [env.unit_a, env.unit_b].map(|u| directory_entries(&env, u));
    let r = env
        .post(
            admin.as_ref(),
            "/words/municipality/add",
            &[("word", "Uteseksjonen")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(words_of(&env, None), ["Uteseksjonen"]);
    let after = [env.unit_a, env.unit_b].map(|u| directory_entries(&env, u));
    assert_eq!(
        after,
        [before[0] + 1, before[1] + 1],
        "every unit's phones are told"
    );
    let words = env.db(|c| feltlogg_server::unit_words::of_unit(c, env.unit_b));
    assert_eq!(words.words, ["Uteseksjonen"]);
    let unit_page = env
        .get(lead.as_ref(), &format!("/words/{}", env.unit_a))
        .await
        .text();
    assert!(
        unit_page.contains("id=\"municipality-words\"") && unit_page.contains("Uteseksjonen"),
        "{unit_page}"
    );
}

#[tokio::test]
async fn a_confirmed_name_is_marked_listed_and_added_to_the_units_words_in_one_click() {
    let env = Env::new();
    let (shift, encounter, span) = confirmed_encounter(&env, env.unit_a);
    let (note, _) = venue_note();
    let word: String = note
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect();
    let lead = env.session(Who::LeadA);
    let page = env
        .get(lead.as_ref(), &format!("/shifts/{shift}"))
        .await
        .text();
    assert!(
        page.contains(&format!("<mark class=\"confirmed\">{word}</mark>")),
        "{page}"
    );
    assert!(page.contains("id=\"confirmed-legend\""), "{page}");
    let scan = env.get(lead.as_ref(), "/review/screen").await.text();
    assert!(scan.contains("id=\"confirmed-table\""), "{scan}");
    let button = format!("id=\"add-word-{}-note-{}\"", encounter.uuid(), span.start);
    assert!(scan.contains(&button), "{scan}");
    // Lead B sees none of it, and cannot add A's word.
    let lead_b = env.session(Who::LeadB);
    let scan_b = env.get(lead_b.as_ref(), "/review/screen").await.text();
    assert!(!scan_b.contains(&button), "{scan_b}");
    let id = encounter.uuid().to_string();
    let (start, end) = (span.start.to_string(), span.end.to_string());
    let form = [
        ("kind", "encounter"),
        ("id", id.as_str()),
        ("field", "note"),
        ("start", start.as_str()),
        ("end", end.as_str()),
    ];
    let r = env
        .post(lead_b.as_ref(), "/review/screen/add-word", &form)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(words_of(&env, Some(env.unit_a)).is_empty());
    // A span that is no confirmed name adds nothing.
    let wrong = (span.end + 1).to_string();
    let near = [
        ("kind", "encounter"),
        ("id", id.as_str()),
        ("field", "note"),
        ("start", start.as_str()),
        ("end", wrong.as_str()),
    ];
    let r = env
        .post(lead.as_ref(), "/review/screen/add-word", &near)
        .await;
    assert_eq!(r.location.as_deref(), Some("/review/screen?msg=nothing"));
    assert!(words_of(&env, Some(env.unit_a)).is_empty());
    // One click.
    let r = env
        .post(lead.as_ref(), "/review/screen/add-word", &form)
        .await;
    assert_eq!(r.location.as_deref(), Some("/review/screen?msg=word_added"));
    assert_eq!(
        words_of(&env, Some(env.unit_a)),
        std::slice::from_ref(&word)
    );
    assert_eq!(env.audit_count("word_add"), 1);
    let scan = env
        .get(lead.as_ref(), "/review/screen?msg=word_added")
        .await
        .text();
    assert!(
        !scan.contains(&button) && scan.contains("id=\"confirmed-empty\""),
        "{scan}"
    );
    // Unit B's screen still takes the word for a name: the list is A's.
    assert!(words_of(&env, Some(env.unit_b)).is_empty());
}

#[test]
fn the_demo_seeds_a_confirmed_artist_per_unit_that_the_scan_lists_as_confirmed() {
    use feltlogg_server::demo::{self, confirmed};
    let dir = tempfile::tempdir().expect("temp dir");
    let state = feltlogg_server::AppState::open(&dir.path().join("demo.db")).expect("open");
    let opts = demo::DemoOptions {
        seed: 7,
        now_ms: now_ms(),
        days: demo::YEAR_DAYS,
    };
    let (report, flagged) = state
        .db
        .with(|c| {
            let report = demo::fill(c, &opts)
                .map_err(|e| feltlogg_server::ApiError::Internal(e.to_string()))?;
            let scan = feltlogg_server::review::screen_scan::scan(c, None)?;
            Ok::<_, feltlogg_server::ApiError>((report, scan))
        })
        .expect("demo and scan");
    let (note, spans) =
        confirmed::note().expect("the screen takes one of the demo's notes for a name");
    let listed: Vec<_> = flagged.iter().filter(|f| f.stored.text == note).collect();
    assert_eq!(report.confirmed_notes, 5, "one per unit");
    assert_eq!(
        i64::try_from(listed.len()).expect("count"),
        report.confirmed_notes
    );
    let want: Vec<Span> = spans.iter().map(NotAPerson::span).collect();
    assert!(
        listed.iter().all(|f| f.confirmed == want),
        "listed as confirmed: {listed:?}"
    );
}
