//! Test helpers: a server on a temp-dir SQLite file with one unit, two
//! workers and a team lead; phones that enrol through the API and seal
//! batches with `feltlogg_core::sync`; synthetic records.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use feltlogg_core::change::Change;
use feltlogg_core::hlc::Clock;
use feltlogg_core::ids::{EncounterId, MemberId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Fields, Record, RecordKind, Shift, ShiftMember};
use feltlogg_core::sync::api::{EnrolRequest, EnrolResponse};
use feltlogg_core::sync::{
    Batch, DeviceKey, KeyId, PullPage, SignedDecision, SigningKey, VerifyingKey, open_pull_page,
    seal_batch,
};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Role, ShiftStatus, Topic,
};
use feltlogg_server::admin::{self, UserSpec};
use feltlogg_server::review::decide::{Verdict, decide_shift};
use feltlogg_server::{AppState, app, now_ms};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

pub use feltlogg_core::time::HOUR_MS as HOUR;

/// A server with one unit ("Ute Grünerløkka"), workers Kari and Ola, team
/// lead Tone.
pub struct Env {
    /// Held so the database file lives as long as the server.
    pub _dir: tempfile::TempDir,
    pub state: AppState,
    pub app: Router,
    pub unit: UnitId,
    pub workers: [UserId; 2],
    pub lead: UserId,
}

/// Who the tests' own set-up writes name in the audit log.
pub fn operator() -> feltlogg_server::db::audit::Actor {
    feltlogg_server::db::audit::Actor::operator("test")
}

fn user(name: &str, role: Role, unit: Option<&str>, pin: Option<&str>) -> UserSpec {
    UserSpec {
        username: name.to_lowercase(),
        display_name: name.into(),
        role,
        unit: unit.map(Into::into),
        pin: pin.map(Into::into),
        password: (role != Role::Worker).then(|| "korrekt-hest-batteri".into()),
    }
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::open(&dir.path().join("feltlogg.db")).expect("open state");
        let now = now_ms();
        let (unit, workers, lead) = state
            .db
            .write_blocking(|c| {
                let by = &operator();
                let unit = admin::add_unit(c, by, "Ute Grünerløkka", "030102", now)?;
                let name = unit.id.to_string();
                let kari = admin::add_user(
                    c,
                    by,
                    &user("Kari", Role::Worker, Some(&name), Some("482913")),
                    now,
                )?;
                let ola = admin::add_user(
                    c,
                    by,
                    &user("Ola", Role::Worker, Some(&name), Some("175320")),
                    now,
                )?;
                let tone =
                    admin::add_user(c, by, &user("Tone", Role::TeamLead, Some(&name), None), now)?;
                Ok::<_, feltlogg_server::ApiError>((unit.id, [kari, ola], tone))
            })
            .expect("seed");
        let app = app(state.clone());
        Self {
            _dir: dir,
            state,
            app,
            unit,
            workers,
            lead,
        }
    }

    /// A server on another database file (a restored copy) holding the
    /// same unit and people as `like`.
    pub fn at(path: &std::path::Path, like: &Env) -> Self {
        let state = AppState::open(path).expect("open state");
        let app = app(state.clone());
        Self {
            _dir: tempfile::tempdir().expect("temp dir"),
            state,
            app,
            unit: like.unit,
            workers: like.workers,
            lead: like.lead,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        let resp = self.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let body = resp
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        (status, body)
    }

    pub fn code(&self) -> String {
        self.state
            .db
            .write_blocking(|c| {
                admin::make_enrol_code(c, &operator(), &self.unit.to_string(), 60, now_ms())
            })
            .expect("code")
            .code
    }

    pub async fn post_enrol(&self, req: &EnrolRequest) -> (StatusCode, Vec<u8>) {
        let body = serde_json::to_vec(req).expect("json");
        self.send(
            Request::post("/api/v1/devices/enrol")
                .header("content-type", "application/json")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    pub async fn enrol(&self) -> Phone {
        let (signer, _) = SigningKey::generate().expect("signer");
        let req = EnrolRequest {
            code: self.code(),
            device_public_key: signer.public_key().to_base64(),
            device_name: "Telefon 1".into(),
        };
        let (status, body) = self.post_enrol(&req).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let enrolled: EnrolResponse = serde_json::from_slice(&body).expect("enrol response");
        let key = DeviceKey::from_base64(&enrolled.device_key).expect("device key");
        let clock = Clock::new(enrolled.device_id);
        Phone {
            enrolled,
            signer,
            key,
            clock,
            seq: 0,
        }
    }

    pub async fn push(&self, phone: &Phone, envelope: Vec<u8>) -> (StatusCode, Vec<u8>) {
        self.push_with_token(&phone.enrolled.token, envelope).await
    }

    pub async fn push_with_token(&self, token: &str, envelope: Vec<u8>) -> (StatusCode, Vec<u8>) {
        self.send(
            Request::post("/api/v1/sync/push")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/octet-stream")
                .body(Body::from(envelope))
                .expect("request"),
        )
        .await
    }

    pub async fn pull_raw(&self, phone: &Phone, after: u64) -> (StatusCode, Vec<u8>) {
        self.send(
            Request::get(format!("/api/v1/sync/pull?after={after}"))
                .header("authorization", format!("Bearer {}", phone.enrolled.token))
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// Pulls and opens a page, checking the server's signature with the key
    /// pinned at enrolment.
    pub async fn pull(&self, phone: &Phone, after: u64) -> PullPage {
        let (status, body) = self.pull_raw(phone, after).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        open_pull_page(
            &body,
            &phone.key,
            phone.key_id(),
            phone.enrolled.device_id,
            &phone.server_key(),
            after,
        )
        .expect("pull page opens")
    }

    /// Runs a query module function directly on the database.
    pub fn db<T>(&self, f: impl FnOnce(&mut rusqlite::Connection) -> rusqlite::Result<T>) -> T {
        self.state
            .db
            .with(|c| f(c).map_err(feltlogg_server::ApiError::from))
            .expect("database query")
    }

    pub fn count(&self, kind: RecordKind) -> i64 {
        self.db(|c| feltlogg_server::db::records::count(c, kind))
    }

    pub fn decide(
        &self,
        shift: ShiftId,
        verdict: Verdict,
    ) -> Result<SignedDecision, feltlogg_server::ApiError> {
        let key = self.state.server_key.clone();
        self.state
            .db
            .write_blocking(|tx| decide_shift(tx, &key, shift, verdict, self.lead, now_ms()))
    }
}

/// An enrolled phone: its keys, its HLC and its next batch seq.
pub struct Phone {
    pub enrolled: EnrolResponse,
    pub signer: SigningKey,
    pub key: DeviceKey,
    pub clock: Clock,
    pub seq: u64,
}

impl Phone {
    pub fn key_id(&self) -> KeyId {
        KeyId(self.enrolled.key_id)
    }

    pub fn server_key(&self) -> VerifyingKey {
        VerifyingKey::from_base64(&self.enrolled.server_public_key).expect("server key")
    }

    /// A change writing every field of `record`.
    pub fn create<R: Record>(&mut self, id: uuid::Uuid, record: &R) -> Change {
        self.edit(R::KIND, id, record.to_fields())
    }

    /// A change writing `fields` of a record.
    pub fn edit(&mut self, kind: RecordKind, id: uuid::Uuid, fields: Fields) -> Change {
        Change {
            kind,
            id,
            fields,
            hlc: self.clock.tick(now_ms()),
        }
    }

    pub fn seal(&self, seq: u64, changes: Vec<Change>) -> Vec<u8> {
        let batch = Batch {
            device_id: self.enrolled.device_id,
            seq,
            changes,
        };
        seal_batch(&batch, self.key_id(), &self.key, &self.signer).expect("seal")
    }

    /// Seals the next batch (seq + 1).
    pub fn next(&mut self, changes: Vec<Change>) -> Vec<u8> {
        self.seq += 1;
        self.seal(self.seq, changes)
    }
}

pub fn shift(unit: UnitId) -> Shift {
    Shift {
        id: ShiftId::new(),
        unit_id: unit,
        bydel: "030102".into(),
        area_note: "Olaf Ryes plass".into(),
        started_ms: now_ms() - 2 * HOUR,
        closed_ms: None,
        status: ShiftStatus::Open,
        reflection: None,
        not_a_person: Vec::new(),
    }
}

pub fn member(shift: ShiftId, worker: UserId) -> ShiftMember {
    ShiftMember {
        id: MemberId::new(),
        shift_id: shift,
        worker_id: worker,
        checked_in_ms: now_ms() - 2 * HOUR,
        checked_out_ms: None,
    }
}

pub fn encounter(shift: ShiftId) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: shift,
        at_ms: now_ms() - HOUR,
        bydel: "030102".into(),
        place_type: PlaceType::Park,
        youth_count: 3,
        age_group: AgeGroup::From16To18,
        gender: Gender::Girl,
        contact_kind: ContactKind::Known,
        topics: vec![Topic::School],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: None,
        not_a_person: Vec::new(),
    }
}

/// A phone's first batch: a shift, both workers checked in, one encounter.
pub fn started_shift(env: &Env, phone: &mut Phone) -> (Shift, Encounter, Vec<Change>) {
    let s = shift(env.unit);
    let e = encounter(s.id);
    let changes = vec![
        phone.create(s.id.uuid(), &s),
        {
            let m = member(s.id, env.workers[0]);
            phone.create(m.id.uuid(), &m)
        },
        {
            let m = member(s.id, env.workers[1]);
            phone.create(m.id.uuid(), &m)
        },
        phone.create(e.id.uuid(), &e),
    ];
    (s, e, changes)
}

pub fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("not json: {}", String::from_utf8_lossy(body)))
}

pub fn fields(pairs: &[(&str, serde_json::Value)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}
