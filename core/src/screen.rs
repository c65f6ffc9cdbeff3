//! The anonymity screen for free text. (Stub: being written.)

use serde::{Deserialize, Serialize};

/// What kind of personal data was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A checksum-valid fødselsnummer.
    NationalId,
    /// A checksum-valid D-number.
    DNumber,
    /// A Norwegian phone number.
    Phone,
    /// An e-mail address.
    Email,
}

/// One piece of personal data found in a text: its kind and where it is,
/// as character (not byte) offsets, end exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// First character, counted from 0.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} at characters {}-{}", self.kind, self.start + 1, self.end)
    }
}
