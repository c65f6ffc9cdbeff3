//! Summing the delivered files, raw: per municipality, its areas summed
//! by area code over its servers (a city with one server per bydel or
//! cluster has several), the municipality's row, and the national row.
//! Nothing here is published; [`crate::report`] suppresses.

use crate::collect::Delivery;
use crate::keys::Keys;
use feltlogg_export::{AreaTotals, Period, sum_rows};

/// One municipality's raw totals.
#[derive(Clone, Debug, PartialEq)]
pub struct MunicipalityTotals {
    /// SSB kommunenummer.
    pub number: String,
    /// Name, as pinned.
    pub name: String,
    /// Its areas, summed over its servers, in code order.
    pub areas: Vec<AreaTotals>,
    /// The municipality's row: `bydel` is its number, `name` its name.
    pub total: AreaTotals,
}

/// Who was expected and who delivered: one line per pinned server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Pinned servers whose file was counted, e.g. `0301 Oslo`.
    pub delivered: Vec<String>,
    /// Pinned servers with no file in the folder.
    pub missing: Vec<String>,
}

/// The national raw totals of a period.
#[derive(Clone, Debug, PartialEq)]
pub struct National {
    /// The period.
    pub period: Period,
    /// Municipalities that delivered, by number.
    pub municipalities: Vec<MunicipalityTotals>,
    /// The sum of the municipalities' rows.
    pub total: AreaTotals,
    /// Who delivered.
    pub coverage: Coverage,
}

/// Sums `deliveries` (checked, one per pinned server at most).
pub fn sum(keys: &Keys, period: &Period, deliveries: &[Delivery]) -> National {
    let mut municipalities: Vec<MunicipalityTotals> = Vec::new();
    for d in deliveries {
        let m = &d.pinned.municipality;
        let at = match municipalities.iter().position(|x| x.number == m.number) {
            Some(i) => i,
            None => {
                municipalities.push(MunicipalityTotals {
                    number: m.number.clone(),
                    name: m.name.clone(),
                    areas: Vec::new(),
                    total: AreaTotals::default(),
                });
                municipalities.len() - 1
            }
        };
        let areas = &mut municipalities[at].areas;
        for a in &d.areas {
            match areas.iter_mut().find(|x| x.bydel == a.bydel) {
                Some(x) => x.add(a),
                None => {
                    let mut row = AreaTotals::empty(a.bydel.clone(), a.name.clone());
                    row.add(a);
                    areas.push(row);
                }
            }
        }
    }
    for m in &mut municipalities {
        m.areas.sort_by(|a, b| a.bydel.cmp(&b.bydel));
        let mut total = sum_rows(&m.areas);
        total.bydel = m.number.clone();
        total.name = m.name.clone();
        m.total = total;
    }
    municipalities.sort_by(|a, b| a.number.cmp(&b.number));
    let rows: Vec<AreaTotals> = municipalities.iter().map(|m| m.total.clone()).collect();
    let is_in = |label: &str| {
        deliveries
            .iter()
            .any(|d| d.pinned.municipality.label() == label)
    };
    let (delivered, missing) = keys
        .pinned
        .iter()
        .map(|p| p.municipality.label())
        .partition(|l| is_in(l));
    National {
        period: period.clone(),
        municipalities,
        total: sum_rows(&rows),
        coverage: Coverage { delivered, missing },
    }
}
