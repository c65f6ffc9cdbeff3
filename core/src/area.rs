//! Areas (bydeler) are data, not code: other municipalities use the same
//! standard with their own codes. The seed list is Oslo's 17 SSB codes.

use serde::{Deserialize, Serialize};

/// A geographic area a unit works in: for Oslo, a bydel with its SSB code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Area {
    /// SSB code, e.g. `030102`.
    pub code: String,
    /// Display name, e.g. `Grünerløkka`.
    pub name: String,
}

const OSLO_CSV: &str = include_str!("../data/areas-oslo.csv");

/// Oslo's bydeler, parsed from the seed file shipped in the crate.
pub fn oslo_bydeler() -> Vec<Area> {
    parse_areas(OSLO_CSV)
}

/// Parses `code;name` lines (with a header line) into areas; blank lines
/// are skipped. Used for the seed file and for areas an admin imports.
pub fn parse_areas(csv: &str) -> Vec<Area> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let (code, name) = line.trim().split_once(';')?;
            Some(Area {
                code: code.trim().to_owned(),
                name: name.trim().to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oslo_has_seventeen_bydeler_with_unique_codes() {
        let areas = oslo_bydeler();
        assert_eq!(areas.len(), 17);
        let mut codes: Vec<_> = areas.iter().map(|a| a.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 17);
        assert!(
            areas
                .iter()
                .any(|a| a.code == "030102" && a.name == "Grünerløkka")
        );
    }
}
