//! The totals file for the national body: this server's **unsuppressed**
//! counts of a period, every unit's approved shifts, signed with the
//! server's Ed25519 key (`feltlogg_export::totals_file` holds the format;
//! `docs/totals.schema.json` its schema). Only admins may make one, and
//! every one made is in the audit log with the municipality it names.

use super::{ExportError, Period, Scope, build_totals};
use crate::db::{audit, server_key};
use feltlogg_core::ids::UserId;
use feltlogg_core::sync::SigningKey;
use feltlogg_export::totals_file::{self, Municipality, Payload};
use rusqlite::{Connection, Transaction};

/// The `generator` a file names: this server and its version.
pub const GENERATOR: &str = concat!("feltlogg-server ", env!("CARGO_PKG_VERSION"));

/// The audit action of a totals file.
pub const AUDIT_ACTION: &str = "export_totals";

/// The signed totals file of `period` for `municipality`, with `key`.
///
/// # Errors
/// [`ExportError::Sqlite`] when reading fails; [`ExportError::Sign`] if
/// the file cannot be made.
pub fn totals_file(
    conn: &Connection,
    period: &Period,
    municipality: &Municipality,
    key: &SigningKey,
    now_ms: i64,
) -> Result<Vec<u8>, ExportError> {
    let totals = build_totals(conn, period, &Scope::All)?;
    let payload = Payload::new(municipality.clone(), &totals, now_ms, GENERATOR);
    totals_file::sign(&payload, key).map_err(|e| ExportError::Sign(e.to_string()))
}

/// Who asks for a file, for the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Requester<'a> {
    /// The dashboard user, or none for the command line.
    pub user: Option<UserId>,
    /// Their username (the shell user for the command line).
    pub username: &'a str,
    /// `dashboard` or `cli`.
    pub via: &'a str,
}

/// Makes the file with the server's own key and writes its audit entry,
/// in one transaction: a file is never handed out unlogged. The caller
/// checks that the requester is an admin.
///
/// # Errors
/// As [`totals_file`]; [`ExportError::Sign`] when the key cannot be loaded.
pub fn make_audited(
    tx: &Transaction<'_>,
    period: &Period,
    municipality: &Municipality,
    by: Requester<'_>,
    now_ms: i64,
) -> Result<Vec<u8>, ExportError> {
    let key = server_key::load(tx).map_err(|e| ExportError::Sign(e.to_string()))?;
    let bytes = totals_file(tx, period, municipality, &key, now_ms)?;
    let detail = format!(
        "format=totals municipality={} via={} bytes={}",
        municipality.label(),
        by.via,
        bytes.len()
    );
    audit::insert(
        tx,
        now_ms,
        by.user,
        by.username,
        AUDIT_ACTION,
        &period.label,
        &detail,
    )?;
    Ok(bytes)
}
