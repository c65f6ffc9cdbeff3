//! The worker directory a device receives at enrolment and on pull: who may
//! check in on this phone, and how to verify their PIN offline.

use crate::ids::{UnitId, UserId};
use serde::{Deserialize, Serialize};

/// One worker as a device knows them. Wire type: do not rename fields.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerEntry {
    /// The worker's id.
    pub id: UserId,
    /// The unit they belong to.
    pub unit_id: UnitId,
    /// Name shown on the check-in screen (first name or initials).
    pub display_name: String,
    /// Slow salted hash of the 6-digit PIN (PHC string, Argon2id).
    pub pin_verifier: String,
    /// False once deactivated: such a worker can no longer check in.
    pub active: bool,
}

impl std::fmt::Debug for WorkerEntry {
    // The verifier is a slow hash, but a 6-digit PIN space is small: keep it
    // out of logs all the same.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerEntry")
            .field("id", &self.id)
            .field("unit_id", &self.unit_id)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}
