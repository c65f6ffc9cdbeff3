//! Dashboard flows: signing in (CSRF cookie, wrong password, growing
//! delay), approving and returning, the export's scope and audit entry,
//! an append-only audit log, deactivation ending sessions, and escaping.

use crate::util::{Env, HOUR, PASSWORD, Resp, Who};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use feltlogg_core::ShiftStatus;

fn cookie_value(r: &Resp, name: &str) -> Option<String> {
    r.cookies.iter().find_map(|c| {
        let (k, rest) = c.split_once('=')?;
        (k == name).then(|| rest.split(';').next().unwrap_or("").to_owned())
    })
}

fn hidden_csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("csrf input") + 19;
    html[at..].split('"').next().expect("value").to_owned()
}

async fn login(env: &Env, username: &str, password: &str) -> Resp {
    let page = env.get(None, "/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = cookie_value(&page, "fl_login").expect("login cookie");
    assert!(
        page.cookies
            .iter()
            .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict"))
    );
    let csrf = hidden_csrf(&page.text());
    assert_eq!(csrf, cookie, "double-submit token");
    let body = format!("csrf={csrf}&username={username}&password={password}&next=/review");
    env.send(
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("fl_login={cookie}"))
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_and_sign_out_ends_it() {
    let env = Env::new();
    let r = login(&env, "lead.a", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location.as_deref(), Some("/review"));
    let session_cookie = r
        .cookies
        .iter()
        .find(|c| c.starts_with("fl_session="))
        .expect("session cookie");
    assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"));
    let token = cookie_value(&r, "fl_session").expect("token");
    let page = env
        .get(Some(&(token.clone(), String::new())), "/review")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<html lang=\"nb\""));
    let csrf = hidden_csrf(&page.text());
    let out = env.post(Some(&(token.clone(), csrf)), "/logout", &[]).await;
    assert_eq!(out.location.as_deref(), Some("/login"));
    let after = env.get(Some(&(token, String::new())), "/review").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "session ended");
    assert_eq!(env.audit_count("login"), 1);
    assert_eq!(env.audit_count("logout"), 1);
}

#[tokio::test]
async fn sign_in_without_the_form_cookie_is_refused() {
    let env = Env::new();
    let r = env
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf=x&username=lead.a&password={PASSWORD}"
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(cookie_value(&r, "fl_session").is_none());
}

#[tokio::test]
async fn workers_and_wrong_passwords_cannot_sign_in_and_failures_slow_down() {
    let env = Env::new();
    // A worker with a (valid) password is still refused: workers use the app.
    assert_eq!(
        login(&env, "kari", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Five failures against the account start its delay.
    for i in 0..5 {
        assert_eq!(
            login(&env, "lead.a", &format!("feil-passord-{i}"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let waiting = login(&env, "lead.a", PASSWORD).await;
    assert_eq!(
        waiting.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(waiting.text().contains("sekunder"));
    assert!(cookie_value(&waiting, "fl_session").is_none());
    assert_eq!(env.audit_count("login_failed"), 6);
}

#[tokio::test]
async fn lead_approves_one_shift_and_returns_another_with_a_comment() {
    let env = Env::new();
    let lead = env.session(Who::LeadA);
    let a1 = env.closed_shift(env.unit_a, env.workers_a, 50, 3);
    let a2 = env.closed_shift(env.unit_a, env.workers_a, 30, 0);
    let queue = env.get(lead.as_ref(), "/review").await.text();
    let (p1, p2) = (
        queue.find(&a1.to_string()).expect("a1 listed"),
        queue.find(&a2.to_string()).expect("a2"),
    );
    assert!(p1 < p2, "oldest first");
    assert!(
        queue.contains("Ingen kontakter"),
        "warning on a shift without encounters"
    );

    let page = env
        .get(lead.as_ref(), &format!("/shifts/{a1}"))
        .await
        .text();
    assert!(
        page.contains("Rundt Olaf Ryes plass") && page.contains("kari") && page.contains("skole")
    );
    let r = env
        .post(lead.as_ref(), &format!("/shifts/{a1}/approve"), &[])
        .await;
    assert_eq!(r.location.as_deref(), Some("/review?msg=approved"));
    assert_eq!(env.status(a1), Some(ShiftStatus::Approved));

    let empty = env
        .post(
            lead.as_ref(),
            &format!("/shifts/{a2}/return"),
            &[("comment", "  ")],
        )
        .await;
    assert_eq!(
        empty.status,
        StatusCode::BAD_REQUEST,
        "a return needs a comment"
    );
    assert_eq!(env.status(a2), Some(ShiftStatus::Closed));
    let r = env
        .post(
            lead.as_ref(),
            &format!("/shifts/{a2}/return"),
            &[("comment", "Legg inn kontaktene")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/review?msg=returned"));
    assert_eq!(env.status(a2), Some(ShiftStatus::Returned));
    let again = env
        .post(lead.as_ref(), &format!("/shifts/{a1}/approve"), &[])
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "an approved shift is not decided twice"
    );

    let audit = env
        .get(env.session(Who::Admin).as_ref(), "/admin/audit")
        .await
        .text();
    assert!(audit.contains("shift_approve") && audit.contains("Legg inn kontaktene"));
}

#[tokio::test]
async fn exports_count_only_the_viewers_units_and_are_audited() {
    let env = Env::new();
    let a = env.closed_shift(env.unit_a, env.workers_a, 30, 6);
    let lead_a = env.session(Who::LeadA);
    env.post(lead_a.as_ref(), &format!("/shifts/{a}/approve"), &[])
        .await;
    let year = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
        .to_string();
    let fields = [("kind", "year"), ("year", year.as_str()), ("format", "csv")];
    let mine = env
        .post(env.session(Who::LeadA).as_ref(), "/export", &fields)
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    let theirs = env
        .post(env.session(Who::LeadB).as_ref(), "/export", &fields)
        .await;
    let csv_a = mine.text();
    let csv_b = theirs.text();
    // Six encounters in Grünerløkka: published for A, absent for B.
    assert!(csv_a.contains("Grünerløkka"), "{csv_a}");
    assert!(!csv_b.contains("Grünerløkka"), "{csv_b}");
    assert_eq!(env.audit_count("export"), 2);
}

#[tokio::test]
async fn only_admins_download_the_signed_totals_file_and_each_download_is_audited() {
    use feltlogg_export::totals_file;
    let env = Env::new();
    let a = env.closed_shift(env.unit_a, env.workers_a, 30, 6);
    env.post(
        env.session(Who::LeadA).as_ref(),
        &format!("/shifts/{a}/approve"),
        &[],
    )
    .await;
    // The month the shift started in, Oslo time (it started 30 hours ago).
    let started = jiff::Timestamp::from_millisecond(feltlogg_server::now_ms() - 30 * HOUR)
        .expect("time")
        .to_zoned(jiff::tz::TimeZone::get("Europe/Oslo").expect("tz"));
    let (year, month) = (started.year().to_string(), started.month().to_string());
    let fields = [
        ("kind", "ytd"),
        ("year", year.as_str()),
        ("month", month.as_str()),
        ("format", "totals"),
    ];
    let page = env
        .get(env.session(Who::Admin).as_ref(), "/export")
        .await
        .text();
    assert!(
        page.contains("value=\"totals\"") && page.contains("id=\"totals-note\""),
        "{page}"
    );
    let lead_page = env
        .get(env.session(Who::LeadA).as_ref(), "/export")
        .await
        .text();
    assert!(
        !lead_page.contains("value=\"totals\""),
        "offered to a lead: {lead_page}"
    );
    let lead = env
        .post(env.session(Who::LeadA).as_ref(), "/export", &fields)
        .await;
    assert_eq!(lead.status, StatusCode::FORBIDDEN);
    assert_eq!(
        env.audit_count("export_totals"),
        0,
        "a refusal hands out nothing"
    );
    let r = env
        .post(env.session(Who::Admin).as_ref(), "/export", &fields)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let key = env.state.server_public;
    let payload = totals_file::open(&r.body)
        .expect("a totals file")
        .verify(&key)
        .expect("signed by the server");
    assert_eq!(payload.municipality.label(), "0301 Oslo", "the default");
    assert_eq!(payload.period.label, format!("{year}-YTD-{:0>2}", month));
    let areas = payload.area_totals().expect("areas");
    let grunerlokka = areas.iter().find(|a| a.bydel == "030102").expect("row");
    // Six encounters: unsuppressed, as the national body sums them.
    assert_eq!(grunerlokka.encounters, 6);
    assert_eq!(env.audit_count("export_totals"), 1);
    let audit = env
        .get(env.session(Who::Admin).as_ref(), "/admin/audit")
        .await
        .text();
    assert!(
        audit.contains("municipality=0301 Oslo via=dashboard"),
        "{audit}"
    );
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let env = Env::new();
    env.post(
        env.session(Who::LeadA).as_ref(),
        "/export",
        &[("kind", "year"), ("year", "2026")],
    )
    .await;
    let (upd, del) = env.db(|c| {
        Ok((
            c.execute("UPDATE audit_log SET username = 'x'", []),
            c.execute("DELETE FROM audit_log", []),
        ))
    });
    assert!(upd.is_err_and(|e| e.to_string().contains("append-only")));
    assert!(del.is_err());
    assert_eq!(env.audit_count("export"), 1);
}

#[tokio::test]
async fn deactivating_a_lead_ends_their_sessions() {
    let env = Env::new();
    let lead = env.session(Who::LeadB);
    assert_eq!(
        env.get(lead.as_ref(), "/review").await.status,
        StatusCode::OK
    );
    let admin = env.session(Who::Admin);
    let r = env
        .post(
            admin.as_ref(),
            &format!("/admin/users/{}/deactivate", env.lead_b),
            &[],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/admin/users?msg=saved"));
    assert_eq!(
        env.get(lead.as_ref(), "/review").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        login(&env, "lead.b", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(env.audit_count("user_deactivate"), 1);
}

#[tokio::test]
async fn values_from_the_database_are_escaped() {
    let env = Env::new();
    let admin = env.session(Who::Admin);
    let r = env
        .post(
            admin.as_ref(),
            "/admin/units",
            &[("name", "<script>alert(1)</script>"), ("bydel", "030101")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = env.get(admin.as_ref(), "/admin/units").await.text();
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn english_is_selectable() {
    let env = Env::new();
    let r = env.get(None, "/lang/en?back=//evil.example").await;
    assert_eq!(r.location.as_deref(), Some("/"), "no open redirect: home");
    let lead = env.session(Who::LeadA).expect("session");
    let page = env
        .send(
            Request::get("/review")
                .header(header::COOKIE, format!("fl_session={}; fl_lang=en", lead.0))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .text();
    assert!(page.contains("<html lang=\"en\"") && page.contains("Shifts waiting for review"));

    // Vocabulary values in English words, not wire names.
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let page = env
        .send(
            Request::get(format!("/shifts/{shift}"))
                .header(header::COOKIE, format!("fl_session={}; fl_lang=en", lead.0))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .text();
    assert!(
        page.contains("Lives in the district") && page.contains("Girls"),
        "English vocabulary labels"
    );
    assert!(
        !page.contains("this bydel") && !page.contains("this_bydel"),
        "no wire names"
    );
}
