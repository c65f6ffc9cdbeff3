//! The demo's youth feedback: each unit's team lead prints a batch of
//! cards every quarter of the demo year, and young people answer on some
//! of them through the same calls the public form makes
//! ([`crate::feedback::print_cards`], [`crate::feedback::submit`]), at
//! the time they answer. Uteseksjonen, Grünerløkka and Søndre Nordstrand
//! get a plausible year of answers (mostly good, some poor, a few free
//! texts); Stovner only four, so the dashboard shows the threshold hiding
//! it; Frogner has cards out and no answers yet.

use super::{DemoError, Unit};
use crate::feedback::{self, Printer};
use feltlogg_core::feedback::{Answer, FORM_AGE_GROUPS, Question};
use feltlogg_core::time::DAY_MS;
use rand::Rng;
use rand::rngs::StdRng;
use rusqlite::Connection;

/// Answers over the year, per demo unit (in `data::UNITS` order).
const ANSWERS: [usize; 5] = [64, 44, 34, 4, 0];

/// Cards per quarterly batch.
const BATCH: u32 = 24;

/// Free texts young people might write: synthetic, nothing personal.
const TEXTS: [&str; 10] = [
    "Fint at dere kommer ut på kvelden.",
    "Dere er greie å prate med.",
    "Kom oftere til senteret på fredager.",
    "Takk for hjelpen med skolen.",
    "Litt vanskelig å vite når dere er ute.",
    "Bra at dere ikke maser.",
    "Mer aktiviteter i helgene!",
    "You helped me find the youth health centre, thanks.",
    "Dere hørte på meg da det var tungt.",
    "Vet ikke helt hva dere kan hjelpe med.",
];

/// Prints the batches and stores the answers; returns how many answers.
///
/// # Errors
/// The first step the server refused.
pub(super) fn seed(
    conn: &mut Connection,
    rng: &mut StdRng,
    units: &[Unit],
    year_start: i64,
    now_ms: i64,
) -> Result<i64, DemoError> {
    let mut stored = 0;
    for (unit, &answers) in units.iter().zip(ANSWERS.iter()) {
        let lead = format!("leder.{}", unit.plan.slug);
        let by = Printer {
            user: Some(unit.lead),
            name: &lead,
        };
        // A batch each quarter, valid six months, printed when its day
        // comes (printing clears expired codes, as it would then).
        let mut due: Vec<i64> = (0..4)
            .map(|k| year_start + k * 91 * DAY_MS + DAY_MS)
            .collect();
        let mut batches: Vec<(i64, Vec<String>)> = Vec::new();
        let mut days: Vec<i64> = (0..answers).map(|_| rng.gen_range(2..365)).collect();
        days.sort_unstable();
        let mut times: Vec<i64> = days
            .into_iter()
            .map(|day| year_start + day * DAY_MS + rng.gen_range(15..22) * 3_600_000)
            .filter(|at| *at < now_ms)
            .collect();
        // Units without answers still print their batches.
        times.push(now_ms);
        for at in times {
            while let Some(&print_at) = due.first().filter(|p| **p <= at) {
                due.remove(0);
                let id = unit.id.to_string();
                let p = super::op(conn, |tx| {
                    feedback::print_cards(tx, by, &id, BATCH, 6, print_at)
                })?;
                batches.push((print_at, p.codes));
            }
            if at >= now_ms {
                break;
            }
            // The newest batch with a card left.
            let Some((_, codes)) = batches.iter_mut().rev().find(|(_, c)| !c.is_empty()) else {
                continue;
            };
            let code = codes.pop().unwrap_or_default();
            let answer = invent(rng);
            let hash = feedback::code_hash(&code);
            if super::op(conn, |tx| feedback::submit(tx, &hash, &answer, at))? {
                stored += 1;
            }
        }
    }
    Ok(stored)
}

/// One plausible answer: mostly 4 and 5, sometimes lower, now and then a
/// question skipped, an age group most of the time, a text at times.
fn invent(rng: &mut StdRng) -> Answer {
    let mut a = Answer::default();
    let mood: i32 = rng.gen_range(-1..=1);
    for q in Question::ALL {
        if rng.gen_bool(0.1) {
            continue;
        }
        let base = match q {
            Question::Trust => 4,
            Question::Helped => 3,
            _ => 4,
        };
        let noise: i32 = [-2, -1, 0, 0, 0, 1, 1]
            .get(rng.gen_range(0..7))
            .copied()
            .unwrap_or(0);
        let grade = (base + mood + noise).clamp(1, 5);
        a.grades[q.index()] = u8::try_from(grade).ok();
    }
    let ages = [5, 30, 40, 15, 2];
    let pick = rng.gen_range(0..100);
    let mut acc = 0;
    for (group, w) in FORM_AGE_GROUPS.iter().zip(ages) {
        acc += w;
        if pick < acc {
            a.age_group = Some(*group);
            break;
        }
    }
    if rng.gen_bool(0.25) {
        a.text = Some(TEXTS[rng.gen_range(0..TEXTS.len())].to_owned());
    }
    if a.is_empty() {
        a.grades[Question::Overall.index()] = Some(4);
    }
    a
}
