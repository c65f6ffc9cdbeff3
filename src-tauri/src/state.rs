//! What the shell keeps while the app runs: the device store, the sync
//! client once enrolled, and the means to wake the background sync.
//!
//! The store sits behind a `std::sync::Mutex`. Commands reach it only on a
//! blocking thread ([`AppState::with_store`]) so a slow PIN check never
//! stalls the async runtime, and no guard is ever held across `.await`.

use crate::error::{AppError, CmdResult};
use crate::store::Store;
use crate::sync::{Credentials, SyncClient};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The database file inside the app data directory.
pub const DB_FILE: &str = "feltlogg.db";
/// The credentials file (device key, token, pinned server key), kept
/// outside the database with mode 0600.
pub const CREDENTIALS_FILE: &str = "device-credentials.json";
/// Overrides the app data directory (tests and demo runs use a temp dir).
pub const DATA_DIR_ENV: &str = "FELTLOGG_DATA_DIR";

/// The app's shared state, managed by Tauri; clones share everything.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The device store.
    pub store: Arc<Mutex<Store>>,
    /// Where the credentials file lives.
    pub credentials_path: PathBuf,
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
    /// Opens the store in `data_dir` (creating it) and loads the
    /// credentials if the device is enrolled.
    ///
    /// # Errors
    /// [`AppError`] of kind `storage` when the directory, the database or
    /// the credentials cannot be opened.
    pub fn open(data_dir: &Path) -> CmdResult<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            AppError::new(
                crate::error::ErrorKind::Storage,
                format!(
                    "cannot create the data directory {}: {e}; check the free space",
                    data_dir.display()
                ),
            )
        })?;
        let store = Store::open(&data_dir.join(DB_FILE))?;
        let credentials_path = data_dir.join(CREDENTIALS_FILE);
        let client = match Credentials::load(&credentials_path)? {
            Some(creds) => Some(Arc::new(SyncClient::new(creds)?)),
            None => None,
        };
        Ok(Self {
            store: Arc::new(Mutex::new(store)),
            credentials_path,
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
    fn a_fresh_data_dir_opens_unenrolled_with_the_key_outside_the_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("nested/data");
        let state = AppState::open(&data).expect("open");
        assert!(state.client().is_none());
        assert!(data.join(DB_FILE).exists());
        assert_eq!(state.credentials_path, data.join(CREDENTIALS_FILE));
        assert!(!state.credentials_path.exists());
    }

    #[test]
    fn an_unreadable_credentials_file_is_a_storage_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(CREDENTIALS_FILE), b"not json").expect("write");
        let err = AppState::open(dir.path()).expect_err("must refuse");
        assert_eq!(err.kind, crate::error::ErrorKind::Storage);
        assert!(err.message.contains(CREDENTIALS_FILE), "{}", err.message);
    }
}
