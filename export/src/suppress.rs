//! Small-number suppression on a table of counts.
//!
//! Primary: every count from 1 to `threshold - 1` is hidden. Zero is
//! shown: "nobody" identifies nobody.
//!
//! Secondary: a reader knows every published sum. Each column's body cells
//! sum to the total row, and within each row each [`Group`]'s member cells
//! sum to the group's total cell (age groups to youths met, …). Wherever
//! such an equation has exactly one hidden cell, that cell equals the total
//! minus the others, so one more cell of the same equation is hidden: the
//! smallest non-zero visible member (the total itself only when no member
//! is left). Hiding a cell may break another equation, so this repeats to a
//! fixed point. Afterwards no equation has exactly one hidden cell.
//! (Combining several equations can in principle still narrow a hidden cell
//! down; the classic remedy, linear programming per cell, is more than
//! these few-row tables need.)

use super::Totals;
use super::table::{self, PubInput, Published};

/// Publishes `totals` with every count below `threshold` hidden, and the
/// further cells hidden that would let a reader work a hidden one back
/// out. Shares and rates computed from a hidden count are hidden too.
pub fn suppress(totals: &Totals, threshold: u64) -> Published {
    let grid = table::grid(totals);
    let eqs = equations(grid.values.len(), grid.cols, &grid.groups);
    let hidden = hidden_cells(&grid.values, &eqs, threshold);
    let areas = totals.rows.iter().chain([&totals.total]);
    let rows: Vec<PubInput<'_>> = areas
        .enumerate()
        .map(|(r, area)| PubInput {
            area,
            values: &grid.values[r],
            hidden: &hidden[r],
            total: r + 1 == grid.values.len(),
        })
        .collect();
    table::publish(&totals.period, &rows, threshold)
}

/// Within each row, the `members` columns sum to the `total` column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The column holding the sum.
    pub total: usize,
    /// The columns summed.
    pub members: Vec<usize>,
}

/// One published sum: `total` = sum of `members`, as (row, column) cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Equation {
    /// The cell holding the sum.
    pub total: (usize, usize),
    /// The cells summed.
    pub members: Vec<(usize, usize)>,
}

/// Rows that sum to another row, column by column: a municipality's row
/// is the sum of its bydeler's rows, the national row the sum of the
/// municipalities'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowSum {
    /// The row holding the sum.
    pub total: usize,
    /// The rows summed.
    pub members: Vec<usize>,
}

/// Every sum a reader can check in `values`, whose last row is the total
/// row of the rows above it.
pub fn equations(rows: usize, cols: usize, groups: &[Group]) -> Vec<Equation> {
    if rows == 0 {
        return Vec::new();
    }
    let all = RowSum {
        total: rows - 1,
        members: (0..rows - 1).collect(),
    };
    nested_equations(rows, cols, &[all], groups)
}

/// Every sum a reader can check in a table of `rows` rows whose rows
/// nest as `row_sums` say (each column of a sum row is the sum of that
/// column over its member rows), with `groups` within every row.
pub fn nested_equations(
    rows: usize,
    cols: usize,
    row_sums: &[RowSum],
    groups: &[Group],
) -> Vec<Equation> {
    let mut out = Vec::new();
    for sum in row_sums {
        for c in 0..cols {
            out.push(Equation {
                total: (sum.total, c),
                members: sum.members.iter().map(|&r| (r, c)).collect(),
            });
        }
    }
    for r in 0..rows {
        for g in groups {
            out.push(Equation {
                total: (r, g.total),
                members: g.members.iter().map(|&c| (r, c)).collect(),
            });
        }
    }
    out
}

/// Which cells of `values` to hide, given the equations a reader knows.
/// `values` is rows × columns; the result has the same shape.
pub fn hidden_cells(values: &[Vec<u64>], eqs: &[Equation], threshold: u64) -> Vec<Vec<bool>> {
    let mut hidden: Vec<Vec<bool>> = values
        .iter()
        .map(|row| row.iter().map(|&v| v > 0 && v < threshold).collect())
        .collect();
    let value = |(r, c): (usize, usize)| {
        values
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    };
    loop {
        let mut changed = false;
        for eq in eqs {
            let is_hidden = |h: &Vec<Vec<bool>>, (r, c): (usize, usize)| h[r][c];
            let n = eq
                .members
                .iter()
                .filter(|&&m| is_hidden(&hidden, m))
                .count()
                + usize::from(is_hidden(&hidden, eq.total));
            if n != 1 {
                continue;
            }
            let pick = eq
                .members
                .iter()
                .copied()
                .filter(|&m| !is_hidden(&hidden, m) && value(m) > 0)
                .min_by_key(|&m| (value(m), m))
                .or_else(|| {
                    (!is_hidden(&hidden, eq.total) && value(eq.total) > 0).then_some(eq.total)
                });
            if let Some((r, c)) = pick {
                hidden[r][c] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// The first published sum that leaves exactly one cell hidden, which a
/// reader could then work out as the sum minus the shown rest; `None`
/// when every sum hides none or at least two of its cells. The check the
/// suppression tests (here and the national tool's) make.
pub fn recoverable<'e>(hidden: &[Vec<bool>], eqs: &'e [Equation]) -> Option<&'e Equation> {
    let is_hidden = |(r, c): (usize, usize)| {
        hidden
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(false)
    };
    eqs.iter().find(|eq| {
        eq.members
            .iter()
            .copied()
            .chain([eq.total])
            .filter(|&cell| is_hidden(cell))
            .count()
            == 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(values: &[Vec<u64>], groups: &[Group]) -> Vec<Vec<bool>> {
        let eqs = equations(values.len(), values[0].len(), groups);
        hidden_cells(values, &eqs, 5)
    }

    #[test]
    fn small_counts_hidden_zero_shown() {
        // One column, two bydeler and the total.
        let h = run(&[vec![0], vec![12], vec![12]], &[]);
        assert_eq!(h, [[false], [false], [false]]);
        let h = run(&[vec![3], vec![12], vec![15]], &[]);
        // 3 is primary; alone in its column, so 12 goes too.
        assert_eq!(h, [[true], [true], [false]]);
    }

    #[test]
    fn secondary_picks_the_smallest_nonzero_member() {
        // Row: total youths (col 0) = girls (1) + boys (2) + other (3).
        let g = [Group {
            total: 0,
            members: vec![1, 2, 3],
        }];
        let values = vec![vec![30, 2, 20, 8], vec![40, 20, 20, 0], vec![70, 22, 40, 8]];
        let h = run(&values, &g);
        // 2 is primary; row 0 hides the next-smallest, 8; column 1 then has
        // one hidden cell, so row 1's 20 goes, and so on to a fixed point.
        assert!(h[0][1] && h[0][3]);
        assert!(!h[0][0], "the row total stays visible");
        let eqs = equations(3, 4, &g);
        assert_eq!(recoverable(&h, &eqs), None, "{h:?}");
    }

    #[test]
    fn a_lone_member_under_its_total_hides_the_total() {
        // Members 3 and 0: the total equals the hidden member, so it is
        // primary too; nothing further to do.
        let g = [Group {
            total: 0,
            members: vec![1, 2],
        }];
        let h = run(&[vec![3, 3, 0], vec![3, 3, 0]], &g);
        assert_eq!(h, [[true, true, false], [true, true, false]]);
    }

    proptest! {
        #[test]
        fn no_hidden_cell_is_recoverable_from_one_published_sum(
            body in prop::collection::vec(prop::collection::vec(
                prop_oneof![Just(0u64), 1u64..5, 5u64..40], 6), 1..6),
            threshold in 2u64..8,
        ) {
            // Columns: 0 = total of 1..=3, 4 = total of 5..=5, and col 5 alone.
            let mut rows: Vec<Vec<u64>> = body.into_iter().map(|mut r| {
                r[0] = r[1] + r[2] + r[3];
                r[4] = r[5];
                r
            }).collect();
            let total: Vec<u64> = (0..6).map(|c| rows.iter().map(|r| r[c]).sum()).collect();
            rows.push(total);
            let groups = [
                Group { total: 0, members: vec![1, 2, 3] },
                Group { total: 4, members: vec![5] },
            ];
            let eqs = equations(rows.len(), 6, &groups);
            let h = hidden_cells(&rows, &eqs, threshold);
            for (r, row) in rows.iter().enumerate() {
                for (c, &v) in row.iter().enumerate() {
                    if v > 0 && v < threshold {
                        prop_assert!(h[r][c], "primary cell ({r},{c})={v} shown");
                    }
                    if v == 0 {
                        prop_assert!(!h[r][c], "zero ({r},{c}) hidden");
                    }
                }
            }
            // Exactly one hidden cell = total minus the published rest.
            let found = recoverable(&h, &eqs);
            prop_assert!(found.is_none(), "recoverable from {:?}", found);
        }
    }
}
