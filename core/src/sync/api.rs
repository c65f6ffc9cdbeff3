//! The JSON shapes of the HTTP API that are not sealed: enrolment and the
//! error body. Shared by the app's sync client and the server so neither
//! spells a field by hand. Wire types: add only.

use crate::area::Area;
use crate::codes::ApiErrorCode;
use crate::directory::WorkerEntry;
use crate::ids::{DeviceId, UnitId};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/devices/enrol` request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    /// The one-time enrolment code a team lead or admin made.
    pub code: String,
    /// The device's Ed25519 public key, base64.
    pub device_public_key: String,
    /// A name for the device, shown to admins (e.g. "Telefon 3").
    pub device_name: String,
}

/// `POST /api/v1/devices/enrol` response: everything a device needs to work
/// offline and sync later.
#[derive(Clone, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// The new device's id.
    pub device_id: DeviceId,
    /// The 256-bit device key, base64: keep it outside the database.
    pub device_key: String,
    /// The device key's id, named in every envelope.
    pub key_id: u64,
    /// Bearer token for every later call.
    pub token: String,
    /// The server's Ed25519 public key, base64: pinned from now on.
    pub server_public_key: String,
    /// The unit the device belongs to.
    pub unit_id: UnitId,
    /// The unit's workers, with PIN verifiers for offline check-in.
    pub directory: Vec<WorkerEntry>,
    /// The areas (bydeler) the unit works in.
    pub areas: Vec<Area>,
}

impl std::fmt::Debug for EnrolResponse {
    // The device key and token are secrets: never in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolResponse")
            .field("device_id", &self.device_id)
            .field("unit_id", &self.unit_id)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Every API error body: a stable machine code and a message for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Stable code, e.g. `seq_gap`, `device_revoked`; `unknown` for one
    /// this build does not know.
    pub code: ApiErrorCode,
    /// Lowercase message that says what was wrong and what to do.
    pub message: String,
}
