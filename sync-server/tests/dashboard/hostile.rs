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

use crate::feedback::{answers, card, last_quarter, token};
use crate::util::{Env, HOUR, PASSWORD, Served, Who};
use feltlogg_core::change::{Change, RecordState};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ReferralId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Record, Referral, Shift, ShiftMember};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    ShiftStatus, Topic,
};
use feltlogg_server::auth::sha256;
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::refusals::{self, NewRefusal};
use feltlogg_server::db::sessions::{self, Origin};
use feltlogg_server::db::{areas, losses, records, users};
use feltlogg_server::now_ms;
use feltlogg_server::web::html::url_encode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

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
type Page = (String, u16, String);

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

/// What the seeding made.
struct Seeded {
    unit: UnitId,
    lead: UserId,
    lead_session: (String, String),
    queued: ShiftId,
    returned: ShiftId,
    quarter: String,
}

/// Puts every hostile value where a person would: through the admin's
/// forms where the dashboard has one, else as the phone or youth would
/// have left it in the database.
async fn seed(
    env: &Env,
    web: &Web,
    admin: &(String, String),
    h: &Values,
    pages: &mut Vec<Page>,
) -> Result<Seeded, String> {
    env.db(|c| {
        areas::insert(
            c,
            &feltlogg_core::area::Area {
                code: "039901".into(),
                name: h.get("area").into(),
            },
        )
    });
    // Each answer is a page too (a form sent back shows what was sent).
    let mut expect = |what: &str, page: Page, want: &[u16]| {
        let status = page.1;
        if want.contains(&status) {
            pages.push(page);
            Ok(())
        } else {
            Err(format!("{what}: status {status}: {}", page.2))
        }
    };
    let r = web
        .post(
            Some(admin),
            "/admin/units",
            &[("name", h.get("unit")), ("bydel", "039901")],
        )
        .await;
    expect("unit add", r, &[303])?;
    let unit = env
        .db(|c| feltlogg_server::db::units::find(c, h.get("unit")))
        .ok_or("the unit was not stored")?
        .id;
    let u = unit.to_string();
    for (name, display, role) in [
        (h.get("username"), h.get("display"), "worker"),
        (h.get("lead"), h.get("display"), "team_lead"),
    ] {
        let fields = [
            ("username", name),
            ("display_name", display),
            ("role", role),
            ("unit", u.as_str()),
            ("pin", if role == "worker" { "482913" } else { "" }),
            ("password", if role == "worker" { "" } else { PASSWORD }),
        ];
        expect(
            "user add",
            web.post(Some(admin), "/admin/users", &fields).await,
            &[303],
        )?;
    }
    let listed = env.db(|c| users::list(c));
    let id_of = |name: &str| listed.iter().find(|l| l.username == name).map(|l| l.id);
    let worker = id_of(h.get("username")).ok_or("worker not stored")?;
    let lead = id_of(h.get("lead")).ok_or("lead not stored")?;
    let r = web
        .post(
            Some(admin),
            &format!("/admin/users/{lead}/oidc"),
            &[("subject", h.get("subject")), ("email", "")],
        )
        .await;
    expect("oidc link", r, &[303])?;
    let r = web
        .post(
            Some(admin),
            &format!("/words/{unit}/add"),
            &[("word", h.get("word"))],
        )
        .await;
    expect("word add", r, &[303])?;
    let queued = shift(env, unit, [worker, env.workers_a[0]], h);
    let returned = shift(env, unit, [worker, env.workers_a[0]], h);
    let r = web
        .post(
            Some(admin),
            &format!("/shifts/{returned}/return"),
            &[("comment", h.get("comment"))],
        )
        .await;
    // The screen may take a fragment for a name and send the form back.
    expect("return", r, &[303, 400])?;
    phone(env, unit, queued, h.get("device"))?;
    let (_, _, day) = last_quarter();
    answers(env, unit, day, 7, Some(h.get("feedback")));
    let (y, q, _) = last_quarter();
    let lead_session = session_with_agent(env, lead, h.get("agent"));
    // The admin's own session gets the agent too, for the admin's page.
    let _ = session_with_agent(env, env.admin, h.get("agent"));
    Ok(Seeded {
        unit,
        lead,
        lead_session,
        queued,
        returned,
        quarter: format!("/feedback?kind=quarter&year={y}&quarter={q}"),
    })
}

/// A session of `user` begun from a browser calling itself `agent`.
fn session_with_agent(env: &Env, user: UserId, agent: &str) -> (String, String) {
    let token = format!("token-{}", uuid::Uuid::now_v7());
    let csrf = format!("csrf-{}", uuid::Uuid::now_v7());
    let origin = Origin {
        addr: "127.0.0.1".into(),
        user_agent: agent.into(),
        method: "password".into(),
    };
    let now = now_ms();
    env.db(|c| {
        sessions::insert_from(
            c,
            &sha256(token.as_bytes()),
            user,
            &csrf,
            &origin,
            now,
            now + HOUR,
        )
    });
    (token, csrf)
}

/// A phone named `name` in `unit`: a refused change of `shift` and a lost
/// batch reported by it.
fn phone(env: &Env, unit: UnitId, shift: ShiftId, name: &str) -> Result<(), String> {
    let (signer, _) = feltlogg_core::sync::SigningKey::generate().map_err(|e| e.to_string())?;
    let server = env.state.server_public;
    let device = env
        .state
        .db
        .with(|c| {
            let code = feltlogg_server::admin::make_enrol_code(c, &unit.to_string(), 60, now_ms())?;
            let req = feltlogg_core::sync::api::EnrolRequest {
                code,
                device_public_key: signer.public_key().to_base64(),
                device_name: name.into(),
            };
            feltlogg_server::enrol::enrol(c, &req, &server, now_ms())
        })
        .map_err(|e| format!("enrol: {e}"))?
        .device_id;
    let change = Change {
        kind: feltlogg_core::record::RecordKind::Shift,
        id: shift.uuid(),
        fields: Default::default(),
        hlc: stamp(),
    };
    env.db(|c| {
        let r = NewRefusal {
            device_id: device,
            unit_id: unit,
            batch_seq: 1,
            change: &change,
            code: "shift_locked",
            reason: "the shift is locked",
        };
        refusals::insert(c, &r, now_ms())?;
        losses::insert_batch_loss(c, device, 1, 3, now_ms())
    });
    Ok(())
}

fn stamp() -> Hlc {
    Hlc {
        wall_ms: now_ms(),
        counter: 0,
        device: DeviceId(uuid::Uuid::now_v7()),
    }
}

/// A closed shift of `unit` with every free text hostile (the encounter's
/// note with a phone number too, so the old-data scan lists it).
fn shift(env: &Env, unit: UnitId, workers: [UserId; 2], h: &Values) -> ShiftId {
    let started = now_ms() - 30 * HOUR;
    let closed = started + 3 * HOUR;
    let s = Shift {
        id: ShiftId::new(),
        unit_id: unit,
        bydel: "039901".into(),
        area_note: h.get("area_note").into(),
        started_ms: started,
        closed_ms: Some(closed),
        status: ShiftStatus::Closed,
        reflection: Some(h.get("reflection").into()),
        not_a_person: Vec::new(),
    };
    let mut recs = vec![(s.id.uuid(), state_of(&s))];
    for w in workers {
        let m = ShiftMember {
            id: MemberId::new(),
            shift_id: s.id,
            worker_id: w,
            checked_in_ms: started,
            checked_out_ms: Some(closed),
        };
        recs.push((m.id.uuid(), state_of(&m)));
    }
    let e = Encounter {
        id: EncounterId::new(),
        shift_id: s.id,
        at_ms: started + HOUR,
        bydel: "039901".into(),
        place_type: PlaceType::Park,
        youth_count: 2,
        age_group: AgeGroup::From13To15,
        gender: Gender::Girl,
        contact_kind: ContactKind::New,
        topics: vec![Topic::School],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: Some(format!("{} 91234567", h.get("enc_note"))),
        not_a_person: Vec::new(),
    };
    let r = Referral {
        id: ReferralId::new(),
        encounter_id: e.id,
        shift_id: s.id,
        service: ReferralService::ALL[0],
        status: ReferralStatus::ALL[0],
        note: Some(h.get("ref_note").into()),
        not_a_person: Vec::new(),
    };
    recs.push((e.id.uuid(), state_of(&e)));
    recs.push((r.id.uuid(), state_of(&r)));
    env.db(|c| {
        let codes = &mut LazyCodes::default();
        for (id, st) in &recs {
            records::upsert(c, codes, *id, unit, st, None, now_ms())?;
        }
        Ok(())
    });
    s.id
}

fn state_of<R: Record>(record: &R) -> RecordState {
    RecordState::of_record(record, stamp())
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn csrf_of(html: &str) -> String {
    let Some(at) = html.find("name=\"csrf\" value=\"") else {
        return String::new();
    };
    html[at + 19..].split('"').next().unwrap_or("").to_owned()
}

/// A response: the page, and the cookies it set (`a=b; c=d`).
struct Answer {
    page: Page,
    cookie: Option<String>,
}

/// An HTTP client on the served fixture; redirects are not followed.
struct Web {
    base: String,
    client: reqwest::Client,
}

impl Web {
    fn new(served: &Served) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base: served.base.clone(),
            client,
        }
    }

    async fn get(&self, session: Option<&(String, String)>, path: &str) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some((token, _)) = session {
            req = req.header("cookie", format!("fl_session={token}"));
        }
        Self::answer(format!("GET {path}"), req).await.page
    }

    async fn post(
        &self,
        session: Option<&(String, String)>,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut all = fields.to_vec();
        let cookie = session.map(|(token, csrf)| {
            all.push(("csrf", csrf.as_str()));
            format!("fl_session={token}")
        });
        self.send_raw("POST", path, cookie.as_deref(), form(&all))
            .await
            .page
    }

    async fn send_raw(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: String,
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        Self::answer(format!("{method} {path}"), req).await
    }

    async fn answer(what: String, req: reqwest::RequestBuilder) -> Answer {
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let cookies: Vec<&str> = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect();
        let cookie = (!cookies.is_empty()).then(|| cookies.join("; "));
        let body = resp.text().await.expect("body");
        Answer {
            page: (what, status, body),
            cookie,
        }
    }
}
