//! A revoked phone's instruction, signed by the server's Ed25519 key that
//! the phone pinned at enrolment: `retire` (push what is left, then wipe)
//! or `lost` (wipe at once). A phone wipes only on an instruction that
//! verifies with that key *and* names its own device id, never on a bare
//! 401 or 403: a misconfigured proxy must not destroy a day of field work.
//!
//! The scheme is the one of [`super::decision`]: the signature covers a
//! domain-separation label and the CBOR encoding of the [`Revocation`],
//! which the verifier re-encodes, so `Revocation` is frozen. A future field
//! needs a new label (`feltlogg/v2/revocation`) and a new type.

use super::error::SyncError;
use super::keys::{SigningKey, VerifyingKey};
use crate::ids::DeviceId;
use crate::record::UnixMs;
use serde::{Deserialize, Serialize};

/// Prefix of every signed revocation, so its signature can never be taken
/// for a signature over a decision, a pull page or a totals file.
pub const REVOCATION_LABEL: &[u8] = b"feltlogg/v1/revocation";

/// What the phone does. Wire type: frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationKind {
    /// The phone is handed in: push what the outbox holds, then wipe.
    Retire,
    /// The phone is lost or stolen: wipe at once, push nothing.
    Lost,
}

impl RevocationKind {
    /// Both kinds.
    pub const ALL: [Self; 2] = [Self::Retire, Self::Lost];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Retire => "retire",
            Self::Lost => "lost",
        }
    }

    /// Reads a name written by [`RevocationKind::as_str`].
    ///
    /// # Errors
    /// [`SyncError::Decode`] naming any other value.
    pub fn parse(s: &str) -> Result<Self, SyncError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                SyncError::Decode(format!(
                    "revocation kind {s:?} is not known; use \"retire\" or \"lost\""
                ))
            })
    }
}

impl std::fmt::Display for RevocationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The instruction to one device. Wire type: frozen (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The one device it is for: any other device ignores it.
    pub device_id: DeviceId,
    /// Retire or lost.
    pub kind: RevocationKind,
    /// When an administrator gave it, Unix ms.
    pub revoked_at_ms: UnixMs,
}

/// A revocation with the server's signature. Wire type: add only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRevocation {
    /// The instruction.
    pub revocation: Revocation,
    /// Ed25519 signature over [`REVOCATION_LABEL`] ‖ CBOR(revocation).
    pub signature: Vec<u8>,
}

/// The bytes a revocation signature covers.
fn signed_bytes(revocation: &Revocation) -> Result<Vec<u8>, SyncError> {
    let mut out = REVOCATION_LABEL.to_vec();
    ciborium::into_writer(revocation, &mut out)
        .map_err(|e| SyncError::Decode(format!("cannot encode revocation: {e}")))?;
    Ok(out)
}

/// Signs `revocation` with the server's key.
///
/// # Errors
/// [`SyncError::Decode`] if encoding fails (not expected).
pub fn sign_revocation(
    revocation: &Revocation,
    key: &SigningKey,
) -> Result<SignedRevocation, SyncError> {
    Ok(SignedRevocation {
        signature: key.sign(&signed_bytes(revocation)?),
        revocation: revocation.clone(),
    })
}

impl SignedRevocation {
    /// Verifies the signature with the pinned server key and that the
    /// instruction is for `device`; returns it.
    ///
    /// # Errors
    /// [`SyncError::BadSignature`] when a field or the signature was
    /// changed, the signature is missing, or another key signed;
    /// [`SyncError::WrongDevice`] for an instruction to another device
    /// (one replayed from another phone's traffic).
    pub fn verify(
        &self,
        server_key: &VerifyingKey,
        device: DeviceId,
    ) -> Result<&Revocation, SyncError> {
        server_key.verify(&signed_bytes(&self.revocation)?, &self.signature)?;
        if self.revocation.device_id != device {
            return Err(SyncError::WrongDevice {
                expected: device,
                found: self.revocation.device_id,
            });
        }
        Ok(&self.revocation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost(device: DeviceId) -> Revocation {
        Revocation {
            device_id: device,
            kind: RevocationKind::Lost,
            revoked_at_ms: 1_700_000_000_000,
        }
    }

    #[test]
    fn a_signed_revocation_verifies_for_its_device_after_the_wire() {
        let (sk, _) = SigningKey::generate().expect("key");
        let device = DeviceId::new();
        let signed = sign_revocation(&lost(device), &sk).expect("sign");
        let json = serde_json::to_vec(&signed).expect("json");
        let back: SignedRevocation = serde_json::from_slice(&json).expect("back");
        assert_eq!(
            back.verify(&sk.public_key(), device).expect("verify").kind,
            RevocationKind::Lost
        );
        let cbor = super::super::batch::encode(&signed).expect("cbor");
        let back: SignedRevocation = super::super::batch::decode(&cbor).expect("back");
        back.verify(&sk.public_key(), device).expect("after cbor");
    }

    #[test]
    fn another_key_a_changed_kind_no_signature_or_another_device_fail() {
        let (sk, _) = SigningKey::generate().expect("key");
        let (other, _) = SigningKey::generate().expect("key");
        let device = DeviceId::new();
        let signed = sign_revocation(&lost(device), &sk).expect("sign");
        assert_eq!(
            signed.verify(&other.public_key(), device),
            Err(SyncError::BadSignature)
        );
        let mut changed = signed.clone();
        changed.revocation.kind = RevocationKind::Retire;
        assert_eq!(
            changed.verify(&sk.public_key(), device),
            Err(SyncError::BadSignature)
        );
        let mut unsigned = signed.clone();
        unsigned.signature.clear();
        assert_eq!(
            unsigned.verify(&sk.public_key(), device),
            Err(SyncError::BadSignature)
        );
        let elsewhere = DeviceId::new();
        assert_eq!(
            signed.verify(&sk.public_key(), elsewhere),
            Err(SyncError::WrongDevice {
                expected: elsewhere,
                found: device
            })
        );
    }

    #[test]
    fn a_decision_signature_is_no_revocation_signature() {
        // The labels differ, so bytes signed as one can never pass as the other.
        let (sk, _) = SigningKey::generate().expect("key");
        let device = DeviceId::new();
        let r = lost(device);
        let mut cbor = Vec::new();
        ciborium::into_writer(&r, &mut cbor).expect("cbor");
        let mut as_decision = super::super::decision::DECISION_LABEL.to_vec();
        as_decision.extend_from_slice(&cbor);
        let forged = SignedRevocation {
            revocation: r,
            signature: sk.sign(&as_decision),
        };
        assert_eq!(
            forged.verify(&sk.public_key(), device),
            Err(SyncError::BadSignature)
        );
    }

    #[test]
    fn kinds_read_back_and_others_are_refused() {
        for k in RevocationKind::ALL {
            assert_eq!(RevocationKind::parse(k.as_str()), Ok(k));
            let json = serde_json::to_string(&k).expect("json");
            assert_eq!(json, format!("\"{k}\""));
        }
        assert!(RevocationKind::parse("wipe").is_err());
    }
}
