//! The youths' feedback (issue 17): cards with one-time codes, the
//! answer a code buys, and what the dashboard may show of the answers.
//! The dashboard, the CLI and the public form call these functions; the
//! question set and its validation are core's ([`feltlogg_core::feedback`]).
//!
//! - [`load`]: which periods may be shown, and a unit's summary of one.
//! - [`results`]: counts, distributions and means per unit and period,
//!   with nothing shown under the threshold.
//! - [`sheet`]: the export workbook's feedback sheet, same rule.
//! - [`tries`]: the in-memory limit on tries of unusable codes per
//!   address, and the form's token key.
//!
//! Here: printing (codes stored only as SHA-256, with the audit row in
//! the same transaction; the printable page is `web::feedback::cards`),
//! looking a code up, and storing an answer with
//! the code used up in one transaction. A code carries its unit and its
//! expiry, nothing else: not who printed it, not when, not a batch; and
//! answering deletes it, so nothing ties an answer to a card.

pub mod load;
pub mod results;
pub mod sheet;
pub mod tries;

use crate::admin::find_unit;
use crate::db::units::Unit;
use crate::db::{audit, feedback_answers, feedback_codes, settings};
use crate::error::ApiError;
use crate::sync::token::{new_code, normalise_code, sha256};
use feltlogg_core::feedback::{Answer, parse_min_answers};
use feltlogg_core::ids::UserId;
use feltlogg_core::screen::{Finding, find_personal_data};
use feltlogg_core::time::DAY_MS;
use jiff::civil::Date;
use rusqlite::{Connection, Transaction};

/// Characters in a card's code: 12 × 5 bits = 60 bits. With a few
/// thousand cards out at once, a guesser needs some 10^14 tries per hit;
/// the per-address limit allows 80 an hour.
pub const CARD_CODE_LEN: usize = 12;

/// How long a card works unless the printer says otherwise: six months.
pub const DEFAULT_VALID_MONTHS: u32 = 6;

/// Longest validity a printer may choose.
pub const MAX_VALID_MONTHS: u32 = 12;

/// Most cards printed at once (a few pages).
pub const MAX_CARDS: u32 = 200;

/// The setting that holds the answer threshold.
pub const MIN_ANSWERS_SETTING: &str = "feedback_min_answers";

/// Days in a "month" of validity (a year is 12 × 30.5 = 366 days).
const MONTH_MS: i64 = DAY_MS * 61 / 2;

/// A printed batch: the codes in the clear, shown once and never stored.
#[derive(Clone)]
pub struct Printed {
    /// The unit the cards are for.
    pub unit: Unit,
    /// The codes, as printed.
    pub codes: Vec<String>,
    /// When they stop working (Unix ms).
    pub expires_ms: i64,
}

impl std::fmt::Debug for Printed {
    // The codes are secrets until used: never in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Printed")
            .field("unit", &self.unit.name)
            .field("cards", &self.codes.len())
            .finish_non_exhaustive()
    }
}

/// Who prints: the user (none from the CLI) and the name for the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Printer<'a> {
    /// The dashboard user, if any.
    pub user: Option<UserId>,
    /// Their username, or the CLI's operator.
    pub name: &'a str,
}

/// Makes `count` cards for `unit` (id or name), valid `months`; stores
/// their hashes and the audit row (`feedback_cards_print`: unit, how
/// many, until when) in one transaction. Expired codes of every unit are
/// deleted on the way.
///
/// # Errors
/// [`ApiError::Invalid`] for a count or validity out of range;
/// [`ApiError::NotFound`] for an unknown unit.
pub fn print_cards(
    tx: &Transaction<'_>,
    by: Printer<'_>,
    unit: &str,
    count: u32,
    months: u32,
    now_ms: i64,
) -> Result<Printed, ApiError> {
    if !(1..=MAX_CARDS).contains(&count) {
        return Err(invalid(
            "count",
            format!("{count} cards is out of range; print 1 to {MAX_CARDS} at a time"),
        ));
    }
    if !(1..=MAX_VALID_MONTHS).contains(&months) {
        return Err(invalid(
            "valid_months",
            format!("{months} months is out of range; give 1 to {MAX_VALID_MONTHS}"),
        ));
    }
    let expires_ms = now_ms.saturating_add(i64::from(months) * MONTH_MS);
    let codes = (0..count)
        .map(|_| new_code(CARD_CODE_LEN))
        .collect::<Result<Vec<_>, _>>()?;
    let unit = find_unit(tx, unit)?;
    feedback_codes::purge_expired(tx, now_ms)?;
    for code in &codes {
        feedback_codes::insert(tx, &code_hash(code), unit.id, expires_ms)?;
    }
    let detail = format!("cards={count} valid_until={}", day_of(expires_ms)?);
    audit::insert(
        tx,
        now_ms,
        by.user,
        by.name,
        "feedback_cards_print",
        &unit.name,
        &detail,
    )?;
    Ok(Printed {
        unit,
        codes,
        expires_ms,
    })
}

/// The stored form of a code as typed or scanned (case, spaces and dashes
/// do not matter). Every code, well-formed or not, is hashed the same way,
/// so looking up a wrong one costs what looking up a right one does.
pub fn code_hash(code: &str) -> Vec<u8> {
    let code: String = normalise_code(code).chars().take(64).collect();
    sha256(code.as_bytes())
}

/// The unit a code is for, if it can still be used.
///
/// # Errors
/// [`ApiError::Internal`] when the database fails.
pub fn usable(conn: &Connection, hash: &[u8], now_ms: i64) -> Result<Option<Unit>, ApiError> {
    let Some(unit) = feedback_codes::usable(conn, hash, now_ms)? else {
        return Ok(None);
    };
    Ok(crate::db::units::find(conn, &unit.to_string())?)
}

/// What the anonymity screen finds in the answer's free text.
pub fn screen(answer: &Answer) -> Vec<Finding> {
    answer
        .text
        .as_deref()
        .map(find_personal_data)
        .unwrap_or_default()
}

/// Stores `answer` and uses the code up, in one transaction: the code's
/// row is deleted and the answer written with its unit and today's Oslo
/// date, or nothing happens. Returns false when the code was not usable
/// (never stored, used, expired, or used by a parallel post a moment ago).
///
/// # Errors
/// [`ApiError::Invalid`] when the free text still holds personal data or
/// nothing was answered (the form shows both before it posts here).
pub fn submit(
    tx: &Transaction<'_>,
    hash: &[u8],
    answer: &Answer,
    now_ms: i64,
) -> Result<bool, ApiError> {
    if let Some(f) = screen(answer).first() {
        return Err(invalid(
            "text",
            format!("the text holds {f}; replace it first"),
        ));
    }
    if answer.is_empty() {
        return Err(invalid("answer", "nothing was answered".into()));
    }
    let day = day_of(now_ms)?;
    let Some(unit) = feedback_codes::take(tx, hash, now_ms)? else {
        return Ok(false);
    };
    feedback_answers::insert(tx, unit, day, answer)?;
    Ok(true)
}

/// The answer threshold in force: the setting, else 7.
///
/// # Errors
/// [`ApiError::Internal`] for an unreadable stored value.
pub fn min_answers(conn: &Connection) -> Result<u64, ApiError> {
    match settings::get(conn, MIN_ANSWERS_SETTING)? {
        Some(text) => parse_min_answers(&text).map_err(|e| ApiError::Internal(e.to_string())),
        None => Ok(feltlogg_core::feedback::DEFAULT_MIN_ANSWERS),
    }
}

/// Sets the answer threshold (admins), with its audit row.
///
/// # Errors
/// [`ApiError::Invalid`] for a value under 5 or over 1000.
pub fn set_min_answers(
    tx: &Transaction<'_>,
    by: Printer<'_>,
    text: &str,
    now_ms: i64,
) -> Result<u64, ApiError> {
    let n = parse_min_answers(text).map_err(|e| invalid("min_answers", e.to_string()))?;
    settings::set(tx, MIN_ANSWERS_SETTING, &n.to_string())?;
    audit::insert(
        tx,
        now_ms,
        by.user,
        by.name,
        "setting_change",
        MIN_ANSWERS_SETTING,
        &n.to_string(),
    )?;
    Ok(n)
}

/// The Oslo date of `ms`.
///
/// # Errors
/// [`ApiError::Internal`] for a time out of range or a missing time zone.
pub fn day_of(ms: i64) -> Result<Date, ApiError> {
    let ts =
        jiff::Timestamp::from_millisecond(ms).map_err(|e| ApiError::Internal(e.to_string()))?;
    let tz = crate::export::period::oslo().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(ts.to_zoned(tz).date())
}

/// A code as printed: groups of four, `ABCD-EFGH-JKLM`.
pub fn spaced(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn invalid(field: &'static str, problem: String) -> ApiError {
    ApiError::Invalid { field, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_hash_alike_however_typed_and_print_in_groups() {
        assert_eq!(code_hash("abcd-efgh-jkmn"), code_hash("ABCDEFGHJKMN"));
        assert_ne!(code_hash("ABCDEFGHJKMN"), code_hash("ABCDEFGHJKMP"));
        assert_eq!(spaced("ABCDEFGHJKMN"), "ABCD-EFGH-JKMN");
        assert_eq!(code_hash(&"x".repeat(10_000)).len(), 32);
    }
}
