//! The store's one error type. Every message is lowercase, names the bad
//! value and says what to do, so the app can show it as it is.

use feltlogg_core::secret::SecretError;
use serde::ser::SerializeStruct;

/// Why the device store refused or failed an operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A domain rule (pairing, anonymity screen, life cycle, ranges) refused it.
    #[error(transparent)]
    Rule(#[from] feltlogg_core::Error),
    /// The PIN was not accepted.
    #[error("pin not accepted: {0}; check the pin and try again")]
    Pin(SecretError),
    /// Too many wrong PINs in a row for this worker.
    #[error("too many wrong pins for this worker; wait {wait_secs} s before trying again")]
    PinLocked {
        /// Seconds until the next attempt is allowed.
        wait_secs: u64,
    },
    /// The worker is in the directory but deactivated.
    #[error("worker {worker} is deactivated and cannot check in; ask the team lead")]
    WorkerInactive {
        /// The worker id.
        worker: String,
    },
    /// A record or worker that does not exist here.
    #[error("{what} {id} not found on this device; sync and try again")]
    NotFound {
        /// What was looked for, e.g. `shift`.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The device has not been enrolled yet.
    #[error("this device is not enrolled; enrol it with a code from the team lead first")]
    NotEnrolled,
    /// `init_device` with another device id than the one stored.
    #[error(
        "this device is already enrolled as {device}; it cannot be enrolled again as another device"
    )]
    AlreadyEnrolled {
        /// The stored device id.
        device: String,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}; the app cannot open its data")]
    Migration(#[from] rusqlite_migration::Error),
    /// The file does not open with this phone's key: the key was lost (a
    /// restored phone) or the file is not a Feltlogg store.
    #[error(
        "the store on this phone cannot be opened with its key; it is set aside, enrol the phone again"
    )]
    WrongKey,
    /// This build linked SQLite without SQLCipher; it must not store data.
    #[error(
        "this build of the app has no database encryption (sqlcipher); install an official build"
    )]
    NoCipher,
    /// Data read back from the database could not be understood.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// A stable machine-readable name for the kind of error, for the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Rule(_) => "rule",
            StoreError::Pin(_) => "pin",
            StoreError::PinLocked { .. } => "pin_locked",
            StoreError::WorkerInactive { .. } => "worker_inactive",
            StoreError::NotFound { .. } => "not_found",
            StoreError::NotEnrolled => "not_enrolled",
            StoreError::AlreadyEnrolled { .. } => "already_enrolled",
            StoreError::Db(_) => "db",
            StoreError::Migration(_) => "migration",
            StoreError::WrongKey => "wrong_key",
            StoreError::NoCipher => "no_cipher",
            StoreError::Corrupt(_) => "corrupt",
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Serialised as `{kind, message}` for the UI.
impl serde::Serialize for StoreError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("StoreError", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
