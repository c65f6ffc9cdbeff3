//! The demo year: shifts day by day for each unit, pushed from the unit's
//! phone as sealed batches, then reviewed by the team leads, corrected
//! where returned, and a few late edits that the server refuses.

use super::data::{self, UnitPlan};
use super::{DAY_MS, DemoError, Phone, Unit};
use crate::db::server_key;
use crate::review::decide::{Verdict, decide_shift};
use crate::sync::apply;
use feltlogg_core::change::Change;
use feltlogg_core::ids::{MemberId, ShiftId, UserId};
use feltlogg_core::record::{Encounter, Record, RecordKind, Shift, ShiftMember, changed_fields};
use feltlogg_core::sync::{Batch, SigningKey, seal_batch};
use feltlogg_core::{Action, ShiftStatus};
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rusqlite::Connection;

use feltlogg_core::time::{HOUR_MS as HOUR, MINUTE_MS as MINUTE};

/// A shift as pushed, for the review afterwards.
#[derive(Debug)]
struct Made {
    unit: usize,
    id: ShiftId,
    end_ms: i64,
    last_encounter: Option<Encounter>,
}

pub(super) fn run(
    conn: &mut Connection,
    rng: &mut StdRng,
    units: &[Unit],
    phones: &mut [Phone],
    opts: &super::DemoOptions,
) -> Result<(), DemoError> {
    let now_ms = opts.now_ms;
    let tz = crate::export::period::oslo().map_err(|e| DemoError::Time(e.to_string()))?;
    let today = jiff::Timestamp::from_millisecond(now_ms)
        .map_err(|e| DemoError::Time(e.to_string()))?
        .to_zoned(tz.clone())
        .date();
    let mut made = Vec::new();
    for back in (1..=i64::from(opts.days.clamp(1, super::YEAR_DAYS))).rev() {
        let day = today
            .checked_sub(jiff::Span::new().days(back))
            .map_err(|e| DemoError::Time(e.to_string()))?;
        for (u, unit) in units.iter().enumerate() {
            let weekday = usize::try_from(day.weekday().to_monday_zero_offset()).unwrap_or(0);
            if !rng.gen_bool((unit.plan.rate * data::weekday_factor(weekday)).min(0.98)) {
                continue;
            }
            let (h, m, minutes) = data::shift_times(rng, weekday);
            let start = local_ms(&tz, day, h, m)?;
            let end = start + minutes * MINUTE;
            if end > now_ms - HOUR {
                continue;
            }
            let shift = shift(rng, unit, &mut phones[u], start, end, now_ms, h < 16)?;
            made.push(Made { unit: u, ..shift });
            // Phones sync after most shifts; some wait a few days offline.
            if rng.gen_bool(0.75) || phones[u].pending.len() > 600 {
                flush(conn, &mut phones[u], end + rng.gen_range(2..40) * MINUTE)?;
            }
        }
    }
    for phone in phones.iter_mut() {
        flush(conn, phone, now_ms - 2 * HOUR)?;
    }
    review(conn, rng, units, phones, &made, now_ms)
}

fn local_ms(tz: &jiff::tz::TimeZone, day: Date, h: i8, m: i8) -> Result<i64, DemoError> {
    day.at(h, m, 0, 0)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|e| DemoError::Time(e.to_string()))
}

fn change<R: Record>(phone: &mut Phone, id: uuid::Uuid, old: Option<&R>, new: &R, at: i64) {
    let fields = changed_fields(old.map(Record::to_fields).as_ref(), &new.to_fields());
    let hlc = phone.clock.tick(at);
    phone.pending.push(Change {
        kind: R::KIND,
        id,
        fields,
        hlc,
    });
}

/// One shift's changes, queued on the phone in the order a phone makes
/// them: start, check-ins, encounters and referrals, check-outs, close.
fn shift(
    rng: &mut StdRng,
    unit: &Unit,
    phone: &mut Phone,
    start: i64,
    end: i64,
    now_ms: i64,
    afternoon: bool,
) -> Result<Made, DemoError> {
    let plan: &UnitPlan = unit.plan;
    let open = Shift {
        id: ShiftId(data::id_at(rng, start)),
        unit_id: unit.id,
        bydel: plan.bydel.to_owned(),
        area_note: plan.routes[rng.gen_range(0..plan.routes.len())].to_owned(),
        started_ms: start,
        closed_ms: None,
        status: ShiftStatus::Open,
        reflection: None,
        not_a_person: Vec::new(),
    };
    change(phone, open.id.uuid(), None, &open, start);
    let size = if rng.gen_bool(0.2) { 3 } else { 2 };
    let crew: Vec<UserId> = unit.workers.choose_multiple(rng, size).copied().collect();
    let mut members = Vec::new();
    for (i, w) in crew.iter().enumerate() {
        let at = start - 2 * MINUTE + i64::try_from(i).unwrap_or(0) * 20_000;
        let m = ShiftMember {
            id: MemberId(data::id_at(rng, at)),
            shift_id: open.id,
            worker_id: *w,
            checked_in_ms: at,
            checked_out_ms: None,
        };
        change(phone, m.id.uuid(), None, &m, at);
        members.push(m);
    }
    // Rarely a partner leaves early and the other logs one more encounter
    // alone: the server refuses it (two in the field, always).
    let leaves_early = members.len() == 2 && rng.gen_bool(0.004);
    let n = data::encounter_count(rng, (end - start) / MINUTE);
    let mut times: Vec<i64> = (0..n)
        .map(|_| rng.gen_range(start + 10 * MINUTE..end - 20 * MINUTE))
        .collect();
    times.sort_unstable();
    let mut last = None;
    for at in times {
        let mut e = data::encounter(rng, open.id, at, plan, afternoon);
        let referral = rng.gen_bool(0.09).then(|| {
            e.actions.push(Action::Referral);
            data::referral(rng, &e, (now_ms - at) / DAY_MS)
        });
        change(phone, e.id.uuid(), None, &e, at + 30_000);
        if let Some(r) = referral {
            change(phone, r.id.uuid(), None, &r, at + 90_000);
        }
        last = Some(e);
    }
    for (i, m) in members.iter().enumerate() {
        let leave = if leaves_early && i == 1 {
            end - 15 * MINUTE
        } else {
            end
        };
        let gone = ShiftMember {
            checked_out_ms: Some(leave),
            ..m.clone()
        };
        change(phone, m.id.uuid(), Some(m), &gone, leave);
    }
    if leaves_early {
        let at = end - 10 * MINUTE;
        let alone = data::encounter(rng, open.id, at, plan, afternoon);
        change(phone, alone.id.uuid(), None, &alone, at);
    }
    let closed = Shift {
        closed_ms: Some(end),
        status: ShiftStatus::Closed,
        reflection: data::reflection(rng),
        ..open.clone()
    };
    change(phone, open.id.uuid(), Some(&open), &closed, end + MINUTE);
    Ok(Made {
        unit: 0,
        id: open.id,
        end_ms: end,
        last_encounter: last,
    })
}

/// Pushes the phone's queued changes as one sealed batch through the real
/// push path, as if it synced at `at_ms`.
fn flush(conn: &mut Connection, phone: &mut Phone, at_ms: i64) -> Result<(), DemoError> {
    if phone.pending.is_empty() {
        return Ok(());
    }
    let batch = Batch {
        device_id: phone.id,
        seq: phone.seq + 1,
        changes: std::mem::take(&mut phone.pending),
    };
    let envelope = seal_batch(&batch, phone.key_id, &phone.key, &phone.signer)?;
    let now = at_ms.max(phone.clock.last().wall_ms);
    let ack = apply::push(conn, &phone.token, &envelope, now)?;
    super::legacy::check_not_screened(&batch.changes, &ack.refused)?;
    phone.seq = batch.seq;
    Ok(())
}

/// Team leads review: old shifts mostly approved, recent ones partly
/// waiting; some returned with a comment, half of those corrected by the
/// phone and approved again; a few late edits to approved shifts refused.
fn review(
    conn: &mut Connection,
    rng: &mut StdRng,
    units: &[Unit],
    phones: &mut [Phone],
    made: &[Made],
    now_ms: i64,
) -> Result<(), DemoError> {
    let key: SigningKey = server_key::load(conn)?;
    let mut corrected = Vec::new();
    let mut approved_old = Vec::new();
    for m in made {
        let age_days = (now_ms - m.end_ms) / DAY_MS;
        let roll: f64 = rng.r#gen();
        let (approve, ret) = match age_days {
            0..=2 => (0.0, 0.0),
            3..=9 => (0.6, 0.08),
            _ => (0.93, 0.05),
        };
        let at = (m.end_ms + rng.gen_range(18..72) * HOUR).min(now_ms - 3 * HOUR);
        let lead = units[m.unit].lead;
        if roll < approve {
            super::op(conn, |tx| {
                decide_shift(tx, &key, m.id, Verdict::Approve, lead, at)
            })?;
            if age_days > 30 {
                approved_old.push(m);
            }
        } else if roll < approve + ret {
            let comment = data::return_comment(rng);
            super::op(conn, |tx| {
                decide_shift(tx, &key, m.id, Verdict::Return { comment }, lead, at)
            })?;
            if age_days > 10 && rng.gen_bool(0.5) {
                corrected.push(m);
            }
        }
    }
    // The phones correct and close returned shifts again.
    let fix_at = now_ms - HOUR;
    for m in &corrected {
        let phone = &mut phones[m.unit];
        let hlc = phone.clock.tick(fix_at);
        let mut fields = feltlogg_core::record::Fields::new();
        fields.insert("status".into(), ShiftStatus::Closed.as_str().into());
        fields.insert(
            "reflection".into(),
            "Rettet etter tilbakemelding fra teamleder.".into(),
        );
        phone.pending.push(Change {
            kind: RecordKind::Shift,
            id: m.id.uuid(),
            fields,
            hlc,
        });
    }
    // A few late edits to long-approved shifts: kept as refused.
    for m in approved_old.choose_multiple(rng, 4) {
        if let Some(e) = &m.last_encounter {
            let edited = Encounter {
                youth_count: e.youth_count + 1,
                ..e.clone()
            };
            change(
                &mut phones[m.unit],
                e.id.uuid(),
                Some(e),
                &edited,
                fix_at + MINUTE,
            );
        }
    }
    for phone in phones.iter_mut() {
        flush(conn, phone, fix_at + 2 * MINUTE)?;
    }
    for m in &corrected {
        let lead = units[m.unit].lead;
        let at = now_ms - 30 * MINUTE;
        super::op(conn, |tx| {
            decide_shift(tx, &key, m.id, Verdict::Approve, lead, at)
        })?;
    }
    Ok(())
}
