//! # feltlogg-national
//!
//! The national body's tool. Each municipality's server writes a signed
//! totals file per period (`feltlogg-server export --format totals`:
//! unsuppressed counts per area and category, never records); this tool
//! verifies every file against the key pinned for its municipality, sums
//! the cells, applies the small-number rule once, after summing, with the
//! export's own suppression (`feltlogg_export`), and writes the national
//! table as .xlsx, Excel-CSV and an HTML report with a coverage line. It
//! has no sync server and no database of records. A city with several
//! servers (one per bydel or cluster of units) gets its city total the
//! same way.
//!
//! ## Layout
//! - [`keys`]: the keys file (`KEYS.toml`), one pinned key per server.
//! - [`collect`]: reading a folder of totals files; every refusal, with
//!   its reason, refuses the run.
//! - [`sum`]: the raw sums per municipality and for the country.
//! - [`report`]: suppression over every published sum, and the three files.
//! - [`run`]: the whole of it, as the binary calls it.

pub mod collect;
pub mod keys;
pub mod report;
pub mod sum;

use feltlogg_export::Period;
use std::path::{Path, PathBuf};

/// What [`run`] needs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The keys file.
    pub keys: PathBuf,
    /// The folder of totals files.
    pub dir: PathBuf,
    /// The period every file must hold, e.g. `2026-YTD-08`.
    pub period: String,
    /// Where to write: `OUT.xlsx`, `OUT.csv` and `OUT.html` (an extension
    /// given on `OUT` is dropped).
    pub out: PathBuf,
    /// Counts from 1 to `threshold - 1` are hidden.
    pub threshold: u64,
}

/// Why a run wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The period is not one.
    #[error("{0}")]
    Period(String),
    /// The keys file.
    #[error(transparent)]
    Keys(#[from] keys::KeysError),
    /// The folder, or a file in it.
    #[error(transparent)]
    Collect(#[from] collect::CollectError),
    /// A report could not be made or written.
    #[error("{0}")]
    Write(String),
}

/// What a run wrote.
#[derive(Debug)]
pub struct Written {
    /// The three files.
    pub files: Vec<PathBuf>,
    /// The report behind them.
    pub report: report::Report,
}

/// The three output paths of `out`.
pub fn outputs(out: &Path) -> [PathBuf; 3] {
    let base = match out.extension().and_then(|e| e.to_str()) {
        Some("xlsx" | "csv" | "html") => out.with_extension(""),
        _ => out.to_owned(),
    };
    let with = |ext: &str| {
        let mut s = base.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    [with(".xlsx"), with(".csv"), with(".html")]
}

/// Verifies, sums, suppresses and writes. Nothing is written unless every
/// file passes; the three files are written to temporary names first and
/// renamed into place together.
///
/// # Errors
/// [`RunError`] naming what to fix; [`RunError::Collect`] lists every
/// refused file with its reason.
pub fn run(opts: &Options) -> Result<Written, RunError> {
    let period = Period::parse(&opts.period).map_err(|e| RunError::Period(e.to_string()))?;
    let keys = keys::Keys::load(&opts.keys)?;
    let deliveries = collect::collect(&keys, &opts.dir, &period)?;
    let national = sum::sum(&keys, &period, &deliveries);
    let report = report::suppress(national, opts.threshold);
    let xlsx = report::to_xlsx(&report).map_err(|e| RunError::Write(e.to_string()))?;
    let contents = [
        xlsx,
        report::to_csv(&report),
        report::to_html(&report).into_bytes(),
    ];
    let files = outputs(&opts.out);
    let fail =
        |p: &Path, e: std::io::Error| RunError::Write(format!("cannot write {}: {e}", p.display()));
    let mut temps = Vec::new();
    for (path, bytes) in files.iter().zip(&contents) {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        if let Err(e) = std::fs::write(&tmp, bytes) {
            for t in &temps {
                let _ = std::fs::remove_file(t);
            }
            return Err(fail(path, e));
        }
        temps.push(tmp);
    }
    for (tmp, path) in temps.iter().zip(&files) {
        std::fs::rename(tmp, path).map_err(|e| fail(path, e))?;
    }
    Ok(Written {
        files: files.to_vec(),
        report,
    })
}
