//! The phone's data at rest: the store encrypted with a random key that
//! lives in the phone's keystore, the upgrade of a plain store, a store that
//! will not open set aside (never deleted), and the wipe of a lost or
//! retired phone. See docs/security.md.

mod error;
mod files;
mod key;
mod keystore;
pub mod upgrade;

pub use error::{Result, VaultError};
pub use key::{DbKey, KEY_LEN};
pub use keystore::{FileKeyStore, KEY_FILE, KeyStore, KeyringKeyStore, platform};

use crate::store::{Store, StoreError};
use files::{SIDECARS, remove_if_present, sync_dir, with_suffix};
use std::path::{Path, PathBuf};

/// The database file inside the app's data directory.
pub const DB_FILE: &str = "feltlogg.db";
/// Where versions before the encrypted store kept the credentials, in a
/// plain file beside it; read once into the store and deleted.
pub const LEGACY_CREDENTIALS_FILE: &str = "device-credentials.json";

/// The store as opened, and what happened on the way.
#[derive(Debug)]
pub struct Opened {
    /// The open, encrypted store.
    pub store: Store,
    /// A store that could not be opened, moved here for a technician; the
    /// store above is a new, empty one and the phone needs enrolling again.
    pub set_aside: Option<PathBuf>,
    /// A plain store from an earlier version was converted.
    pub upgraded: bool,
}

/// Opens the app's store in `data_dir` with the key in `keys`: makes the
/// key on first start, converts a plain store, and sets aside a store the
/// key does not open. A keystore that cannot answer is an error and
/// touches nothing: the key may well be there on the next start.
///
/// # Errors
/// [`VaultError::Keystore`], [`VaultError::Mismatch`] (plain store kept),
/// [`VaultError::Io`], [`VaultError::Store`].
pub fn open(data_dir: &Path, keys: &dyn KeyStore) -> Result<Opened> {
    let db = data_dir.join(DB_FILE);
    // Left by a conversion killed before its rename; the plain file is intact.
    remove_if_present(&upgrade::copy_path(&db)).map_err(VaultError::io("remove", &db))?;
    let exists = db.exists();
    let key = get_or_create(keys)?;
    let mut set_aside = None;
    let mut upgraded = false;
    if exists && upgrade::is_plain(&db)? {
        upgrade::convert(&db, &key, &mut |_| {})?;
        upgraded = true;
    }
    let store = match Store::open(&db, &key) {
        Ok(store) => store,
        Err(StoreError::WrongKey) => {
            set_aside = Some(set_aside_files(&db)?);
            Store::open(&db, &key)?
        }
        Err(e) => return Err(e.into()),
    };
    adopt_legacy_credentials(data_dir, &store)?;
    Ok(Opened {
        store,
        set_aside,
        upgraded,
    })
}

/// The key in `keys`, made on first use.
///
/// # Errors
/// [`VaultError::Keystore`].
pub fn get_or_create(keys: &dyn KeyStore) -> Result<DbKey> {
    match keys.get()? {
        Some(key) => Ok(key),
        None => keys.create(),
    }
}

/// The key for a store file used outside the app (tests, benches, tools):
/// a 0600 key file beside it, `<file>.key`, made on first use.
///
/// # Errors
/// [`VaultError::Keystore`].
pub fn key_beside(db: &Path) -> Result<DbKey> {
    get_or_create(&FileKeyStore::new(with_suffix(db, ".key")))
}

/// Opens a store file outside the app (tests, benches, tools) with its key
/// from [`key_beside`].
///
/// # Errors
/// [`VaultError::Keystore`], [`VaultError::Store`].
pub fn open_file(db: &Path) -> Result<Store> {
    Ok(Store::open(db, &key_beside(db)?)?)
}

/// Moves the store and its WAL aside under one timestamped name.
fn set_aside_files(db: &Path) -> Result<PathBuf> {
    let stamp = crate::store::now_ms();
    let aside = with_suffix(db, &format!(".unopenable-{stamp}"));
    std::fs::rename(db, &aside).map_err(VaultError::io("rename", db))?;
    for s in SIDECARS {
        let from = with_suffix(db, s);
        if from.exists() {
            let to = with_suffix(&aside, s);
            std::fs::rename(&from, &to).map_err(VaultError::io("rename", &from))?;
        }
    }
    sync_dir(db);
    Ok(aside)
}

/// Moves a plain credentials file from an earlier version into the store,
/// then deletes it.
fn adopt_legacy_credentials(data_dir: &Path, store: &Store) -> Result<()> {
    let path = data_dir.join(LEGACY_CREDENTIALS_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => zeroize::Zeroizing::new(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(VaultError::io("read", &path)(e)),
    };
    if store.credentials()?.is_none() {
        store.put_credentials(&bytes)?;
    }
    std::fs::remove_file(&path).map_err(VaultError::io("remove", &path))?;
    sync_dir(&path);
    Ok(())
}

/// Wipes the phone's Feltlogg data in `data_dir`: the key first, so that
/// whatever the flash keeps of the files is unreadable (crypto-shredding),
/// then the store, its WAL, any set-aside stores and a legacy credentials
/// file. The caller closes the store first.
///
/// # Errors
/// [`VaultError::Keystore`] when the key cannot be deleted (then no file
/// is touched, so the wipe can be retried), [`VaultError::Io`].
pub fn wipe(data_dir: &Path, keys: &dyn KeyStore) -> Result<()> {
    keys.delete()?;
    let entries = std::fs::read_dir(data_dir).map_err(VaultError::io("list", data_dir))?;
    for entry in entries {
        let entry = entry.map_err(VaultError::io("list", data_dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(DB_FILE) || name == LEGACY_CREDENTIALS_FILE {
            let path = entry.path();
            remove_if_present(&path).map_err(VaultError::io("remove", &path))?;
        }
    }
    sync_dir(&data_dir.join(DB_FILE));
    Ok(())
}
