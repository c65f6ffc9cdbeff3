//! The vocabularies a totals file counts in, by name, with their codes in
//! order, and the version of that list. The national tool sums files only
//! when they count in a version it knows: a file from a newer server with
//! a topic this tool has never heard of must be refused, not summed with
//! the topic dropped.
//!
//! The codes are core's stable wire names (never renamed; DOMAIN.md), plus
//! the weekday and time-band keys of the published columns. Adding,
//! removing or reordering a value of any of them is a new version: bump
//! [`VERSION`] (the test below pins version 1's lists and fails first).

use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};

/// The version of [`codes`] this build writes and reads.
pub const VERSION: u32 = 1;

/// The vocabularies' names in a totals file, in the order of
/// [`codes`]; each names one breakdown of an area's counts.
pub const NAMES: [&str; 10] = [
    "age_group",
    "gender",
    "contact_kind",
    "residence",
    "topic",
    "action",
    "referral_service",
    "referral_status",
    "weekday",
    "time_band",
];

/// The time-band codes: 00–06, 06–12, 12–18, 18–24 (Oslo time).
pub const TIME_BANDS: [&str; 4] = ["00_06", "06_12", "12_18", "18_24"];

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| f(v)).collect()
}

/// The codes of the vocabulary `name` (one of [`NAMES`]), in the order
/// the counts use; empty for another name.
pub fn codes_of(name: &str) -> Vec<&'static str> {
    match name {
        "age_group" => names(AgeGroup::ALL, AgeGroup::as_str),
        "gender" => names(Gender::ALL, Gender::as_str),
        "contact_kind" => names(ContactKind::ALL, ContactKind::as_str),
        "residence" => names(Residence::ALL, Residence::as_str),
        "topic" => names(Topic::ALL, Topic::as_str),
        "action" => names(Action::ALL, Action::as_str),
        "referral_service" => names(ReferralService::ALL, ReferralService::as_str),
        "referral_status" => names(ReferralStatus::ALL, ReferralStatus::as_str),
        "weekday" => crate::labels::WEEKDAY_KEYS.to_vec(),
        "time_band" => TIME_BANDS.to_vec(),
        _ => Vec::new(),
    }
}

/// Every vocabulary of [`VERSION`]: name and codes.
pub fn codes() -> Vec<(&'static str, Vec<&'static str>)> {
    NAMES.iter().map(|&n| (n, codes_of(n))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Version 1, as shipped. A change here is a new version.
    const V1: [(&str, &[&str]); 10] = [
        (
            "age_group",
            &["under_13", "13_15", "16_18", "19_23", "over_23", "unknown"],
        ),
        ("gender", &["girl", "boy", "other", "unknown"]),
        ("contact_kind", &["new", "known"]),
        (
            "residence",
            &["this_bydel", "other_bydel", "other_municipality", "unknown"],
        ),
        (
            "topic",
            &[
                "drugs_alcohol",
                "violence",
                "crime",
                "school",
                "work_nav",
                "housing",
                "family",
                "mental_health",
                "physical_health",
                "sexuality",
                "money",
                "leisure",
                "online_life",
                "other",
            ],
        ),
        (
            "action",
            &[
                "conversation",
                "information",
                "practical_help",
                "follow_up_agreed",
                "referral",
                "acute_help",
            ],
        ),
        (
            "referral_service",
            &[
                "nav",
                "child_welfare",
                "youth_health_centre",
                "gp_emergency",
                "bup_dps",
                "school_ppt",
                "police_slt",
                "outreach_follow_up",
                "substance_care",
                "housing",
                "leisure",
                "other",
            ],
        ),
        (
            "referral_status",
            &["suggested", "made", "followed_up", "declined"],
        ),
        (
            "weekday",
            &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        ),
        ("time_band", &["00_06", "06_12", "12_18", "18_24"]),
    ];

    #[test]
    fn version_1_is_what_this_build_counts() {
        assert_eq!(VERSION, 1, "a new version needs its own pinned list here");
        let now = codes();
        assert_eq!(now.len(), V1.len());
        for ((name, codes), (v1_name, v1_codes)) in now.iter().zip(V1) {
            assert_eq!(*name, v1_name);
            assert_eq!(
                codes.as_slice(),
                v1_codes,
                "vocabulary {name} changed: bump vocabulary::VERSION"
            );
        }
    }
}
