//! `feltlogg-server export`: part of the binary, beside `main.rs`. The
//! published tables (small numbers suppressed) and the signed totals file
//! for the national body; both write their audit row with the file, in
//! the transaction that reads the counts.

use super::{ExportFormat, open};
use anyhow::{Context, Result, bail};
use feltlogg_core::time::now_ms;
use feltlogg_server::admin;
use feltlogg_server::config::MunicipalityConfig;
use feltlogg_server::db::audit::Actor;

pub(crate) fn export(
    path: &std::path::Path,
    by: &Actor,
    period: &str,
    format: ExportFormat,
    out: &std::path::Path,
    unit: Option<&str>,
    suppress_below: Option<u64>,
) -> Result<()> {
    use feltlogg_server::export::Scope;
    use feltlogg_server::export::publish::{FileFormat, Request, published_file};
    let format = match format {
        ExportFormat::Xlsx => FileFormat::Xlsx,
        ExportFormat::Csv => FileFormat::Csv,
        ExportFormat::CsvExcel => FileFormat::CsvExcel,
        ExportFormat::Totals => bail!("totals files are written by export_totals"),
    };
    let db = open(path)?;
    let (label, bytes) = db.write_blocking(|tx| -> Result<_> {
        let scope = match unit {
            Some(u) => Scope::Units(vec![admin::find_unit(tx, u)?.id]),
            None => Scope::All,
        };
        let req = Request {
            period: period.to_owned(),
            scope,
            format,
            fixed: suppress_below,
        };
        Ok(published_file(tx, by, &req, now_ms())?)
    })?;
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({} bytes, period {label})",
        out.display(),
        bytes.len(),
    );
    Ok(())
}

pub(crate) fn export_totals(
    path: &std::path::Path,
    by: &Actor,
    period: &str,
    out: &std::path::Path,
    municipality: &MunicipalityConfig,
) -> Result<()> {
    use feltlogg_server::export::{Period, national};
    let period = Period::parse(period)?;
    let municipality = municipality.municipality();
    let by = national::Requester {
        user: None,
        username: &by.name,
        via: "cli",
    };
    let db = open(path)?;
    let bytes = db.write_blocking(|tx| -> Result<Vec<u8>> {
        Ok(national::make_audited(
            tx,
            &period,
            &municipality,
            by,
            now_ms(),
        )?)
    })?;
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({} bytes, period {}, {}): unsuppressed counts for the national body only, never publish it",
        out.display(),
        bytes.len(),
        period.label,
        municipality.label()
    );
    Ok(())
}
