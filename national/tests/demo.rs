//! End to end: three demo servers with different seeds (each its own
//! database and signing key) write their totals files for the same
//! period through the server's own export; the national tool's sum of
//! every cell equals the sum counted directly from the three databases'
//! record tables (SQL over the records, not the export's fact tables),
//! its files hide every small sum, and a changed, foreign, mistimed,
//! unknown-vocabulary or duplicate file refuses the run, writing nothing.

mod util;

use feltlogg_core::rules::member_field_ms;
use feltlogg_export::totals_file::{self, Municipality};
use feltlogg_export::{AreaTotals, Period};
use feltlogg_server::db::server_key;
use feltlogg_server::demo::{DemoOptions, fill};
use feltlogg_server::export::national::{Requester, make_audited};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use util::*;

/// 2026-09-15 10:00 UTC: the demo's "today".
const NOW: i64 = 1_789_466_400_000;
const PERIOD: &str = "2026-YTD-08";
/// Days of demo data: enough for hundreds of encounters in the period,
/// few enough that three databases fill in seconds.
const DAYS: u32 = 70;

type Cells = BTreeMap<(String, String), i64>;

struct Server {
    municipality: Municipality,
    db: PathBuf,
}

fn demo_server(dir: &Path, m: Municipality, seed: u64) -> Server {
    let db = dir.join(format!("{}.db", m.number));
    let mut conn = feltlogg_server::db::open(&db).expect("open");
    let opts = DemoOptions {
        seed,
        now_ms: NOW,
        days: DAYS,
    };
    fill(&mut conn, &opts).expect("demo");
    Server {
        municipality: m,
        db,
    }
}

/// The server's totals file, as `feltlogg-server export --format totals`
/// makes it (the same function, with its audit row).
fn totals(s: &Server, period: &str) -> Vec<u8> {
    let mut conn = feltlogg_server::db::open(&s.db).expect("open");
    let by = Requester {
        user: None,
        username: "test",
        via: "cli",
    };
    let period = Period::parse(period).expect("period");
    let tx = conn.transaction().expect("begin");
    let bytes = make_audited(&tx, &period, &s.municipality, by, NOW).expect("totals");
    tx.commit().expect("commit");
    bytes
}

/// Every count of `a`, by published column key (field time as `field_ms`).
fn keyed(a: &AreaTotals) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    let n = |v: u64| i64::try_from(v).expect("fits");
    for (k, v) in [
        ("shifts", a.shifts),
        ("shifts_two_plus", a.shifts_two_plus),
        ("encounters", a.encounters),
        ("youths", a.youths),
        ("referrals", a.referrals),
    ] {
        m.insert(k.to_owned(), n(v));
    }
    m.insert("field_ms".into(), a.field_ms);
    let mut part = |prefix: &str, codes: Vec<&str>, counts: &[u64]| {
        for (c, v) in codes.iter().zip(counts) {
            m.insert(format!("{prefix}{c}"), n(*v));
        }
    };
    let codes = feltlogg_export::vocabulary::codes_of;
    part("youths_age_", codes("age_group"), &a.youths_by_age);
    part("youths_gender_", codes("gender"), &a.youths_by_gender);
    part(
        "youths_contact_",
        codes("contact_kind"),
        &a.youths_by_contact,
    );
    part(
        "youths_residence_",
        codes("residence"),
        &a.youths_by_residence,
    );
    part("topic_", codes("topic"), &a.encounters_by_topic);
    part("action_", codes("action"), &a.encounters_by_action);
    part(
        "referrals_to_",
        codes("referral_service"),
        &a.referrals_by_service,
    );
    part(
        "referrals_",
        codes("referral_status"),
        &a.referrals_by_status,
    );
    part(
        "encounters_weekday_",
        codes("weekday"),
        &a.encounters_by_weekday,
    );
    let bands = ["00_06", "06_12", "12_18", "18_24"];
    part("encounters_band_", bands.to_vec(), &a.encounters_by_band);
    m.retain(|_, v| *v != 0);
    m
}

const APPROVED: &str =
    "s.status = 'approved' AND s.deleted = 0 AND s.started_ms >= ?1 AND s.started_ms < ?2";

/// The counts of `db` for `p`, per (area, key), straight from the record
/// tables; zeros left out.
fn direct(db: &Path, p: &Period) -> Cells {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut out = Cells::new();
    let mut add = |area: &str, key: String, n: i64| {
        *out.entry((area.to_owned(), key)).or_insert(0) += n;
    };
    let range = rusqlite::params![p.start_ms, p.end_ms];
    let sql =
        format!("SELECT s.id, s.bydel, s.started_ms, s.closed_ms FROM shifts s WHERE {APPROVED}");
    let mut stmt = conn.prepare(&sql).expect("shifts");
    let shifts: Vec<(String, String, i64, Option<i64>)> = stmt
        .query_map(range, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut members = conn
        .prepare("SELECT worker_id, checked_in_ms, checked_out_ms FROM shift_members WHERE shift_id = ?1 AND deleted = 0")
        .expect("members");
    for (id, area, start, closed) in &shifts {
        add(area, "shifts".into(), 1);
        let end = closed.unwrap_or(*start);
        let rows: Vec<(String, Option<i64>, Option<i64>)> = members
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("q")
            .collect::<Result<_, _>>()
            .expect("rows");
        let workers: std::collections::HashSet<&String> = rows.iter().map(|r| &r.0).collect();
        if workers.len() >= 2 {
            add(area, "shifts_two_plus".into(), 1);
        }
        for (_, inn, out_ms) in &rows {
            add(
                area,
                "field_ms".into(),
                member_field_ms(*start, end, inn.unwrap_or(end), *out_ms),
            );
        }
    }
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").expect("tz");
    let sql = format!(
        "SELECT e.bydel, e.youth_count, e.age_group, e.gender, e.contact_kind, e.residence,
                json_extract(e.fields, '$.topics'), json_extract(e.fields, '$.actions'), e.at_ms
           FROM encounters e JOIN shifts s ON s.id = e.shift_id WHERE {APPROVED} AND e.deleted = 0"
    );
    let mut stmt = conn.prepare(&sql).expect("encounters");
    let mut rows = stmt.query(range).expect("q");
    while let Some(r) = rows.next().expect("row") {
        let area: String = r.get(0).expect("bydel");
        let youths: i64 = r.get(1).expect("youths");
        add(&area, "encounters".into(), 1);
        add(&area, "youths".into(), youths);
        for (i, prefix) in [
            "youths_age_",
            "youths_gender_",
            "youths_contact_",
            "youths_residence_",
        ]
        .iter()
        .enumerate()
        {
            let code: String = r.get(2 + i).expect("code");
            add(&area, format!("{prefix}{code}"), youths);
        }
        for (i, prefix) in ["topic_", "action_"].iter().enumerate() {
            let list: String = r.get(6 + i).expect("list");
            for code in serde_json::from_str::<Vec<String>>(&list).expect("json") {
                add(&area, format!("{prefix}{code}"), 1);
            }
        }
        let at = jiff::Timestamp::from_millisecond(r.get(8).expect("at"))
            .expect("ts")
            .to_zoned(tz.clone());
        let day = feltlogg_export::labels::WEEKDAY_KEYS
            [usize::try_from(at.weekday().to_monday_zero_offset()).expect("day")];
        add(&area, format!("encounters_weekday_{day}"), 1);
        let band = at.hour() / 6 * 6;
        add(
            &area,
            format!("encounters_band_{band:02}_{:02}", band + 6),
            1,
        );
    }
    let sql = format!(
        "SELECT e.bydel, r.service, r.status FROM referrals r
           JOIN encounters e ON e.id = r.encounter_id JOIN shifts s ON s.id = e.shift_id
          WHERE {APPROVED} AND r.deleted = 0 AND e.deleted = 0"
    );
    let mut stmt = conn.prepare(&sql).expect("referrals");
    let mut rows = stmt.query(range).expect("q");
    while let Some(r) = rows.next().expect("row") {
        let area: String = r.get(0).expect("bydel");
        add(&area, "referrals".into(), 1);
        add(
            &area,
            format!("referrals_to_{}", r.get::<_, String>(1).expect("s")),
            1,
        );
        add(
            &area,
            format!("referrals_{}", r.get::<_, String>(2).expect("s")),
            1,
        );
    }
    out.retain(|_, v| *v != 0);
    out
}

/// Per area of `areas`, every non-zero count.
fn cells_of(areas: &[AreaTotals]) -> Cells {
    let mut out = Cells::new();
    for a in areas {
        for (k, v) in keyed(a) {
            out.insert((a.bydel.clone(), k), v);
        }
    }
    out
}

fn sum_by_key(cells: &[&Cells]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for c in cells {
        for ((_, k), v) in c.iter() {
            *out.entry(k.clone()).or_insert(0) += v;
        }
    }
    out
}

#[test]
fn three_demo_servers_sum_to_the_national_table() {
    let dir = tempfile::tempdir().expect("dir");
    let places = [
        (municipality("0301", "Oslo"), 11),
        (municipality("4601", "Bergen"), 22),
        (municipality("5001", "Trondheim"), 33),
    ];
    let servers: Vec<Server> = std::thread::scope(|s| {
        let jobs: Vec<_> = places
            .iter()
            .map(|(m, seed)| s.spawn(|| demo_server(dir.path(), m.clone(), *seed)))
            .collect();
        jobs.into_iter()
            .map(|j| j.join().expect("demo thread"))
            .collect()
    });
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("in");
    let mut pinned = Vec::new();
    for s in &servers {
        std::fs::write(
            input.join(format!("{}.json", s.municipality.number)),
            totals(s, PERIOD),
        )
        .expect("write");
        let conn = feltlogg_server::db::open(&s.db).expect("open");
        pinned.push((
            s.municipality.clone(),
            server_key::load(&conn).expect("key").public_key(),
        ));
        let logged: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'export_totals'",
                [],
                |r| r.get(0),
            )
            .expect("audit");
        assert_eq!(logged, 1, "the totals file is in the audit log");
    }
    let stavanger = municipality("1103", "Stavanger");
    let mut entries: Vec<_> = pinned.iter().map(|(m, k)| (m, *k)).collect();
    entries.push((&stavanger, key().public_key()));
    let keys = keys_file(dir.path(), &entries);

    let period = Period::parse(PERIOD).expect("period");
    let direct: Vec<Cells> = servers.iter().map(|s| direct(&s.db, &period)).collect();
    assert!(
        direct.iter().all(|c| c.len() > 100),
        "demo data in the period"
    );
    let out = dir.path().join("national");
    let written = feltlogg_national::run(&feltlogg_national::Options {
        keys: keys.clone(),
        dir: input.clone(),
        period: PERIOD.into(),
        out: out.clone(),
        threshold: 5,
    })
    .expect("national run");
    let national = &written.report.national;
    assert_eq!(national.coverage.missing, ["1103 Stavanger"]);
    for (s, d) in servers.iter().zip(&direct) {
        let m = national
            .municipalities
            .iter()
            .find(|m| m.number == s.municipality.number)
            .expect("municipality");
        assert_eq!(cells_of(&m.areas), *d, "{}: every cell", m.name);
        assert_eq!(keyed(&m.total), sum_by_key(&[d]), "{}: its row", m.name);
    }
    let all: Vec<&Cells> = direct.iter().collect();
    assert_eq!(keyed(&national.total), sum_by_key(&all), "the national row");

    check_files(&written.report, &out, &direct);
    check_refusals(dir.path(), &keys, &input, &servers);
}

/// The Excel-CSV shows every count as counted, or hidden; every sum from
/// 1 to 4 is hidden.
fn check_files(report: &feltlogg_national::report::Report, out: &Path, direct: &[Cells]) {
    let rows = read_csv(&out.with_extension("csv"));
    let columns: BTreeMap<String, String> = report
        .overview
        .sheets
        .iter()
        .flat_map(|s| s.columns.iter())
        .map(|c| (c.header.clone(), c.key.clone()))
        .collect();
    let national = sum_by_key(&direct.iter().collect::<Vec<_>>());
    let (mut shown, mut hidden) = (0, 0);
    for row in &rows[1..] {
        let expected: BTreeMap<String, i64> = match (row[0].as_str(), row[2].as_str()) {
            ("", _) => national.clone(),
            (number, "") => {
                let i = report
                    .national
                    .municipalities
                    .iter()
                    .position(|m| m.number == number)
                    .expect("m");
                sum_by_key(&[&direct[i]])
            }
            (number, area) => {
                let i = report
                    .national
                    .municipalities
                    .iter()
                    .position(|m| m.number == number)
                    .expect("m");
                direct[i]
                    .iter()
                    .filter(|((a, _), _)| a == area)
                    .map(|((_, k), v)| (k.clone(), *v))
                    .collect()
            }
        };
        for (c, text) in row.iter().enumerate().skip(4) {
            let Some(key) = columns.get(&rows[0][c]) else {
                continue;
            };
            let Some(want) = keyed_value(&expected, key) else {
                continue;
            };
            if text == "<5" {
                hidden += 1;
                continue;
            }
            assert!(!(1..5).contains(&want), "{row:?} shows {key} = {text}");
            assert_eq!(text, &want.to_string(), "{:?} {key}", &row[..4]);
            shown += 1;
        }
    }
    assert!(
        shown > 1000 && hidden > 10,
        "shown {shown}, hidden {hidden}"
    );
    let html = std::fs::read_to_string(out.with_extension("html")).expect("html");
    assert!(html.contains("<strong>Ikke levert:</strong> 1103 Stavanger"));
}

/// The count a published count column holds, 0 for a missing key; none
/// for columns that are not plain counts.
fn keyed_value(cells: &BTreeMap<String, i64>, key: &str) -> Option<i64> {
    let counted = ["shifts", "encounters", "youths", "referrals"].contains(&key)
        || [
            "youths_",
            "topic_",
            "action_",
            "referrals_",
            "encounters_weekday_",
            "encounters_band_",
        ]
        .iter()
        .any(|p| key.starts_with(p));
    let not_count =
        key.ends_with("_pct") || ["referrals_per_100", "youths_elsewhere"].contains(&key);
    (counted && !not_count).then(|| cells.get(key).copied().unwrap_or(0))
}

/// A bad file beside the three good ones refuses the run, in its own words.
fn check_refusals(dir: &Path, keys: &Path, input: &Path, servers: &[Server]) {
    let good = std::fs::read(input.join("0301.json")).expect("good");
    let conn = feltlogg_server::db::open(&servers[0].db).expect("open");
    let oslo_key = server_key::load(&conn).expect("key");
    let payload = totals_file::open(&good)
        .expect("open")
        .verify(&oslo_key.public_key())
        .expect("verify");
    let text = String::from_utf8(good.clone()).expect("utf8");
    let at = text.find("\"shifts\": ").expect("a count") + "\"shifts\": ".len();
    let mut flipped = good.clone();
    flipped[at] = if flipped[at] == b'9' { b'8' } else { b'9' };
    let mut v2 = payload.clone();
    v2.vocabulary.version = 2;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("flipped", flipped, "the signature does not verify"),
        (
            "other-key",
            totals_file::sign(&payload, &key()).expect("sign"),
            "not by the key pinned",
        ),
        (
            "period",
            totals(&servers[0], "2026-Q2"),
            "holds the totals of 2026-Q2, not of 2026-YTD-08",
        ),
        (
            "vocabulary",
            totals_file::sign(&v2, &oslo_key).expect("sign"),
            "vocabulary version 2",
        ),
        ("duplicate", good, "and so does"),
    ];
    for (case, bytes, words) in &cases {
        let d = dir.join(case);
        std::fs::create_dir(&d).expect("dir");
        for s in servers {
            let name = format!("{}.json", s.municipality.number);
            std::fs::copy(input.join(&name), d.join(&name)).expect("copy");
        }
        std::fs::write(d.join("9999-extra.json"), bytes).expect("bad");
        let out = d.join("national");
        let o = run(keys, &d, PERIOD, &out);
        let err = stderr(&o);
        assert!(!o.status.success(), "{case} accepted");
        assert!(
            err.contains("9999-extra.json refused: ") && err.contains(words),
            "{case}: {err}"
        );
        assert!(
            err.contains("1 of 4 totals files refused, so nothing was written"),
            "{case}: {err}"
        );
        for (other, _, w) in &cases {
            assert!(
                other == case || !err.contains(w),
                "{case} reads like {other}: {err}"
            );
        }
        assert!(!any_written(&out), "{case}: written");
    }
}
