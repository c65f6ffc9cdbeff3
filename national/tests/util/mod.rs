//! Helpers for the national tool's tests: synthetic totals files signed
//! by test keys, keys files, and the binary run as a child process.

#![allow(dead_code)]

use feltlogg_core::sync::{SigningKey, VerifyingKey};
use feltlogg_export::totals_file::{self, Municipality, Payload};
use feltlogg_export::{AreaTotals, Period, Totals};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_feltlogg-national");

/// A municipality (whole: no part).
pub fn municipality(number: &str, name: &str) -> Municipality {
    Municipality {
        number: number.into(),
        name: name.into(),
        part: String::new(),
    }
}

/// A fresh signing key.
pub fn key() -> SigningKey {
    SigningKey::generate().expect("key").0
}

/// An area with every count zero.
pub fn area(code: &str, name: &str) -> AreaTotals {
    AreaTotals::empty(code.into(), name.into())
}

/// The payload of `areas` for `m` and `period`.
pub fn payload(m: &Municipality, period: &str, areas: Vec<AreaTotals>) -> Payload {
    let period = Period::parse(period).expect("period");
    Payload::new(
        m.clone(),
        &Totals::new(period, areas),
        1_788_000_000_000,
        "test",
    )
}

/// Writes `payload` signed with `key` to `dir/name`.
pub fn write(dir: &Path, name: &str, payload: &Payload, key: &SigningKey) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, totals_file::sign(payload, key).expect("sign")).expect("write");
    path
}

/// A keys file pinning `entries` (municipality, key).
pub fn keys_file(dir: &Path, entries: &[(&Municipality, VerifyingKey)]) -> PathBuf {
    let mut text = String::from("# pinned in a test\n");
    for (m, k) in entries {
        text.push_str(&format!(
            "\n[[municipality]]\nnumber = \"{}\"\nname = \"{}\"\n",
            m.number, m.name
        ));
        if !m.part.is_empty() {
            text.push_str(&format!("part = \"{}\"\n", m.part));
        }
        text.push_str(&format!("key = \"{}\"\n", k.to_base64()));
    }
    let path = dir.join("KEYS.toml");
    std::fs::write(&path, text).expect("keys");
    path
}

/// Runs the binary.
pub fn run(keys: &Path, dir: &Path, period: &str, out: &Path) -> Output {
    std::process::Command::new(BIN)
        .arg("--keys")
        .arg(keys)
        .arg("--in")
        .arg(dir)
        .args(["--period", period])
        .arg("--out")
        .arg(out)
        .env_remove("FELTLOGG_SUPPRESS_BELOW")
        .output()
        .expect("runs")
}

/// What the run printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The three report files of `out`, and whether any exists.
pub fn any_written(out: &Path) -> bool {
    feltlogg_national::outputs(out).iter().any(|p| p.exists())
}

/// Parses the Excel-CSV (BOM, `;`, quoted fields) into rows.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("csv");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf8");
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}
