//! `feltlogg-national`: the command line. Thin: parses the flags, calls
//! [`feltlogg_national::run`], prints what it wrote or every refusal.

use anyhow::Result;
use clap::Parser;
use feltlogg_export::{DEFAULT_THRESHOLD, parse_threshold};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "feltlogg-national",
    version,
    about = "Verifies the municipalities' signed totals files, sums them, hides small numbers once, and writes the national table (xlsx, Excel-CSV, HTML)"
)]
struct Cli {
    /// The pinned server keys ([[municipality]] entries: number, name, key, optional part).
    #[arg(long)]
    keys: PathBuf,
    /// The folder holding the totals files (*.json), one per server.
    #[arg(long = "in")]
    dir: PathBuf,
    /// The period every file must hold: 2026, 2026-Q3, 2026-07, 2026-YTD-08 or a date range.
    #[arg(long)]
    period: String,
    /// Where to write: OUT.xlsx, OUT.csv and OUT.html.
    #[arg(long)]
    out: PathBuf,
    /// Counts from 1 to N-1 are hidden (2-1000).
    #[arg(long, env = "FELTLOGG_SUPPRESS_BELOW", default_value_t = DEFAULT_THRESHOLD, value_parser = |s: &str| parse_threshold(s).map_err(|e| e.to_string()))]
    suppress_below: u64,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let written = feltlogg_national::run(&feltlogg_national::Options {
        keys: cli.keys,
        dir: cli.dir,
        period: cli.period,
        out: cli.out,
        threshold: cli.suppress_below,
    })?;
    let c = &written.report.national.coverage;
    println!(
        "period {}: {} of {} servers delivered",
        written.report.national.period.label,
        c.delivered.len(),
        c.delivered.len() + c.missing.len()
    );
    if !c.missing.is_empty() {
        println!("not delivered: {}", c.missing.join(", "));
    }
    for f in &written.files {
        println!("wrote {}", f.display());
    }
    Ok(())
}
