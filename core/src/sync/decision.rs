//! Shift decisions (approve, return) signed by the server's Ed25519 key,
//! which the device pinned at enrolment. A device locks or unlocks a shift
//! only on a decision that verifies.
//!
//! The signature covers a domain-separation label and the CBOR encoding of
//! the [`Decision`]. The verifier re-encodes the decision it received, so
//! the encoding must not change: `Decision` is frozen. A future field
//! needs a new label (`feltlogg/v2/decision`) and a new type.

use super::error::SyncError;
use super::keys::{SigningKey, VerifyingKey};
use crate::ids::{ShiftId, UserId};
use crate::record::UnixMs;
use crate::vocab::ShiftStatus;
use serde::{Deserialize, Serialize};

/// Prefix of every signed decision, so a decision signature can never be
/// mistaken for a signature over anything else the server signs.
pub const DECISION_LABEL: &[u8] = b"feltlogg/v1/decision";

/// A team lead's decision on a closed shift. Wire type: frozen (see the
/// module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The shift decided on.
    pub shift_id: ShiftId,
    /// `approved` or `returned`.
    pub status: ShiftStatus,
    /// The team lead's comment (required in practice for a return).
    pub comment: Option<String>,
    /// When it was decided, Unix ms.
    pub decided_at_ms: UnixMs,
    /// The team lead who decided.
    pub decided_by: UserId,
    /// The server change seq of the decision, so a later decision on the
    /// same shift wins on the device too.
    pub server_seq: u64,
}

/// A decision with the server's signature. Wire type: add only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDecision {
    /// The decision.
    pub decision: Decision,
    /// Ed25519 signature over [`DECISION_LABEL`] ‖ CBOR(decision).
    pub signature: Vec<u8>,
}

/// The bytes a decision signature covers.
fn signed_bytes(decision: &Decision) -> Result<Vec<u8>, SyncError> {
    let mut out = DECISION_LABEL.to_vec();
    ciborium::into_writer(decision, &mut out)
        .map_err(|e| SyncError::Decode(format!("cannot encode decision: {e}")))?;
    Ok(out)
}

/// Signs `decision` with the server's key.
///
/// # Errors
/// [`SyncError::InvalidDecision`] when the status is neither `approved`
/// nor `returned`; [`SyncError::Decode`] if encoding fails.
pub fn sign_decision(decision: &Decision, key: &SigningKey) -> Result<SignedDecision, SyncError> {
    check_status(decision.status)?;
    let signature = key.sign(&signed_bytes(decision)?);
    Ok(SignedDecision {
        decision: decision.clone(),
        signature,
    })
}

fn check_status(status: ShiftStatus) -> Result<(), SyncError> {
    match status {
        ShiftStatus::Approved | ShiftStatus::Returned => Ok(()),
        other => Err(SyncError::InvalidDecision(other)),
    }
}

impl SignedDecision {
    /// Verifies the signature with the pinned server key and returns the
    /// decision.
    ///
    /// # Errors
    /// [`SyncError::BadSignature`] when any field or the signature was
    /// changed, or another key signed; [`SyncError::InvalidDecision`] for a
    /// status that is no decision.
    pub fn verify(&self, server_key: &VerifyingKey) -> Result<&Decision, SyncError> {
        server_key.verify(&signed_bytes(&self.decision)?, &self.signature)?;
        check_status(self.decision.status)?;
        Ok(&self.decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision() -> Decision {
        Decision {
            shift_id: ShiftId::new(),
            status: ShiftStatus::Returned,
            comment: Some("mangler refleksjon".into()),
            decided_at_ms: 1_700_000_000_000,
            decided_by: UserId::new(),
            server_seq: 42,
        }
    }

    #[test]
    fn signed_decision_verifies_and_survives_the_wire() {
        let (sk, _) = SigningKey::generate().expect("key");
        let signed = sign_decision(&decision(), &sk).expect("sign");
        assert_eq!(
            signed.verify(&sk.public_key()).expect("verify"),
            &signed.decision
        );
        let json = serde_json::to_vec(&signed).expect("json");
        let back: SignedDecision = serde_json::from_slice(&json).expect("back");
        back.verify(&sk.public_key()).expect("verifies after json");
        let cbor = super::super::batch::encode(&signed).expect("cbor");
        let back: SignedDecision = super::super::batch::decode(&cbor).expect("back");
        back.verify(&sk.public_key()).expect("verifies after cbor");
    }

    #[test]
    fn another_key_or_a_changed_status_fails() {
        let (sk, _) = SigningKey::generate().expect("key");
        let (other, _) = SigningKey::generate().expect("key");
        let mut signed = sign_decision(&decision(), &sk).expect("sign");
        assert_eq!(
            signed.verify(&other.public_key()),
            Err(SyncError::BadSignature)
        );
        signed.decision.status = ShiftStatus::Approved;
        assert_eq!(
            signed.verify(&sk.public_key()),
            Err(SyncError::BadSignature)
        );
    }

    #[test]
    fn only_approve_and_return_are_decisions() {
        let (sk, _) = SigningKey::generate().expect("key");
        let mut d = decision();
        d.status = ShiftStatus::Open;
        assert_eq!(
            sign_decision(&d, &sk).expect_err("not a decision"),
            SyncError::InvalidDecision(ShiftStatus::Open)
        );
    }
}
