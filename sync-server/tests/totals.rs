//! `feltlogg-server export --format totals` and `public-key` as an operator
//! runs them: a small demo database, a totals file for a year-to-date
//! period that verifies with the printed key and names the municipality
//! set by flag or environment, an audit row per file, and refusals of what
//! a totals file cannot be.

use feltlogg_core::sync::VerifyingKey;
use feltlogg_export::totals_file;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_feltlogg-server");

fn server(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--by", "drift"])
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("FELTLOGG_MUNICIPALITY_NUMBER")
        .env_remove("FELTLOGG_MUNICIPALITY_NAME")
        .env_remove("FELTLOGG_MUNICIPALITY_PART")
        .output()
        .expect("runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_totals_file_verifies_with_the_printed_key_and_names_its_municipality() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("f.db");
    ok(&server(&db, &["demo", "--seed", "5", "--days", "20"]));
    let key = ok(&server(&db, &["public-key"]));
    let key = VerifyingKey::from_base64(key.trim()).expect("a public key");
    let year = jiff::Zoned::now().year();
    let period = format!("{year}-YTD-12");
    let out = dir.path().join("bergen.json");
    let o = Command::new(BIN)
        .args(["--by", "drift"])
        .arg("--db")
        .arg(&db)
        .args(["export", "--format", "totals", "--period", &period, "--out"])
        .arg(&out)
        .args(["--municipality-number", "4601"])
        .env("FELTLOGG_MUNICIPALITY_NAME", "Bergen")
        .env("RUST_LOG", "warn")
        .output()
        .expect("runs");
    let said = ok(&o);
    assert!(said.contains("never publish it"), "{said}");
    let bytes = std::fs::read(&out).expect("file");
    let payload = totals_file::open(&bytes)
        .expect("a totals file")
        .verify(&key)
        .expect("signed with the printed key");
    assert_eq!(payload.municipality.label(), "4601 Bergen");
    assert_eq!(payload.period.label, period);
    assert!(payload.generator.starts_with("feltlogg-server "));
    let areas = payload.area_totals().expect("areas");
    assert!(
        areas.iter().map(|a| a.encounters).sum::<u64>() > 50,
        "demo counts, unsuppressed"
    );
    assert!(
        areas
            .iter()
            .any(|a| a.youths_by_gender.iter().any(|&n| (1..5).contains(&n))),
        "small cells kept"
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'export_totals'",
            [],
            |r| r.get(0),
        )
        .expect("one audit row");
    assert!(
        detail.contains("municipality=4601 Bergen via=cli"),
        "{detail}"
    );

    let unit = server(
        &db,
        &[
            "export",
            "--format",
            "totals",
            "--period",
            &period,
            "--out",
            "x.json",
            "--unit",
            "Utekontakten Frogner",
        ],
    );
    assert!(String::from_utf8_lossy(&unit.stderr).contains("leave out --unit"));
    let bad = server(
        &db,
        &[
            "--municipality-number",
            "301",
            "export",
            "--format",
            "totals",
            "--period",
            &period,
            "--out",
            "x.json",
        ],
    );
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("four digits"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let ytd = server(
        &db,
        &[
            "export",
            "--format",
            "totals",
            "--period",
            "2026-YTD-13",
            "--out",
            "x.json",
        ],
    );
    assert!(String::from_utf8_lossy(&ytd.stderr).contains("year to date"));
    assert!(!dir.path().join("x.json").exists() && !Path::new("x.json").exists());
}
