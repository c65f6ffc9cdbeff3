//! Route-by-route authorisation: for every dashboard route and every role
//! (anonymous, worker, team lead of unit A, team lead of unit B, admin),
//! the expected allow or deny, and no effect when denied.

use crate::screen::{PHONE_NOTE, note_of, noted_encounter};
use crate::util::{EVERYONE, Env, Resp, Who};
use crate::words::confirmed_encounter;
use axum::http::StatusCode;
use feltlogg_core::ShiftStatus;
use feltlogg_server::db::{unit_words, units};

/// What a route may do for a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Allow,
    /// Not signed in (or a worker): sent to sign in, or refused.
    Deny,
}

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Team leads and admins.
    Leads,
    /// Team leads of unit A (the target's unit) and admins.
    UnitA,
    /// Admins only.
    Admins,
}

fn expect(rule: Rule, who: Who) -> Expect {
    let allow = match (rule, who) {
        (Rule::Public, _) => true,
        (_, Who::Anonymous | Who::Worker) => false,
        (Rule::Leads, _) => true,
        (Rule::UnitA, w) => matches!(w, Who::LeadA | Who::Admin),
        (Rule::Admins, w) => w == Who::Admin,
    };
    if allow { Expect::Allow } else { Expect::Deny }
}

fn is_denied(who: Who, r: &Resp) -> bool {
    match who {
        Who::Anonymous => {
            r.status == StatusCode::SEE_OTHER
                && r.location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/login?next="))
        }
        _ => matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
    }
}

pub(crate) fn is_allowed(r: &Resp) -> bool {
    // Sign-out's own redirect is to `/login`; a refusal's is `/login?next=…`.
    let to_login = r
        .location
        .as_deref()
        .is_some_and(|l| l.starts_with("/login?"));
    !to_login && matches!(r.status, StatusCode::OK | StatusCode::SEE_OTHER)
}

/// What a route acts on, fresh for each check: a closed shift of unit A,
/// a worker of A, a device of A, a noted encounter of A, the words, and a
/// feedback card.
pub(crate) struct Targets {
    pub(crate) shift_a: feltlogg_core::ids::ShiftId,
    pub(crate) target_user: feltlogg_core::ids::UserId,
    pub(crate) device: feltlogg_core::ids::DeviceId,
    pub(crate) noted: feltlogg_core::ids::EncounterId,
    words: WordTargets,
    card: String,
}

impl Targets {
    pub(crate) fn new(env: &Env, route: &str) -> Self {
        let shift_a = env.closed_shift(env.unit_a, env.workers_a, 30, 2);
        let name = format!("x{}", uuid::Uuid::now_v7().simple());
        let target_user = env.extra_worker(env.unit_a, &name);
        let (device, _) = env.device(env.unit_a);
        let (_, noted) = noted_encounter(env, env.unit_a, PHONE_NOTE, false);
        let words = WordTargets::new(env, route);
        let card = crate::feedback::card(env, env.unit_a);
        Self {
            shift_a,
            target_user,
            device,
            noted,
            words,
            card,
        }
    }
}

/// Runs one route for one role on a fresh target and checks the outcome
/// and, for a denial, that nothing changed.
async fn check(env: &Env, who: Who, route: &str, rule: Rule) {
    let session = env.session(who);
    let s = session.as_ref();
    let t = Targets::new(env, route);
    let (shift_a, device, noted) = (t.shift_a, t.device, t.noted);
    let audited_before = words_audited(env);
    let printed_before = env.audit_count("feedback_cards_print");
    let resp = send(env, s, route, &t).await;
    let want = expect(rule, who);
    let ok = match want {
        Expect::Allow => is_allowed(&resp),
        Expect::Deny => is_denied(who, &resp),
    };
    assert!(
        ok,
        "{route} as {who:?}: expected {want:?}, got {} {:?}",
        resp.status, resp.location
    );
    let decided = env.status(shift_a) != Some(ShiftStatus::Closed);
    let touched_shift = route.contains("shifts/{id}/") || route.contains("bulk-approve");
    // The target shift is unit A's: only A's lead and admins can decide it,
    // whatever the route lets in (bulk approval is open to every lead).
    let may_decide = want == Expect::Allow && expect(Rule::UnitA, who) == Expect::Allow;
    assert_eq!(
        decided,
        touched_shift && may_decide,
        "{route} as {who:?}: shift status"
    );
    let revoked = env
        .db(|c| feltlogg_server::db::devices::get(c, device))
        .expect("exists")
        .revoked_ms
        .is_some();
    assert_eq!(
        revoked,
        want == Expect::Allow && route.starts_with("POST /admin/devices/{id}/revoke"),
        "{route} as {who:?}: device"
    );
    let printed = env.audit_count("feedback_cards_print") - printed_before;
    assert_eq!(
        printed,
        i64::from(route == "POST /feedback/cards" && want == Expect::Allow),
        "{route} as {who:?}: cards printed"
    );
    // The noted encounter is unit A's: only A's lead and admins redact it.
    assert_eq!(
        note_of(env, noted) != PHONE_NOTE,
        route.contains("redact") && may_decide,
        "{route} as {who:?}: note"
    );
    // A list of words changes (audited) exactly when the route changes one
    // and lets this viewer in.
    let writes_words = route.starts_with("POST /words/") || route.contains("add-word");
    assert_eq!(
        words_audited(env) > audited_before,
        writes_words && want == Expect::Allow,
        "{route} as {who:?}: words"
    );
}

/// Sends `route` (a name from [`ROUTES`]) on the targets `t` as the
/// session `s`.
pub(crate) async fn send(
    env: &Env,
    s: Option<&(String, String)>,
    route: &str,
    t: &Targets,
) -> Resp {
    let (shift_a, target_user, device, noted) = (t.shift_a, t.target_user, t.device, t.noted);
    let card = &t.card;
    match route {
        "GET /" => env.get(s, "/").await,
        "GET /login" => env.get(s, "/login").await,
        "GET /static/dashboard.css" => env.get(s, "/static/dashboard.css").await,
        "GET /lang/en" => env.get(s, "/lang/en?back=/review").await,
        "POST /logout" => env.post(s, "/logout", &[]).await,
        "GET /review" => env.get(s, "/review").await,
        "GET /review/refusals" => env.get(s, "/review/refusals").await,
        "POST /review/bulk-approve" => {
            env.post(
                s,
                "/review/bulk-approve",
                &[("shift", &shift_a.to_string())],
            )
            .await
        }
        "GET /shifts/{id}" => env.get(s, &format!("/shifts/{shift_a}")).await,
        "POST /shifts/{id}/approve" => {
            env.post(s, &format!("/shifts/{shift_a}/approve"), &[])
                .await
        }
        "POST /shifts/{id}/return" => {
            env.post(
                s,
                &format!("/shifts/{shift_a}/return"),
                &[("comment", "Mangler kontakt")],
            )
            .await
        }
        "GET /review/screen" => env.get(s, "/review/screen").await,
        "POST /review/screen/redact" => {
            let id = noted.to_string();
            let form = [
                ("kind", "encounter"),
                ("id", id.as_str()),
                ("field", "note"),
            ];
            env.post(s, "/review/screen/redact", &form).await
        }
        "GET /export" => env.get(s, "/export").await,
        "POST /export" => {
            env.post(
                s,
                "/export",
                &[("kind", "year"), ("year", "2026"), ("format", "csv")],
            )
            .await
        }
        "POST /export format=totals" => {
            let form = [
                ("kind", "ytd"),
                ("year", "2026"),
                ("month", "8"),
                ("format", "totals"),
            ];
            env.post(s, "/export", &form).await
        }
        "GET /figures" => env.get(s, "/figures?kind=year&year=2026").await,
        "GET /admin/units" => env.get(s, "/admin/units").await,
        "POST /admin/units" => {
            let name = format!("Enhet {}", uuid::Uuid::now_v7().simple());
            env.post(s, "/admin/units", &[("name", &name), ("bydel", "030105")])
                .await
        }
        "GET /admin/users" => env.get(s, "/admin/users").await,
        "POST /admin/users" => {
            let name = format!("u{}", uuid::Uuid::now_v7().simple());
            let unit = env.unit_a.to_string();
            let fields = [
                ("username", name.as_str()),
                ("display_name", "Nina"),
                ("role", "worker"),
                ("unit", &unit),
                ("pin", "123456"),
            ];
            env.post(s, "/admin/users", &fields).await
        }
        "POST /admin/users/{id}/deactivate" => {
            env.post(s, &format!("/admin/users/{target_user}/deactivate"), &[])
                .await
        }
        "POST /admin/users/{id}/reset" => {
            env.post(
                s,
                &format!("/admin/users/{target_user}/reset"),
                &[("secret", "654321")],
            )
            .await
        }
        "POST /admin/enrol-codes" => {
            env.post(
                s,
                "/admin/enrol-codes",
                &[("unit", &env.unit_a.to_string()), ("ttl_minutes", "30")],
            )
            .await
        }
        "GET /admin/devices" => env.get(s, "/admin/devices").await,
        "GET /admin/devices/{id}/revoke" => {
            env.get(s, &format!("/admin/devices/{device}/revoke?kind=lost"))
                .await
        }
        "POST /admin/devices/{id}/revoke" => {
            env.post(
                s,
                &format!("/admin/devices/{device}/revoke"),
                &[("kind", "lost")],
            )
            .await
        }
        "POST /admin/devices/{id}/revoke kind=retire" => {
            env.post(
                s,
                &format!("/admin/devices/{device}/revoke"),
                &[("kind", "retire")],
            )
            .await
        }
        "GET /admin/audit" => env.get(s, "/admin/audit").await,
        "POST /admin/threshold" => {
            env.post(s, "/admin/threshold", &[("suppress_below", "5")])
                .await
        }
        "GET /account/sessions" => env.get(s, "/account/sessions").await,
        "POST /account/sessions/end-all" => env.post(s, "/account/sessions/end-all", &[]).await,
        "GET /admin/users/{id}/sign-in" => {
            env.get(s, &format!("/admin/users/{}/sign-in", env.lead_b))
                .await
        }
        "POST /admin/users/{id}/sessions/end" => {
            env.post(s, &format!("/admin/users/{target_user}/sessions/end"), &[])
                .await
        }
        "POST /admin/users/{id}/oidc" => {
            let path = format!("/admin/users/{target_user}/oidc");
            env.post(s, &path, &[("subject", "sub-x"), ("email", "")])
                .await
        }
        "GET /feedback" => env.get(s, "/feedback").await,
        "GET /feedback/cards" => env.get(s, "/feedback/cards").await,
        "POST /feedback/cards" => {
            let unit = env.unit_a.to_string();
            let form = [
                ("unit", unit.as_str()),
                ("count", "2"),
                ("valid_months", "6"),
            ];
            env.post(s, "/feedback/cards", &form).await
        }
        "GET /static/cards.css" => env.get(s, "/static/cards.css").await,
        "GET /static/form.css" => env.get(s, "/static/form.css").await,
        "POST /admin/feedback-threshold" => {
            env.post(s, "/admin/feedback-threshold", &[("min_answers", "7")])
                .await
        }
        "GET /u/{code}" => env.get(s, &format!("/u/{card}")).await,
        "POST /u/{code}" => {
            // Whoever is signed in, the form takes only its own fields.
            let body = format!("token={}&overall=4", crate::feedback::token(env, card));
            let mut req = axum::http::Request::post(format!("/u/{card}"))
                .header("content-type", "application/x-www-form-urlencoded");
            if let Some((token, _)) = s {
                req = req.header("cookie", format!("fl_session={token}"));
            }
            env.send(req.body(axum::body::Body::from(body)).expect("request"))
                .await
        }
        other => match t.words.request(env, s, other).await {
            Some(resp) => resp,
            None => panic!("no case for route {other}"),
        },
    }
}

/// How many changes to a list of words (or its setting) the audit log holds.
fn words_audited(env: &Env) -> i64 {
    ["word_add", "word_remove", "words_setting"]
        .iter()
        .map(|a| env.audit_count(a))
        .sum()
}

/// What the words routes act on, fresh for each check: no words on unit
/// A's list but one to remove, one on the municipality's, A's setting on,
/// and an encounter of A with a confirmed name.
struct WordTargets {
    unit_word: i64,
    municipality_word: i64,
    confirmed: Option<(feltlogg_core::ids::EncounterId, feltlogg_core::screen::Span)>,
}

impl WordTargets {
    fn new(env: &Env, route: &str) -> Self {
        let tag = uuid::Uuid::now_v7().simple().to_string();
        env.db(|c| c.execute("DELETE FROM unit_words", []));
        env.db(|c| units::set_confirmations(c, env.unit_a, true));
        env.db(|c| unit_words::insert(c, Some(env.unit_a), &format!("Ord{tag}"), "test", 0));
        env.db(|c| unit_words::insert(c, None, &format!("Felles{tag}"), "test", 0));
        let id_of = |unit| env.db(|c| unit_words::list(c, unit))[0].id;
        let confirmed = route
            .contains("add-word")
            .then(|| confirmed_encounter(env, env.unit_a))
            .map(|(_, e, span)| (e, span));
        Self {
            unit_word: id_of(Some(env.unit_a)),
            municipality_word: id_of(None),
            confirmed,
        }
    }

    async fn request(&self, env: &Env, s: Option<&(String, String)>, route: &str) -> Option<Resp> {
        let a = env.unit_a;
        let (unit_word, shared) = (
            self.unit_word.to_string(),
            self.municipality_word.to_string(),
        );
        Some(match route {
            "GET /words" => env.get(s, "/words").await,
            "GET /words/{unit}" => env.get(s, &format!("/words/{a}")).await,
            "GET /words/municipality" => env.get(s, "/words/municipality").await,
            "POST /words/{unit}/add" => {
                env.post(s, &format!("/words/{a}/add"), &[("word", "Kiwi")])
                    .await
            }
            "POST /words/{unit}/remove" => {
                env.post(s, &format!("/words/{a}/remove"), &[("id", &unit_word)])
                    .await
            }
            "POST /words/{unit}/setting" => {
                env.post(
                    s,
                    &format!("/words/{a}/setting"),
                    &[("confirmations", "off")],
                )
                .await
            }
            "POST /words/municipality/add" => {
                env.post(s, "/words/municipality/add", &[("word", "Uteseksjonen")])
                    .await
            }
            "POST /words/municipality/remove" => {
                env.post(s, "/words/municipality/remove", &[("id", &shared)])
                    .await
            }
            "POST /review/screen/add-word" => {
                let (encounter, span) = self.confirmed?;
                let (id, start, end) = (
                    encounter.to_string(),
                    span.start.to_string(),
                    span.end.to_string(),
                );
                let form = [
                    ("kind", "encounter"),
                    ("id", id.as_str()),
                    ("field", "note"),
                    ("start", start.as_str()),
                    ("end", end.as_str()),
                ];
                env.post(s, "/review/screen/add-word", &form).await
            }
            _ => return None,
        })
    }
}

/// Every dashboard route with who may use it.
pub(crate) const ROUTES: &[(&str, Rule)] = &[
    ("GET /login", Rule::Public),
    ("GET /static/dashboard.css", Rule::Public),
    ("GET /lang/en", Rule::Public),
    ("GET /", Rule::Leads),
    ("POST /logout", Rule::Leads),
    ("GET /review", Rule::Leads),
    ("GET /review/refusals", Rule::Leads),
    ("GET /review/screen", Rule::Leads),
    ("POST /review/screen/redact", Rule::UnitA),
    ("POST /review/screen/add-word", Rule::UnitA),
    ("GET /words", Rule::Leads),
    ("GET /words/{unit}", Rule::UnitA),
    ("GET /words/municipality", Rule::Leads),
    ("POST /words/{unit}/add", Rule::UnitA),
    ("POST /words/{unit}/remove", Rule::UnitA),
    ("POST /words/{unit}/setting", Rule::UnitA),
    ("POST /words/municipality/add", Rule::Admins),
    ("POST /words/municipality/remove", Rule::Admins),
    ("POST /review/bulk-approve", Rule::Leads),
    ("GET /shifts/{id}", Rule::UnitA),
    ("POST /shifts/{id}/approve", Rule::UnitA),
    ("POST /shifts/{id}/return", Rule::UnitA),
    ("GET /export", Rule::Leads),
    ("POST /export", Rule::Leads),
    // The unsuppressed totals file for the national body.
    ("POST /export format=totals", Rule::Admins),
    ("GET /figures", Rule::Leads),
    ("GET /admin/units", Rule::Admins),
    ("POST /admin/units", Rule::Admins),
    ("GET /admin/users", Rule::Admins),
    ("POST /admin/users", Rule::Admins),
    ("POST /admin/users/{id}/deactivate", Rule::Admins),
    ("POST /admin/users/{id}/reset", Rule::Admins),
    ("POST /admin/enrol-codes", Rule::Admins),
    ("GET /admin/devices", Rule::Admins),
    ("GET /admin/devices/{id}/revoke", Rule::Admins),
    ("POST /admin/devices/{id}/revoke", Rule::Admins),
    ("POST /admin/devices/{id}/revoke kind=retire", Rule::Admins),
    ("GET /admin/audit", Rule::Admins),
    ("POST /admin/threshold", Rule::Admins),
    ("GET /account/sessions", Rule::Leads),
    ("POST /account/sessions/end-all", Rule::Leads),
    ("GET /admin/users/{id}/sign-in", Rule::Admins),
    ("POST /admin/users/{id}/sessions/end", Rule::Admins),
    ("POST /admin/users/{id}/oidc", Rule::Admins),
    ("GET /feedback", Rule::Leads),
    ("GET /feedback/cards", Rule::Leads),
    ("POST /feedback/cards", Rule::UnitA),
    ("GET /static/cards.css", Rule::Public),
    ("POST /admin/feedback-threshold", Rule::Admins),
    ("GET /static/form.css", Rule::Public),
    ("GET /u/{code}", Rule::Public),
    ("POST /u/{code}", Rule::Public),
];

#[tokio::test]
async fn every_route_allows_and_denies_each_role_as_expected() {
    let env = Env::new();
    for (route, rule) in ROUTES {
        for who in EVERYONE {
            check(&env, who, route, *rule).await;
        }
    }
}

/// The same matrix with local passwords switched off (OpenID Connect only).
#[tokio::test]
async fn the_matrix_holds_with_password_sign_in_off() {
    let mut env = Env::new();
    let mut oidc_only = crate::util::both_ways();
    oidc_only.password_login = false;
    env.set_auth(oidc_only);
    for (route, rule) in ROUTES {
        for who in EVERYONE {
            check(&env, who, route, *rule).await;
        }
    }
}

/// Team lead B's bulk approval of A's shift is counted as failed and
/// changes nothing (the route itself is open to every lead).
#[tokio::test]
async fn bulk_approve_skips_shifts_of_other_units() {
    let env = Env::new();
    let a = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let b = env.closed_shift(env.unit_b, env.workers_b, 30, 1);
    let lead_b = env.session(Who::LeadB);
    let r = env
        .post(
            lead_b.as_ref(),
            "/review/bulk-approve",
            &[("shift", &a.to_string()), ("shift", &b.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/review?done=1&failed=1"));
    assert_eq!(env.status(a), Some(ShiftStatus::Closed));
    assert_eq!(env.status(b), Some(ShiftStatus::Approved));
}

/// Every POST without the session's CSRF token is refused and changes
/// nothing, for the most powerful role.
#[tokio::test]
async fn posts_without_the_csrf_token_are_refused() {
    let env = Env::new();
    let admin = env.session(Who::Admin);
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let (device, _) = env.device(env.unit_a);
    for path in [
        format!("/shifts/{shift}/approve"),
        "/review/bulk-approve".to_owned(),
        format!("/admin/devices/{device}/revoke"),
        "/admin/units".to_owned(),
        "/export".to_owned(),
        "/feedback/cards".to_owned(),
        "/admin/feedback-threshold".to_owned(),
        "/logout".to_owned(),
        format!("/words/{}/add", env.unit_a),
        "/words/municipality/add".to_owned(),
    ] {
        for csrf in ["", "wrong-token"] {
            let r = env
                .post(
                    admin.as_ref(),
                    &path,
                    &[("csrf", csrf), ("shift", &shift.to_string())],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} with csrf {csrf:?}");
        }
    }
    assert_eq!(env.status(shift), Some(ShiftStatus::Closed));
    assert_eq!(env.audit_count("export"), 0);
    assert_eq!(words_audited(&env), 0);
    assert_eq!(env.audit_count("feedback_cards_print"), 0);
    assert_eq!(env.audit_count("setting_change"), 0);
}
