//! One phone's synthetic day, as the phone would write it: a shift, its two
//! members checked in, 10–40 encounters, a few referrals, the members
//! checked out and the shift closed. Cut into two batches the way a phone
//! that syncs at midday and at the end of the shift would send them.

use feltlogg_core::change::Change;
use feltlogg_core::hlc::Clock;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ReferralId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Referral, Shift, ShiftMember};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    ShiftStatus, Topic,
};
use feltlogg_tests::{MINUTE, whole_record_change};
use rand::Rng;

/// A day's changes, in the two batches the phone sends.
#[derive(Debug)]
pub struct Day {
    /// The morning's: the shift, its members, the first encounters.
    pub first: Vec<Change>,
    /// The evening's: the rest, the referrals, check-outs and the close.
    pub second: Vec<Change>,
    /// Encounters logged.
    pub encounters: usize,
    /// Referrals logged.
    pub referrals: usize,
}

/// The day of `device` in `unit`, worked by `pair`, starting at `start`.
pub fn day(
    device: DeviceId,
    unit: UnitId,
    pair: [UserId; 2],
    start: i64,
    rng: &mut impl Rng,
) -> Day {
    let mut clock = Clock::new(device);
    let shift = Shift {
        id: ShiftId::new(),
        unit_id: unit,
        bydel: "030102".into(),
        area_note: "Birkelunden og Olaf Ryes plass".into(),
        started_ms: start,
        closed_ms: None,
        status: ShiftStatus::Open,
        reflection: None,
        not_a_person: Vec::new(),
    };
    let mut first = vec![whole_record_change(&shift, &mut clock, start)];
    let members: Vec<ShiftMember> = pair
        .iter()
        .map(|w| ShiftMember {
            id: MemberId::new(),
            shift_id: shift.id,
            worker_id: *w,
            checked_in_ms: start,
            checked_out_ms: None,
        })
        .collect();
    for m in &members {
        first.push(whole_record_change(m, &mut clock, start));
    }
    let n = rng.gen_range(10..=40);
    let mut second = Vec::new();
    let mut referrals = 0;
    let mut at = start;
    for i in 0..n {
        at += rng.gen_range(2..15) * MINUTE;
        let e = encounter(shift.id, at, rng);
        let out = if i < n / 2 { &mut first } else { &mut second };
        out.push(whole_record_change(&e, &mut clock, at));
        if rng.gen_ratio(1, 8) {
            let r = referral(&e, rng);
            out.push(whole_record_change(&r, &mut clock, at + MINUTE));
            referrals += 1;
        }
    }
    let end = at + 30 * MINUTE;
    for m in &members {
        let out = ShiftMember {
            checked_out_ms: Some(end),
            ..m.clone()
        };
        second.push(whole_record_change(&out, &mut clock, end));
    }
    let closed = Shift {
        closed_ms: Some(end),
        status: ShiftStatus::Closed,
        reflection: Some("Rolig kveld, mange kjente ansikter".into()),
        ..shift
    };
    second.push(whole_record_change(&closed, &mut clock, end));
    Day {
        first,
        second,
        encounters: n,
        referrals,
    }
}

fn pick<T: Copy>(all: &[T], rng: &mut impl Rng) -> T {
    all[rng.gen_range(0..all.len())]
}

fn encounter(shift: ShiftId, at: i64, rng: &mut impl Rng) -> Encounter {
    let mut topics = vec![pick(Topic::ALL, rng)];
    let second = pick(Topic::ALL, rng);
    if second != topics[0] {
        topics.push(second);
    }
    Encounter {
        id: EncounterId::new(),
        shift_id: shift,
        at_ms: at,
        bydel: "030102".into(),
        place_type: pick(PlaceType::ALL, rng),
        youth_count: rng.gen_range(1..=6),
        age_group: pick(AgeGroup::ALL, rng),
        gender: pick(Gender::ALL, rng),
        contact_kind: pick(ContactKind::ALL, rng),
        topics,
        actions: vec![pick(Action::ALL, rng)],
        residence: pick(Residence::ALL, rng),
        note: rng
            .gen_ratio(1, 10)
            .then(|| "Snakket om sommerjobb og skolestart".to_owned()),
        not_a_person: Vec::new(),
    }
}

fn referral(e: &Encounter, rng: &mut impl Rng) -> Referral {
    Referral {
        id: ReferralId::new(),
        encounter_id: e.id,
        shift_id: e.shift_id,
        service: pick(ReferralService::ALL, rng),
        status: ReferralStatus::Suggested,
        note: None,
        not_a_person: Vec::new(),
    }
}
