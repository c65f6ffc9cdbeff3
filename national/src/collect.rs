//! Reading a folder of totals files: every `*.json` file in it is
//! checked, and any one refused refuses the whole run, so a national table
//! is never summed from a set with a file left out by accident. Each
//! refusal says which file and why, in its own words:
//!
//! | refusal | when |
//! | --- | --- |
//! | not a totals file (schema) | not JSON of the schema, or another format version |
//! | unknown municipality | its municipality (and part) has no key pinned |
//! | another key | signed by a key other than the pinned one |
//! | bad signature | changed after signing (a flipped byte) |
//! | unknown vocabulary version | counted in codes this tool does not know |
//! | wrong period | for another period than `--period` |
//! | duplicate | a second file of the same municipality (and part) and period |

use crate::keys::{Keys, Pinned};
use feltlogg_export::totals_file::{self, FileError};
use feltlogg_export::{AreaTotals, Period};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why one file was refused.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    /// It cannot be read.
    #[error("cannot read it: {0}")]
    Unreadable(std::io::Error),
    /// The file itself is not trusted or not understood.
    #[error("{0}")]
    File(#[from] FileError),
    /// No key is pinned for its municipality.
    #[error(
        "it is from {0}, which has no key pinned in the keys file; check the server's key with the municipality (`feltlogg-server public-key`) and add a [[municipality]] entry"
    )]
    UnknownMunicipality(String),
    /// It is for another period.
    #[error(
        "it holds the totals of {found}, not of {wanted}; ask the municipality for the totals of {wanted} (`feltlogg-server export --format totals --period {wanted}`)"
    )]
    WrongPeriod {
        /// The file's period.
        found: String,
        /// `--period`.
        wanted: String,
    },
    /// Another file holds the same municipality's totals.
    #[error(
        "it holds the totals of {municipality} for {period}, and so does {other}; keep the one to count and move the other out of the folder"
    )]
    Duplicate {
        /// The municipality (and part).
        municipality: String,
        /// The period.
        period: String,
        /// The other file.
        other: String,
    },
}

/// One refused file.
#[derive(Debug)]
pub struct Refusal {
    /// The file.
    pub file: PathBuf,
    /// Why.
    pub reason: Reason,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} refused: {}", self.file.display(), self.reason)
    }
}

/// A file that passed every check.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The file.
    pub file: PathBuf,
    /// Whose (as pinned: the keys file's name, not the file's).
    pub pinned: Pinned,
    /// When the server made it (RFC 3339).
    pub generated_at: String,
    /// Its areas' counts.
    pub areas: Vec<AreaTotals>,
}

/// Why a folder could not be collected.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The folder cannot be listed.
    #[error("cannot read the folder {dir}: {error}")]
    Dir {
        /// The folder.
        dir: String,
        /// Why.
        error: std::io::Error,
    },
    /// No `*.json` file in it.
    #[error("the folder {0} holds no totals files (*.json); put the municipalities' files there")]
    Empty(String),
    /// At least one file was refused.
    #[error("{} of {total} totals files refused, so nothing was written:\n{}", .refusals.len(), list(.refusals))]
    Refused {
        /// Every refusal.
        refusals: Vec<Refusal>,
        /// Files read.
        total: usize,
    },
}

fn list(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(|r| format!("  {r}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `*.json` files of `dir`, in name order.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, CollectError> {
    let failed = |error| CollectError::Dir {
        dir: dir.display().to_string(),
        error,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(failed)? {
        let path = entry.map_err(failed)?.path();
        if path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Checks one file against the keys and the period.
fn check(path: &Path, keys: &Keys, period: &Period) -> Result<Delivery, Reason> {
    let bytes = std::fs::read(path).map_err(Reason::Unreadable)?;
    let file = totals_file::open(&bytes)?;
    let pinned = keys
        .find(&file.municipality)
        .ok_or_else(|| Reason::UnknownMunicipality(file.municipality.label()))?;
    let payload = file.verify(&pinned.key)?;
    let areas = payload.area_totals()?;
    let found = payload.period()?;
    if found != *period {
        return Err(Reason::WrongPeriod {
            found: found.label,
            wanted: period.label.clone(),
        });
    }
    Ok(Delivery {
        file: path.to_owned(),
        pinned: pinned.clone(),
        generated_at: payload.generated_at,
        areas,
    })
}

/// Every file of `dir`, verified against `keys` and for `period`.
///
/// # Errors
/// [`CollectError::Refused`] listing every file refused (all are checked,
/// so one run names every problem); [`CollectError::Empty`] for a folder
/// without totals files.
pub fn collect(keys: &Keys, dir: &Path, period: &Period) -> Result<Vec<Delivery>, CollectError> {
    let files = json_files(dir)?;
    if files.is_empty() {
        return Err(CollectError::Empty(dir.display().to_string()));
    }
    let mut refusals = Vec::new();
    let mut delivered: Vec<Delivery> = Vec::new();
    for path in &files {
        match check(path, keys, period) {
            Ok(d) => {
                let same = |o: &&Delivery| o.pinned.municipality == d.pinned.municipality;
                if let Some(other) = delivered.iter().find(same) {
                    refusals.push(Refusal {
                        file: path.clone(),
                        reason: Reason::Duplicate {
                            municipality: d.pinned.municipality.label(),
                            period: period.label.clone(),
                            other: other.file.display().to_string(),
                        },
                    });
                } else {
                    delivered.push(d);
                }
            }
            Err(reason) => refusals.push(Refusal {
                file: path.clone(),
                reason,
            }),
        }
    }
    if refusals.is_empty() {
        Ok(delivered)
    } else {
        Err(CollectError::Refused {
            refusals,
            total: files.len(),
        })
    }
}
