//! Norwegian (bokmål) words for the vocabularies, for export headers.
//! Kept here rather than in core: these are report headings, and the app
//! has its own translated UI strings.

use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, ReferralService, ReferralStatus, Residence, Topic,
};

/// `under 13 år`, `13–15 år`, …
pub fn age(v: AgeGroup) -> &'static str {
    match v {
        AgeGroup::Under13 => "under 13 år",
        AgeGroup::From13To15 => "13–15 år",
        AgeGroup::From16To18 => "16–18 år",
        AgeGroup::From19To23 => "19–23 år",
        AgeGroup::Over23 => "over 23 år",
        AgeGroup::Unknown => "alder ukjent",
    }
}

/// `Jenter`, `Gutter`, …
pub fn gender(v: Gender) -> &'static str {
    match v {
        Gender::Girl => "Jenter",
        Gender::Boy => "Gutter",
        Gender::Other => "Kjønn annet",
        Gender::Unknown => "Kjønn ukjent",
    }
}

/// `Nye kontakter`, `Kjente kontakter` (youths).
pub fn contact(v: ContactKind) -> &'static str {
    match v {
        ContactKind::New => "Nye kontakter",
        ContactKind::Known => "Kjente kontakter",
    }
}

/// Where the youths live.
pub fn residence(v: Residence) -> &'static str {
    match v {
        Residence::ThisBydel => "Bosatt i bydelen",
        Residence::OtherBydel => "Bosatt i annen bydel",
        Residence::OtherMunicipality => "Bosatt i annen kommune",
        Residence::Unknown => "Bosted ukjent",
    }
}

/// Topics talked about.
pub fn topic(v: Topic) -> &'static str {
    match v {
        Topic::DrugsAlcohol => "rus og alkohol",
        Topic::Violence => "vold",
        Topic::Crime => "kriminalitet",
        Topic::School => "skole",
        Topic::WorkNav => "arbeid/NAV",
        Topic::Housing => "bolig",
        Topic::Family => "familie",
        Topic::MentalHealth => "psykisk helse",
        Topic::PhysicalHealth => "fysisk helse",
        Topic::Sexuality => "seksualitet",
        Topic::Money => "økonomi",
        Topic::Leisure => "fritid",
        Topic::OnlineLife => "nettliv",
        Topic::Other => "annet",
    }
}

/// What the workers did.
pub fn action(v: Action) -> &'static str {
    match v {
        Action::Conversation => "samtale",
        Action::Information => "informasjon",
        Action::PracticalHelp => "praktisk hjelp",
        Action::FollowUpAgreed => "avtalt oppfølging",
        Action::Referral => "formidling",
        Action::AcuteHelp => "akutt hjelp tilkalt",
    }
}

/// The service referred to.
pub fn service(v: ReferralService) -> &'static str {
    match v {
        ReferralService::Nav => "NAV",
        ReferralService::ChildWelfare => "barneverntjenesten",
        ReferralService::YouthHealthCentre => "helsestasjon for ungdom",
        ReferralService::GpEmergency => "fastlege/legevakt",
        ReferralService::MentalHealthBupDps => "BUP/DPS",
        ReferralService::SchoolPpt => "skole/PPT",
        ReferralService::PoliceSlt => "politi/SLT",
        ReferralService::OutreachFollowUp => "utekontakt oppfølging",
        ReferralService::SubstanceCare => "rusomsorg/LAR",
        ReferralService::Housing => "bolig",
        ReferralService::Leisure => "fritid/aktivitet",
        ReferralService::Other => "annet",
    }
}

/// Where a referral stands.
pub fn referral_status(v: ReferralStatus) -> &'static str {
    match v {
        ReferralStatus::Suggested => "foreslått",
        ReferralStatus::Made => "gjort",
        ReferralStatus::FollowedUp => "fulgt opp",
        ReferralStatus::Declined => "avslått",
    }
}
