//! A revoked phone's signed instruction: verified with the pinned server
//! key and this phone's device id, then reported to the caller as
//! [`ClientError::Wipe`], which the shell answers by wiping the phone
//! (`vault::wipe`: the keystore key first, then the files). For `retire`
//! the outbox is pushed first, and the wipe is reported only once nothing
//! waits. Nothing here wipes: a bare 401 or 403 (a misconfigured proxy)
//! stays [`ClientError::Revoked`] or a server error, and a forged,
//! unsigned or misaddressed instruction is [`ClientError::Crypto`], with
//! the page it came in left unapplied.

use super::error::{ClientError, Result};
use super::{SyncClient, lock};
use crate::store::Store;
use feltlogg_core::sync::{RevocationKind, SignedRevocation};
use std::sync::Mutex;

impl SyncClient {
    /// Acts on `signed`, found at the start of a pull page: the error to
    /// end the sync with.
    pub(super) async fn obey(
        &self,
        store: &Mutex<Store>,
        signed: &SignedRevocation,
    ) -> ClientError {
        match self.verified_kind(store, signed).await {
            Ok(kind) => ClientError::Wipe { kind },
            Err(e) => e,
        }
    }

    async fn verified_kind(
        &self,
        store: &Mutex<Store>,
        signed: &SignedRevocation,
    ) -> Result<RevocationKind> {
        let kind = signed
            .verify(&self.creds.server_key, self.creds.device_id)?
            .kind;
        if kind == RevocationKind::Retire {
            // What was saved since this sync's push goes out before the wipe.
            self.push_all(store).await?;
            let left = lock(store).pending_changes()?;
            if left > 0 {
                return Err(ClientError::Protocol(format!(
                    "this phone is retired, but {left} changes still wait to be sent; \
                     it is emptied once they are"
                )));
            }
        }
        Ok(kind)
    }
}
