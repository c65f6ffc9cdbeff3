//! The national tool on small synthetic totals files signed by test keys:
//! small numbers are hidden once, after summing (two hidden 3s are a
//! published 6; a sum under the threshold is hidden with a partner), and
//! every kind of bad file is refused with its own message, writing nothing.

mod util;

use feltlogg_export::AreaTotals;
use feltlogg_export::totals_file::Municipality;
use std::path::{Path, PathBuf};
use util::*;

const PERIOD: &str = "2026-YTD-08";

/// One area: `youths` by gender (girl, boy, other), all 13–15, known,
/// living in the area; `encounters` on Friday evenings, `school` of them
/// about school.
fn one_area(code: &str, name: &str, gender: [u64; 3], encounters: u64, school: u64) -> AreaTotals {
    let mut a = area(code, name);
    let youths: u64 = gender.iter().sum();
    a.shifts = 8;
    a.shifts_two_plus = 8;
    a.field_ms = 8 * 2 * 4 * 3_600_000;
    a.encounters = encounters;
    a.youths = youths;
    a.youths_by_gender[..3].copy_from_slice(&gender);
    a.youths_by_age[1] = youths;
    a.youths_by_contact[1] = youths;
    a.youths_by_residence[0] = youths;
    a.encounters_by_topic[3] = school;
    a.encounters_by_action[0] = encounters;
    a.encounters_by_weekday[4] = encounters;
    a.encounters_by_band[3] = encounters;
    a
}

struct Setup {
    dir: tempfile::TempDir,
    oslo: Municipality,
    oslo_key: feltlogg_core::sync::SigningKey,
    keys: PathBuf,
}

impl Setup {
    /// Oslo and Bergen deliver, Trondheim is pinned and does not.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let (oslo, bergen, trondheim) = (
            municipality("0301", "Oslo"),
            municipality("4601", "Bergen"),
            municipality("5001", "Trondheim"),
        );
        let (oslo_key, bergen_key, trondheim_key) = (key(), key(), key());
        let keys = keys_file(
            dir.path(),
            &[
                (&oslo, oslo_key.public_key()),
                (&bergen, bergen_key.public_key()),
                (&trondheim, trondheim_key.public_key()),
            ],
        );
        let files = dir.path().join("in");
        std::fs::create_dir(&files).expect("in");
        let a = one_area("030101", "Gamle Oslo", [5, 44, 1], 20, 3);
        write(
            &files,
            "oslo.json",
            &payload(&oslo, PERIOD, vec![a]),
            &oslo_key,
        );
        let b = one_area("460101", "Bergenhus", [5, 40, 2], 15, 3);
        write(
            &files,
            "bergen.json",
            &payload(&bergen, PERIOD, vec![b]),
            &bergen_key,
        );
        Self {
            dir,
            oslo,
            oslo_key,
            keys,
        }
    }

    fn input(&self) -> PathBuf {
        self.dir.path().join("in")
    }

    /// A copy of the input folder with `name` added (signed by `key`).
    fn with(&self, case: &str, name: &str, bytes: &[u8]) -> PathBuf {
        let d = self.dir.path().join(case);
        std::fs::create_dir(&d).expect("case dir");
        for f in ["oslo.json", "bergen.json"] {
            std::fs::copy(self.input().join(f), d.join(f)).expect("copy");
        }
        std::fs::write(d.join(name), bytes).expect("bad file");
        d
    }
}

fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}: {:?}", rows[0]))
}

fn cell(rows: &[Vec<String>], kommune: &str, area: &str, header: &str) -> String {
    let c = column(rows, header);
    rows.iter()
        .find(|r| r[1] == kommune && r[3] == area)
        .unwrap_or_else(|| panic!("no row {kommune}/{area}"))[c]
        .clone()
}

#[test]
fn threes_in_two_municipalities_make_a_published_six_and_a_small_sum_hides_with_a_partner() {
    let s = Setup::new();
    let out = s.dir.path().join("report/national");
    std::fs::create_dir_all(out.parent().expect("parent")).expect("out dir");
    let o = run(&s.keys, &s.input(), PERIOD, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&out.with_extension("csv"));
    let school = "Tema: skole";
    // 3 + 3: each hidden alone, 6 nationally.
    assert_eq!(cell(&rows, "Oslo", "Gamle Oslo", school), "<5");
    assert_eq!(cell(&rows, "Oslo", "Oslo i alt", school), "<5");
    assert_eq!(cell(&rows, "Bergen", "Bergenhus", school), "<5");
    assert_eq!(cell(&rows, "Totalt", "", school), "6");
    // Gender "other": 1 + 2 = 3 nationally, under 5: hidden, and the
    // smallest other gender cell of the national row with it (10 girls),
    // or 3 = youths − girls − boys.
    assert_eq!(cell(&rows, "Totalt", "", "Kjønn annet"), "<5");
    assert_eq!(cell(&rows, "Totalt", "", "Jenter"), "<5");
    assert_eq!(cell(&rows, "Totalt", "", "Gutter"), "84");
    assert_eq!(cell(&rows, "Totalt", "", "Ungdommer møtt"), "97");
    assert_eq!(cell(&rows, "Totalt", "", "Kontakter"), "35");
    assert_eq!(cell(&rows, "Oslo", "Oslo i alt", "Kontakter"), "20");
    // The same cells in the workbook and the report.
    let html = std::fs::read_to_string(out.with_extension("html")).expect("html");
    assert!(
        html.contains("<strong>Levert:</strong> 0301 Oslo, 4601 Bergen (2 av 3)"),
        "{html}"
    );
    assert!(html.contains("<strong>Ikke levert:</strong> 5001 Trondheim"));
    assert!(html.contains("<svg class=\"chart\""), "charts drawn");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("2 of 3 servers delivered"), "{stdout}");
    assert!(stdout.contains("not delivered: 5001 Trondheim"), "{stdout}");
    check_workbook(&out.with_extension("xlsx"));
}

fn check_workbook(path: &Path) {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("opens");
    assert_eq!(
        wb.sheet_names(),
        ["Kommuner", "0301 Oslo", "4601 Bergen", "Om"]
    );
    let range = wb.worksheet_range("Kommuner").expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("h")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let school = header.iter().position(|h| h == "Tema: skole").expect("col");
    let total = range
        .rows()
        .find(|r| r[1] == Data::String("Totalt".into()))
        .expect("total");
    assert_eq!(total[school], Data::Float(6.0));
    let oslo = range
        .rows()
        .find(|r| r[0] == Data::String("0301".into()))
        .expect("oslo");
    assert_eq!(oslo[school], Data::String("<5".into()));
    let about = wb.worksheet_range("Om").expect("om");
    let text: Vec<String> = about
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ")
        })
        .collect();
    assert!(
        text.iter().any(|l| l == "Ikke levert: 5001 Trondheim"),
        "{text:?}"
    );
}

/// Each bad file, the words its refusal must hold.
fn cases(s: &Setup) -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let good = std::fs::read(s.input().join("oslo.json")).expect("oslo");
    let text = String::from_utf8(good.clone()).expect("utf8");
    let at = text.find("\"encounters\": 20").expect("cell") + "\"encounters\": 2".len();
    let mut flipped = good.clone();
    flipped[at] = b'9';
    let a = one_area("030101", "Gamle Oslo", [5, 44, 1], 20, 3);
    let other_key = totals_bytes(&payload(&s.oslo, PERIOD, vec![a.clone()]), &key());
    let wrong_period = totals_bytes(&payload(&s.oslo, "2026-Q2", vec![a.clone()]), &s.oslo_key);
    let mut v2 = payload(&s.oslo, PERIOD, vec![a.clone()]);
    v2.vocabulary.version = 2;
    let v2 = totals_bytes(&v2, &s.oslo_key);
    let unpinned = totals_bytes(
        &payload(&municipality("1103", "Stavanger"), PERIOD, vec![a]),
        &key(),
    );
    vec![
        ("flipped", flipped, "the signature does not verify"),
        (
            "other-key",
            other_key,
            "not by the key pinned for this municipality",
        ),
        (
            "period",
            wrong_period,
            "holds the totals of 2026-Q2, not of 2026-YTD-08",
        ),
        ("vocabulary", v2, "counted in vocabulary version 2"),
        (
            "duplicate",
            good,
            "holds the totals of 0301 Oslo for 2026-YTD-08, and so does",
        ),
        (
            "unpinned",
            unpinned,
            "1103 Stavanger, which has no key pinned",
        ),
        (
            "schema",
            b"{\"rows\": []}".to_vec(),
            "not a Feltlogg totals file",
        ),
    ]
}

fn totals_bytes(
    p: &feltlogg_export::totals_file::Payload,
    k: &feltlogg_core::sync::SigningKey,
) -> Vec<u8> {
    feltlogg_export::totals_file::sign(p, k).expect("sign")
}

#[test]
fn each_bad_file_is_refused_with_its_own_message_and_nothing_is_written() {
    let s = Setup::new();
    let all = cases(&s);
    for (case, bytes, words) in &all {
        let dir = s.with(case, "zz-extra.json", bytes);
        let out = dir.join("out/national");
        std::fs::create_dir_all(dir.join("out")).expect("out");
        let o = run(&s.keys, &dir, PERIOD, &out);
        let err = stderr(&o);
        assert!(!o.status.success(), "{case}: accepted");
        assert!(err.contains("zz-extra.json refused: "), "{case}: {err}");
        assert!(err.contains(words), "{case}: {err}");
        assert!(
            err.contains("1 of 3 totals files refused, so nothing was written"),
            "{case}: {err}"
        );
        for (other, _, other_words) in &all {
            if other != case {
                assert!(
                    !err.contains(other_words),
                    "{case} reads like {other}: {err}"
                );
            }
        }
        assert!(!any_written(&out), "{case}: a report was written");
        let left: Vec<_> = std::fs::read_dir(dir.join("out")).expect("ls").collect();
        assert!(left.is_empty(), "{case}: {left:?}");
    }
    // The same folder without the bad file goes through.
    let out = s.dir.path().join("ok");
    assert!(run(&s.keys, &s.input(), PERIOD, &out).status.success());
    assert!(feltlogg_national::outputs(&out).iter().all(|p| p.exists()));
}
