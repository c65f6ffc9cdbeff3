//! The national table: the summed counts suppressed once, with the
//! export's own code (`feltlogg_export::suppress`), over every sum a reader
//! of the report can check: each municipality's row is the sum of its
//! areas, the national row the sum of the municipalities', and within
//! every row the breakdowns sum to their totals. Because all of it is one
//! grid suppressed once, a cell hidden in one table is hidden in every
//! table that shows it.
//!
//! - here: the grid, its sums, and the published tables;
//! - `csv.rs`, `xlsx.rs`, `html.rs`: the three files.

mod csv;
mod html;
mod xlsx;

pub use csv::to_csv;
pub use html::to_html;
pub use xlsx::to_xlsx;

use crate::sum::National;
use feltlogg_export::suppress::{Equation, RowSum, hidden_cells, nested_equations};
use feltlogg_export::table::{Grid, PubInput, grid_of, publish};
use feltlogg_export::{AreaTotals, Published};

/// The suppressed national table and what it was computed from.
#[derive(Debug)]
pub struct Report {
    /// The raw sums (never publish).
    pub national: National,
    /// Counts below this are hidden.
    pub threshold: u64,
    /// Municipalities' rows and the national row.
    pub overview: Published,
    /// Per municipality (as in `national.municipalities`): its areas and
    /// its row as the total row.
    pub municipalities: Vec<Published>,
    /// The grid suppressed: each municipality's areas then its row, and
    /// the national row last.
    pub grid: Grid,
    /// Which grid cells are hidden.
    pub hidden: Vec<Vec<bool>>,
    /// Every sum a reader can check in the grid.
    pub equations: Vec<Equation>,
}

/// Suppresses `national` at `threshold`.
pub fn suppress(national: National, threshold: u64) -> Report {
    let mut rows: Vec<&AreaTotals> = Vec::new();
    let mut sums: Vec<RowSum> = Vec::new();
    let mut municipality_rows = Vec::new();
    for m in &national.municipalities {
        let first = rows.len();
        rows.extend(m.areas.iter());
        sums.push(RowSum {
            total: rows.len(),
            members: (first..rows.len()).collect(),
        });
        municipality_rows.push(rows.len());
        rows.push(&m.total);
    }
    sums.push(RowSum {
        total: rows.len(),
        members: municipality_rows.clone(),
    });
    rows.push(&national.total);
    let grid = grid_of(&rows);
    let equations = nested_equations(rows.len(), grid.cols, &sums, &grid.groups);
    let hidden = hidden_cells(&grid.values, &equations, threshold);
    let input = |r: usize, total: bool| PubInput {
        area: rows[r],
        values: &grid.values[r],
        hidden: &hidden[r],
        total,
    };
    let national_row = rows.len() - 1;
    let mut overview_rows: Vec<PubInput<'_>> =
        municipality_rows.iter().map(|&r| input(r, false)).collect();
    overview_rows.push(input(national_row, true));
    let overview = publish(&national.period, &overview_rows, threshold);
    let municipalities = sums[..sums.len() - 1]
        .iter()
        .map(|s| {
            let mut own: Vec<PubInput<'_>> = s.members.iter().map(|&r| input(r, false)).collect();
            own.push(input(s.total, true));
            publish(&national.period, &own, threshold)
        })
        .collect();
    Report {
        national,
        threshold,
        overview,
        municipalities,
        grid,
        hidden,
        equations,
    }
}
