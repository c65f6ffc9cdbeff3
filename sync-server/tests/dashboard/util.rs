//! A dashboard fixture: units A (Grünerløkka) and B (Sagene), an admin, a
//! team lead per unit, a worker in A; closed shifts made directly in the
//! record tables; sessions made directly, so role tests need no password
//! hashing per request.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use feltlogg_core::change::RecordState;
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Record, Shift, ShiftMember};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Role, ShiftStatus, Topic,
};
use feltlogg_server::admin::{self, UserSpec};
use feltlogg_server::config::AuthConfig;
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::{records, sessions};
use feltlogg_server::sync::token::sha256;
use feltlogg_server::{AppState, app, now_ms};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

pub const PASSWORD: &str = "korrekt-hest-batteri";
pub use feltlogg_core::time::HOUR_MS as HOUR;

/// Who makes a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Worker,
    LeadA,
    LeadB,
    Admin,
}

pub const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Worker,
    Who::LeadA,
    Who::LeadB,
    Who::Admin,
];

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub state: AppState,
    pub app: Router,
    pub unit_a: UnitId,
    pub unit_b: UnitId,
    pub admin: UserId,
    pub lead_a: UserId,
    pub lead_b: UserId,
    pub workers_a: [UserId; 2],
    pub workers_b: [UserId; 2],
}

/// A response, body as text.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookies: Vec<String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Passwords on, and an OpenID provider configured on a closed port.
pub fn both_ways() -> AuthConfig {
    AuthConfig {
        public_url: Some("http://127.0.0.1".into()),
        password_login: true,
        oidc_issuer: Some("http://127.0.0.1:9".into()),
        oidc_client_id: Some("feltlogg".into()),
        oidc_client_secret: Some("test-secret".into()),
    }
}

fn spec(name: &str, role: Role, unit: Option<&str>) -> UserSpec {
    UserSpec {
        username: name.into(),
        display_name: name.into(),
        role,
        unit: unit.map(Into::into),
        pin: (role == Role::Worker).then(|| "482913".into()),
        // The worker gets a password too: the dashboard must still refuse them.
        password: Some(PASSWORD.into()),
    }
}

/// Who the tests' own set-up writes name in the audit log.
pub fn operator() -> feltlogg_server::db::audit::Actor {
    feltlogg_server::db::audit::Actor::operator("test")
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::open(&dir.path().join("feltlogg.db")).expect("open state");
        let now = now_ms();
        let ids = state
            .db
            .write_blocking(|c| {
                let by = &operator();
                let a = admin::add_unit(c, by, "Ute Grünerløkka", "030102", now)?.id;
                let b = admin::add_unit(c, by, "Ute Sagene", "030103", now)?.id;
                let (sa, sb) = (a.to_string(), b.to_string());
                let admin = admin::add_user(c, by, &spec("admin", Role::Admin, None), now)?;
                let lead_a =
                    admin::add_user(c, by, &spec("lead.a", Role::TeamLead, Some(&sa)), now)?;
                let lead_b =
                    admin::add_user(c, by, &spec("lead.b", Role::TeamLead, Some(&sb)), now)?;
                let wa = [
                    admin::add_user(c, by, &spec("kari", Role::Worker, Some(&sa)), now)?,
                    admin::add_user(c, by, &spec("ola", Role::Worker, Some(&sa)), now)?,
                ];
                let wb = [
                    admin::add_user(c, by, &spec("siri", Role::Worker, Some(&sb)), now)?,
                    admin::add_user(c, by, &spec("per", Role::Worker, Some(&sb)), now)?,
                ];
                Ok::<_, feltlogg_server::ApiError>((a, b, admin, lead_a, lead_b, wa, wb))
            })
            .expect("seed");
        let (unit_a, unit_b, admin, lead_a, lead_b, workers_a, workers_b) = ids;
        // Both ways in, as a municipality with its own provider has them (the
        // provider is never reached by these tests: nothing listens there).
        let state = state.with_auth(both_ways()).expect("auth settings");
        let app = app(state.clone());
        Self {
            _dir: dir,
            state,
            app,
            unit_a,
            unit_b,
            admin,
            lead_a,
            lead_b,
            workers_a,
            workers_b,
        }
    }

    /// Runs a query module function directly on the database.
    pub fn db<T>(&self, f: impl FnOnce(&mut rusqlite::Connection) -> rusqlite::Result<T>) -> T {
        self.state
            .db
            .with(|c| f(c).map_err(feltlogg_server::ApiError::from))
            .expect("database query")
    }

    pub fn user(&self, who: Who) -> Option<UserId> {
        match who {
            Who::Anonymous => None,
            Who::Worker => Some(self.workers_a[0]),
            Who::LeadA => Some(self.lead_a),
            Who::LeadB => Some(self.lead_b),
            Who::Admin => Some(self.admin),
        }
    }

    /// A session for `who`: (cookie token, CSRF token). Anonymous: none.
    pub fn session(&self, who: Who) -> Option<(String, String)> {
        let user = self.user(who)?;
        let token = format!("token-{who:?}-{}", uuid::Uuid::now_v7());
        let csrf = format!("csrf-{who:?}-{}", uuid::Uuid::now_v7());
        let now = now_ms();
        self.db(|c| sessions::insert(c, &sha256(token.as_bytes()), user, &csrf, now, now + HOUR));
        Some((token, csrf))
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let cookies = resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let body = resp
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Resp {
            status,
            location,
            cookies,
            body,
        }
    }

    pub async fn get(&self, session: Option<&(String, String)>, path: &str) -> Resp {
        let mut req = Request::get(path);
        if let Some((token, _)) = session {
            req = req.header(header::COOKIE, format!("fl_session={token}"));
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// Posts a form; the session's CSRF token is added unless `csrf` says
    /// otherwise (`Some("")` sends none).
    pub async fn post(
        &self,
        session: Option<&(String, String)>,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Resp {
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", feltlogg_server::web::html::url_encode(v)))
            .collect();
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some((token, csrf)) = session {
            req = req.header(header::COOKIE, format!("fl_session={token}"));
            if !fields.iter().any(|(k, _)| *k == "csrf") {
                body.push(format!("csrf={csrf}"));
            }
        }
        self.send(req.body(Body::from(body.join("&"))).expect("request"))
            .await
    }

    /// A closed shift of `unit` worked by `workers`, started `hours_ago`,
    /// with `encounters` encounters; written straight to the record tables.
    pub fn closed_shift(
        &self,
        unit: UnitId,
        workers: [UserId; 2],
        hours_ago: i64,
        encounters: usize,
    ) -> ShiftId {
        let now = now_ms();
        let started = now - hours_ago * HOUR;
        let closed = started + 3 * HOUR;
        let bydel = if unit == self.unit_a {
            "030102"
        } else {
            "030103"
        };
        let shift = Shift {
            id: ShiftId::new(),
            unit_id: unit,
            bydel: bydel.into(),
            area_note: "Rundt Olaf Ryes plass".into(),
            started_ms: started,
            closed_ms: Some(closed),
            status: ShiftStatus::Closed,
            reflection: Some("God kveld".into()),
            not_a_person: Vec::new(),
        };
        let mut recs: Vec<(uuid::Uuid, RecordState)> = vec![(shift.id.uuid(), state_of(&shift))];
        for w in workers {
            let m = ShiftMember {
                id: MemberId::new(),
                shift_id: shift.id,
                worker_id: w,
                checked_in_ms: started,
                checked_out_ms: Some(closed),
            };
            recs.push((m.id.uuid(), state_of(&m)));
        }
        for i in 0..encounters {
            let e = Encounter {
                id: EncounterId::new(),
                shift_id: shift.id,
                at_ms: started + HOUR + i as i64 * 60_000,
                bydel: bydel.into(),
                place_type: PlaceType::Park,
                youth_count: 2,
                age_group: AgeGroup::From13To15,
                gender: Gender::Girl,
                contact_kind: ContactKind::New,
                topics: vec![Topic::School],
                actions: vec![Action::Conversation],
                residence: Residence::ThisBydel,
                note: None,
                not_a_person: Vec::new(),
            };
            recs.push((e.id.uuid(), state_of(&e)));
        }
        self.db(|c| {
            let codes = &mut LazyCodes::default();
            for (id, st) in &recs {
                records::upsert(c, codes, *id, unit, st, None, now)?;
            }
            Ok(())
        });
        shift.id
    }

    pub fn status(&self, shift: ShiftId) -> Option<ShiftStatus> {
        self.db(|c| records::shift_status(c, shift.uuid()))
    }

    pub fn audit_count(&self, action: &str) -> i64 {
        self.db(|c| feltlogg_server::db::audit::count_action(c, action))
    }
}

fn state_of<R: Record>(record: &R) -> RecordState {
    let hlc = Hlc {
        wall_ms: now_ms(),
        counter: 0,
        device: DeviceId(uuid::Uuid::now_v7()),
    };
    RecordState::of_record(record, hlc)
}

impl Env {
    /// Enrols a device in `unit`: its id and bearer token.
    pub fn device(&self, unit: UnitId) -> (DeviceId, String) {
        let (signer, _) = feltlogg_core::sync::SigningKey::generate().expect("signer");
        let now = now_ms();
        let server = self.state.server_public;
        let resp = self
            .state
            .db
            .write_blocking(|c| {
                let code = admin::make_enrol_code(c, &operator(), &unit.to_string(), 60, now)?.code;
                let req = feltlogg_core::sync::api::EnrolRequest {
                    code,
                    device_public_key: signer.public_key().to_base64(),
                    device_name: "Telefon 1".into(),
                };
                feltlogg_server::sync::enrol::enrol(c, &req, &server, now)
            })
            .expect("enrol");
        (resp.device_id, resp.token)
    }

    /// A fresh worker of `unit` (for user changes that must not touch the
    /// fixture's own users).
    pub fn extra_worker(&self, unit: UnitId, name: &str) -> UserId {
        let mut s = spec(name, Role::Worker, Some(&unit.to_string()));
        s.password = None;
        self.state
            .db
            .write_blocking(|c| admin::add_user(c, &operator(), &s, now_ms()))
            .expect("worker")
    }
}

impl Env {
    /// The same fixture under other sign-in settings.
    pub fn set_auth(&mut self, auth: AuthConfig) {
        self.state = self.state.clone().with_auth(auth).expect("auth settings");
        self.app = app(self.state.clone());
    }

    /// Serves the fixture on a loopback port (the real server, as `serve`
    /// runs it, with the peer address seen by the throttle); stops when
    /// the returned handle drops.
    pub async fn serve(&self) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = self.state.clone();
        tokio::spawn(async move {
            let stop = async {
                let _ = rx.await;
            };
            feltlogg_server::serve(listener, state, stop)
                .await
                .expect("serve");
        });
        Served {
            base: format!("http://{addr}"),
            _stop: tx,
        }
    }

    /// Adds a team lead of unit A with [`PASSWORD`].
    pub fn extra_lead(&self, name: &str) -> UserId {
        let s = spec(name, Role::TeamLead, Some(&self.unit_a.to_string()));
        self.state
            .db
            .write_blocking(|c| admin::add_user(c, &operator(), &s, now_ms()))
            .expect("lead")
    }
}

/// A server on a loopback port.
#[derive(Debug)]
pub struct Served {
    pub base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}
