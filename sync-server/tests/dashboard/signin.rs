//! Sign-in against the real server on a loopback port, as an attacker
//! would try it: parallel guessing against one account, guesses sprayed
//! over many accounts between the attacker's own sign-ins, a known
//! browser signing in while its account is under attack, redirect
//! parameters aimed off-site, and the security headers on every kind of
//! route. Clients bind their own 127.0.0.x source address (the server
//! trusts only the socket's peer address).

use crate::util::{Env, PASSWORD, Served};
use feltlogg_server::web::auth::throttle::{ACCOUNT, ADDRESS};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

/// A browser at 127.0.0.`host`: its own cookie jar, redirects not followed.
#[derive(Clone, Debug)]
pub struct Browser {
    client: reqwest::Client,
    base: String,
    pub cookies: HashMap<String, String>,
}

/// What a request answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Browser {
    pub fn at(served: &Served, host: u8) -> Self {
        let client = reqwest::Client::builder()
            .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(format!("TestBrowser/{host}"))
            .build()
            .expect("client");
        Self {
            client,
            base: served.base.clone(),
            cookies: HashMap::new(),
        }
    }

    fn jar(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn answer(&mut self, resp: reqwest::Response) -> Answer {
        for c in resp.headers().get_all(SET_COOKIE) {
            let c = c.to_str().expect("ascii cookie");
            let (k, rest) = c.split_once('=').expect("cookie");
            let v = rest.split(';').next().unwrap_or("");
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        Answer {
            status: resp.status(),
            location: resp
                .headers()
                .get(LOCATION)
                .map(|l| l.to_str().expect("ascii").to_owned()),
            headers: resp.headers().clone(),
            body: resp.text().await.expect("body"),
        }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.jar())
            .send()
            .await
            .expect("get");
        self.answer(resp).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.jar())
            .form(form)
            .send()
            .await
            .expect("post");
        self.answer(resp).await
    }

    /// Opens the sign-in form (for its double-submit cookie) and posts it.
    pub async fn sign_in(&mut self, username: &str, password: &str, next: &str) -> Answer {
        if !self.cookies.contains_key("fl_login") {
            let page = self.get("/login").await;
            assert_eq!(page.status, StatusCode::OK);
        }
        let csrf = self.cookies["fl_login"].clone();
        let form = [
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("next", next),
        ];
        self.post("/login", &form).await
    }
}

#[tokio::test]
async fn two_hundred_parallel_wrong_passwords_check_at_most_the_free_tries() {
    let env = Env::new();
    let served = env.serve().await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200u8 {
        // Ten addresses: the account's own count must hold, not the address's.
        let mut b = Browser::at(&served, 2 + i % 10);
        tasks.spawn(async move {
            b.sign_in("lead.a", &format!("feil-{i}"), "/review")
                .await
                .status
        });
    }
    let mut by_status: HashMap<u16, usize> = HashMap::new();
    while let Some(status) = tasks.join_next().await {
        *by_status.entry(status.expect("task").as_u16()).or_default() += 1;
    }
    let checked = by_status.get(&401).copied().unwrap_or(0);
    let refused = by_status.get(&429).copied().unwrap_or(0);
    println!("200 parallel wrong passwords: {checked} checked, {refused} refused unchecked");
    assert!(checked <= ACCOUNT.free as usize, "{by_status:?}");
    assert_eq!(checked + refused, 200, "{by_status:?}");
    assert_eq!(env.audit_count("login_failed"), checked as i64);
    // The right password from a stranger's browser waits too.
    let mut stranger = Browser::at(&served, 40);
    let r = stranger.sign_in("lead.a", PASSWORD, "/review").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("sekunder"), "{}", r.body);
}

#[tokio::test]
async fn guesses_sprayed_over_accounts_stop_at_the_address_limit_and_own_sign_ins_reset_nothing() {
    let env = Env::new();
    let victims: Vec<String> = (0..30).map(|i| format!("victim{i:02}")).collect();
    for v in &victims {
        env.extra_lead(v);
    }
    let served = env.serve().await;
    let mut attacker = Browser::at(&served, 20);
    let (mut checked, mut refused) = (0, 0);
    for (i, v) in victims.iter().enumerate() {
        if i % 2 == 0 {
            // The attacker's own account, right password: signs in every time.
            let own = attacker.sign_in("lead.b", PASSWORD, "/review").await;
            assert_eq!(own.status, StatusCode::SEE_OTHER, "own sign-in {i}");
            attacker.cookies.remove("fl_session");
        }
        match attacker.sign_in(v, "sommer2026", "/review").await.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("guess {i}: {other}"),
        }
    }
    println!(
        "30 sprayed guesses with 15 own sign-ins between: {checked} checked, {refused} refused"
    );
    assert_eq!(checked, ADDRESS.free, "the address's allowance, no more");
    assert_eq!(refused, 30 - ADDRESS.free);
    // The first victim's failure still counts: from a fresh address, four
    // more wrong tries are checked and the fifth waits.
    let mut other = Browser::at(&served, 21);
    for k in 1..ACCOUNT.free {
        let r = other
            .sign_in("victim00", &format!("feil-{k}"), "/review")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "try {k}");
    }
    let r = other.sign_in("victim00", "feil-siste", "/review").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_known_browser_signs_in_while_its_account_is_under_attack() {
    let env = Env::new();
    let served = env.serve().await;
    // Lead A's own browser signed in yesterday and keeps its device cookie.
    let mut own = Browser::at(&served, 30);
    let first = own.sign_in("lead.a", PASSWORD, "/review").await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let device = first
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("fl_device="))
        .expect("device cookie");
    assert!(
        device.contains("Path=/login;") && device.contains("HttpOnly"),
        "{device}"
    );
    own.cookies.remove("fl_session");
    // Strangers at three addresses guess at the account until it waits.
    for i in 0..12u8 {
        let mut b = Browser::at(&served, 31 + i % 3);
        let r = b.sign_in("lead.a", "gjetning", "/review").await;
        assert!(
            matches!(
                r.status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
            "{}",
            r.status
        );
    }
    let mut stranger = Browser::at(&served, 34);
    let r = stranger.sign_in("lead.a", PASSWORD, "/review").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "a stranger waits");
    // The known browser signs in, from its own address and from the
    // attacker's (one shared address, as behind a proxy).
    let r = own.sign_in("lead.a", PASSWORD, "/review").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut same_address = Browser::at(&served, 31);
    same_address.cookies = own.cookies.clone();
    same_address.cookies.remove("fl_session");
    let r = same_address.sign_in("lead.a", PASSWORD, "/review").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Its cookie is bound to lead A: on lead B it counts as any browser,
    // against lead B's own (untouched) allowance.
    let mut wrong = own.clone();
    wrong.cookies.remove("fl_session");
    let r = wrong.sign_in("lead.b", "feil", "/review").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Every way we know to make a browser leave the site.
const OFF_SITE: [&str; 9] = [
    "//evil.example",
    "/\tevil.example",
    "/%09/evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "https://evil.example",
    "%0d%0aSet-Cookie:%20x=y",
    "/x\r\nSet-Cookie: x=y",
    "/%2F%2Fevil.example",
];

fn assert_same_origin(what: &str, r: &Answer) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
    assert_eq!(r.location.as_deref(), Some("/"), "{what}");
    assert!(r.headers.get("x").is_none(), "{what}: header injected");
}

#[tokio::test]
async fn every_redirect_parameter_stays_on_this_site() {
    let env = Env::new();
    let served = env.serve().await;
    let mut b = Browser::at(&served, 50);
    for bad in OFF_SITE {
        let q = feltlogg_server::web::html::url_encode(bad);
        for lang in ["en", "nb"] {
            let r = b.get(&format!("/lang/{lang}?back={q}")).await;
            assert_same_origin(&format!("back={bad:?}"), &r);
        }
        // Raw, as typed in an address bar: the server decodes it itself.
        if !bad.contains(['\r', '\n', '\t', '\\']) {
            let r = b.get(&format!("/lang/en?back={bad}")).await;
            assert_same_origin(&format!("raw back={bad:?}"), &r);
        }
        let page = b.get(&format!("/login?next={q}")).await;
        assert!(page.body.contains("name=\"next\" value=\"/\""), "{bad:?}");
        let r = b.sign_in("lead.a", PASSWORD, bad).await;
        assert_same_origin(&format!("next={bad:?}"), &r);
        b.cookies.remove("fl_session");
    }
    // A local target still works.
    let r = b.sign_in("lead.a", PASSWORD, "/figures?kind=year").await;
    assert_eq!(r.location.as_deref(), Some("/figures?kind=year"));
}

fn assert_headers(what: &str, r: &Answer, hsts: bool) {
    let h = &r.headers;
    let csp = h
        .get("content-security-policy")
        .map(|v| v.to_str().expect("csp"));
    assert!(
        csp.is_some_and(|c| c.contains("frame-ancestors 'none'")),
        "{what}: {h:?}"
    );
    assert_eq!(
        h.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..]),
        "{what}"
    );
    assert_eq!(
        h.get("x-frame-options").map(|v| v.as_bytes()),
        Some(&b"DENY"[..]),
        "{what}"
    );
    assert_eq!(
        h.get("referrer-policy").map(|v| v.as_bytes()),
        Some(&b"no-referrer"[..]),
        "{what}"
    );
    assert_eq!(
        h.get("strict-transport-security").is_some(),
        hsts,
        "{what}: HSTS"
    );
}

async fn every_route_kind(served: &Served, hsts: bool) {
    let mut b = Browser::at(served, 60);
    let kinds = [
        ("health", b.get("/healthz").await),
        ("api 404", b.get("/api/v1/nothing-here").await),
        ("api error", b.post("/api/v1/sync/push", &[]).await),
        ("static", b.get("/static/dashboard.css").await),
        ("page", b.get("/login").await),
        ("redirect", b.get("/review").await),
        ("404", b.get("/no/such/page").await),
        ("error page", b.post("/login", &[("csrf", "x")]).await),
    ];
    for (what, r) in &kinds {
        assert_headers(what, r, hsts);
    }
    let cookie = kinds[4].1.headers.get(SET_COOKIE).expect("login cookie");
    assert_eq!(cookie.to_str().expect("ascii").contains("; Secure"), hsts);
}

#[tokio::test]
async fn security_headers_are_on_every_route_kind_and_https_adds_hsts_and_secure() {
    let mut env = Env::new();
    every_route_kind(&env.serve().await, false).await;
    let mut https = crate::util::both_ways();
    https.public_url = Some("https://feltlogg.example.no".into());
    env.set_auth(https);
    every_route_kind(&env.serve().await, true).await;
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("csrf input") + 19;
    html[at..].split('"').next().expect("value").to_owned()
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_signs_out_everywhere_and_an_admin_ends_others() {
    let env = Env::new();
    let served = env.serve().await;
    let mut phone = Browser::at(&served, 70);
    let mut office = Browser::at(&served, 71);
    for b in [&mut phone, &mut office] {
        assert_eq!(
            b.sign_in("lead.a", PASSWORD, "/review").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let page = office.get("/account/sessions").await;
    assert_eq!(page.status, StatusCode::OK);
    for seen in [
        "TestBrowser/70",
        "TestBrowser/71",
        "127.0.0.70",
        "127.0.0.71",
        "password",
        "(denne)",
    ] {
        assert!(page.body.contains(seen), "{seen} not listed");
    }
    let csrf = csrf_of(&page.body);
    let r = office
        .post("/account/sessions/end-all", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/login"));
    for b in [&mut phone, &mut office] {
        let r = b.get("/review").await;
        assert!(
            r.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/login?")),
            "still signed in"
        );
    }
    assert_eq!(env.audit_count("sessions_end_all"), 1);
    // An admin ends lead B's sessions from lead B's page.
    let mut lead_b = Browser::at(&served, 72);
    assert_eq!(
        lead_b.sign_in("lead.b", PASSWORD, "/review").await.status,
        StatusCode::SEE_OTHER
    );
    let mut admin = Browser::at(&served, 73);
    assert_eq!(
        admin.sign_in("admin", PASSWORD, "/review").await.status,
        StatusCode::SEE_OTHER
    );
    let page = admin
        .get(&format!("/admin/users/{}/sign-in", env.lead_b))
        .await;
    assert!(
        page.body.contains("TestBrowser/72"),
        "lead B's session listed"
    );
    let csrf = csrf_of(&page.body);
    let path = format!("/admin/users/{}/sessions/end", env.lead_b);
    assert_eq!(
        admin.post(&path, &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = lead_b.get("/review").await;
    assert!(
        r.location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login?")),
        "lead B still signed in"
    );
    assert_eq!(env.audit_count("sessions_end"), 1);
    // Sign-ins and failures carry their method in the audit log.
    let failed = admin.sign_in("admin", "feil", "/review").await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    let methods = env.db(|c| {
        c.query_row(
            "SELECT count(*) FROM audit_log WHERE action IN ('login', 'login_failed') AND detail = 'method=password'",
            [],
            |r| r.get::<_, i64>(0),
        )
    });
    assert_eq!(methods, 5);
}

#[tokio::test]
async fn a_subject_links_one_user_only_and_the_link_is_audited() {
    let env = Env::new();
    let admin = env.session(crate::util::Who::Admin).expect("admin");
    let path_a = format!("/admin/users/{}/oidc", env.lead_a);
    let r = env
        .post(
            Some(&admin),
            &path_a,
            &[("subject", "sub-1"), ("email", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let path_b = format!("/admin/users/{}/oidc", env.lead_b);
    let r = env
        .post(
            Some(&admin),
            &path_b,
            &[("subject", "sub-1"), ("email", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text().contains("already linked to another user"),
        "{}",
        r.text()
    );
    assert_eq!(env.audit_count("oidc_link"), 1);
    let page = env
        .get(
            Some(&admin),
            &format!("/admin/users/{}/sign-in", env.lead_a),
        )
        .await;
    assert!(page.text().contains("value=\"sub-1\""));
}
