//! What the shell keeps while the app runs: the device store (encrypted,
//! its key in the platform keystore), the sync client once enrolled, and
//! the means to wake the background sync.
//!
//! The store sits behind a `std::sync::Mutex`. Commands reach it only on a
//! blocking thread ([`AppState::with_store`]) so a slow PIN check never
//! stalls the async runtime, and no guard is ever held across `.await`.

use crate::error::{AppError, CmdResult};
use crate::store::Store;
use crate::sync::{Credentials, SyncClient};
use feltlogg_device::vault::{self, KeyStore, VaultError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The database file inside the app data directory.
pub use feltlogg_device::vault::DB_FILE;
/// Overrides the app data directory (tests and demo runs use a temp dir).
pub const DATA_DIR_ENV: &str = "FELTLOGG_DATA_DIR";

/// The app's shared state, managed by Tauri; clones share everything.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The device store.
    pub store: Arc<Mutex<Store>>,
    /// The app's data directory.
    pub data_dir: PathBuf,
    /// Where the database key lives.
    keys: Arc<dyn KeyStore>,
    /// A store that would not open at start, set aside here (the UI says
    /// so and offers enrolment).
    pub set_aside: Option<PathBuf>,
    client: Arc<RwLock<Option<Arc<SyncClient>>>>,
    /// Wakes the background sync (after a local change, after enrolment).
    pub wake: Arc<tokio::sync::Notify>,
    /// Held for the length of one sync so the button and the background
    /// task never push the same batch at the same time.
    pub sync_gate: Arc<tokio::sync::Mutex<()>>,
    /// The app lock (`crate::lock`): locked at start once enrolled.
    pub lock: Arc<crate::lock::AppLock>,
}

impl AppState {
    /// Opens the encrypted store in `data_dir` (creating it, converting a
    /// plain one, setting aside one the key does not open) with the key in
    /// this platform's keystore, and loads the credentials if enrolled.
    ///
    /// # Errors
    /// [`AppError`] of kind `storage` when the directory, the keystore, the
    /// database or the credentials cannot be opened.
    pub fn open(data_dir: &Path) -> CmdResult<Self> {
        let keys = vault::platform(data_dir).map_err(AppError::from)?;
        Self::open_with(data_dir, keys)
    }

    /// As [`AppState::open`] with the given keystore (tests).
    ///
    /// # Errors
    /// As [`AppState::open`].
    pub fn open_with(data_dir: &Path, keys: Arc<dyn KeyStore>) -> CmdResult<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            AppError::new(
                crate::error::ErrorKind::Storage,
                format!(
                    "cannot create the data directory {}: {e}; check the free space",
                    data_dir.display()
                ),
            )
        })?;
        let opened = vault::open(data_dir, keys.as_ref()).map_err(AppError::from)?;
        if let Some(aside) = &opened.set_aside {
            eprintln!(
                "the store would not open with this phone's key; set aside as {}",
                aside.display()
            );
        }
        let client = match Credentials::load(&opened.store)? {
            Some(creds) => Some(Arc::new(SyncClient::new(creds)?)),
            None => None,
        };
        Ok(Self {
            store: Arc::new(Mutex::new(opened.store)),
            data_dir: data_dir.to_path_buf(),
            keys,
            set_aside: opened.set_aside,
            lock: Arc::new(crate::lock::AppLock::start(client.is_some())),
            client: Arc::new(RwLock::new(client)),
            wake: Arc::new(tokio::sync::Notify::new()),
            sync_gate: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// The sync client, once the device is enrolled.
    pub fn client(&self) -> Option<Arc<SyncClient>> {
        self.client
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Installs the client after enrolment and wakes the sync.
    pub fn set_client(&self, client: SyncClient) {
        *self
            .client
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(client));
        self.wake.notify_one();
    }

    /// Wipes the phone's Feltlogg data (a verified `lost` or `retire`
    /// instruction): forgets the sync client, deletes the database key and
    /// then the files ([`vault::wipe`]), and leaves a new empty store, so
    /// the app shows enrolment.
    ///
    /// # Errors
    /// `storage` when the keystore or the files refuse; the wipe can be
    /// retried, and until the key is gone nothing else is touched.
    pub async fn wipe(&self) -> CmdResult<()> {
        *self
            .client
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        let (store, dir, keys) = (
            Arc::clone(&self.store),
            self.data_dir.clone(),
            Arc::clone(&self.keys),
        );
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = crate::sync::lock(&store);
            // The open connection goes first: a placeholder in memory holds
            // the mutex's place while the files are deleted.
            drop(std::mem::replace(&mut *guard, Store::placeholder()?));
            vault::wipe(&dir, keys.as_ref())?;
            *guard = vault::open(&dir, keys.as_ref())?.store;
            Ok::<(), VaultError>(())
        })
        .await
        .map_err(|e| AppError::internal(format!("the wipe task failed: {e}; restart the app")))?
        .map_err(AppError::from)
    }

    /// Runs `f` on the store on a blocking thread.
    ///
    /// # Errors
    /// Whatever `f` returns, or `internal` if the thread panicked.
    pub async fn with_store<T, F>(&self, f: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = crate::sync::lock(&store);
            f(&mut guard)
        })
        .await
        .map_err(|e| AppError::internal(format!("a store task failed: {e}; restart the app")))?
    }

    /// Like [`AppState::with_store`] for a change: wakes the background
    /// sync afterwards so the change goes out as soon as the server answers.
    ///
    /// # Errors
    /// As [`AppState::with_store`].
    pub async fn change_store<T, F>(&self, f: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let out = self.with_store(f).await?;
        self.wake.notify_one();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_data_dir_opens_unenrolled_and_encrypted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("nested/data");
        let state = AppState::open(&data).expect("open");
        assert!(state.client().is_none());
        assert!(state.set_aside.is_none());
        let head = std::fs::read(data.join(DB_FILE)).expect("db");
        assert!(
            !head.starts_with(b"SQLite format 3"),
            "the store must be encrypted"
        );
        assert!(
            data.join(vault::KEY_FILE).exists(),
            "desktop keeps the key in a 0600 file"
        );
    }

    #[test]
    fn wipe_leaves_an_empty_unenrolled_store_under_a_new_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::open(dir.path()).expect("open");
        let key_before = std::fs::read(dir.path().join(vault::KEY_FILE)).expect("key");
        crate::sync::lock(&state.store)
            .init_device(
                feltlogg_core::ids::DeviceId::new(),
                feltlogg_core::ids::UnitId::new(),
            )
            .expect("enrol");
        tauri::async_runtime::block_on(state.wipe()).expect("wipe");
        assert!(state.client().is_none());
        assert!(
            crate::sync::lock(&state.store).device().is_none(),
            "a new, empty store"
        );
        let key_after = std::fs::read(dir.path().join(vault::KEY_FILE)).expect("new key");
        assert_ne!(key_before, key_after, "the old key is gone");
        drop(state);
        let again = AppState::open(dir.path()).expect("reopen");
        assert!(crate::sync::lock(&again.store).device().is_none());
    }

    #[test]
    fn unreadable_stored_credentials_are_a_storage_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        drop(AppState::open(dir.path()).expect("first open"));
        {
            let store = vault::open(
                dir.path(),
                vault::platform(dir.path()).expect("keys").as_ref(),
            )
            .expect("reopen")
            .store;
            store.put_credentials(b"not json").expect("write");
        }
        let err = AppState::open(dir.path()).expect_err("must refuse");
        assert_eq!(err.kind, crate::error::ErrorKind::Storage);
        assert!(err.message.contains("credentials"), "{}", err.message);
    }
}
