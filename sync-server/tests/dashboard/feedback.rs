//! The youths' feedback (issue 17), the public door: one answer per code
//! under parallel posts, one page for every unusable code, the door's
//! caps and limits, and nothing about the phone stored. The results and
//! the export: `feedback_results.rs`. Helpers for both here.

use crate::util::{Env, Resp};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use feltlogg_core::feedback::{Answer, Question};
use feltlogg_core::ids::UnitId;
use feltlogg_core::time::DAY_MS;
use feltlogg_server::db::feedback_answers;
use feltlogg_server::feedback::{self, Printer, code_hash};
use feltlogg_server::now_ms;
use feltlogg_server::web::html::url_encode;
use jiff::civil::Date;
use std::net::SocketAddr;

/// A fresh card of `unit`, printed now by `lead.a`, valid six months.
pub fn card(env: &Env, unit: UnitId) -> String {
    card_at(env, unit, now_ms())
}

fn card_at(env: &Env, unit: UnitId, at: i64) -> String {
    let by = Printer {
        user: Some(env.lead_a),
        name: "lead.a",
    };
    env.state
        .db
        .write_blocking(|c| feedback::print_cards(c, by, &unit.to_string(), 1, 6, at))
        .expect("print")
        .codes
        .remove(0)
}

/// The form's token for `code`, as the form page carries it.
pub fn token(env: &Env, code: &str) -> String {
    env.state.door.token(&code_hash(code))
}

/// A request to the public form from `addr`, with `headers`.
fn public(
    method: &str,
    path: &str,
    body: String,
    addr: &str,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::from(body)).expect("request");
    let peer: SocketAddr = format!("{addr}:40000").parse().expect("addr");
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Posts an answer for `code` with its token from `addr`.
pub async fn answer(env: &Env, code: &str, fields: &[(&str, &str)], addr: &str) -> Resp {
    let tok = token(env, code);
    let mut all = vec![("token", tok.as_str())];
    all.extend_from_slice(fields);
    env.send(public(
        "POST",
        &format!("/u/{code}"),
        form_body(&all),
        addr,
        &[],
    ))
    .await
}

async fn get_form(env: &Env, path: &str, addr: &str) -> Resp {
    env.send(public("GET", path, String::new(), addr, &[]))
        .await
}

/// The last quarter that has ended: (year, quarter, a day inside it).
pub fn last_quarter() -> (i16, i8, Date) {
    let today = feedback::day_of(now_ms()).expect("today");
    let label = feedback::load::last_ended_quarter(today);
    let p = feltlogg_server::export::Period::parse(&label).expect("period");
    let (y, q) = label.split_once("-Q").expect("quarter");
    (y.parse().expect("year"), q.parse().expect("q"), p.first_day)
}

/// `n` answers for `unit` on `day`, each with an overall grade and, when
/// `text` is given, that free text.
pub fn answers(env: &Env, unit: UnitId, day: Date, n: usize, text: Option<&str>) {
    env.db(|c| {
        for i in 0..n {
            let mut a = Answer {
                text: text.map(str::to_owned),
                ..Answer::default()
            };
            a.grades[Question::Overall.index()] = Some(3 + (i % 3) as u8);
            feedback_answers::insert(c, unit, day, &a)?;
        }
        Ok(())
    });
}

fn stored(env: &Env, unit: UnitId) -> i64 {
    env.db(|c| feedback_answers::count(c, unit))
}

#[tokio::test]
async fn a_code_stores_one_answer_under_20_parallel_posts() {
    let env = Env::new();
    let served = env.serve().await;
    let code = card(&env, env.unit_a);
    let tok = token(&env, &code);
    let client = reqwest::Client::new();
    let url = format!("{}/u/{code}", served.base);
    let posts = (0..20).map(|i| {
        let (client, url, tok) = (client.clone(), url.clone(), tok.clone());
        tokio::spawn(async move {
            let grade = (i % 5 + 1).to_string();
            let r = client
                .post(&url)
                .form(&[("token", tok.as_str()), ("overall", &grade)])
                .send()
                .await
                .expect("post");
            r.status().as_u16()
        })
    });
    let mut statuses = Vec::new();
    for p in posts {
        statuses.push(p.await.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 404).count(),
        19,
        "{statuses:?}"
    );
    assert_eq!(stored(&env, env.unit_a), 1);
    let left = env.db(|c| {
        c.query_row("SELECT count(*) FROM feedback_codes", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    assert_eq!(left, 0, "the used code's row is gone");
    let again = reqwest::get(&url).await.expect("get");
    assert_eq!(again.status().as_u16(), 404, "the second use is refused");
}

#[tokio::test]
async fn unknown_used_and_expired_codes_get_the_same_page_and_status() {
    let env = Env::new();
    let used = card(&env, env.unit_a);
    let r = answer(&env, &used, &[("overall", "5")], "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let valid = card(&env, env.unit_a);
    // Printed last: printing clears expired codes, and this one must stay.
    let expired = card_at(&env, env.unit_a, now_ms() - 200 * DAY_MS);
    let rows = env.db(|c| {
        c.query_row(
            "SELECT count(*) FROM feedback_codes WHERE expires_ms < ?1",
            [now_ms()],
            |r| r.get::<_, i64>(0),
        )
    });
    assert_eq!(rows, 1, "the expired code is stored, not merely unknown");
    for lang in ["", "?lang=en"] {
        let mut pages = Vec::new();
        for code in ["ZZZZZZZZZZZZ", used.as_str(), expired.as_str()] {
            let r = get_form(&env, &format!("/u/{code}{lang}"), "192.0.2.2").await;
            pages.push((r.status, r.body.clone()));
            let l = if lang.is_empty() { "nb" } else { "en" };
            let r = answer(&env, code, &[("overall", "4"), ("lang", l)], "192.0.2.3").await;
            pages.push((r.status, r.body.clone()));
        }
        assert!(
            pages.iter().all(|p| p == &pages[0]),
            "pages differ ({lang})"
        );
        assert_eq!(pages[0].0, StatusCode::NOT_FOUND);
        let text = String::from_utf8_lossy(&pages[0].1).into_owned();
        let says = if lang.is_empty() {
            "Denne koden virker ikke"
        } else {
            "This code does not work"
        };
        assert!(text.contains(says), "{text}");
        assert!(text.contains("noindex"));
    }
    let r = get_form(&env, &format!("/u/{valid}"), "192.0.2.2").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a valid code still opens the form"
    );
    assert!(r.text().contains("Hva synes du om oss?"));
    assert_eq!(stored(&env, env.unit_a), 1, "no answer on an unusable code");
}

#[tokio::test]
async fn the_public_door_validates_caps_and_limits() {
    let env = Env::new();
    let code = card(&env, env.unit_a);
    let t = token(&env, &code);
    let post = |fields: Vec<(&'static str, String)>| {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        public("POST", &format!("/u/{code}"), body, "198.51.100.9", &[])
    };
    let big = "a".repeat(20 * 1024);
    for (fields, want) in [
        (vec![("token", t.clone()), ("name", "Ola".into())], 400),
        (vec![("token", t.clone()), ("overall", "7".into())], 400),
        (vec![("token", t.clone()), ("age", "unknown".into())], 400),
        (vec![("token", t.clone()), ("text", big)], 413),
        (
            vec![("token", "forged".into()), ("overall", "4".into())],
            403,
        ),
        (vec![("token", t.clone())], 422),
    ] {
        let r = env.send(post(fields)).await;
        assert_eq!(r.status.as_u16(), want, "{}", r.text());
        assert!(r.cookies.is_empty(), "no cookie from the public form");
    }
    assert_eq!(stored(&env, env.unit_a), 0, "nothing stored");
    // A flagged text is shown back marked; the fix puts the placeholder in.
    let flagged = "Ring Kari Nordmann på 912 34 567";
    let r = answer(&env, &code, &[("text", flagged)], "198.51.100.9").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("<mark>912 34 567</mark>"), "{}", r.text());
    let r = answer(
        &env,
        &code,
        &[("text", flagged), ("fix", "redact")],
        "198.51.100.9",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("[telefon]") && !r.text().contains("912 34 567"),
        "{}",
        r.text()
    );
    assert_eq!(stored(&env, env.unit_a), 0, "the fix does not send");
    // Unusable codes count per address; past the limit even a valid one waits.
    for i in 0..feedback::tries::MAX_FAILED {
        let r = get_form(&env, &format!("/u/WRONGCODE{i:03}"), "203.0.113.5").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = get_form(&env, &format!("/u/{code}"), "203.0.113.5").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = get_form(&env, &format!("/u/{code}"), "203.0.113.6").await;
    assert_eq!(r.status, StatusCode::OK, "another address is not held up");
}

#[tokio::test]
async fn nothing_identifying_the_answering_phone_is_stored() {
    let env = Env::new();
    let code = card(&env, env.unit_a);
    let (ua, fwd, peer) = (
        "ProbePhone/9.9 (Feltlogg-test)",
        "198.51.100.23",
        "203.0.113.77",
    );
    let tok = token(&env, &code);
    let body = form_body(&[
        ("token", &tok),
        ("overall", "5"),
        ("age", "16_18"),
        ("text", "Takk for praten"),
    ]);
    let headers = [
        ("user-agent", ua),
        ("x-forwarded-for", fwd),
        ("accept-language", "en-GB"),
        ("cookie", "fl_probe=cookie-value-77"),
    ];
    let r = env
        .send(public("POST", &format!("/u/{code}"), body, peer, &headers))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Thank you!"), "the browser's language");
    assert!(r.cookies.is_empty());
    let columns: Vec<String> = env.db(|c| {
        let mut s = c.prepare("SELECT name FROM pragma_table_info('feedback_answers')")?;
        s.query_map([], |r| r.get(0))?.collect()
    });
    assert_eq!(
        columns,
        [
            "id",
            "unit_id",
            "day",
            "age_group",
            "easy_to_reach",
            "listened",
            "helped",
            "trust",
            "overall",
            "free_text"
        ]
    );
    // Every value of every table, as text: none holds the browser, an
    // address, a cookie, or the code (in the clear).
    let dump: String = env.db(|c| {
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = String::new();
        for t in tables {
            let mut s = c.prepare(&format!("SELECT * FROM \"{t}\""))?;
            let n = s.column_count();
            let mut rows = s.query([])?;
            while let Some(row) = rows.next()? {
                for i in 0..n {
                    let v: rusqlite::types::Value = row.get(i)?;
                    out.push_str(&format!("{v:?}|"));
                }
            }
        }
        Ok(out)
    });
    for probe in [
        "ProbePhone",
        fwd,
        peer,
        "cookie-value-77",
        "en-GB",
        code.as_str(),
    ] {
        assert!(!dump.contains(probe), "{probe} is stored");
    }
    assert!(
        dump.contains("Takk for praten"),
        "the dump does read the answers"
    );
    let day: String = env.db(|c| c.query_row("SELECT day FROM feedback_answers", [], |r| r.get(0)));
    assert_eq!(day.len(), 10, "a date, no time of day: {day}");
}

#[test]
fn the_command_line_prints_cards_to_a_new_file_and_audits_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("cli.db");
    let state = feltlogg_server::AppState::open(&db).expect("state");
    state
        .db
        .write_blocking(|c| {
            feltlogg_server::admin::add_unit(
                c,
                &crate::util::operator(),
                "Ute Kort",
                "030103",
                now_ms(),
            )
        })
        .expect("unit");
    drop(state);
    let out = dir.path().join("kort.html");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_feltlogg-server"))
            .args([
                "--db",
                &db.to_string_lossy(),
                "feedback-cards",
                "--unit",
                "Ute Kort",
            ])
            .args(["--count", "3", "--out", &out.to_string_lossy()])
            .args(["--public-url", "https://feltlogg.example.no"])
            .args(["--by", "drift"])
            .output()
            .expect("run")
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let page = std::fs::read_to_string(&out).expect("file");
    assert_eq!(page.matches("<svg class=\"qr\"").count(), 3);
    assert_eq!(
        page.matches("https://feltlogg.example.no/u/").count(),
        6,
        "link and text"
    );
    assert!(page.contains("<style>"), "the file carries its stylesheet");
    let second = run();
    assert!(
        !second.status.success(),
        "an existing file is never overwritten"
    );
    assert_eq!(std::fs::read_to_string(&out).expect("file"), page);
    let state = feltlogg_server::AppState::open(&db).expect("state");
    let (codes, audit): (i64, String) = state
        .db
        .with(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM feedback_codes),
                        (SELECT username || ' ' || target || ' ' || detail FROM audit_log WHERE action = 'feedback_cards_print')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(feltlogg_server::ApiError::from)
        })
        .expect("query");
    assert_eq!(codes, 3, "the refused second run stored no codes");
    assert!(
        audit.starts_with("drift Ute Kort cards=3 valid_until="),
        "{audit}"
    );
}
