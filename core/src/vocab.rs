//! The closed vocabularies of DOMAIN.md. Wire names are stable snake_case
//! strings: they are stored on phones and servers, so never rename one;
//! add a new variant instead.

use serde::{Deserialize, Serialize};

macro_rules! vocab {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire name, as stored and exported.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// Parses a wire name.
            ///
            /// # Errors
            /// [`crate::Error::UnknownValue`] when `s` is not one of the wire names.
            pub fn parse(s: &str) -> Result<Self, crate::Error> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(crate::Error::UnknownValue { vocabulary: stringify!($name), value: s.to_owned() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocab!(
    /// Where an encounter took place, coarsely: never coordinates.
    PlaceType {
        StreetSquare = "street_square",
        ShoppingCentre = "shopping_centre",
        TransportHub = "transport_hub",
        Park = "park",
        SchoolArea = "school_area",
        YouthClub = "youth_club",
        PartyEvent = "party_event",
        Digital = "digital",
        Other = "other",
    }
);

vocab!(
    /// An age group: the only age an encounter holds.
    AgeGroup {
        Under13 = "under_13",
        From13To15 = "13_15",
        From16To18 = "16_18",
        From19To23 = "19_23",
        Over23 = "over_23",
        Unknown = "unknown",
    }
);

vocab!(
    /// Gender as the workers perceive or are told.
    Gender {
        Girl = "girl",
        Boy = "boy",
        Other = "other",
        Unknown = "unknown",
    }
);

vocab!(
    /// Whether the workers knew the youths before.
    ContactKind {
        New = "new",
        Known = "known",
    }
);

vocab!(
    /// What the conversation touched on.
    Topic {
        DrugsAlcohol = "drugs_alcohol",
        Violence = "violence",
        Crime = "crime",
        School = "school",
        WorkNav = "work_nav",
        Housing = "housing",
        Family = "family",
        MentalHealth = "mental_health",
        PhysicalHealth = "physical_health",
        Sexuality = "sexuality",
        Money = "money",
        Leisure = "leisure",
        OnlineLife = "online_life",
        Other = "other",
    }
);

vocab!(
    /// What the workers did.
    Action {
        Conversation = "conversation",
        Information = "information",
        PracticalHelp = "practical_help",
        FollowUpAgreed = "follow_up_agreed",
        Referral = "referral",
        AcuteHelp = "acute_help",
    }
);

vocab!(
    /// Where the youths live, coarsely.
    Residence {
        ThisBydel = "this_bydel",
        OtherBydel = "other_bydel",
        OtherMunicipality = "other_municipality",
        Unknown = "unknown",
    }
);

vocab!(
    /// The service a youth is referred to.
    ReferralService {
        Nav = "nav",
        ChildWelfare = "child_welfare",
        YouthHealthCentre = "youth_health_centre",
        GpEmergency = "gp_emergency",
        MentalHealthBupDps = "bup_dps",
        SchoolPpt = "school_ppt",
        PoliceSlt = "police_slt",
        OutreachFollowUp = "outreach_follow_up",
        SubstanceCare = "substance_care",
        Housing = "housing",
        Leisure = "leisure",
        Other = "other",
    }
);

vocab!(
    /// Where a referral stands.
    ReferralStatus {
        Suggested = "suggested",
        Made = "made",
        FollowedUp = "followed_up",
        Declined = "declined",
    }
);

vocab!(
    /// Where a shift stands: `open` → `closed` → `approved` | `returned` → `closed` ...
    ShiftStatus {
        Open = "open",
        Closed = "closed",
        Approved = "approved",
        Returned = "returned",
    }
);

vocab!(
    /// A user's role.
    Role {
        Worker = "worker",
        TeamLead = "team_lead",
        Admin = "admin",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_serde_and_parse() {
        for t in Topic::ALL {
            let json = serde_json::to_string(t).expect("serialise");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(Topic::parse(t.as_str()).expect("parse"), *t);
        }
        assert_eq!(
            AgeGroup::parse("13_15").expect("parse"),
            AgeGroup::From13To15
        );
    }

    #[test]
    fn unknown_wire_name_is_named_in_the_error() {
        let err = Gender::parse("martian").expect_err("must fail");
        assert!(err.to_string().contains("martian"), "{err}");
    }
}
