//! What the demo invents: units, people, and a year of shifts with
//! plausible encounters and referrals. All synthetic: first names from a
//! fixed list, no person behind any record. Deterministic from the seed.

use feltlogg_core::ids::{EncounterId, ReferralId, ShiftId};
use feltlogg_core::record::{Encounter, Referral};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    Topic,
};
use rand::Rng;
use rand::rngs::StdRng;
use uuid::Uuid;

/// One demo unit.
#[derive(Debug)]
pub(super) struct UnitPlan {
    pub name: &'static str,
    pub bydel: &'static str,
    pub slug: &'static str,
    pub lead: &'static str,
    pub workers: usize,
    /// Chance of a shift on an ordinary weekday evening.
    pub rate: f64,
    /// Where its encounters happen: (area code, weight).
    pub areas: &'static [(&'static str, u32)],
    /// Residence weights: this bydel, other bydel, other municipality, unknown.
    pub residence: [u32; 4],
    pub routes: &'static [&'static str],
}

pub(super) const UNITS: [UnitPlan; 5] = [
    UnitPlan {
        name: "Uteseksjonen",
        bydel: "030116",
        slug: "sentrum",
        lead: "Tone",
        workers: 7,
        rate: 0.8,
        areas: &[
            ("030116", 55),
            ("030101", 20),
            ("030104", 15),
            ("030102", 10),
        ],
        residence: [12, 62, 19, 7],
        routes: &[
            "Jernbanetorget – Karl Johan – Youngstorget",
            "Oslo S, Byporten og Vaterland",
            "Aker brygge og Rådhusplassen",
        ],
    },
    UnitPlan {
        name: "Utekontakten Grünerløkka",
        bydel: "030102",
        slug: "grunerlokka",
        lead: "Bjørn",
        workers: 5,
        rate: 0.5,
        areas: &[("030102", 100)],
        residence: [62, 26, 5, 7],
        routes: &[
            "Olaf Ryes plass – Sofienbergparken",
            "Carl Berner og Dælenenga",
            "Torshov og Sinsen",
        ],
    },
    UnitPlan {
        name: "Utekontakten Søndre Nordstrand",
        bydel: "030115",
        slug: "sondre-nordstrand",
        lead: "Hege",
        workers: 5,
        rate: 0.45,
        areas: &[("030115", 100)],
        residence: [74, 14, 6, 6],
        routes: &[
            "Holmlia senter og stasjon",
            "Mortensrud – Bjørndal",
            "Prinsdal og Hauketo",
        ],
    },
    UnitPlan {
        name: "Utekontakten Stovner",
        bydel: "030111",
        slug: "stovner",
        lead: "Rune",
        workers: 5,
        rate: 0.45,
        areas: &[("030111", 100)],
        residence: [70, 18, 5, 7],
        routes: &[
            "Stovner senter og Rommen",
            "Haugenstua – Vestli",
            "Fossum og Tokerud",
        ],
    },
    UnitPlan {
        name: "Utekontakten Frogner",
        bydel: "030105",
        slug: "frogner",
        lead: "Anita",
        workers: 5,
        rate: 0.35,
        areas: &[("030105", 100)],
        residence: [55, 32, 6, 7],
        routes: &[
            "Frognerparken og Majorstuen",
            "Solli plass – Bygdøy allé",
            "Skillebekk og Frogner plass",
        ],
    },
];

/// Synthetic first names for workers (no two workers share one).
pub(super) const WORKER_NAMES: [&str; 32] = [
    "Kari", "Ola", "Ingrid", "Jonas", "Amina", "Emil", "Sara", "Mohammed", "Nora", "Henrik",
    "Leah", "Ali", "Ida", "Mathias", "Fatima", "Sander", "Maja", "Yusuf", "Thea", "Elias", "Hanna",
    "Omar", "Sofie", "Tobias", "Aisha", "Markus", "Julie", "Adam", "Selma", "Kristian", "Vilde",
    "Isak",
];

const WORDS: [&str; 16] = [
    "fjord", "brygge", "lyng", "skog", "bjørk", "vidde", "elv", "trikk", "hav", "fjell", "eng",
    "bekk", "stein", "sol", "tind", "myr",
];

/// A demo password: three words and two digits (over 10 characters).
pub(super) fn password(rng: &mut StdRng) -> String {
    let w = |rng: &mut StdRng| WORDS[rng.gen_range(0..WORDS.len())];
    format!(
        "{}-{}-{}-{:02}",
        w(rng),
        w(rng),
        w(rng),
        rng.gen_range(0..100)
    )
}

/// A six-digit PIN.
pub(super) fn pin(rng: &mut StdRng) -> String {
    format!("{:06}", rng.gen_range(100_000..1_000_000))
}

/// A time-ordered id (UUIDv7 layout) made from the seed, so a run is
/// repeatable.
pub(super) fn id_at(rng: &mut StdRng, ms: i64) -> Uuid {
    let bytes: [u8; 10] = rng.r#gen();
    uuid::Builder::from_unix_timestamp_millis(u64::try_from(ms).unwrap_or(0), &bytes).into_uuid()
}

/// Picks by weight.
pub(super) fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[0].0
}

/// Chance of a shift on this weekday (0 = Monday): evenings late in the
/// week and weekends are heavier.
pub(super) fn weekday_factor(weekday: usize) -> f64 {
    [0.35, 0.7, 0.8, 0.95, 1.3, 1.2, 0.3][weekday % 7]
}

/// Start (local hour, minute) and length in minutes of a shift.
pub(super) fn shift_times(rng: &mut StdRng, weekday: usize) -> (i8, i8, i64) {
    if weekday < 5 && rng.gen_bool(0.12) {
        // A school-day afternoon round.
        return (13, 30, rng.gen_range(150..210));
    }
    let weekend_night = weekday == 4 || weekday == 5;
    let hour = if weekend_night {
        rng.gen_range(19..21)
    } else {
        rng.gen_range(17..19)
    };
    let minute = [0, 15, 30, 45][rng.gen_range(0..4)];
    let length = if weekend_night {
        rng.gen_range(300..390)
    } else {
        rng.gen_range(210..300)
    };
    (hour, minute, length)
}

/// Encounters on one shift of `minutes`.
pub(super) fn encounter_count(rng: &mut StdRng, minutes: i64) -> usize {
    let base = usize::try_from(minutes / 45).unwrap_or(4);
    rng.gen_range(base / 2..=base + 3)
}

/// One encounter at `at_ms` in `bydel`.
pub(super) fn encounter(
    rng: &mut StdRng,
    shift_id: ShiftId,
    at_ms: i64,
    plan: &UnitPlan,
    afternoon: bool,
) -> Encounter {
    use AgeGroup as A;
    use PlaceType as P;
    let place = if afternoon {
        weighted(
            rng,
            &[
                (P::SchoolArea, 50),
                (P::ShoppingCentre, 20),
                (P::YouthClub, 15),
                (P::StreetSquare, 15),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                (P::StreetSquare, 30),
                (P::ShoppingCentre, 12),
                (P::TransportHub, 15),
                (P::Park, 12),
                (P::SchoolArea, 4),
                (P::YouthClub, 9),
                (P::PartyEvent, 7),
                (P::Digital, 5),
                (P::Other, 6),
            ],
        )
    };
    let youth_count = weighted(
        rng,
        &[
            (1, 45),
            (2, 24),
            (3, 12),
            (4, 7),
            (5, 5),
            (6, 3),
            (8, 2),
            (12, 2),
        ],
    );
    let age_group = weighted(
        rng,
        &[
            (A::Under13, 5),
            (A::From13To15, 34),
            (A::From16To18, 38),
            (A::From19To23, 15),
            (A::Over23, 3),
            (A::Unknown, 5),
        ],
    );
    let gender = weighted(
        rng,
        &[
            (Gender::Girl, 42),
            (Gender::Boy, 48),
            (Gender::Other, 3),
            (Gender::Unknown, 7),
        ],
    );
    let contact_kind = if rng.gen_bool(0.33) {
        ContactKind::New
    } else {
        ContactKind::Known
    };
    let r = plan.residence;
    let residence = weighted(
        rng,
        &[
            (Residence::ThisBydel, r[0]),
            (Residence::OtherBydel, r[1]),
            (Residence::OtherMunicipality, r[2]),
            (Residence::Unknown, r[3]),
        ],
    );
    let mut topics = Vec::new();
    for _ in 0..rng.gen_range(1..=3) {
        let t = weighted(
            rng,
            &[
                (Topic::Leisure, 20),
                (Topic::School, 15),
                (Topic::DrugsAlcohol, 12),
                (Topic::Family, 8),
                (Topic::MentalHealth, 10),
                (Topic::Violence, 5),
                (Topic::Crime, 5),
                (Topic::WorkNav, 6),
                (Topic::OnlineLife, 7),
                (Topic::Housing, 3),
                (Topic::PhysicalHealth, 3),
                (Topic::Sexuality, 3),
                (Topic::Money, 4),
                (Topic::Other, 3),
            ],
        );
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    let mut actions = vec![Action::Conversation];
    for (a, p) in [
        (Action::Information, 0.3),
        (Action::PracticalHelp, 0.1),
        (Action::FollowUpAgreed, 0.12),
        (Action::AcuteHelp, 0.01),
    ] {
        if rng.gen_bool(p) {
            actions.push(a);
        }
    }
    let note = rng.gen_bool(0.08).then(|| {
        [
            "Snakket om sommerjobb.",
            "Ville vite mer om fritidsklubben.",
            "Rolig prat, ba oss komme igjen.",
            "Gruppen var glad for vann og kaffe.",
        ][rng.gen_range(0..4)]
        .to_owned()
    });
    Encounter {
        id: EncounterId(id_at(rng, at_ms)),
        shift_id,
        at_ms,
        bydel: weighted(rng, plan.areas).to_owned(),
        place_type: place,
        youth_count,
        age_group,
        gender,
        contact_kind,
        topics,
        actions,
        residence,
        note,
        not_a_person: Vec::new(),
    }
}

/// A referral from `e`, its status as it stands `age_days` later.
pub(super) fn referral(rng: &mut StdRng, e: &Encounter, age_days: i64) -> Referral {
    use ReferralService as S;
    let service = weighted(
        rng,
        &[
            (S::Nav, 14),
            (S::ChildWelfare, 8),
            (S::YouthHealthCentre, 16),
            (S::GpEmergency, 6),
            (S::MentalHealthBupDps, 9),
            (S::SchoolPpt, 8),
            (S::PoliceSlt, 5),
            (S::OutreachFollowUp, 14),
            (S::SubstanceCare, 5),
            (S::Housing, 3),
            (S::Leisure, 10),
            (S::Other, 2),
        ],
    );
    let status = if age_days < 14 {
        weighted(
            rng,
            &[
                (ReferralStatus::Suggested, 50),
                (ReferralStatus::Made, 40),
                (ReferralStatus::Declined, 10),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                (ReferralStatus::Suggested, 10),
                (ReferralStatus::Made, 35),
                (ReferralStatus::FollowedUp, 45),
                (ReferralStatus::Declined, 10),
            ],
        )
    };
    Referral {
        id: ReferralId(id_at(rng, e.at_ms + 60_000)),
        encounter_id: e.id,
        shift_id: e.shift_id,
        service,
        status,
        note: None,
        not_a_person: Vec::new(),
    }
}

/// A pair's short reflection at closing.
pub(super) fn reflection(rng: &mut StdRng) -> Option<String> {
    const TEXTS: [&str; 6] = [
        "Rolig kveld. Følg opp gruppen ved senteret neste uke.",
        "Mange ute etter skolen. God kontakt med nye ungdommer.",
        "Urolig stemning ved stasjonen, vi holdt oss sammen hele tiden.",
        "Flere spurte om sommerjobb; ta med info om NAV ung neste gang.",
        "Lite folk ute på grunn av regnet.",
        "Bra samarbeid med fritidsklubben i kveld.",
    ];
    rng.gen_bool(0.8)
        .then(|| TEXTS[rng.gen_range(0..TEXTS.len())].to_owned())
}

/// A team lead's comment on a returned shift.
pub(super) fn return_comment(rng: &mut StdRng) -> String {
    const TEXTS: [&str; 4] = [
        "Mangler status på formidlingen – oppdater før godkjenning.",
        "Sjekk antall ungdommer på den siste kontakten; virker høyt.",
        "Refleksjonen mangler. Skriv et par setninger sammen.",
        "Feil bydel på én av kontaktene? Kontroller og lukk på nytt.",
    ];
    TEXTS[rng.gen_range(0..TEXTS.len())].to_owned()
}
