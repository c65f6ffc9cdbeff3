//! A phone still on the plain store of the version before, with changes in
//! its outbox that never reached the server, is upgraded by the new app's
//! first start and then syncs them exactly once.

use feltlogg_device::store::Store;
use feltlogg_device::sync::{Credentials, SyncClient, enrol};
use feltlogg_device::vault::{self, FileKeyStore};
use feltlogg_server::now_ms;
use feltlogg_tests::{MINUTE, Phone, Server, count, enrol_code, seed_unit};
use std::sync::Mutex;

#[tokio::test]
async fn a_plain_phone_upgrades_and_syncs_its_outbox_exactly_once() {
    let server_dir = tempfile::tempdir().expect("temp dir");
    let server_db = server_dir.path().join("server.db");
    let server = Server::start(&server_db).await;
    let unit = seed_unit(&server.state, "Ute Gammel");

    // The version before: a plain store, the credentials in a plain file.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join(vault::DB_FILE);
    let store = Mutex::new(Store::open_plain(&db).expect("plain store"));
    let code = enrol_code(&server.state, unit.id);
    let creds = enrol(&server.url, &code, "gammel telefon", &store)
        .await
        .expect("enrol");
    let blob = store
        .lock()
        .expect("lock")
        .credentials()
        .expect("read")
        .expect("saved");
    std::fs::write(
        dir.path().join(vault::LEGACY_CREDENTIALS_FILE),
        blob.as_slice(),
    )
    .expect("plain credentials file");
    drop(store);
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute("DELETE FROM device_secret", []))
        .expect("no credentials in the old store");
    let old = Phone {
        dir,
        store: Mutex::new(Store::open_plain(&db).expect("reopen plain")),
        client: SyncClient::new(creds).expect("client"),
    };
    let t0 = now_ms() - 3 * 60 * MINUTE;
    let shift = old.start_shift(&unit, t0);
    for i in 0..4 {
        old.encounter(shift, t0 + (i + 1) * MINUTE);
    }
    let pending = old.store().pending_changes().expect("pending");
    let Phone { dir, store, .. } = old;
    drop(store);
    assert_eq!(
        count(&server_db, "encounters"),
        0,
        "nothing synced before the upgrade"
    );

    // The new app's first start.
    let keys = FileKeyStore::new(dir.path().join(vault::KEY_FILE));
    let opened = vault::open(dir.path(), &keys).expect("upgrade");
    assert!(opened.upgraded);
    assert_eq!(opened.store.pending_changes().expect("pending"), pending);
    let creds = Credentials::load(&opened.store)
        .expect("load")
        .expect("adopted");
    assert!(!dir.path().join(vault::LEGACY_CREDENTIALS_FILE).exists());
    let client = SyncClient::new(creds).expect("client");
    let store = Mutex::new(opened.store);
    client.sync_once(&store).await.expect("sync after upgrade");
    assert_eq!(count(&server_db, "encounters"), 4);
    assert_eq!(
        store
            .lock()
            .expect("lock")
            .pending_changes()
            .expect("pending"),
        0
    );
    client.sync_once(&store).await.expect("sync again");
    assert_eq!(count(&server_db, "encounters"), 4, "exactly once");
    assert_eq!(count(&server_db, "shifts"), 1);
}
