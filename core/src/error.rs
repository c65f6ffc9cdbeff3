//! The one error type of the core: every rule says what was wrong and
//! names the value, in lowercase, so the app and the server can show it.

use crate::screen::Finding;

/// Why the core refused something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A wire name that is not in its vocabulary.
    #[error("unknown {vocabulary} value {value:?}")]
    UnknownValue {
        /// The vocabulary, e.g. `Topic`.
        vocabulary: &'static str,
        /// The value that was given.
        value: String,
    },
    /// Fewer than two distinct workers to start a shift.
    #[error(
        "a shift needs two different workers checked in to start; {found} distinct worker(s) given"
    )]
    NeedTwoToStart {
        /// Distinct workers given.
        found: usize,
    },
    /// Logging while fewer than two workers are checked in.
    #[error(
        "logging is paused: only {checked_in} worker(s) checked in; a second worker must check in first"
    )]
    NeedTwoToLog {
        /// Workers checked in at that moment.
        checked_in: usize,
    },
    /// The worker is already on another open shift.
    #[error(
        "worker {worker} is already checked in on another open shift ({shift}); check out there first"
    )]
    AlreadyOnOpenShift {
        /// The worker id.
        worker: String,
        /// The other shift's id.
        shift: String,
    },
    /// The worker is already checked in on this shift.
    #[error("worker {worker} is already checked in on this shift")]
    AlreadyCheckedIn {
        /// The worker id.
        worker: String,
    },
    /// The shift's status does not allow the change.
    #[error("shift is {status}; {what}")]
    ShiftLocked {
        /// The status, e.g. `approved`.
        status: crate::ShiftStatus,
        /// What to do instead.
        what: &'static str,
    },
    /// A status transition that the life cycle does not have.
    #[error("a shift cannot go from {from} to {to}")]
    BadTransition {
        /// From this status.
        from: crate::ShiftStatus,
        /// To this status.
        to: crate::ShiftStatus,
    },
    /// Personal data found in free text.
    #[error("{field}: {finding}; remove it before saving")]
    PersonalData {
        /// The field, e.g. `note`.
        field: &'static str,
        /// What was found and where.
        finding: Finding,
    },
    /// A field out of its range or missing.
    #[error("{field}: {problem}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// The problem, naming the bad value.
        problem: String,
    },
    /// A record's fields could not be read as that record.
    #[error("{kind} record cannot be read: {detail}")]
    Malformed {
        /// The record kind.
        kind: &'static str,
        /// What was wrong.
        detail: String,
    },
}

/// Shorthand for results of core functions.
pub type Result<T, E = Error> = std::result::Result<T, E>;
