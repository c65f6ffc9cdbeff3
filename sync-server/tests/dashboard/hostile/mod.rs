//! Hostile strings in every field a person can set (issue 19): a unit's
//! and an area's name, a user's display and user name, an OpenID subject,
//! a unit word, a shift's area note and reflection, an encounter's and a
//! referral's note, a return comment, a phone's name, a youth's feedback
//! text and form text, a browser's User-Agent, and values echoed from the
//! request (a sign-in name, `next`, period fields). Each value mixes
//! `<script>`, quotes, `&`, `<img onerror>` and the bidi controls U+202E
//! and U+2066. Every dashboard page that shows one is fetched from the
//! real server on a loopback port, over a real SQLite file; none may hold
//! a value unescaped, nor any `<script` or `<img`, and each value must be
//! seen escaped somewhere (so a page that stopped showing a field would
//! not pass by showing nothing).

mod seed;
mod web;

use crate::feedback::{card, token};
use crate::util::{Env, Who};
use feltlogg_core::ids::UnitId;
use feltlogg_server::web::html::url_encode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use seed::seed;
use web::{Web, csrf_of, form};

/// The pieces a hostile value is made of.
const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "\" onmouseover=\"alert(4)",
    "' onfocus='alert(5)",
    "&amp;&lt;&#39;&",
    "\u{202E}kcatta",
    "\u{2066}isolert\u{2069}",
    "Åse Ø'Brien",
    "</textarea></title></style>",
];

/// Every field a person can set, how many fragments fit its limits, and
/// whether a page shows it as given (an error message quotes a bad value
/// in Rust's `{:?}` form instead, which escapes quotes and bidi marks).
const FIELDS: &[(&str, usize, bool)] = &[
    ("unit", 3, true),
    ("area", 3, true),
    ("display", 3, true),
    ("username", 1, true),
    ("lead", 1, true),
    ("subject", 2, true),
    ("word", 1, true),
    ("area_note", 3, true),
    ("reflection", 3, true),
    ("enc_note", 3, true),
    ("ref_note", 3, true),
    ("comment", 3, true),
    ("device", 1, true),
    ("feedback", 3, true),
    ("agent", 3, true),
    ("login", 1, true),
    ("next", 2, true),
    ("period", 2, false),
    ("youth", 2, true),
    ("provider", 2, true),
];

/// One hostile value per field, in [`FIELDS`] order. Each starts with a
/// tag naming its field and holds `<`, `"` and `&`, so no escaped form of
/// it equals the value itself.
fn hostile_values() -> impl Strategy<Value = Vec<String>> {
    let per_field: Vec<_> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, (field, most, _))| {
            let next = *field == "next";
            prop::collection::vec(prop::sample::select(FRAGMENTS), 1..=*most).prop_map(
                move |parts| {
                    let v = format!("F{i}<\"&'{}", parts.concat());
                    if next {
                        // `next` must look like a local path to be kept.
                        let kept: String = v
                            .chars()
                            .filter(|c| c.is_ascii_graphic() && *c != '\\')
                            .collect();
                        format!("/{kept}")
                    } else {
                        v
                    }
                },
            )
        })
        .collect();
    per_field
}

/// `text` as maud escapes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Values(Vec<String>);

impl Values {
    fn get(&self, field: &str) -> &str {
        let at = FIELDS
            .iter()
            .position(|(f, _, _)| *f == field)
            .expect("field");
        &self.0[at]
    }
}

#[test]
fn every_page_escapes_hostile_strings_in_every_field_a_person_sets() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runner
        .run(&hostile_values(), |values| {
            rt.block_on(render_every_page(Values(values)))
                .map_err(TestCaseError::fail)
        })
        .expect("no page shows a hostile value unescaped");
}

/// A page fetched: what, status, body.
pub(super) type Page = (String, u16, String);

async fn render_every_page(h: Values) -> Result<(), String> {
    let env = Env::new();
    let served = env.serve().await;
    let web = Web::new(&served);
    let admin = env.session(Who::Admin).expect("admin");
    let mut pages = Vec::new();
    let seeded = seed(&env, &web, &admin, &h, &mut pages).await?;
    let admin_paths = [
        "/review".to_owned(),
        "/review/refusals".to_owned(),
        "/review/screen".to_owned(),
        format!("/shifts/{}", seeded.queued),
        format!("/shifts/{}", seeded.returned),
        "/export".to_owned(),
        "/figures".to_owned(),
        format!(
            "/figures?kind=range&from={}&to={}",
            url_encode(h.get("period")),
            url_encode(h.get("period"))
        ),
        "/words".to_owned(),
        format!("/words/{}", seeded.unit),
        "/words/municipality".to_owned(),
        seeded.quarter.clone(),
        "/feedback/cards".to_owned(),
        "/admin/units".to_owned(),
        "/admin/users".to_owned(),
        "/admin/devices".to_owned(),
        "/admin/audit".to_owned(),
        "/account/sessions".to_owned(),
        format!("/admin/users/{}/sign-in", seeded.lead),
    ];
    for path in &admin_paths {
        pages.push(web.get(Some(&admin), path).await);
    }
    let lead_paths = [
        "/review".to_owned(),
        "/review/screen".to_owned(),
        format!("/shifts/{}", seeded.queued),
        seeded.quarter.clone(),
        "/export".to_owned(),
        "/account/sessions".to_owned(),
        format!("/words/{}", seeded.unit),
    ];
    for path in &lead_paths {
        pages.push(web.get(Some(&seeded.lead_session), path).await);
    }
    pages.push(
        web.post(
            Some(&admin),
            "/export",
            &[
                ("kind", "range"),
                ("from", h.get("period")),
                ("to", "x"),
                ("format", "csv"),
            ],
        )
        .await,
    );
    pages.push(
        web.post(
            Some(&admin),
            "/feedback/cards",
            &[
                ("unit", &seeded.unit.to_string()),
                ("count", "1"),
                ("valid_months", "1"),
            ],
        )
        .await,
    );
    pages.extend(anonymous_pages(&env, &web, &h, seeded.unit).await);
    check(&pages, &h)
}

/// The pages anyone can reach: sign-in (with a name and `next` echoed)
/// and the youths' form (with its text echoed).
async fn anonymous_pages(env: &Env, web: &Web, h: &Values, unit: UnitId) -> Vec<Page> {
    let mut pages = vec![
        web.get(None, &format!("/login?next={}", url_encode(h.get("next"))))
            .await,
    ];
    let login = web.send_raw("GET", "/login", None, String::new()).await;
    let cookie = login.cookie.clone().unwrap_or_default();
    let csrf = csrf_of(&login.page.2);
    let body = form(&[
        ("csrf", &csrf),
        ("next", h.get("next")),
        ("username", h.get("login")),
        ("password", "wrong-password-here"),
    ]);
    pages.push(
        web.send_raw("POST", "/login", Some(&cookie), body)
            .await
            .page,
    );
    pages.push(login.page);
    // An OpenID provider's error, echoed on the failure page.
    let path = format!(
        "/login/oidc/callback?error={}",
        url_encode(h.get("provider"))
    );
    pages.push(web.get(None, &path).await);
    let code = card(env, unit);
    pages.push(web.get(None, &format!("/u/{code}")).await);
    // A phone number in the text makes the screen send the form back with
    // the text marked; without one the thank-you page follows.
    let text = format!("{} 91234567", h.get("youth"));
    let body = form(&[("token", &token(env, &code)), ("text", &text)]);
    pages.push(
        web.send_raw("POST", &format!("/u/{code}"), None, body)
            .await
            .page,
    );
    pages
}

/// No page answered 500, none holds a value unescaped or a `<script` or
/// `<img` tag (the dashboard has none of its own), and every value shown
/// as given is seen escaped on some page.
fn check(pages: &[Page], h: &Values) -> Result<(), String> {
    for (what, status, html) in pages {
        if *status >= 500 {
            return Err(format!("{what}: status {status}"));
        }
        for ((field, _, _), v) in FIELDS.iter().zip(&h.0) {
            if html.contains(v.as_str()) {
                return Err(format!(
                    "{what}: the {field} value {v:?} is in the page unescaped"
                ));
            }
        }
        let lower = html.to_lowercase();
        for tag in ["<script", "<img"] {
            if lower.contains(tag) {
                return Err(format!("{what}: {tag} in the page"));
            }
        }
    }
    let all: String = pages.iter().map(|(_, _, html)| html.as_str()).collect();
    for ((field, _, shown), v) in FIELDS.iter().zip(&h.0) {
        if *shown && !all.contains(&escaped(v)) {
            return Err(format!("the {field} value {v:?} is shown on no page"));
        }
    }
    Ok(())
}
