//! Lost and retired phones (issue 16): a real server on a loopback port
//! and real phone stores. A phone wipes only on an instruction signed with
//! the server key it pinned and addressed to it: `lost` at once, `retire`
//! once the server has what it had left. A forged, unsigned or
//! misaddressed instruction, a bare 401 and a bare 403 (with or without a
//! `device_revoked` body: a misconfigured proxy) wipe nothing.
//!
//! The server's stored instruction is tampered with in its SQLite file to
//! forge one: the page that carries it is still sealed and signed by the
//! real server, so only the instruction's own signature can catch it.

use feltlogg_core::sync::{
    Revocation, RevocationKind, SignedRevocation, SigningKey, SyncError, sign_revocation,
};
use feltlogg_device::store::Store;
use feltlogg_device::sync::{ClientError, SyncClient, enrol};
use feltlogg_device::vault::{self, DB_FILE, FileKeyStore, KeyStore};
use feltlogg_server::db::audit::Actor;
use feltlogg_server::{admin, now_ms};
use feltlogg_tests::{MINUTE, Phone, Server, Unit, count, enrol_code, seed_unit};
use std::path::PathBuf;
use std::sync::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A phone as the app keeps it: the store in its data dir under the app's
/// file name, the database key in a keystore apart from it.
struct App {
    phone: Phone,
    keys: FileKeyStore,
    _keystore: tempfile::TempDir,
}

impl App {
    fn via(self, url: &str) -> Self {
        Self {
            phone: self.phone.via(url),
            ..self
        }
    }
}

struct World {
    dir: tempfile::TempDir,
    server: Server,
    unit: Unit,
}

impl World {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = Server::start(&dir.path().join("server.db")).await;
        let unit = seed_unit(&server.state, "Ute Wipe");
        Self { dir, server, unit }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("server.db")
    }

    async fn phone(&self) -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let keystore = tempfile::tempdir().expect("temp dir");
        let keys = FileKeyStore::new(keystore.path().join("database.key"));
        let store = Mutex::new(vault::open(dir.path(), &keys).expect("open store").store);
        let code = enrol_code(&self.server.state, self.unit.id);
        let creds = enrol(&self.server.url, &code, "testtelefon", &store)
            .await
            .expect("enrol");
        let client = SyncClient::new(creds).expect("client");
        App {
            phone: Phone { dir, store, client },
            keys,
            _keystore: keystore,
        }
    }

    fn revoke(&self, phone: &Phone, kind: RevocationKind) -> SignedRevocation {
        let key = self.server.state.server_key.clone();
        let device = phone.credentials().device_id;
        let by = Actor::user(self.unit.lead, "leder");
        self.server
            .state
            .db
            .write_blocking(|tx| admin::revoke_device(tx, &key, &by, device, kind, now_ms()))
            .expect("revoke")
    }

    /// Replaces the instruction the server holds for `phone`.
    fn store_instruction(&self, phone: &Phone, signed: &SignedRevocation) {
        let conn = rusqlite::Connection::open(self.db()).expect("open server db");
        conn.execute(
            "UPDATE revocations SET signed = ?2 WHERE device_id = ?1",
            (
                phone.credentials().device_id.to_string(),
                serde_json::to_string(signed).expect("json"),
            ),
        )
        .expect("tamper");
    }
}

/// A phone with a shift and an encounter waiting in its outbox.
fn with_unsynced_work(app: &App, unit: &Unit) -> usize {
    let phone = &app.phone;
    let t0 = now_ms() - 30 * MINUTE;
    let shift = phone.start_shift(unit, t0);
    phone.encounter(shift, t0 + MINUTE);
    phone.store().pending_changes().expect("pending")
}

/// What the shell does with a sync's outcome (`AppState::wipe`): wipe on
/// a verified instruction, and on nothing else. Returns the outcome.
async fn sync_as_the_app_does(app: &App) -> Result<(), ClientError> {
    let outcome = app
        .phone
        .client
        .sync_once(&app.phone.store)
        .await
        .map(|_| ());
    if let Err(ClientError::Wipe { .. }) = &outcome {
        let mut guard = app.phone.store();
        // The open connection goes first, as the app closes it.
        let placeholder = Store::placeholder().expect("placeholder");
        drop(std::mem::replace(&mut *guard, placeholder));
        vault::wipe(app.phone.dir.path(), &app.keys).expect("wipe");
    }
    outcome
}

fn store_files(app: &App) -> Vec<String> {
    std::fs::read_dir(app.phone.dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(DB_FILE))
        .collect()
}

/// The key is gone from the keystore and the store's files from the disk.
fn wiped(app: &App) -> bool {
    app.keys.get().expect("keystore answers").is_none() && store_files(app).is_empty()
}

/// Still whole: the key, the store, and an outbox still holding `pending`.
fn intact(app: &App, pending: usize) {
    assert!(
        app.keys.get().expect("keystore").is_some(),
        "the key was deleted"
    );
    assert!(!store_files(app).is_empty(), "the store was deleted");
    assert_eq!(
        app.phone.store().pending_changes().expect("pending"),
        pending,
        "the outbox is kept"
    );
}

#[tokio::test]
async fn a_signed_lost_instruction_wipes_at_once_and_sends_nothing() {
    let w = World::new().await;
    let phone = w.phone().await;
    with_unsynced_work(&phone, &w.unit);
    w.revoke(&phone.phone, RevocationKind::Lost);
    let outcome = sync_as_the_app_does(&phone).await;
    assert!(
        matches!(
            outcome,
            Err(ClientError::Wipe {
                kind: RevocationKind::Lost
            })
        ),
        "{outcome:?}"
    );
    assert!(wiped(&phone));
    assert_eq!(
        count(&w.db(), "encounters"),
        0,
        "a lost phone pushes nothing"
    );
}

#[tokio::test]
async fn retire_pushes_the_outbox_first_then_wipes() {
    let w = World::new().await;
    let phone = w.phone().await;
    let pending = with_unsynced_work(&phone, &w.unit);
    assert!(pending > 0);
    w.revoke(&phone.phone, RevocationKind::Retire);
    let outcome = sync_as_the_app_does(&phone).await;
    assert!(
        matches!(
            outcome,
            Err(ClientError::Wipe {
                kind: RevocationKind::Retire
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(
        count(&w.db(), "encounters"),
        1,
        "the server has the last batch before the phone wipes"
    );
    assert!(wiped(&phone));
}

#[tokio::test]
async fn a_forged_unsigned_or_misaddressed_instruction_wipes_nothing() {
    let w = World::new().await;
    let phone = w.phone().await;
    let other = w.phone().await;
    let pending = with_unsynced_work(&phone, &w.unit);
    let genuine = w.revoke(&phone.phone, RevocationKind::Lost);
    let for_other = w.revoke(&other.phone, RevocationKind::Lost);

    let (stranger, _) = SigningKey::generate().expect("key");
    let forged = sign_revocation(&genuine.revocation, &stranger).expect("sign");
    let mut unsigned = genuine.clone();
    unsigned.signature.clear();
    let mut changed = genuine.clone();
    changed.revocation = Revocation {
        revoked_at_ms: genuine.revocation.revoked_at_ms + 1,
        ..genuine.revocation.clone()
    };
    for (what, signed, want) in [
        ("forged", &forged, SyncError::BadSignature),
        ("unsigned", &unsigned, SyncError::BadSignature),
        ("changed", &changed, SyncError::BadSignature),
        (
            "another phone's",
            &for_other,
            SyncError::WrongDevice {
                expected: phone.phone.credentials().device_id,
                found: other.phone.credentials().device_id,
            },
        ),
    ] {
        w.store_instruction(&phone.phone, signed);
        let outcome = sync_as_the_app_does(&phone).await;
        assert!(
            matches!(&outcome, Err(ClientError::Crypto(e)) if *e == want),
            "{what}: {outcome:?}"
        );
        intact(&phone, pending);
    }
    // The genuine one still works after all that.
    w.store_instruction(&phone.phone, &genuine);
    sync_as_the_app_does(&phone).await.expect_err("wipe");
    assert!(wiped(&phone));
}

/// A server that answers every request with `status` and `body`, as a
/// misconfigured proxy in front of the real one would.
async fn answering(status: &'static str, body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                // Enough to have the request's head; the body is not read.
                let _ = sock.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    url
}

#[tokio::test]
async fn a_bare_401_or_403_wipes_nothing() {
    let w = World::new().await;
    let revoked_body = r#"{"code":"device_revoked","message":"this phone has been revoked"}"#;
    for (status, body) in [
        ("401 Unauthorized", ""),
        ("403 Forbidden", ""),
        ("403 Forbidden", revoked_body),
    ] {
        let phone = w.phone().await;
        let pending = with_unsynced_work(&phone, &w.unit);
        let phone = phone.via(&answering(status, body).await);
        let outcome = sync_as_the_app_does(&phone).await;
        assert!(
            matches!(
                outcome,
                Err(ClientError::Server { .. } | ClientError::Revoked)
            ),
            "{status} {body:?}: {outcome:?}"
        );
        intact(&phone, pending);
    }
}

#[tokio::test]
async fn a_phone_revoked_without_an_instruction_keeps_its_data() {
    // Revoked before instructions existed: 403 on every call, no wipe.
    let w = World::new().await;
    let phone = w.phone().await;
    let pending = with_unsynced_work(&phone, &w.unit);
    let device = phone.phone.credentials().device_id;
    w.server
        .state
        .db
        .with(|c| {
            feltlogg_server::db::devices::revoke(c, device, now_ms())
                .map_err(feltlogg_server::ApiError::from)
        })
        .expect("revoke");
    let outcome = sync_as_the_app_does(&phone).await;
    assert!(matches!(outcome, Err(ClientError::Revoked)), "{outcome:?}");
    intact(&phone, pending);
}

#[tokio::test]
async fn a_retire_met_in_a_pull_pushes_what_waits_before_it_is_reported() {
    // Only the pull: no push ran before it, so the instruction's own push
    // is what brings the last batch to the server.
    let w = World::new().await;
    let phone = w.phone().await;
    with_unsynced_work(&phone, &w.unit);
    w.revoke(&phone.phone, RevocationKind::Retire);
    let outcome = phone.phone.client.pull_all(&phone.phone.store).await;
    assert!(
        matches!(
            outcome,
            Err(ClientError::Wipe {
                kind: RevocationKind::Retire
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(count(&w.db(), "encounters"), 1);
    assert_eq!(phone.phone.store().pending_changes().expect("pending"), 0);
}
