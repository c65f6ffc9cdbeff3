//! The signed totals file: one server's **unsuppressed** counts of a
//! period, per area and category, for the national body only (Finland's
//! PAR system collects the same from every organisation). The national
//! tool sums the files of all municipalities and only then applies the
//! small-number rule, once: suppressing before summing would lose counts
//! (two hidden 3s are a publishable 6) and protect nothing the sum does not.
//!
//! The file is JSON (schema: `docs/totals.schema.json`):
//!
//! ```json
//! { "format": "feltlogg-totals", "format_version": 1,
//!   "totals": { "notice": …, "municipality": …, "period": …, "areas": [ … ] },
//!   "signature": { "algorithm": "ed25519", "public_key": "…", "value": "…" } }
//! ```
//!
//! The signature is the server's Ed25519 key (the one phones pin) over
//! [`SIGNATURE_LABEL`] followed by the bytes of the `totals` member exactly
//! as they stand in the file, so the file must travel as bytes: a tool
//! that re-formats the JSON breaks the signature. The label keeps a totals
//! signature from ever being mistaken for one over a shift decision.

use crate::period::{Period, TIME_ZONE};
use crate::{AreaTotals, Totals, vocabulary};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use feltlogg_core::sync::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

mod cells;

pub use cells::AreaCells;

/// The `format` of every totals file.
pub const FORMAT: &str = "feltlogg-totals";
/// The `format_version` this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// What the signature covers before the `totals` bytes.
pub const SIGNATURE_LABEL: &[u8] = b"feltlogg/v1/totals\n";
/// The only signature algorithm.
pub const ALGORITHM: &str = "ed25519";
/// The file's own warning, inside what is signed.
pub const NOTICE: &str = "Unsuppressed counts for the national statistics body only. Never publish this file or pass it on: publish only what feltlogg-national writes after summing and suppressing.";

/// Why a totals file cannot be read or trusted.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not JSON of the totals file's shape.
    #[error("not a Feltlogg totals file of format version {FORMAT_VERSION}: {0}")]
    Schema(String),
    /// Another format or format version.
    #[error(
        "format {format:?} version {version} is not one this tool reads ({FORMAT:?} version {FORMAT_VERSION}); use the feltlogg-national that matches the servers"
    )]
    Format {
        /// The file's `format`.
        format: String,
        /// The file's `format_version`.
        version: u32,
    },
    /// Signed with a key other than the one pinned for the municipality.
    #[error(
        "signed by key {signed_by}, not by the key pinned for this municipality ({pinned}); if the municipality has a new server key, confirm it with them and pin it in the keys file"
    )]
    OtherKey {
        /// The key the file names.
        signed_by: String,
        /// The pinned key.
        pinned: String,
    },
    /// The signature does not verify: the file changed after signing.
    #[error(
        "the signature does not verify: the file was changed after the server signed it; ask the municipality to send it again"
    )]
    BadSignature,
    /// Counted in a vocabulary version this build does not know.
    #[error(
        "counted in vocabulary version {0}, but this tool knows version {known} only; use the feltlogg-national that matches the servers",
        known = vocabulary::VERSION
    )]
    UnknownVocabulary(u32),
}

/// A municipality (SSB kommunenummer and name), and which part of it a
/// server covers when a city runs more than one server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// SSB kommunenummer, four digits, e.g. `0301`.
    pub number: String,
    /// Its name, e.g. `Oslo`.
    pub name: String,
    /// The part this server covers (e.g. `Øst`), empty for the whole
    /// municipality.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub part: String,
}

impl Municipality {
    /// `0301 Oslo`, or `0301 Oslo (Øst)` for a part.
    pub fn label(&self) -> String {
        if self.part.is_empty() {
            format!("{} {}", self.number, self.name)
        } else {
            format!("{} {} ({})", self.number, self.name, self.part)
        }
    }
}

/// The period as a file states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodInfo {
    /// [`Period::label`], e.g. `2026-YTD-08`.
    pub label: String,
    /// First day, Oslo local, `YYYY-MM-DD`.
    pub first_day: String,
    /// Last day, inclusive.
    pub last_day: String,
    /// Always `Europe/Oslo`.
    pub time_zone: String,
}

/// The vocabulary the counts are in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyInfo {
    /// [`vocabulary::VERSION`] of the writer.
    pub version: u32,
    /// Every vocabulary's codes, in order.
    pub codes: BTreeMap<String, Vec<String>>,
}

/// What the signature covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// [`NOTICE`].
    pub notice: String,
    /// Whose counts.
    pub municipality: Municipality,
    /// Which period.
    pub period: PeriodInfo,
    /// When the file was made, RFC 3339 UTC.
    pub generated_at: String,
    /// Which program made it, e.g. `feltlogg-server 0.1.0`.
    pub generator: String,
    /// The codes counted.
    pub vocabulary: VocabularyInfo,
    /// One entry per area with any data, in code order.
    pub areas: Vec<AreaCells>,
}

impl Payload {
    /// The payload of `totals` (raw counts) for `municipality`.
    pub fn new(
        municipality: Municipality,
        totals: &Totals,
        generated_at_ms: i64,
        generator: &str,
    ) -> Self {
        let generated_at = jiff::Timestamp::from_millisecond(generated_at_ms)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_string();
        Self {
            notice: NOTICE.to_owned(),
            municipality,
            period: period_info(&totals.period),
            generated_at,
            generator: generator.to_owned(),
            vocabulary: VocabularyInfo {
                version: vocabulary::VERSION,
                codes: vocabulary::codes()
                    .into_iter()
                    .map(|(n, c)| (n.to_owned(), c.into_iter().map(str::to_owned).collect()))
                    .collect(),
            },
            areas: totals.rows.iter().map(AreaCells::of).collect(),
        }
    }

    /// The areas' counts, after checking the vocabulary and the period
    /// the file states.
    ///
    /// # Errors
    /// [`FileError::UnknownVocabulary`] for another vocabulary version;
    /// [`FileError::Schema`] for codes that differ from the version's, an
    /// area whose breakdowns miss or add a code, or a period whose days
    /// do not match its label.
    pub fn area_totals(&self) -> Result<Vec<AreaTotals>, FileError> {
        if self.vocabulary.version != vocabulary::VERSION {
            return Err(FileError::UnknownVocabulary(self.vocabulary.version));
        }
        for (name, codes) in vocabulary::codes() {
            let stated = self.vocabulary.codes.get(name);
            if stated.is_none_or(|s| !s.iter().map(String::as_str).eq(codes.iter().copied())) {
                return Err(FileError::Schema(format!(
                    "vocabulary {name} of version {} does not list the codes of that version",
                    self.vocabulary.version
                )));
            }
        }
        if self.vocabulary.codes.len() != vocabulary::NAMES.len() {
            return Err(FileError::Schema(
                "the vocabulary lists a vocabulary version 1 does not have".into(),
            ));
        }
        let period = self.period()?;
        if period_info(&period) != self.period {
            return Err(FileError::Schema(format!(
                "period {:?} does not run from {} to {} in {TIME_ZONE}",
                self.period.label, self.period.first_day, self.period.last_day
            )));
        }
        self.areas.iter().map(AreaCells::totals).collect()
    }

    /// The period the file states.
    ///
    /// # Errors
    /// [`FileError::Schema`] when its label is not a period.
    pub fn period(&self) -> Result<Period, FileError> {
        Period::parse(&self.period.label).map_err(|e| FileError::Schema(e.to_string()))
    }
}

fn period_info(p: &Period) -> PeriodInfo {
    PeriodInfo {
        label: p.label.clone(),
        first_day: p.first_day.to_string(),
        last_day: p.last_day.to_string(),
        time_zone: TIME_ZONE.to_owned(),
    }
}

/// The signature block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// The signer's public key, unpadded standard base64 (what
    /// `feltlogg-server public-key` prints).
    pub public_key: String,
    /// The signature, unpadded standard base64.
    pub value: String,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    format_version: u32,
    totals: &'a RawValue,
    signature: Signature,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn<'a> {
    format: String,
    format_version: u32,
    #[serde(borrow)]
    totals: &'a RawValue,
    signature: Signature,
}

/// Only the part of the payload needed to find the pinned key.
#[derive(Deserialize)]
struct Peek {
    municipality: Municipality,
}

fn signed_bytes(totals: &str) -> Vec<u8> {
    let mut out = SIGNATURE_LABEL.to_vec();
    out.extend_from_slice(totals.as_bytes());
    out
}

/// The signed file of `payload`, as bytes to write.
///
/// # Errors
/// [`FileError::Schema`] if serialising fails (it does not for these types).
pub fn sign(payload: &Payload, key: &SigningKey) -> Result<Vec<u8>, FileError> {
    let schema = |e: serde_json::Error| FileError::Schema(e.to_string());
    let totals = serde_json::to_string_pretty(payload).map_err(schema)?;
    let raw = RawValue::from_string(totals).map_err(schema)?;
    let file = FileOut {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        signature: Signature {
            algorithm: ALGORITHM.to_owned(),
            public_key: key.public_key().to_base64(),
            value: B64.encode(key.sign(&signed_bytes(raw.get()))),
        },
        totals: &raw,
    };
    let mut out = serde_json::to_vec_pretty(&file).map_err(schema)?;
    out.push(b'\n');
    Ok(out)
}

/// A totals file read but not yet verified.
#[derive(Debug)]
pub struct Unverified<'a> {
    totals: &'a str,
    signature: Signature,
    /// The municipality the file claims to be from (unverified: use it
    /// only to find the key to verify with).
    pub municipality: Municipality,
}

/// Reads a totals file's envelope.
///
/// # Errors
/// [`FileError::Schema`] for bytes that are not a totals file;
/// [`FileError::Format`] for another format or version.
pub fn open(bytes: &[u8]) -> Result<Unverified<'_>, FileError> {
    let schema = |e: serde_json::Error| FileError::Schema(e.to_string());
    let file: FileIn<'_> = serde_json::from_slice(bytes).map_err(schema)?;
    if file.format != FORMAT || file.format_version != FORMAT_VERSION {
        return Err(FileError::Format {
            format: file.format,
            version: file.format_version,
        });
    }
    if file.signature.algorithm != ALGORITHM {
        return Err(FileError::Schema(format!(
            "signature algorithm {:?} is not {ALGORITHM:?}",
            file.signature.algorithm
        )));
    }
    let peek: Peek = serde_json::from_str(file.totals.get()).map_err(schema)?;
    Ok(Unverified {
        totals: file.totals.get(),
        signature: file.signature,
        municipality: peek.municipality,
    })
}

impl Unverified<'_> {
    /// Checks that the file is signed by `pinned` and returns what it
    /// says.
    ///
    /// # Errors
    /// [`FileError::OtherKey`] when it names another key;
    /// [`FileError::BadSignature`] when the signature does not verify;
    /// [`FileError::Schema`] when the signed totals are not of the schema.
    pub fn verify(&self, pinned: &VerifyingKey) -> Result<Payload, FileError> {
        let pinned_text = pinned.to_base64();
        let named = VerifyingKey::from_base64(&self.signature.public_key).ok();
        if named != Some(*pinned) {
            return Err(FileError::OtherKey {
                signed_by: self.signature.public_key.clone(),
                pinned: pinned_text,
            });
        }
        let sig = B64
            .decode(self.signature.value.trim_end_matches('='))
            .map_err(|_| FileError::BadSignature)?;
        pinned
            .verify(&signed_bytes(self.totals), &sig)
            .map_err(|_| FileError::BadSignature)?;
        serde_json::from_str(self.totals).map_err(|e| FileError::Schema(e.to_string()))
    }
}

#[cfg(test)]
mod tests;
