//! The old-data scan (issue #9, item 6): runs the current anonymity screen
//! (`feltlogg_core::screen`) over the free text already stored — notes,
//! area notes, reflections and return comments written before the screen
//! caught as much as it does now — and redacts what it finds on a team
//! lead's request.
//!
//! A redaction is an ordinary server-written change to the record: the
//! field gets the text with each found span replaced by its placeholder
//! (`[navn]`, `[telefon]` …), stamped by the server later than the field's
//! current stamp (as the server's decisions are), logged in the changelog
//! so it goes out in the pull, and applied by the phones as any remote
//! change. It works on approved shifts too: the lock is for device edits.
//! Return comments are listed but not redacted here: they travel inside
//! signed decisions, which a phone keeps as signed.

use crate::db::changelog;
use crate::db::encounter_facts::LazyCodes;
use crate::db::notes::{self, Source, StoredText};
use crate::db::review::UnitFilter;
use crate::db::{audit, records};
use crate::decide::server_stamp;
use crate::error::ApiError;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::change::Change;
use feltlogg_core::ids::{UnitId, UserId};
use feltlogg_core::record::{Fields, RecordKind};
use feltlogg_core::screen::{Finding, FindingKind, find_personal_data, redact_within};
use feltlogg_core::validate;
use rusqlite::{Connection, TransactionBehavior};
use uuid::Uuid;

/// A stored text the screen flags, with what it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flagged {
    /// The text and where it lives.
    pub stored: StoredText,
    /// What the screen found, by character span, ordered by start.
    pub findings: Vec<Finding>,
}

impl Flagged {
    /// Whether the dashboard can redact it (a record's field, not a
    /// signed return comment).
    pub fn redactable(&self) -> bool {
        matches!(self.stored.source, Source::Record(_))
    }
}

/// Every stored text in `units` (all for `None`) that the screen flags.
///
/// # Errors
/// [`ApiError::Internal`] when the database cannot be read.
pub fn scan(conn: &Connection, units: UnitFilter<'_>) -> Result<Vec<Flagged>, ApiError> {
    Ok(notes::free_texts(conn, units)?
        .into_iter()
        .filter_map(|stored| {
            let findings = find_personal_data(&stored.text);
            (!findings.is_empty()).then_some(Flagged { stored, findings })
        })
        .collect())
}

/// A finding kind's stable name (`name`, `phone` …): its serde name, the
/// same the app and the dashboard's texts use.
pub fn kind_name(kind: FindingKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}

/// The scan as printed by `feltlogg-server scan-notes`: one line per
/// finding, `kind id field finding start..end` (character offsets from 0,
/// end exclusive). Never the text itself.
pub fn report_lines(flagged: &[Flagged]) -> Vec<String> {
    flagged
        .iter()
        .flat_map(|f| {
            f.findings.iter().map(move |x| {
                format!(
                    "{:<14} {} {:<10} {:<11} {}..{}",
                    f.stored.source.as_str(),
                    f.stored.id,
                    f.stored.field,
                    kind_name(x.kind),
                    x.start,
                    x.end
                )
            })
        })
        .collect()
}

/// The free-text fields a record kind has (what may be redacted).
fn text_fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Shift => &["area_note", "reflection"],
        RecordKind::Encounter | RecordKind::Referral => &["note"],
        RecordKind::ShiftMember => &[],
    }
}

/// Who asks for a redaction, for the authorisation check and the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Redactor<'a> {
    /// The user (none for the command line).
    pub user: Option<UserId>,
    /// Their username, as the audit log names them.
    pub username: &'a str,
    /// The units they may act on (`None`: all, an admin).
    pub units: UnitFilter<'a>,
    /// Placeholder language: `"en"` English, anything else bokmål.
    pub lang: &'a str,
}

/// What a redaction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redaction {
    /// The record's unit.
    pub unit: UnitId,
    /// The spans replaced (in the text before).
    pub findings: Vec<Finding>,
    /// The changelog seq the change went out under.
    pub seq: u64,
}

/// Replaces every span the screen finds in `field` of record `kind`/`id`
/// with its placeholder, as a server change, and writes the audit entry
/// (kind, span and field only: never the text), all in one transaction.
///
/// # Errors
/// [`ApiError::Invalid`] for a field the kind has no free text in;
/// [`ApiError::NotFound`] for a record that does not exist or is outside
/// `by.units`; [`ApiError::Conflict`] (`nothing_to_redact`) when the
/// screen finds nothing in the field now.
pub fn redact_field(
    conn: &mut Connection,
    kind: RecordKind,
    id: Uuid,
    field: &str,
    by: &Redactor<'_>,
    now_ms: i64,
) -> Result<Redaction, ApiError> {
    let Some(&field) = text_fields(kind).iter().find(|f| **f == field) else {
        return Err(ApiError::Invalid {
            field: "field",
            problem: format!(
                "record kind {} has no free-text field {field:?}; give one of: {}",
                kind.as_str(),
                text_fields(kind).join(", ")
            ),
        });
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let not_found =
        || ApiError::NotFound(format!("no {} with id {id} in your units", kind.as_str()));
    let stored = records::load(&tx, kind, id)?.ok_or_else(not_found)?;
    if by.units.is_some_and(|u| !u.contains(&stored.unit_id)) {
        return Err(not_found());
    }
    let current = stored.state.fields.get(field);
    let text = current.and_then(|s| s.value.as_str()).unwrap_or("");
    let findings = find_personal_data(text);
    if findings.is_empty() {
        return Err(ApiError::Conflict {
            code: ApiErrorCode::NothingToRedact,
            message: format!(
                "the screen finds nothing in the {field} of {} {id} now; nothing was changed",
                kind.as_str()
            ),
        });
    }
    let mut fields = Fields::new();
    fields.insert(
        field.to_owned(),
        // Within the field's limit: placeholders can be longer than the
        // words they replace, and the record must stay valid.
        serde_json::Value::String(redact_within(
            text,
            &findings,
            by.lang,
            validate::max_chars(field).unwrap_or(usize::MAX),
        )),
    );
    let change = Change {
        kind,
        id,
        fields,
        hlc: server_stamp(current.map(|s| s.hlc), now_ms),
    };
    let mut state = stored.state;
    state.merge(&change);
    let unit = stored.unit_id;
    records::upsert(
        &tx,
        &mut LazyCodes::default(),
        id,
        unit,
        &state,
        None,
        now_ms,
    )?;
    let seq = changelog::insert_change(&tx, unit, kind, id, None, false, now_ms)?;
    let target = format!("{}/{id}", kind.as_str());
    audit::insert(
        &tx,
        now_ms,
        by.user,
        by.username,
        "note_redact",
        &target,
        &spans_detail(field, &findings),
    )?;
    tx.commit()?;
    tracing::info!(record = %target, field, spans = findings.len(), "free text redacted");
    Ok(Redaction {
        unit,
        findings,
        seq,
    })
}

/// `note: name 0..12, phone 30..41`: what was replaced, never the text.
fn spans_detail(field: &str, findings: &[Finding]) -> String {
    let spans: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}..{}", kind_name(f.kind), f.start, f.end))
        .collect();
    format!("{field}: {}", spans.join(", "))
}
