//! `feltlogg-server export`: part of the binary, beside `main.rs`. The
//! published tables (small numbers suppressed) and the signed totals file
//! for the national body; both write their audit row with the file.

use super::{ExportFormat, open};
use anyhow::{Context, Result, bail};
use feltlogg_server::admin;
use feltlogg_server::config::MunicipalityConfig;
use feltlogg_server::now_ms;

pub(crate) fn export(
    path: &std::path::Path,
    period: &str,
    format: ExportFormat,
    out: &std::path::Path,
    unit: Option<&str>,
    suppress_below: Option<u64>,
) -> Result<()> {
    use feltlogg_server::export::{self, CsvDialect, Period, Scope};
    let period = Period::parse(period)?;
    let db = open(path)?;
    let bytes = db.with(|c| -> Result<Vec<u8>> {
        let scope = match unit {
            Some(u) => Scope::Units(vec![admin::find_unit(c, u)?.id]),
            None => Scope::All,
        };
        let threshold = export::threshold(c, suppress_below)?;
        let totals = export::build_totals(c, &period, &scope)?;
        let published = export::suppress(&totals, threshold);
        let (bytes, name) = match format {
            ExportFormat::Xlsx => {
                let today = feltlogg_server::feedback::day_of(now_ms())?;
                let fb = feltlogg_server::feedback::sheet::for_export(c, &period, &scope, today)?;
                (
                    export::xlsx::to_xlsx_with(&published, |wb| fb.write(wb))?,
                    "xlsx",
                )
            }
            ExportFormat::Csv => (export::to_csv(&published, CsvDialect::Rfc4180), "csv"),
            ExportFormat::CsvExcel => (export::to_csv(&published, CsvDialect::Excel), "csv-excel"),
            ExportFormat::Totals => bail!("totals files are written by export_totals"),
        };
        let who = std::env::var("USER").unwrap_or_else(|_| "cli".into());
        let detail = format!("format={name} unit={}", unit.unwrap_or("all"));
        feltlogg_server::db::audit::insert(
            c,
            now_ms(),
            None,
            &who,
            "export",
            &period.label,
            &detail,
        )?;
        Ok(bytes)
    })?;
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({} bytes, period {})",
        out.display(),
        bytes.len(),
        period.label
    );
    Ok(())
}

pub(crate) fn export_totals(
    path: &std::path::Path,
    period: &str,
    out: &std::path::Path,
    municipality: &MunicipalityConfig,
) -> Result<()> {
    use feltlogg_server::export::{Period, national};
    let period = Period::parse(period)?;
    let municipality = municipality.municipality();
    let who = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    let by = national::Requester {
        user: None,
        username: &who,
        via: "cli",
    };
    let db = open(path)?;
    let bytes = db.with(|c| -> Result<Vec<u8>> {
        Ok(national::make_audited(
            c,
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
