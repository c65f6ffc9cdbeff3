//! One area's counts in a totals file: the totals, and each breakdown as
//! an object from code to count, so the file reads without a codebook.

use super::FileError;
use crate::{AreaTotals, vocabulary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One area's unsuppressed counts. The quality indicators are read from
/// them: two in the field = `shifts_two_plus` / `shifts`; field hours =
/// `field_ms` / 3,600,000; referrals per 100 encounters = `referrals` /
/// `encounters`; youths 18 or younger = the three youngest age groups /
/// `youths`; living elsewhere = `other_bydel` + `other_municipality` /
/// `youths`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaCells {
    /// SSB area code, e.g. `030102`.
    pub code: String,
    /// Area name, e.g. `Grünerløkka`.
    pub name: String,
    /// Approved shifts started in the period.
    pub shifts: u64,
    /// Of those, with two or more workers checked in.
    pub shifts_two_plus: u64,
    /// Field time, ms, per worker, summed.
    pub field_ms: u64,
    /// Encounters.
    pub encounters: u64,
    /// Youths met.
    pub youths: u64,
    /// Referrals.
    pub referrals: u64,
    /// Youths by `age_group`.
    pub youths_by_age_group: BTreeMap<String, u64>,
    /// Youths by `gender`.
    pub youths_by_gender: BTreeMap<String, u64>,
    /// Youths by `contact_kind`.
    pub youths_by_contact_kind: BTreeMap<String, u64>,
    /// Youths by `residence`.
    pub youths_by_residence: BTreeMap<String, u64>,
    /// Encounters by `topic` (several per encounter).
    pub encounters_by_topic: BTreeMap<String, u64>,
    /// Encounters by `action` (several per encounter).
    pub encounters_by_action: BTreeMap<String, u64>,
    /// Encounters by Oslo `weekday`.
    pub encounters_by_weekday: BTreeMap<String, u64>,
    /// Encounters by Oslo `time_band`.
    pub encounters_by_time_band: BTreeMap<String, u64>,
    /// Referrals by `referral_service`.
    pub referrals_by_service: BTreeMap<String, u64>,
    /// Referrals by `referral_status`.
    pub referrals_by_status: BTreeMap<String, u64>,
}

fn map(vocab: &str, counts: &[u64]) -> BTreeMap<String, u64> {
    vocabulary::codes_of(vocab)
        .into_iter()
        .zip(counts.iter().copied().chain(std::iter::repeat(0)))
        .map(|(c, n)| (c.to_owned(), n))
        .collect()
}

fn list(
    area: &str,
    field: &str,
    vocab: &str,
    m: &BTreeMap<String, u64>,
) -> Result<Vec<u64>, FileError> {
    let codes = vocabulary::codes_of(vocab);
    if m.len() != codes.len() || !codes.iter().all(|c| m.contains_key(*c)) {
        return Err(FileError::Schema(format!(
            "area {area}: {field} must count exactly the {vocab} codes {codes:?}"
        )));
    }
    Ok(codes
        .iter()
        .map(|c| m.get(*c).copied().unwrap_or(0))
        .collect())
}

impl AreaCells {
    /// The cells of one export row.
    pub fn of(r: &AreaTotals) -> Self {
        Self {
            code: r.bydel.clone(),
            name: r.name.clone(),
            shifts: r.shifts,
            shifts_two_plus: r.shifts_two_plus,
            field_ms: u64::try_from(r.field_ms).unwrap_or(0),
            encounters: r.encounters,
            youths: r.youths,
            referrals: r.referrals,
            youths_by_age_group: map("age_group", &r.youths_by_age),
            youths_by_gender: map("gender", &r.youths_by_gender),
            youths_by_contact_kind: map("contact_kind", &r.youths_by_contact),
            youths_by_residence: map("residence", &r.youths_by_residence),
            encounters_by_topic: map("topic", &r.encounters_by_topic),
            encounters_by_action: map("action", &r.encounters_by_action),
            encounters_by_weekday: map("weekday", &r.encounters_by_weekday),
            encounters_by_time_band: map("time_band", &r.encounters_by_band),
            referrals_by_service: map("referral_service", &r.referrals_by_service),
            referrals_by_status: map("referral_status", &r.referrals_by_status),
        }
    }

    /// Back to an export row.
    ///
    /// # Errors
    /// [`FileError::Schema`] when a breakdown misses or adds a code, or
    /// the field time does not fit.
    pub fn totals(&self) -> Result<AreaTotals, FileError> {
        let a = self.code.as_str();
        Ok(AreaTotals {
            bydel: self.code.clone(),
            name: self.name.clone(),
            shifts: self.shifts,
            shifts_two_plus: self.shifts_two_plus,
            field_ms: i64::try_from(self.field_ms)
                .map_err(|_| FileError::Schema(format!("area {a}: field_ms is too large")))?,
            encounters: self.encounters,
            youths: self.youths,
            referrals: self.referrals,
            youths_by_age: list(
                a,
                "youths_by_age_group",
                "age_group",
                &self.youths_by_age_group,
            )?,
            youths_by_gender: list(a, "youths_by_gender", "gender", &self.youths_by_gender)?,
            youths_by_contact: list(
                a,
                "youths_by_contact_kind",
                "contact_kind",
                &self.youths_by_contact_kind,
            )?,
            youths_by_residence: list(
                a,
                "youths_by_residence",
                "residence",
                &self.youths_by_residence,
            )?,
            encounters_by_topic: list(
                a,
                "encounters_by_topic",
                "topic",
                &self.encounters_by_topic,
            )?,
            encounters_by_action: list(
                a,
                "encounters_by_action",
                "action",
                &self.encounters_by_action,
            )?,
            encounters_by_weekday: list(
                a,
                "encounters_by_weekday",
                "weekday",
                &self.encounters_by_weekday,
            )?,
            encounters_by_band: list(
                a,
                "encounters_by_time_band",
                "time_band",
                &self.encounters_by_time_band,
            )?,
            referrals_by_service: list(
                a,
                "referrals_by_service",
                "referral_service",
                &self.referrals_by_service,
            )?,
            referrals_by_status: list(
                a,
                "referrals_by_status",
                "referral_status",
                &self.referrals_by_status,
            )?,
        })
    }
}
