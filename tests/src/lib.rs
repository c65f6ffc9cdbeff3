//! # feltlogg-tests
//!
//! Helpers for the end-to-end tests in `tests/`: a real server on a
//! loopback port (in-process, or as a child process that can be killed),
//! a unit with workers and a team lead, phones with real device stores in
//! temp dirs enrolled through the API, a flaky TCP proxy, and a snapshot of
//! the server's merged records to compare runs.

pub mod proxy;

use feltlogg_core::ids::{EncounterId, ShiftId, UnitId, UserId};
use feltlogg_core::record::Encounter;
use feltlogg_core::{Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Role, Topic};
use feltlogg_device::store::Store;
use feltlogg_device::sync::{Credentials, SyncClient, enrol};
use feltlogg_server::admin::{self, UserSpec};
use feltlogg_server::{AppState, now_ms};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};

/// One minute in ms.
pub use feltlogg_core::time::MINUTE_MS as MINUTE;

/// The synthetic workers' PINs, in the order of [`Unit::workers`].
pub const PINS: [&str; 3] = ["111111", "222222", "333333"];

/// A server running in this process on 127.0.0.1:0.
#[derive(Debug)]
pub struct Server {
    /// Its base URL.
    pub url: String,
    /// Its state (database, key), for admin and decision calls.
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Opens (creating) the database at `db` and serves it.
    pub async fn start(db: &Path) -> Self {
        let state = AppState::open(db).expect("open server database");
        let listener = feltlogg_server::listen(([127, 0, 0, 1], 0).into()).expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(feltlogg_server::serve(listener, state.clone(), async {
            let _ = stopped.await;
        }));
        Self {
            url,
            state,
            stop: Some(stop),
            task,
        }
    }

    /// Stops serving and waits for requests in flight.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// The real server binary as a child process, for crash tests.
#[derive(Debug)]
pub struct ChildServer {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl ChildServer {
    /// Starts the server binary `exe` (integration tests pass
    /// `env!("CARGO_BIN_EXE_feltlogg-test-server")`) over `db` on `port`
    /// (0: any free port) and waits until it listens.
    pub fn spawn(exe: &str, db: &Path, port: u16) -> Self {
        let mut child = Command::new(exe)
            .arg(db)
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start feltlogg-test-server");
        let stdout = child.stdout.take().expect("child stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read port line");
        let port = line
            .trim()
            .strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("server did not start: {line:?}"));
        Self { child, port }
    }

    /// Kills it with SIGKILL: no shutdown, no flush, mid-write if it was writing.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A unit with three workers (PINs in [`PINS`]) and a team lead.
#[derive(Clone, Debug)]
pub struct Unit {
    /// The unit.
    pub id: UnitId,
    /// Its workers.
    pub workers: [UserId; 3],
    /// Its team lead.
    pub lead: UserId,
}

fn spec(username: &str, role: Role, unit: &str, pin: Option<&str>) -> UserSpec {
    UserSpec {
        username: username.into(),
        display_name: username.into(),
        role,
        unit: Some(unit.into()),
        pin: pin.map(Into::into),
        password: (role != Role::Worker).then(|| "testpassord-lang-nok".into()),
    }
}

/// Who the tests' own set-up writes name in the audit log.
pub fn operator() -> feltlogg_server::db::audit::Actor {
    feltlogg_server::db::audit::Actor::operator("test")
}

/// Makes a unit (named `name`, in Grünerløkka) with workers and a lead.
pub fn seed_unit(state: &AppState, name: &str) -> Unit {
    let now = now_ms();
    state
        .db
        .write_blocking(|c| {
            let by = &operator();
            let unit = admin::add_unit(c, by, name, "030102", now)?;
            let u = unit.id.to_string();
            let mut workers = Vec::new();
            for (i, pin) in PINS.iter().enumerate() {
                let who = format!("{name}-arbeider{i}")
                    .to_lowercase()
                    .replace(' ', "-");
                workers.push(admin::add_user(
                    c,
                    by,
                    &spec(&who, Role::Worker, &u, Some(pin)),
                    now,
                )?);
            }
            let lead_name = format!("{name}-leder").to_lowercase().replace(' ', "-");
            let lead_spec = spec(&lead_name, Role::TeamLead, &u, None);
            let lead = admin::add_user(c, by, &lead_spec, now)?;
            Ok::<_, feltlogg_server::ApiError>(Unit {
                id: unit.id,
                workers: [workers[0], workers[1], workers[2]],
                lead,
            })
        })
        .expect("seed unit")
}

/// A fresh one-time enrolment code for `unit`.
pub fn enrol_code(state: &AppState, unit: UnitId) -> String {
    state
        .db
        .write_blocking(|c| admin::make_enrol_code(c, &operator(), &unit.to_string(), 60, now_ms()))
        .expect("enrol code")
        .code
}

/// A phone: a real encrypted device store (credentials inside) and its key
/// file in a temp dir.
#[derive(Debug)]
pub struct Phone {
    /// Its data directory.
    pub dir: tempfile::TempDir,
    /// Its store.
    pub store: Mutex<Store>,
    /// Its sync client.
    pub client: SyncClient,
}

impl Phone {
    /// Enrols a new phone at `url` with a fresh code for `unit`.
    pub async fn enrol(url: &str, state: &AppState, unit: UnitId) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Mutex::new(
            feltlogg_device::vault::open_file(&dir.path().join("device.db")).expect("open store"),
        );
        let code = enrol_code(state, unit);
        let creds = enrol(url, &code, "testtelefon", &store)
            .await
            .expect("enrol");
        let client = SyncClient::new(creds).expect("client");
        Self { dir, store, client }
    }

    /// The same phone with its server URL replaced (to go through a proxy).
    pub fn via(self, url: &str) -> Self {
        let mut creds = self.credentials();
        creds.server_url = url.to_owned();
        creds.save(&self.store()).expect("save");
        let client = SyncClient::new(creds).expect("client");
        Self { client, ..self }
    }

    /// A second phone with this one's identity, keys and store as they are
    /// now (its data directory copied while nothing writes): what a phone
    /// restored from its own old copy would be.
    pub fn twin(&self) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let _quiet = self.store();
            for name in ["device.db", "device.db-wal", "device.db.key"] {
                let from = self.dir.path().join(name);
                if from.exists() {
                    std::fs::copy(&from, dir.path().join(name)).expect("copy phone file");
                }
            }
        }
        let store = Mutex::new(
            feltlogg_device::vault::open_file(&dir.path().join("device.db")).expect("open twin"),
        );
        let client = SyncClient::new(self.credentials()).expect("client");
        Self { dir, store, client }
    }

    /// Its credentials as saved.
    pub fn credentials(&self) -> Credentials {
        Credentials::load(&self.store())
            .expect("load")
            .expect("enrolled")
    }

    /// The store, locked.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("store lock")
    }

    /// Starts a shift with the unit's first two workers at `at`.
    pub fn start_shift(&self, unit: &Unit, at: i64) -> ShiftId {
        self.store()
            .start_shift(
                "030102",
                "Olaf Ryes plass og Birkelunden",
                &[(unit.workers[0], PINS[0]), (unit.workers[1], PINS[1])],
                at,
            )
            .expect("start shift")
    }

    /// Logs a typical encounter on `shift` at `at`.
    pub fn encounter(&self, shift: ShiftId, at: i64) -> EncounterId {
        self.store()
            .add_encounter(new_encounter(shift, at), at)
            .expect("add encounter")
    }
}

/// Closes `shift` on `phone` at `at` (with `reflection`), syncs, and
/// approves it as the unit's lead.
pub async fn close_and_approve(
    server: &Server,
    unit: &Unit,
    phone: &Phone,
    shift: ShiftId,
    reflection: Option<&str>,
    at: i64,
) {
    phone
        .store()
        .close_shift(shift, reflection, at)
        .expect("close");
    phone.client.sync_once(&phone.store).await.expect("sync");
    server
        .state
        .db
        .write_blocking(|c| {
            let key = &server.state.server_key;
            feltlogg_server::review::decide::decide_shift(
                c,
                key,
                shift,
                feltlogg_server::review::decide::Verdict::Approve,
                unit.lead,
                now_ms(),
            )
        })
        .expect("approve");
}

/// A typical encounter: two youths, 16–18, at a square, talked about school.
/// A whole record written as one change stamped by `clock` at `at`, as the
/// phone's store writes a new record (the sync and load benches build
/// their sealed days from these).
pub fn whole_record_change<R: feltlogg_core::record::Record>(
    r: &R,
    clock: &mut feltlogg_core::hlc::Clock,
    at: i64,
) -> feltlogg_core::change::Change {
    let fields = r.to_fields();
    let id = fields
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    feltlogg_core::change::Change {
        kind: R::KIND,
        id,
        fields,
        hlc: clock.tick(at),
    }
}

pub fn new_encounter(shift: ShiftId, at: i64) -> Encounter {
    Encounter {
        id: EncounterId::new(),
        shift_id: shift,
        at_ms: at,
        bydel: "030102".into(),
        place_type: PlaceType::StreetSquare,
        youth_count: 2,
        age_group: AgeGroup::From16To18,
        gender: Gender::Girl,
        contact_kind: ContactKind::Known,
        topics: vec![Topic::School, Topic::Leisure],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: None,
        not_a_person: Vec::new(),
    }
}

/// Every merged record on the server, `kind/id` → fields (canonical JSON):
/// two runs hold the same data exactly when their snapshots are equal.
pub fn snapshot(db: &Path) -> BTreeMap<String, String> {
    let conn = rusqlite::Connection::open(db).expect("open server db");
    let mut out = BTreeMap::new();
    for table in ["shifts", "shift_members", "encounters", "referrals"] {
        let mut stmt = conn
            .prepare(&format!("SELECT id, fields FROM {table}"))
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .expect("query");
        for row in rows {
            let (id, fields) = row.expect("row");
            // Sorted keys, whatever order the server wrote them in.
            let v: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(&fields).expect("json object");
            out.insert(
                format!("{table}/{id}"),
                serde_json::to_string(&v).expect("json"),
            );
        }
    }
    out
}

/// Removes a server database with its `-wal` and `-shm` files, as a dead
/// disk would (the signing key file beside it stays: it is kept apart).
pub fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// Rows in a server table.
pub fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open server db");
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// `PRAGMA integrity_check` on a database file.
pub fn integrity_ok(db: &Path) -> bool {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let s: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    s == "ok"
}
