//! The stable codes on the wire: why the server refused a change
//! ([`RefusalCode`]) and why it answered a request with an error
//! ([`ApiErrorCode`]). Both sides match on these enums, so a code is spelt
//! once; the phone's explanation table and the dashboard's `match` must
//! name every one (the TypeScript and Rust compilers check).
//!
//! Wire names are snake_case and never renamed. A code this build does not
//! know (from a newer peer), or none at all (from an older one), reads as
//! `Unknown`, so peers of different ages still read each other. To add a
//! code, add a line to the list below; the compilers then name every table
//! that must explain it.

use crate::Error;
use serde::{Deserialize, Serialize};

macro_rules! wire_codes {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)+
            /// A code this build does not know (a newer peer's), or none
            /// (an older peer's).
            #[default]
            #[serde(rename = "unknown")]
            Unknown,
        }

        // By hand rather than `#[serde(other)]`, which would make the
        // TypeScript type a plain `string` and the UI's tables unchecked.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let wire = String::deserialize(d)?;
                Ok(Self::from_wire(&wire))
            }
        }

        impl $name {
            /// Every known code (not `Unknown`), in the order of the list.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown => "unknown",
                }
            }

            /// The code for a stored or received wire name: `Unknown` for
            /// one this build does not know and for the empty string.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    _ => $name::Unknown,
                }
            }
        }

        // Tests and logs compare a code with its wire name.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_codes!(
    /// Which rule refused a change the server received. Kept with the
    /// refusal on the server and the phone.
    RefusalCode {
        /// A vocabulary value that is not in the list.
        UnknownValue = "unknown_value",
        /// A shift started without two different workers.
        NeedTwoToStart = "need_two_to_start",
        /// An encounter or referral with fewer than two workers checked in.
        NeedTwoToLog = "need_two_to_log",
        /// The worker was on another open shift.
        AlreadyOnOpenShift = "already_on_open_shift",
        /// The worker was already checked in on this shift.
        AlreadyCheckedIn = "already_checked_in",
        /// The shift was approved: nothing in it changes.
        ShiftLocked = "shift_locked",
        /// A shift status change a phone may not make.
        BadTransition = "bad_transition",
        /// Free text that looks like personal data.
        PersonalData = "personal_data",
        /// A field value out of range or missing.
        Invalid = "invalid",
        /// A field that cannot be read.
        Malformed = "malformed",
        /// A change stamped by another device than the sender.
        BadStamp = "bad_stamp",
        /// A record of another unit.
        WrongUnit = "wrong_unit",
        /// The record's shift is not on the server (yet).
        ShiftUnknown = "shift_unknown",
        /// A field name the record kind does not have.
        UnknownField = "unknown_field",
        /// The referral's encounter is not on the server (yet).
        EncounterUnknown = "encounter_unknown",
        /// The worker is not an active member of the unit.
        UnknownWorker = "unknown_worker",
    }
);

impl RefusalCode {
    /// The code of the rule a core error comes from.
    pub fn of(e: &Error) -> Self {
        match e {
            Error::UnknownValue { .. } => Self::UnknownValue,
            Error::NeedTwoToStart { .. } => Self::NeedTwoToStart,
            Error::NeedTwoToLog { .. } => Self::NeedTwoToLog,
            Error::AlreadyOnOpenShift { .. } => Self::AlreadyOnOpenShift,
            Error::AlreadyCheckedIn { .. } => Self::AlreadyCheckedIn,
            Error::ShiftLocked { .. } => Self::ShiftLocked,
            Error::BadTransition { .. } => Self::BadTransition,
            Error::PersonalData { .. } => Self::PersonalData,
            Error::Invalid { .. } => Self::Invalid,
            Error::Malformed { .. } => Self::Malformed,
        }
    }
}

wire_codes!(
    /// The `code` of every API error body (`{code, message}`).
    ApiErrorCode {
        /// The request body or a parameter cannot be read.
        BadRequest = "bad_request",
        /// A value failed validation.
        Invalid = "invalid",
        /// No enrolment code matches.
        EnrolCodeUnknown = "enrol_code_unknown",
        /// The enrolment code was used already.
        EnrolCodeUsed = "enrol_code_used",
        /// The enrolment code has expired.
        EnrolCodeExpired = "enrol_code_expired",
        /// No or unknown bearer token.
        Unauthorized = "unauthorized",
        /// The device was revoked: it stops syncing.
        DeviceRevoked = "device_revoked",
        /// A device revoked already in a way the new revocation cannot change.
        AlreadyRevoked = "already_revoked",
        /// The user may not do this.
        Forbidden = "forbidden",
        /// The envelope names another device than the token.
        DeviceMismatch = "device_mismatch",
        /// A batch seq after a gap.
        SeqGap = "seq_gap",
        /// A batch seq that can never come next.
        SeqInvalid = "seq_invalid",
        /// A used batch seq sent again with other bytes.
        SeqReused = "seq_reused",
        /// A pull cursor past what the server holds.
        CursorAhead = "cursor_ahead",
        /// A body over the limit.
        TooLarge = "too_large",
        /// Something named does not exist.
        NotFound = "not_found",
        /// A bug or an I/O failure on the server.
        Internal = "internal",
        /// A decision on a shift that is not closed.
        ShiftNotClosed = "shift_not_closed",
        /// A shift status change that is not allowed.
        BadTransition = "bad_transition",
        /// A unit by that name exists.
        UnitExists = "unit_exists",
        /// A user by that name exists.
        UsernameTaken = "username_taken",
        /// The server already has its first admin.
        AlreadyInitialised = "already_initialised",
        /// Nothing in the text to redact.
        NothingToRedact = "nothing_to_redact",
        /// Not a sealed envelope.
        NotAnEnvelope = "not_an_envelope",
        /// An envelope version this build does not know.
        UnknownVersion = "unknown_version",
        /// An envelope sealed for the other direction.
        WrongDirection = "wrong_direction",
        /// An envelope under a key id that is not known.
        UnknownKeyId = "unknown_key_id",
        /// An envelope from another device.
        WrongDevice = "wrong_device",
        /// A signature that does not verify.
        BadSignature = "bad_signature",
        /// An authentication tag that does not verify.
        BadTag = "bad_tag",
        /// An envelope cut short.
        Truncated = "truncated",
        /// An envelope whose seq is not the batch's.
        SeqMismatch = "seq_mismatch",
        /// An envelope seen before.
        Replayed = "replayed",
        /// A signed decision that does not read.
        InvalidDecision = "invalid_decision",
        /// A payload that does not decode.
        Decode = "decode",
        /// A failure of the crypto library.
        Crypto = "crypto",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_are_snake_case() {
        for c in RefusalCode::ALL {
            let json = serde_json::to_string(c).expect("json");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(
                serde_json::from_str::<RefusalCode>(&json).expect("back"),
                *c
            );
            assert_eq!(RefusalCode::from_wire(c.as_str()), *c);
        }
        for c in ApiErrorCode::ALL {
            let json = serde_json::to_string(c).expect("json");
            assert_eq!(
                serde_json::from_str::<ApiErrorCode>(&json).expect("back"),
                *c
            );
            assert_eq!(ApiErrorCode::from_wire(c.as_str()), *c);
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{c}"
            );
        }
    }

    #[test]
    fn a_code_from_a_newer_or_older_peer_reads_as_unknown() {
        let newer: RefusalCode = serde_json::from_str("\"rule_from_2030\"").expect("reads");
        assert_eq!(newer, RefusalCode::Unknown);
        assert_eq!(RefusalCode::from_wire(""), RefusalCode::Unknown);
        let api: ApiErrorCode = serde_json::from_str("\"error_from_2030\"").expect("reads");
        assert_eq!(api, ApiErrorCode::Unknown);
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        assert!(RefusalCode::ALL.iter().all(|c| seen.insert(c.as_str())));
        seen.clear();
        assert!(ApiErrorCode::ALL.iter().all(|c| seen.insert(c.as_str())));
    }
}
