//! After a server went back to a backup: what a phone reports that neither
//! it nor the restored server can bring back by re-sending. Plain JSON
//! (`POST /api/v1/sync/lost`), like the ack: it holds no record content.
//! Wire types: add only.

use super::decision::SignedDecision;
use serde::{Deserialize, Serialize};

/// Batch seqs `from..=to` of one device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeqRange {
    /// The first seq.
    pub from: u64,
    /// The last seq (inclusive).
    pub to: u64,
}

/// What a phone lost, or holds that the server lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LossReport {
    /// Batches the server had acknowledged before it went back and that
    /// the phone no longer keeps (its retention dropped them): their
    /// changes are lost. Must start right after the server's high-water
    /// mark for the device, which then moves past them.
    #[serde(default)]
    pub lost_batches: Option<SeqRange>,
    /// Decisions the server signed that the phone holds and the restored
    /// server no longer has: those shifts need a decision again. The
    /// server checks its own signature on each.
    #[serde(default)]
    pub decisions: Vec<SignedDecision>,
}

/// The server's answer to a [`LossReport`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LossReceipt {
    /// The device's high-water mark now.
    pub high_water: u64,
    /// Decisions recorded as needing a decision again.
    pub decisions_recorded: u32,
}
