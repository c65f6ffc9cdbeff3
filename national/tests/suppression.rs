//! Property: summing the municipalities' totals and then suppressing
//! never reveals a hidden national cell from the sums a reader knows
//! (each municipality's row = the sum of its areas, the national row =
//! the sum of the municipalities', and the breakdowns within every row),
//! with the export's own check (`suppress::recoverable`); every sum from
//! 1 to threshold − 1 is hidden, zero never is; the sums are exact; and
//! every published table hides the cells the grid hides.

use feltlogg_core::sync::SigningKey;
use feltlogg_export::suppress::{RowSum, nested_equations, recoverable};
use feltlogg_export::table::grid_of;
use feltlogg_export::totals_file::Municipality;
use feltlogg_export::{AreaTotals, Period, Value, sum_rows};
use feltlogg_national::collect::Delivery;
use feltlogg_national::keys::{Keys, Pinned};
use feltlogg_national::{report, sum};
use proptest::prelude::*;

/// One encounter: youths, age, gender, contact, residence, topic bits,
/// weekday, band, referrals (service, status).
type Enc = (
    u64,
    usize,
    usize,
    usize,
    usize,
    u16,
    usize,
    usize,
    Vec<(usize, usize)>,
);

fn enc() -> impl Strategy<Value = Enc> {
    (
        1u64..4,
        0usize..6,
        0usize..4,
        0usize..2,
        0usize..4,
        any::<u16>(),
        0usize..7,
        0usize..4,
        prop::collection::vec((0usize..12, 0usize..4), 0..2),
    )
}

/// An area made of encounters, so every breakdown sums as in real data.
fn area_of(code: String, encounters: &[Enc]) -> AreaTotals {
    let mut a = AreaTotals::empty(code.clone(), format!("Område {code}"));
    a.shifts = 1 + encounters.len() as u64 / 4;
    a.shifts_two_plus = a.shifts;
    a.field_ms = 3_600_000 * i64::try_from(a.shifts).unwrap_or(0);
    for (youths, age, gender, contact, residence, topics, day, band, refs) in encounters {
        a.encounters += 1;
        a.youths += youths;
        a.youths_by_age[*age] += youths;
        a.youths_by_gender[*gender] += youths;
        a.youths_by_contact[*contact] += youths;
        a.youths_by_residence[*residence] += youths;
        for t in 0..14 {
            if topics & (1 << t) != 0 && t % 3 == 0 {
                a.encounters_by_topic[t] += 1;
            }
        }
        a.encounters_by_action[0] += 1;
        a.encounters_by_weekday[*day] += 1;
        a.encounters_by_band[*band] += 1;
        for (service, status) in refs {
            a.referrals += 1;
            a.referrals_by_service[*service] += 1;
            a.referrals_by_status[*status] += 1;
        }
    }
    a
}

/// Municipalities, each with one to three areas of a few encounters.
fn municipalities() -> impl Strategy<Value = Vec<Vec<Vec<Enc>>>> {
    prop::collection::vec(
        prop::collection::vec(prop::collection::vec(enc(), 0..12), 1..4),
        1..5,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn summing_then_suppressing_reveals_no_hidden_national_cell(
        input in municipalities(),
        threshold in 3u64..8,
    ) {
        let period = Period::parse("2026-YTD-04").expect("period");
        let key = SigningKey::generate().expect("key").0.public_key();
        let mut pinned = Vec::new();
        let mut deliveries = Vec::new();
        for (i, areas) in input.iter().enumerate() {
            let m = Municipality { number: format!("{:04}", 1000 + i), name: format!("K{i}"), part: String::new() };
            let p = Pinned { municipality: m, key };
            let areas: Vec<AreaTotals> = areas
                .iter()
                .enumerate()
                .map(|(j, e)| area_of(format!("{:04}{j:02}", 1000 + i), e))
                .collect();
            deliveries.push(Delivery { file: format!("{i}.json").into(), pinned: p.clone(), generated_at: String::new(), areas });
            pinned.push(p);
        }
        let keys = Keys { pinned };
        let national = sum::sum(&keys, &period, &deliveries);
        let every_area: Vec<AreaTotals> = deliveries.iter().flat_map(|d| d.areas.clone()).collect();
        let direct = sum_rows(&every_area);
        prop_assert_eq!(grid_of(&[&national.total]).values, grid_of(&[&direct]).values, "exact sums");
        let r = report::suppress(national, threshold);
        for (row, cells) in r.grid.values.iter().enumerate() {
            for (col, &v) in cells.iter().enumerate() {
                if v > 0 && v < threshold {
                    prop_assert!(r.hidden[row][col], "primary ({row},{col})={v} shown");
                }
                if v == 0 {
                    prop_assert!(!r.hidden[row][col], "zero ({row},{col}) hidden");
                }
            }
        }
        // The sums a reader knows, laid out here from what the report
        // shows (each municipality's areas, then its row; the country
        // last), not taken from the report.
        let mut sums = Vec::new();
        let mut at = 0;
        for areas in &input {
            sums.push(RowSum { total: at + areas.len(), members: (at..at + areas.len()).collect() });
            at += areas.len() + 1;
        }
        let national_row = RowSum { total: at, members: sums.iter().map(|s| s.total).collect() };
        sums.push(national_row);
        prop_assert_eq!(r.grid.values.len(), at + 1);
        let eqs = nested_equations(at + 1, r.grid.cols, &sums, &r.grid.groups);
        let found = recoverable(&r.hidden, &eqs);
        prop_assert!(found.is_none(), "recoverable from {:?}", found);
        // The overview's national row hides what the grid's last row hides.
        let last = r.hidden.len() - 1;
        let sheet = &r.overview.sheets[0];
        let total = sheet.rows.last().expect("total row");
        for (c, col) in sheet.columns.iter().enumerate() {
            if let Some(at) = count_column(&col.key) {
                prop_assert_eq!(total.cells[c] == Value::Suppressed, r.hidden[last][at], "{}", col.key);
            }
        }
    }
}

/// The grid column of a published count column of the first sheet.
fn count_column(key: &str) -> Option<usize> {
    match key {
        "shifts" => Some(0),
        "encounters" => Some(1),
        "youths" => Some(2),
        "referrals" => Some(3),
        _ => None,
    }
}
