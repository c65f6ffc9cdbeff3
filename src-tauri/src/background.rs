//! The background sync: the loop is feltlogg-device's
//! ([`crate::sync::background`]); the shell spawns it with its own sync,
//! which holds the sync gate and remembers the error's kind for the UI. A
//! local change or an enrolment wakes it early, so a saved record leaves the
//! phone within seconds when there is a network.

use crate::error::{ErrorKind, client_kind};
use crate::state::AppState;
use crate::store::Store;
use crate::sync::background::Schedule;
use crate::sync::{ClientError, SyncClient, SyncReport};

/// The sync fact holding the last error's kind, so the UI can say it in
/// the worker's language (the sync client keeps the English sentence).
pub const LAST_ERROR_KIND: &str = "last_error_kind";

/// Runs one sync under the gate and remembers the error's kind. On a
/// revocation instruction the sync client verified (pinned server key,
/// this device), and on nothing else, the phone is wiped and the new empty
/// store keeps the reason, so the app says it and shows enrolment.
///
/// # Errors
/// The sync client's error.
pub async fn sync_once(state: &AppState, client: &SyncClient) -> Result<SyncReport, ClientError> {
    let _gate = state.sync_gate.lock().await;
    let outcome = client.sync_once(&state.store).await;
    if let Err(e @ ClientError::Wipe { .. }) = &outcome {
        match state.wipe().await {
            Ok(()) => {
                let _ = crate::sync::lock(&state.store)
                    .set_sync_fact(crate::sync::LAST_ERROR, Some(&e.to_string()));
            }
            // The key stays until it can be deleted; the credentials are still
            // in the store, so the next start syncs, meets the instruction again
            // and wipes.
            Err(w) => eprintln!(
                "the wipe failed ({:?}); it is tried again at the next start",
                w.kind
            ),
        }
    }
    let kind = outcome.as_ref().err().map(client_kind);
    let text = kind
        .and_then(|k| serde_json::to_value(k).ok())
        .and_then(|v| v.as_str().map(str::to_owned));
    // Losing the kind only loses the translation; the English text stays.
    let _ = crate::sync::lock(&state.store).set_sync_fact(LAST_ERROR_KIND, text.as_deref());
    outcome
}

/// The kind stored by the last failed sync, if any.
pub fn last_error_kind(store: &Store) -> Option<ErrorKind> {
    let text = store.sync_fact(LAST_ERROR_KIND).ok().flatten()?;
    serde_json::from_value(serde_json::Value::String(text)).ok()
}

/// The loop ([`crate::sync::background::run`]); never returns.
pub async fn run(state: AppState) {
    let wake = std::sync::Arc::clone(&state.wake);
    crate::sync::background::run(&wake, Schedule::default(), || {
        let state = state.clone();
        async move {
            let client = state.client()?;
            Some(sync_once(&state, &client).await)
        }
    })
    .await;
}
