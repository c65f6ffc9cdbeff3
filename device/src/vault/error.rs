//! Why the phone's data could not be opened, converted or wiped.

use crate::store::StoreError;

/// A vault failure. Messages name the file or the keystore and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The platform keystore (or the key file standing in for it) failed.
    #[error(
        "the phone's keystore failed: {0}; restart the phone and the app, and tell the team lead if it persists"
    )]
    Keystore(String),
    /// A file could not be read, written, renamed or deleted.
    #[error("cannot {action} {path}: {detail}; check the free space")]
    Io {
        /// What was being done, e.g. `rename`.
        action: &'static str,
        /// The file.
        path: String,
        /// The operating system's reason.
        detail: String,
    },
    /// The plain store's copy did not match it; the plain store is kept.
    #[error(
        "the encrypted copy of the store does not match it ({0}); the old store is kept, restart the app to try again"
    )]
    Mismatch(String),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        VaultError::Store(StoreError::Db(e))
    }
}

impl VaultError {
    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl Fn(std::io::Error) -> Self {
        let path = path.display().to_string();
        move |e| VaultError::Io {
            action,
            path: path.clone(),
            detail: e.to_string(),
        }
    }
}

/// Shorthand for vault results.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;
