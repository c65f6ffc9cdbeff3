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
//!
//! Each text is screened with its unit's words, and a name finding a
//! worker confirmed as "not a person" is listed as confirmed: the lead
//! redacts it or adds the word to the unit's words (`unit_words`).

use crate::db::changelog;
use crate::db::encounter_facts::LazyCodes;
use crate::db::notes::{self, Source, StoredText};
use crate::db::review::UnitFilter;
use crate::db::{audit, records};
use crate::error::ApiError;
use crate::review::decide::server_stamp;
use feltlogg_core::ApiErrorCode;
use feltlogg_core::change::Change;
use feltlogg_core::ids::{UnitId, UserId};
use feltlogg_core::record::{Fields, NOT_A_PERSON, RecordKind, not_a_person_of, with_confirmed};
use feltlogg_core::screen::{
    Finding, FindingKind, Span, effective_confirmations, find_personal_data_with, redact_within,
};
use feltlogg_core::validate;
use feltlogg_core::words::UnitPolicy;
use rusqlite::{Connection, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

/// A stored text the screen flags, with what it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flagged {
    /// The text and where it lives.
    pub stored: StoredText,
    /// What the screen found (with the unit's words), by character span,
    /// ordered by start.
    pub findings: Vec<Finding>,
    /// The name findings among them a worker confirmed as "not a person"
    /// (the unit allowing confirmations), by span.
    pub confirmed: Vec<Span>,
}

impl Flagged {
    /// Whether the dashboard can redact it (a record's field, not a
    /// signed return comment).
    pub fn redactable(&self) -> bool {
        matches!(self.stored.source, Source::Record(_))
    }

    /// Whether `f` is a name finding the worker confirmed.
    pub fn is_confirmed(&self, f: &Finding) -> bool {
        self.confirmed.contains(&Span::from(f))
    }
}

/// Every stored text in `units` (all for `None`) that the screen flags.
///
/// # Errors
/// [`ApiError::Internal`] when the database cannot be read.
pub fn scan(conn: &Connection, units: UnitFilter<'_>) -> Result<Vec<Flagged>, ApiError> {
    let mut policies: HashMap<UnitId, UnitPolicy> = HashMap::new();
    let mut out = Vec::new();
    for stored in notes::free_texts(conn, units)? {
        let policy = match policies.entry(stored.unit_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(crate::unit_words::policy(conn, stored.unit_id)?)
            }
        };
        let p = policy.policy();
        let findings = find_personal_data_with(&stored.text, p.allowed);
        if findings.is_empty() {
            continue;
        }
        let confirmed = effective_confirmations(&findings, &p, &stored.confirmed);
        out.push(Flagged {
            stored,
            findings,
            confirmed,
        });
    }
    Ok(out)
}

/// The flagged texts a worker confirmed a name in: what the lead checks.
pub fn confirmed_only(flagged: Vec<Flagged>) -> Vec<Flagged> {
    flagged
        .into_iter()
        .filter(|f| !f.confirmed.is_empty())
        .collect()
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
/// end exclusive), `confirmed` after a name a worker confirmed as not a
/// person. Never the text itself.
pub fn report_lines(flagged: &[Flagged]) -> Vec<String> {
    flagged
        .iter()
        .flat_map(|f| {
            f.findings.iter().map(move |x| {
                let line = format!(
                    "{:<14} {} {:<10} {:<11} {}..{}",
                    f.stored.source.as_str(),
                    f.stored.id,
                    f.stored.field,
                    kind_name(x.kind),
                    x.start,
                    x.end
                );
                if f.is_confirmed(x) {
                    format!("{line} confirmed")
                } else {
                    line
                }
            })
        })
        .collect()
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
/// (with its unit's words; confirmed names too) with its placeholder, as
/// a server change that also drops the field's "not a person"
/// confirmations, and writes the audit entry (kind, span and field only:
/// never the text), all in one transaction.
///
/// # Errors
/// [`ApiError::Invalid`] for a field the kind has no free text in;
/// [`ApiError::NotFound`] for a record that does not exist or is outside
/// `by.units`; [`ApiError::Conflict`] (`nothing_to_redact`) when the
/// screen finds nothing in the field now.
pub fn redact_field(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: Uuid,
    field: &str,
    by: &Redactor<'_>,
    now_ms: i64,
) -> Result<Redaction, ApiError> {
    let text_fields = validate::text_fields;
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
    let not_found =
        || ApiError::NotFound(format!("no {} with id {id} in your units", kind.as_str()));
    let stored = records::load(tx, kind, id)?.ok_or_else(not_found)?;
    if by.units.is_some_and(|u| !u.contains(&stored.unit_id)) {
        return Err(not_found());
    }
    let current = stored.state.fields.get(field);
    let text = current.and_then(|s| s.value.as_str()).unwrap_or("");
    let policy = crate::unit_words::policy(tx, stored.unit_id)?;
    let findings = find_personal_data_with(text, policy.policy().allowed);
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
    // The text and its confirmations share one stamp (see core's
    // `changed_fields`): the redacted text has no confirmed names left.
    let values = stored.state.values();
    let kept = with_confirmed(&not_a_person_of(&values), field, &[]);
    if values.contains_key(NOT_A_PERSON) || !kept.is_empty() {
        fields.insert(NOT_A_PERSON.to_owned(), serde_json::to_value(&kept)?);
    }
    let newest = [field, NOT_A_PERSON]
        .iter()
        .filter_map(|k| stored.state.fields.get(*k).map(|s| s.hlc))
        .max();
    let change = Change {
        kind,
        id,
        fields,
        hlc: server_stamp(newest, now_ms),
    };
    let mut state = stored.state;
    state.merge(&change);
    let unit = stored.unit_id;
    records::upsert(
        tx,
        &mut LazyCodes::default(),
        id,
        unit,
        &state,
        None,
        now_ms,
    )?;
    let seq = changelog::insert_change(tx, unit, kind, id, None, false, now_ms)?;
    let target = format!("{}/{id}", kind.as_str());
    audit::insert(
        tx,
        now_ms,
        by.user,
        by.username,
        "note_redact",
        &target,
        &spans_detail(field, &findings),
    )?;
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
