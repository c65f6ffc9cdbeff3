//! The words for the vocabularies, bokmål and English side by side: the
//! export headers use the bokmål, the dashboard either. Kept here rather
//! than in core: these are report and dashboard words, and the app has its
//! own translated UI strings (the English follows the app's wording).

use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    Topic,
};

/// One vocabulary value's label in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    /// Norwegian bokmål: export headers and the default dashboard.
    pub nb: &'static str,
    /// English: the dashboard in English.
    pub en: &'static str,
}

/// Shorthand that keeps each value's two words on one line.
const fn l(nb: &'static str, en: &'static str) -> Label {
    Label { nb, en }
}

/// Where an encounter took place.
pub fn place(v: PlaceType) -> Label {
    match v {
        PlaceType::StreetSquare => l("gate/torg", "street/square"),
        PlaceType::ShoppingCentre => l("kjøpesenter", "shopping centre"),
        PlaceType::TransportHub => l("kollektivknutepunkt", "transport hub"),
        PlaceType::Park => l("park", "park"),
        PlaceType::SchoolArea => l("skoleområde", "school area"),
        PlaceType::YouthClub => l("fritidsklubb", "youth club"),
        PlaceType::PartyEvent => l("fest/arrangement", "party/event"),
        PlaceType::Digital => l("digitalt", "digital"),
        PlaceType::Other => l("annet", "other"),
    }
}

/// `under 13 år`, `13–15 år`, …
pub fn age(v: AgeGroup) -> Label {
    match v {
        AgeGroup::Under13 => l("under 13 år", "under 13"),
        AgeGroup::From13To15 => l("13–15 år", "13–15"),
        AgeGroup::From16To18 => l("16–18 år", "16–18"),
        AgeGroup::From19To23 => l("19–23 år", "19–23"),
        AgeGroup::Over23 => l("over 23 år", "over 23"),
        AgeGroup::Unknown => l("alder ukjent", "age unknown"),
    }
}

/// `Jenter`, `Gutter`, …
pub fn gender(v: Gender) -> Label {
    match v {
        Gender::Girl => l("Jenter", "Girls"),
        Gender::Boy => l("Gutter", "Boys"),
        Gender::Other => l("Kjønn annet", "Gender other"),
        Gender::Unknown => l("Kjønn ukjent", "Gender unknown"),
    }
}

/// `Nye kontakter`, `Kjente kontakter` (youths).
pub fn contact(v: ContactKind) -> Label {
    match v {
        ContactKind::New => l("Nye kontakter", "New contacts"),
        ContactKind::Known => l("Kjente kontakter", "Known contacts"),
    }
}

/// Where the youths live.
pub fn residence(v: Residence) -> Label {
    match v {
        Residence::ThisBydel => l("Bosatt i bydelen", "Lives in the district"),
        Residence::OtherBydel => l("Bosatt i annen bydel", "Lives in another district"),
        Residence::OtherMunicipality => {
            l("Bosatt i annen kommune", "Lives in another municipality")
        }
        Residence::Unknown => l("Bosted ukjent", "Residence unknown"),
    }
}

/// Topics talked about.
pub fn topic(v: Topic) -> Label {
    match v {
        Topic::DrugsAlcohol => l("rus og alkohol", "drugs and alcohol"),
        Topic::Violence => l("vold", "violence"),
        Topic::Crime => l("kriminalitet", "crime"),
        Topic::School => l("skole", "school"),
        Topic::WorkNav => l("arbeid/NAV", "work/NAV"),
        Topic::Housing => l("bolig", "housing"),
        Topic::Family => l("familie", "family"),
        Topic::MentalHealth => l("psykisk helse", "mental health"),
        Topic::PhysicalHealth => l("fysisk helse", "physical health"),
        Topic::Sexuality => l("seksualitet", "sexuality"),
        Topic::Money => l("økonomi", "money"),
        Topic::Leisure => l("fritid", "leisure"),
        Topic::OnlineLife => l("nettliv", "online life"),
        Topic::Other => l("annet", "other"),
    }
}

/// What the workers did.
pub fn action(v: Action) -> Label {
    match v {
        Action::Conversation => l("samtale", "conversation"),
        Action::Information => l("informasjon", "information"),
        Action::PracticalHelp => l("praktisk hjelp", "practical help"),
        Action::FollowUpAgreed => l("avtalt oppfølging", "follow-up agreed"),
        Action::Referral => l("formidling", "referral"),
        Action::AcuteHelp => l("akutt hjelp tilkalt", "acute help called"),
    }
}

/// The service referred to.
pub fn service(v: ReferralService) -> Label {
    match v {
        ReferralService::Nav => l("NAV", "NAV"),
        ReferralService::ChildWelfare => l("barneverntjenesten", "child welfare service"),
        ReferralService::YouthHealthCentre => l("helsestasjon for ungdom", "youth health centre"),
        ReferralService::GpEmergency => l("fastlege/legevakt", "GP/emergency clinic"),
        ReferralService::MentalHealthBupDps => l("BUP/DPS", "BUP/DPS (mental health)"),
        ReferralService::SchoolPpt => l("skole/PPT", "school/PPT"),
        ReferralService::PoliceSlt => l("politi/SLT", "police/SLT"),
        ReferralService::OutreachFollowUp => l("utekontakt oppfølging", "outreach follow-up"),
        ReferralService::SubstanceCare => l("rusomsorg/LAR", "substance care/LAR"),
        ReferralService::Housing => l("bolig", "housing"),
        ReferralService::Leisure => l("fritid/aktivitet", "leisure/activity"),
        ReferralService::Other => l("annet", "other"),
    }
}

/// Where a referral stands.
pub fn referral_status(v: ReferralStatus) -> Label {
    match v {
        ReferralStatus::Suggested => l("foreslått", "suggested"),
        ReferralStatus::Made => l("gjort", "made"),
        ReferralStatus::FollowedUp => l("fulgt opp", "followed up"),
        ReferralStatus::Declined => l("avslått", "declined"),
    }
}

/// The weekday keys of the published columns (`encounters_weekday_mon` …),
/// Monday first, as the totals count them.
pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A weekday (0 = Monday) in short form, for chart labels.
pub fn weekday_short(i: usize) -> Label {
    const DAYS: [Label; 7] = [
        l("man", "Mon"),
        l("tir", "Tue"),
        l("ons", "Wed"),
        l("tor", "Thu"),
        l("fre", "Fri"),
        l("lør", "Sat"),
        l("søn", "Sun"),
    ];
    DAYS[i % 7]
}

/// The time bands the totals count (00–06, 06–12, 12–18, 18–24): the
/// published column key and its label.
pub fn bands() -> Vec<(String, String)> {
    (0..4)
        .map(|i| {
            (
                format!("encounters_band_{:02}_{:02}", i * 6, i * 6 + 6),
                format!("{:02}–{:02}", i * 6, i * 6 + 6),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each value's (wire name, label) for every vocabulary the dashboard
    /// or the export shows.
    fn all_labels() -> Vec<(&'static str, Label)> {
        fn each<T: Copy>(
            all: &[T],
            wire: fn(T) -> &'static str,
            label: fn(T) -> Label,
        ) -> impl Iterator<Item = (&'static str, Label)> + '_ {
            all.iter().map(move |&v| (wire(v), label(v)))
        }
        each(PlaceType::ALL, PlaceType::as_str, place)
            .chain(each(AgeGroup::ALL, AgeGroup::as_str, age))
            .chain(each(Gender::ALL, Gender::as_str, gender))
            .chain(each(ContactKind::ALL, ContactKind::as_str, contact))
            .chain(each(Residence::ALL, Residence::as_str, residence))
            .chain(each(Topic::ALL, Topic::as_str, topic))
            .chain(each(Action::ALL, Action::as_str, action))
            .chain(each(ReferralService::ALL, ReferralService::as_str, service))
            .chain(each(
                ReferralStatus::ALL,
                ReferralStatus::as_str,
                referral_status,
            ))
            .collect()
    }

    #[test]
    fn every_vocabulary_value_has_an_english_label_not_its_wire_name() {
        let all = all_labels();
        assert!(all.len() > 60, "every vocabulary is listed: {}", all.len());
        for (wire, label) in all {
            assert!(!label.nb.trim().is_empty(), "no bokmål label for {wire}");
            assert!(!label.en.trim().is_empty(), "no English label for {wire}");
            if wire.contains('_') {
                assert_ne!(label.en, wire, "English label of {wire} is its wire name");
                assert!(
                    !label.en.contains('_'),
                    "English label of {wire}: {}",
                    label.en
                );
            }
        }
    }
}
