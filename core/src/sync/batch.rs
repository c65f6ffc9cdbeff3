//! What travels inside the envelopes: a pushed [`Batch`], a [`PullPage`],
//! and the plain-JSON [`Ack`]; and their compact encoding (CBOR, then
//! deflate).
//!
//! These are wire types, stored sealed on phones and journalled on the
//! server: do not modify or rename fields, add only (new fields with
//! `#[serde(default)]`).

use super::decision::SignedDecision;
use super::error::SyncError;
use super::revocation::SignedRevocation;
use crate::area::Area;
use crate::change::Change;
use crate::codes::RefusalCode;
use crate::directory::WorkerEntry;
use crate::ids::DeviceId;
use crate::record::RecordKind;
use crate::words::UnitWords;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use uuid::Uuid;

/// The largest decompressed content [`decode`] accepts: far above a batch
/// of ~1,000 changes, far below what a zip bomb would inflate to.
pub const MAX_DECODED_LEN: usize = 16 * 1024 * 1024;

/// One pushed batch: a slice of a device's outbox. Wire type: add only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The device that made the changes.
    pub device_id: DeviceId,
    /// Per-device batch number: strictly increasing and gap-free from 1.
    pub seq: u64,
    /// The changes, in outbox order.
    pub changes: Vec<Change>,
}

/// One page of a pull: what changed for the device's unit since its
/// cursor. Wire type: add only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    /// The server change seq after this page: the device's next cursor.
    pub cursor: u64,
    /// Whether more pages follow.
    pub more: bool,
    /// Other devices' changes to records of the unit, shift status changes included.
    pub changes: Vec<Change>,
    /// Approvals and returns, signed by the server.
    pub decisions: Vec<SignedDecision>,
    /// This device's changes that the server refused, with reasons.
    pub refused: Vec<Refusal>,
    /// The unit's worker directory, when it changed.
    pub directory: Option<Vec<WorkerEntry>>,
    /// The unit's areas, when they changed.
    pub areas: Option<Vec<Area>>,
    /// True once the device is revoked: it must stop syncing and say so.
    pub revoked: bool,
    /// The server database's epoch (see [`Ack::epoch`]); empty from a
    /// server that predates epochs.
    #[serde(default)]
    pub epoch: String,
    /// The last batch seq the server holds from this device; a phone that
    /// had a later one acked learns here that the server went back. `None`
    /// from a server that predates it.
    #[serde(default)]
    pub high_water: Option<u64>,
    /// The unit's words and its "not a person" setting, sent with the
    /// directory (on a pull from 0 and whenever either changed). `None`
    /// from a server that predates them, and on pages where neither changed.
    #[serde(default)]
    pub words: Option<UnitWords>,
    /// A revoked device's signed instruction (retire or lost); a page that
    /// carries one carries nothing else. The phone acts on it only once it
    /// verifies with the pinned key and names this device. `None` from a
    /// server that predates it.
    #[serde(default)]
    pub revocation: Option<SignedRevocation>,
}

/// A change the server refused: kept with its reason, never dropped.
/// Wire type: add only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The refused change's record id.
    pub change_id_or_record: Uuid,
    /// That record's kind.
    pub kind: RecordKind,
    /// The batch the change came in.
    pub batch_seq: u64,
    /// Why, in words a team lead and a worker can act on.
    pub reason: String,
    /// Which rule refused it, as a stable code (`shift_locked`,
    /// `need_two_to_log`, …) the phone can explain in the worker's
    /// language; `Unknown` from a server that predates codes (or a code
    /// newer than this build).
    #[serde(default)]
    pub code: RefusalCode,
}

/// The server's answer to a pushed batch; plain JSON, not sealed (it holds
/// no record content). Wire type: add only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// The batch acknowledged.
    pub seq: u64,
    /// The server's stored high-water mark for the device (last applied seq).
    pub high_water: u64,
    /// Changes applied.
    pub applied: u32,
    /// Changes refused, with reasons.
    pub refused: Vec<Refusal>,
    /// Changes whose HLC stamp was clamped (clock too far ahead).
    pub clamped: u32,
    /// The server database's epoch: a random id that changes when the
    /// database is restored from a backup, so a phone knows to re-send
    /// what the server lost and pull from the start. Empty from a server
    /// that predates epochs.
    #[serde(default)]
    pub epoch: String,
}

/// Encodes `value` as CBOR, then deflates it.
///
/// # Errors
/// [`SyncError::Decode`] when serde cannot serialise the value (not
/// expected for the types of this module).
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, SyncError> {
    let mut cbor = Vec::new();
    ciborium::into_writer(value, &mut cbor)
        .map_err(|e| SyncError::Decode(format!("cannot encode: {e}")))?;
    let mut z = DeflateEncoder::new(Vec::with_capacity(cbor.len() / 3), Compression::default());
    z.write_all(&cbor)
        .and_then(|()| z.finish())
        .map_err(|e| SyncError::Decode(format!("cannot compress: {e}")))
}

/// Inflates and decodes what [`encode`] made, refusing anything that
/// inflates past [`MAX_DECODED_LEN`].
///
/// # Errors
/// [`SyncError::TooLarge`] past the limit; [`SyncError::Decode`] for bad
/// deflate data or CBOR that is not a `T`.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, SyncError> {
    decode_limited(bytes, MAX_DECODED_LEN)
}

/// [`decode`] with an explicit limit (tests use a small one).
///
/// # Errors
/// As [`decode`].
pub fn decode_limited<T: DeserializeOwned>(bytes: &[u8], limit: usize) -> Result<T, SyncError> {
    let mut cbor = Vec::new();
    // Read one byte past the limit: if it arrives, the content is too large.
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    DeflateDecoder::new(bytes)
        .take(cap)
        .read_to_end(&mut cbor)
        .map_err(|e| SyncError::Decode(format!("bad compressed data: {e}")))?;
    if cbor.len() > limit {
        return Err(SyncError::TooLarge {
            size: cbor.len(),
            limit,
        });
    }
    ciborium::from_reader(cbor.as_slice()).map_err(|e| SyncError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::record::Fields;

    fn change(device: DeviceId, n: i64) -> Change {
        let mut fields = Fields::new();
        fields.insert("youth_count".into(), serde_json::json!(n));
        fields.insert("note".into(), serde_json::json!("prata om skole"));
        fields.insert("ratio".into(), serde_json::json!(0.5));
        fields.insert("topics".into(), serde_json::json!(["school", "family"]));
        fields.insert("closed_ms".into(), serde_json::Value::Null);
        Change {
            kind: RecordKind::Encounter,
            id: Uuid::now_v7(),
            fields,
            hlc: Hlc {
                wall_ms: 1_700_000_000_000 + n,
                counter: 3,
                device,
            },
        }
    }

    #[test]
    fn batch_round_trips_with_every_json_shape() {
        let device = DeviceId::new();
        let batch = Batch {
            device_id: device,
            seq: 7,
            changes: (0..20).map(|n| change(device, n)).collect(),
        };
        let bytes = encode(&batch).expect("encode");
        assert_eq!(decode::<Batch>(&bytes).expect("decode"), batch);
    }

    /// A string whose CBOR encoding is `len` bytes (a text header of five
    /// bytes for lengths of 64 KiB and more).
    fn cbor_of_len(len: usize) -> String {
        let s = "a".repeat(len - 5);
        let mut cbor = Vec::new();
        ciborium::into_writer(&s, &mut cbor).expect("cbor");
        assert_eq!(cbor.len(), len);
        s
    }

    #[test]
    fn content_of_exactly_the_limit_decodes_and_one_byte_more_does_not() {
        let s = cbor_of_len(1 << 17);
        let bytes = encode(&s).expect("encode");
        assert_eq!(decode_limited::<String>(&bytes, 1 << 17), Ok(s));
        assert!(matches!(
            decode_limited::<String>(&bytes, (1 << 17) - 1),
            Err(SyncError::TooLarge { .. })
        ));
    }

    #[test]
    fn decode_takes_sixteen_mib_and_not_one_byte_more() {
        // 16 MiB as the server and phones count it, not the constant.
        let limit = 16 << 20;
        let s = cbor_of_len(limit);
        assert_eq!(decode::<String>(&encode(&s).expect("encode")), Ok(s));
        let over = cbor_of_len(limit + 1);
        assert_eq!(
            decode::<String>(&encode(&over).expect("encode")),
            Err(SyncError::TooLarge {
                size: limit + 1,
                limit
            })
        );
    }

    #[test]
    fn zip_bomb_is_refused_with_too_large() {
        let bomb = encode(&vec![0u8; 4096]).expect("encode");
        let err = decode_limited::<Vec<u8>>(&bomb, 1024).expect_err("too large");
        assert!(
            matches!(
                err,
                SyncError::TooLarge {
                    size: 1025,
                    limit: 1024
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn garbage_and_wrong_type_are_decode_errors() {
        assert!(matches!(
            decode::<Batch>(b"\x00\x01garbage"),
            Err(SyncError::Decode(_))
        ));
        let not_a_batch = encode(&"hello").expect("encode");
        assert!(matches!(
            decode::<Batch>(&not_a_batch),
            Err(SyncError::Decode(_))
        ));
    }

    #[test]
    fn ack_is_plain_json() {
        let ack = Ack {
            seq: 3,
            high_water: 3,
            applied: 10,
            refused: vec![Refusal {
                change_id_or_record: Uuid::now_v7(),
                kind: RecordKind::Shift,
                batch_seq: 3,
                reason: "shift is approved; ask the team lead to return it".into(),
                code: RefusalCode::ShiftLocked,
            }],
            clamped: 0,
            epoch: "5f0c2a".into(),
        };
        let json = serde_json::to_string(&ack).expect("json");
        assert!(json.contains("\"high_water\":3"), "{json}");
        assert_eq!(serde_json::from_str::<Ack>(&json).expect("back"), ack);
    }

    #[test]
    fn an_ack_and_a_page_without_an_epoch_still_read() {
        // What a server from before epochs sends.
        let old = r#"{"seq":2,"high_water":2,"applied":1,"refused":[],"clamped":0}"#;
        let ack: Ack = serde_json::from_str(old).expect("reads");
        assert_eq!((ack.seq, ack.epoch.as_str()), (2, ""));
        #[derive(Serialize)]
        struct OldPage {
            cursor: u64,
            more: bool,
            changes: Vec<Change>,
            decisions: Vec<SignedDecision>,
            refused: Vec<Refusal>,
            directory: Option<Vec<WorkerEntry>>,
            areas: Option<Vec<Area>>,
            revoked: bool,
        }
        let old = OldPage {
            cursor: 7,
            more: false,
            changes: vec![],
            decisions: vec![],
            refused: vec![],
            directory: None,
            areas: None,
            revoked: false,
        };
        let page: PullPage = decode(&encode(&old).expect("encode")).expect("reads");
        assert_eq!(
            (page.cursor, page.epoch.as_str(), page.high_water),
            (7, "", None)
        );
    }

    #[test]
    fn a_refusal_without_a_code_still_reads() {
        // What a server from before refusal codes sends.
        let old = r#"{"change_id_or_record":"0192b4c8-0000-7000-8000-000000000001","kind":"encounter","batch_seq":1,"reason":"r"}"#;
        let r: Refusal = serde_json::from_str(old).expect("reads");
        assert_eq!((r.code, r.reason.as_str()), (RefusalCode::Unknown, "r"));
    }
}
