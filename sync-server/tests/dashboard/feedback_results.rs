//! The youths' feedback (issue 17), what is shown: the answer threshold
//! on the results page and in the export's sheet, and who sees which
//! unit and its free text.

use crate::feedback::{answers, last_quarter};
use crate::util::{Env, Resp, Who};
use axum::http::StatusCode;
use feltlogg_core::ids::UnitId;
use feltlogg_server::feedback;
use feltlogg_server::now_ms;

fn quarter_path(unit: Option<UnitId>) -> String {
    let (y, q, _) = last_quarter();
    let unit = unit.map(|u| format!("&unit={u}")).unwrap_or_default();
    format!("/feedback?kind=quarter&year={y}&quarter={q}{unit}")
}

#[tokio::test]
async fn the_threshold_hides_a_unit_with_6_answers_and_shows_it_at_7() {
    let env = Env::new();
    let (_, _, day) = last_quarter();
    answers(&env, env.unit_a, day, 6, None);
    let lead = env.session(Who::LeadA);
    let section = |r: &Resp| {
        let text = r.text();
        let at = text
            .find(&format!("id=\"unit-{}\"", env.unit_a))
            .expect("unit section");
        let end = text[at..].find("</section>").map_or(text.len(), |e| at + e);
        text[at..end].to_owned()
    };
    let r = env.get(lead.as_ref(), &quarter_path(None)).await;
    assert_eq!(r.status, StatusCode::OK);
    let s = section(&r);
    assert!(s.contains("data-hidden") && !s.contains("data-n="), "{s}");
    assert!(!s.contains("<table"), "no figures under the threshold");
    answers(&env, env.unit_a, day, 1, None);
    let r = env.get(lead.as_ref(), &quarter_path(None)).await;
    let s = section(&r);
    assert!(
        s.contains("data-n=\"7\"") && !s.contains("data-hidden"),
        "{s}"
    );
    assert!(s.contains("chart-means-") && s.contains("<svg class=\"chart\""));
    // An admin raises the threshold: seven are hidden again; below 5 is refused.
    let admin = env.session(Who::Admin);
    let r = env
        .post(
            admin.as_ref(),
            "/admin/feedback-threshold",
            &[("min_answers", "8")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = env.get(lead.as_ref(), &quarter_path(None)).await;
    assert!(section(&r).contains("data-hidden"));
    let r = env
        .post(
            admin.as_ref(),
            "/admin/feedback-threshold",
            &[("min_answers", "4")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        env.db(|c| Ok(feedback::min_answers(c).expect("setting"))),
        8
    );
    // The running quarter shows nothing yet, whatever it holds.
    let today = feedback::day_of(now_ms()).expect("today");
    answers(&env, env.unit_a, today, 9, None);
    let q = (today.month() - 1) / 3 + 1;
    let path = format!("/feedback?kind=quarter&year={}&quarter={q}", today.year());
    let r = env.get(lead.as_ref(), &path).await;
    assert!(
        !r.text().contains(&format!("id=\"unit-{}\"", env.unit_a)),
        "running period"
    );
}

#[tokio::test]
async fn a_lead_of_unit_b_sees_neither_a_results_nor_its_free_text() {
    let env = Env::new();
    let (_, _, day) = last_quarter();
    let secret = "Fin kveld ved elva, takk";
    answers(&env, env.unit_a, day, 8, Some(secret));
    answers(&env, env.unit_b, day, 7, Some("Bra tur i parken"));
    let unit_a = format!("id=\"unit-{}\"", env.unit_a);
    let lead_b = env.session(Who::LeadB);
    for path in [quarter_path(None), quarter_path(Some(env.unit_a))] {
        let r = env.get(lead_b.as_ref(), &path).await;
        assert_eq!(r.status, StatusCode::OK);
        let text = r.text();
        assert!(!text.contains(&unit_a) && !text.contains(secret), "{path}");
        assert!(
            !text.contains("Ute Grünerløkka"),
            "{path}: A is not even named"
        );
    }
    let r = env.get(lead_b.as_ref(), &quarter_path(None)).await;
    assert!(
        r.text().contains("Bra tur i parken"),
        "B's lead reads B's text"
    );
    let lead_a = env.session(Who::LeadA);
    let r = env.get(lead_a.as_ref(), &quarter_path(None)).await;
    assert!(r.text().contains(&unit_a) && r.text().contains(secret));
    let admin = env.session(Who::Admin);
    let r = env.get(admin.as_ref(), &quarter_path(None)).await;
    let text = r.text();
    assert!(
        text.contains(&unit_a) && text.contains("data-n=\"8\""),
        "admins see results"
    );
    assert!(!text.contains(secret), "but never the free text");
    // B's lead cannot print A's cards either.
    let r = env
        .post(
            lead_b.as_ref(),
            "/feedback/cards",
            &[
                ("unit", &env.unit_a.to_string()),
                ("count", "2"),
                ("valid_months", "6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(env.audit_count("feedback_cards_print"), 0);
}

#[tokio::test]
async fn the_export_feedback_sheet_follows_the_same_rule() {
    use calamine::{Data, Reader, Xlsx};
    let env = Env::new();
    let (y, q, day) = last_quarter();
    let secret = "Hemmelig fritekst om kvelden";
    answers(&env, env.unit_a, day, 7, Some(secret));
    answers(&env, env.unit_b, day, 6, Some(secret));
    let fields = [
        ("kind", "quarter".to_owned()),
        ("year", y.to_string()),
        ("quarter", q.to_string()),
        ("format", "xlsx".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sheet = |r: Resp| {
        assert_eq!(r.status, StatusCode::OK);
        let mut wb: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(r.body)).expect("xlsx");
        let names = wb.sheet_names();
        assert!(names.contains(&"Tilbakemeldinger".to_owned()), "{names:?}");
        let mut all = String::new();
        for n in &names {
            for row in wb.worksheet_range(n).expect("sheet").rows() {
                for c in row {
                    all.push_str(&c.to_string());
                }
            }
        }
        assert!(!all.contains(secret), "free text is never exported");
        let range = wb.worksheet_range("Tilbakemeldinger").expect("sheet");
        range.rows().map(|r| r.to_vec()).collect::<Vec<Vec<Data>>>()
    };
    let admin = env.session(Who::Admin);
    let rows = sheet(env.post(admin.as_ref(), "/export", &fields).await);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(name.into()))
            .cloned()
    };
    let a = row("Ute Grünerløkka").expect("A's row");
    let b = row("Ute Sagene").expect("B's row");
    assert_eq!(a[2], Data::Float(7.0), "{a:?}");
    assert_eq!(b[2], Data::String("<7".into()), "{b:?}");
    assert!(
        b[3..].iter().all(|c| matches!(c, Data::Empty)),
        "nothing else of B: {b:?}"
    );
    let lead_b = env.session(Who::LeadB);
    let rows = sheet(env.post(lead_b.as_ref(), "/export", &fields).await);
    assert!(
        rows.iter()
            .all(|r| r[0] != Data::String("Ute Grünerløkka".into())),
        "B's export has no A"
    );
}
