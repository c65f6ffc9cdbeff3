//! The one error the app's commands return to the UI: `{kind, message}`
//! plus the few details the UI needs to say it well in the worker's
//! language (the field and what the anonymity screen found, a wait).
//!
//! `kind` is stable and the UI translates by it; `message` is the English
//! sentence from the store or sync client, shown only when the UI has no
//! translation for the kind.

use crate::store::StoreError;
use crate::sync::ClientError;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::screen::Finding;
use serde::{Deserialize, Serialize};

/// What went wrong, as a stable name the UI translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Fewer than two distinct workers to start a shift.
    NeedTwoToStart,
    /// Logging while fewer than two workers are checked in.
    NeedTwoToLog,
    /// The worker is checked in on another open shift.
    AlreadyOnOpenShift,
    /// The worker is already checked in on this shift.
    AlreadyCheckedIn,
    /// The shift's status does not allow the change (approved is final).
    ShiftLocked,
    /// A status change the life cycle does not have.
    BadTransition,
    /// The anonymity screen found personal data in free text.
    PersonalData,
    /// A value out of range or missing.
    Invalid,
    /// A wrong or malformed PIN.
    Pin,
    /// Too many wrong PINs: wait.
    PinLocked,
    /// The app is locked: open it with a PIN (or, after too long without
    /// contact, a sync) first.
    Locked,
    /// The worker is deactivated.
    WorkerInactive,
    /// A record or worker unknown here.
    NotFound,
    /// The device is not enrolled yet.
    NotEnrolled,
    /// The device is already enrolled.
    AlreadyEnrolled,
    /// The server did not answer.
    Unreachable,
    /// The enrolment code is not known to the server.
    CodeUnknown,
    /// The enrolment code has expired.
    CodeExpired,
    /// The enrolment code was used already.
    CodeUsed,
    /// The server refused the call for another reason.
    Server,
    /// An administrator revoked this device.
    Revoked,
    /// An administrator reported this phone lost or retired it, and it was
    /// emptied (on an instruction signed with the pinned server key).
    Wiped,
    /// The server's reply did not verify or was not understood.
    Protocol,
    /// Local storage (database or credentials file) failed.
    Storage,
    /// A bug or an unexpected failure in the app.
    Internal,
}

/// The error every command returns: serialised as `{kind, message, ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What went wrong, for the UI to translate.
    pub kind: ErrorKind,
    /// The English sentence: what was wrong and what to do.
    pub message: String,
    /// The field concerned, e.g. `note`, when there is one.
    pub field: Option<String>,
    /// What the anonymity screen found, and where, for [`ErrorKind::PersonalData`].
    pub finding: Option<Finding>,
    /// Seconds to wait, for [`ErrorKind::PinLocked`].
    pub wait_secs: Option<u32>,
}

impl AppError {
    /// An error of `kind` with `message` and no details.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field: None,
            finding: None,
            wait_secs: None,
        }
    }

    /// An unexpected failure inside the app (a task that panicked, a path
    /// that cannot be resolved).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

/// The kind of a core rule error.
pub fn rule_kind(e: &feltlogg_core::Error) -> ErrorKind {
    use feltlogg_core::Error as E;
    match e {
        E::NeedTwoToStart { .. } => ErrorKind::NeedTwoToStart,
        E::NeedTwoToLog { .. } => ErrorKind::NeedTwoToLog,
        E::AlreadyOnOpenShift { .. } => ErrorKind::AlreadyOnOpenShift,
        E::AlreadyCheckedIn { .. } => ErrorKind::AlreadyCheckedIn,
        E::ShiftLocked { .. } => ErrorKind::ShiftLocked,
        E::BadTransition { .. } => ErrorKind::BadTransition,
        E::PersonalData { .. } => ErrorKind::PersonalData,
        E::Invalid { .. } | E::UnknownValue { .. } | E::Malformed { .. } => ErrorKind::Invalid,
    }
}

/// The kind of a store error.
pub fn store_kind(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::Rule(rule) => rule_kind(rule),
        StoreError::Pin(_) => ErrorKind::Pin,
        StoreError::PinLocked { .. } => ErrorKind::PinLocked,
        StoreError::WorkerInactive { .. } => ErrorKind::WorkerInactive,
        StoreError::NotFound { .. } => ErrorKind::NotFound,
        StoreError::NotEnrolled => ErrorKind::NotEnrolled,
        StoreError::AlreadyEnrolled { .. } => ErrorKind::AlreadyEnrolled,
        StoreError::Db(_)
        | StoreError::Migration(_)
        | StoreError::Corrupt(_)
        | StoreError::WrongKey
        | StoreError::NoCipher => ErrorKind::Storage,
    }
}

/// The kind of a sync client error.
pub fn client_kind(e: &ClientError) -> ErrorKind {
    match e {
        ClientError::Store(store) => store_kind(store),
        ClientError::Unreachable { .. } => ErrorKind::Unreachable,
        ClientError::Server { code, .. } => match code {
            ApiErrorCode::EnrolCodeUnknown => ErrorKind::CodeUnknown,
            ApiErrorCode::EnrolCodeExpired => ErrorKind::CodeExpired,
            ApiErrorCode::EnrolCodeUsed => ErrorKind::CodeUsed,
            _ => ErrorKind::Server,
        },
        ClientError::Revoked => ErrorKind::Revoked,
        ClientError::Wipe { .. } => ErrorKind::Wiped,
        ClientError::SeqReused { .. } => ErrorKind::Server,
        ClientError::Crypto(_) | ClientError::Protocol(_) => ErrorKind::Protocol,
        ClientError::Credentials(_) => ErrorKind::Storage,
    }
}

impl From<feltlogg_core::Error> for AppError {
    fn from(e: feltlogg_core::Error) -> Self {
        let mut out = Self::new(rule_kind(&e), e.to_string());
        match e {
            feltlogg_core::Error::PersonalData { field, finding } => {
                out.field = Some(field.to_owned());
                out.finding = Some(finding);
            }
            feltlogg_core::Error::Invalid { field, .. } => out.field = Some(field.to_owned()),
            _ => {}
        }
        out
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Rule(rule) => rule.into(),
            StoreError::PinLocked { wait_secs } => {
                let mut out = Self::new(store_kind(&e), e.to_string());
                out.wait_secs = Some(u32::try_from(wait_secs).unwrap_or(u32::MAX));
                out
            }
            other => Self::new(store_kind(&other), other.to_string()),
        }
    }
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Store(store) => store.into(),
            other => Self::new(client_kind(&other), other.to_string()),
        }
    }
}

impl From<feltlogg_device::vault::VaultError> for AppError {
    fn from(e: feltlogg_device::vault::VaultError) -> Self {
        match e {
            feltlogg_device::vault::VaultError::Store(store) => store.into(),
            other => Self::new(ErrorKind::Storage, other.to_string()),
        }
    }
}

/// Shorthand for command results.
pub type CmdResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use feltlogg_core::screen::FindingKind;

    #[test]
    fn serialises_as_kind_and_message_with_the_finding() {
        let rule = feltlogg_core::Error::PersonalData {
            field: "note",
            finding: Finding {
                kind: FindingKind::Phone,
                start: 4,
                end: 12,
            },
        };
        let json = serde_json::to_value(AppError::from(StoreError::Rule(rule))).expect("json");
        assert_eq!(json["kind"], "personal_data");
        assert_eq!(json["field"], "note");
        assert_eq!(json["finding"]["kind"], "phone");
        assert!(
            json["message"]
                .as_str()
                .is_some_and(|m| m.contains("phone"))
        );
    }

    #[test]
    fn enrolment_codes_get_their_own_kinds() {
        let e = ClientError::Server {
            status: 410,
            code: ApiErrorCode::EnrolCodeExpired,
            message: "expired".into(),
        };
        assert_eq!(AppError::from(e).kind, ErrorKind::CodeExpired);
        let e = ClientError::Unreachable {
            url: "http://127.0.0.1:9".into(),
        };
        assert_eq!(AppError::from(e).kind, ErrorKind::Unreachable);
    }
}
