//! Where the database key lives: the phone's keystore, behind one small
//! trait so the store, its tests and the wipe do not care which.
//!
//! - Android: [`KeyringKeyStore`] over `android-native-keyring-store`: a
//!   non-exportable Android Keystore AES key (no user-authentication or
//!   biometric binding, which Android invalidates when the screen lock
//!   changes and would strand unsynced data) wraps the database key.
//! - iOS: [`KeyringKeyStore`] over `apple-native-keyring-store`'s protected
//!   store: a Keychain item for this device only.
//! - Desktop and tests: [`FileKeyStore`], a 0600 file. On a desktop this
//!   protects a copied database file, not a copied home directory.

use super::error::{Result, VaultError};
use super::key::DbKey;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Get, create or delete the one database key.
pub trait KeyStore: Send + Sync + std::fmt::Debug {
    /// The key, or `None` if there is none (first start, or it was lost).
    ///
    /// # Errors
    /// [`VaultError::Keystore`] when the keystore cannot answer.
    fn get(&self) -> Result<Option<DbKey>>;

    /// Makes a new random key and stores it, replacing any.
    ///
    /// # Errors
    /// [`VaultError::Keystore`] when it cannot be stored.
    fn create(&self) -> Result<DbKey>;

    /// Deletes the key (crypto-shredding: without it the files are noise).
    /// Deleting a missing key is not an error.
    ///
    /// # Errors
    /// [`VaultError::Keystore`] when the keystore refuses.
    fn delete(&self) -> Result<()>;
}

/// The name the key is kept under in a keystore.
const SERVICE: &str = "no.feltlogg.app";
const ENTRY: &str = "database-key";

/// The key in a file readable by the owner only (desktop, tests).
#[derive(Debug, Clone)]
pub struct FileKeyStore {
    path: PathBuf,
}

impl FileKeyStore {
    /// The key file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }
}

impl KeyStore for FileKeyStore {
    fn get(&self) -> Result<Option<DbKey>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => DbKey::from_bytes(&zeroize::Zeroizing::new(bytes)).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(VaultError::Keystore(format!(
                "{}: {e}",
                self.path.display()
            ))),
        }
    }

    fn create(&self) -> Result<DbKey> {
        let key = DbKey::generate()?;
        let tmp = self.path.with_extension("tmp");
        super::files::write_private(&tmp, key.as_bytes())
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| VaultError::Keystore(format!("{}: {e}", self.path.display())))?;
        super::files::sync_dir(&self.path);
        Ok(key)
    }

    fn delete(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(VaultError::Keystore(format!(
                "{}: {e}",
                self.path.display()
            ))),
        }
    }
}

/// The key in a `keyring-core` credential store (the platform keystores).
pub struct KeyringKeyStore {
    entry: keyring_core::Entry,
}

impl std::fmt::Debug for KeyringKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyringKeyStore(..)")
    }
}

impl KeyringKeyStore {
    /// The database key's entry in `store`, with the store's own
    /// `modifiers` (e.g. the Keychain's access policy).
    ///
    /// # Errors
    /// [`VaultError::Keystore`] when the store cannot make the entry.
    pub fn new(
        store: &Arc<keyring_core::CredentialStore>,
        modifiers: &std::collections::HashMap<&str, &str>,
    ) -> Result<Self> {
        let entry =
            keyring_core::Entry::new_in_store_with_modifiers(store, SERVICE, ENTRY, modifiers)
                .map_err(keyring_err)?;
        Ok(Self { entry })
    }
}

impl KeyStore for KeyringKeyStore {
    fn get(&self) -> Result<Option<DbKey>> {
        match self.entry.get_secret() {
            Ok(bytes) => DbKey::from_bytes(&zeroize::Zeroizing::new(bytes)).map(Some),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_err(e)),
        }
    }

    fn create(&self) -> Result<DbKey> {
        let key = DbKey::generate()?;
        self.entry.set_secret(key.as_bytes()).map_err(keyring_err)?;
        Ok(key)
    }

    fn delete(&self) -> Result<()> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_err(e)),
        }
    }
}

fn keyring_err(e: keyring_core::Error) -> VaultError {
    VaultError::Keystore(e.to_string())
}

/// The key file's name in the data directory, where no platform keystore is used.
pub const KEY_FILE: &str = "database.key";

/// This platform's keystore for the app whose data lives in `data_dir`.
///
/// # Errors
/// [`VaultError::Keystore`] when the platform keystore cannot be reached.
#[cfg(target_os = "android")]
pub fn platform(_data_dir: &Path) -> Result<Arc<dyn KeyStore>> {
    let store = android_native_keyring_store::Store::new().map_err(keyring_err)?;
    let store: Arc<keyring_core::CredentialStore> = store;
    Ok(Arc::new(KeyringKeyStore::new(&store, &Default::default())?))
}

/// This platform's keystore for the app whose data lives in `data_dir`.
///
/// # Errors
/// [`VaultError::Keystore`] when the platform keystore cannot be reached.
#[cfg(target_os = "ios")]
pub fn platform(_data_dir: &Path) -> Result<Arc<dyn KeyStore>> {
    let store = apple_native_keyring_store::protected::Store::new().map_err(keyring_err)?;
    let store: Arc<keyring_core::CredentialStore> = store;
    // This device only: never in an iCloud backup or on a new phone.
    let policy =
        std::collections::HashMap::from([("access-policy", "when-unlocked-this-device-only")]);
    Ok(Arc::new(KeyringKeyStore::new(&store, &policy)?))
}

/// This platform's keystore for the app whose data lives in `data_dir`:
/// on desktop a 0600 key file there.
///
/// # Errors
/// None on desktop; the signature matches the phones'.
#[cfg(not(any(target_os = "android", target_os = "ios")))]
pub fn platform(data_dir: &Path) -> Result<Arc<dyn KeyStore>> {
    Ok(Arc::new(FileKeyStore::new(data_dir.join(KEY_FILE))))
}
