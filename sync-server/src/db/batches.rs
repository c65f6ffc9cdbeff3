//! `batches`: the journal of applied batches, sealed as received, with the
//! ack each one got, so a repeated seq gets the very same ack.

use super::devices::u64_to_sql;
use feltlogg_core::ids::DeviceId;
use rusqlite::{Connection, OptionalExtension, params};

/// Journals an applied batch and its ack (JSON).
pub fn insert(
    conn: &Connection,
    device: DeviceId,
    seq: u64,
    envelope: &[u8],
    ack_json: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    // Cached: every push runs it (and a burst, hundreds a second).
    conn.prepare_cached(
        "INSERT INTO batches (device_id, seq, envelope, ack, received_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![device.to_string(), u64_to_sql(seq), envelope, ack_json, now_ms])?;
    Ok(())
}

/// A journalled batch: the sealed bytes as received and the ack (JSON) it got.
#[derive(Debug)]
pub struct Journalled {
    /// The envelope, byte for byte.
    pub envelope: Vec<u8>,
    /// The ack, JSON.
    pub ack_json: String,
}

/// The journal entry of a batch, if it was applied.
pub fn get(conn: &Connection, device: DeviceId, seq: u64) -> rusqlite::Result<Option<Journalled>> {
    conn.query_row(
        "SELECT envelope, ack FROM batches WHERE device_id = ?1 AND seq = ?2",
        params![device.to_string(), u64_to_sql(seq)],
        |r| {
            Ok(Journalled {
                envelope: r.get(0)?,
                ack_json: r.get(1)?,
            })
        },
    )
    .optional()
}

/// Number of batches journalled for a device.
pub fn count(conn: &Connection, device: DeviceId) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM batches WHERE device_id = ?1",
        [device.to_string()],
        |r| r.get(0),
    )
}
