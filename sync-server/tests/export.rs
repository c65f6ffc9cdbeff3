//! Exports end to end on a database filled with known records (written by
//! the same query function the merge uses, so the fact triggers run as in
//! production), checked against direct SQL counts over the record tables;
//! the file formats; and the demo command.

use feltlogg_core::area::Area;
use feltlogg_core::change::{RecordState, Stamped};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ReferralId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Record, Referral, Shift, ShiftMember};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    ShiftStatus, Topic,
};
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::{self, areas, records};
use feltlogg_server::export::{self, CsvDialect, Period, Scope, Value};
use rusqlite::Connection;

use feltlogg_core::time::HOUR_MS as HOUR;
/// 2026-08-04 18:00 in Oslo (CEST) = 16:00Z; a Tuesday.
const AUG_4_18H: i64 = 1_785_859_200_000;

struct Fixture {
    _dir: tempfile::TempDir,
    conn: Connection,
    unit: UnitId,
    device: DeviceId,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = db::open(&dir.path().join("x.db")).expect("open");
        // An area whose name needs quoting in CSV.
        areas::insert(
            &conn,
            &Area {
                code: "999901".into(),
                name: "Test, \"øst\"".into(),
            },
        )
        .expect("area");
        let tx = conn.transaction().expect("transaction");
        let by = feltlogg_server::db::audit::Actor::operator("test");
        let unit = feltlogg_server::admin::add_unit(&tx, &by, "Ute Test", "030102", 0)
            .expect("unit")
            .id;
        tx.commit().expect("commit");
        Self {
            _dir: dir,
            conn,
            unit,
            device: DeviceId::new(),
        }
    }

    fn put<R: Record>(&self, id: uuid::Uuid, rec: &R, extra: &[(&str, serde_json::Value)]) {
        let hlc = Hlc {
            wall_ms: 1,
            counter: 0,
            device: self.device,
        };
        let mut state = RecordState::of_record(rec, hlc);
        for (k, v) in extra {
            let value = v.clone();
            state.fields.insert((*k).to_owned(), Stamped { value, hlc });
        }
        let codes = &mut LazyCodes::default();
        records::upsert(&self.conn, codes, id, self.unit, &state, None, 0).expect("upsert");
    }

    /// A shift with two workers from `start` for 4 hours.
    fn shift(&self, bydel: &str, start: i64, status: ShiftStatus, workers: usize) -> ShiftId {
        let s = Shift {
            id: ShiftId::new(),
            unit_id: self.unit,
            bydel: bydel.into(),
            area_note: String::new(),
            started_ms: start,
            closed_ms: Some(start + 4 * HOUR),
            status,
            reflection: None,
            not_a_person: Vec::new(),
        };
        self.put(s.id.uuid(), &s, &[]);
        for _ in 0..workers {
            let m = ShiftMember {
                id: MemberId::new(),
                shift_id: s.id,
                worker_id: UserId::new(),
                checked_in_ms: start,
                checked_out_ms: Some(start + 4 * HOUR),
            };
            self.put(m.id.uuid(), &m, &[]);
        }
        s.id
    }

    fn encounter(
        &self,
        shift: ShiftId,
        bydel: &str,
        at: i64,
        youths: u32,
        gender: Gender,
    ) -> Encounter {
        let e = Encounter {
            id: EncounterId::new(),
            shift_id: shift,
            at_ms: at,
            bydel: bydel.into(),
            place_type: PlaceType::Park,
            youth_count: youths,
            age_group: AgeGroup::From13To15,
            gender,
            contact_kind: ContactKind::New,
            topics: vec![Topic::School, Topic::Leisure],
            actions: vec![Action::Conversation],
            residence: Residence::ThisBydel,
            note: None,
            not_a_person: Vec::new(),
        };
        self.put(e.id.uuid(), &e, &[]);
        e
    }

    fn referral(&self, e: &Encounter) {
        let r = Referral {
            id: ReferralId::new(),
            encounter_id: e.id,
            shift_id: e.shift_id,
            service: ReferralService::Nav,
            status: ReferralStatus::Made,
            note: None,
            not_a_person: Vec::new(),
        };
        self.put(r.id.uuid(), &r, &[]);
    }
}

/// Q3 data: Grünerløkka 2 approved shifts, 10 encounters (3 girls: the
/// small cell), Sagene 1 approved shift; plus a closed and a returned
/// shift, a Q2 shift and a deleted encounter that must not count.
fn q3(f: &Fixture) {
    let a = f.shift("030102", AUG_4_18H, ShiftStatus::Approved, 2);
    let b = f.shift("030102", AUG_4_18H + 24 * HOUR, ShiftStatus::Approved, 3);
    let c = f.shift("030103", AUG_4_18H + 48 * HOUR, ShiftStatus::Approved, 2);
    for i in 0..3 {
        f.encounter(a, "030102", AUG_4_18H + i * 600_000, 1, Gender::Girl);
    }
    for i in 0..7 {
        let e = f.encounter(
            b,
            "030102",
            AUG_4_18H + 24 * HOUR + i * 600_000,
            2,
            Gender::Boy,
        );
        if i < 6 {
            f.referral(&e);
        }
    }
    for i in 0..8 {
        f.encounter(
            c,
            "030103",
            AUG_4_18H + 48 * HOUR + i * 600_000,
            1,
            Gender::Boy,
        );
    }
    let gone = f.encounter(c, "030103", AUG_4_18H + 49 * HOUR, 9, Gender::Girl);
    f.put(
        gone.id.uuid(),
        &gone,
        &[("_deleted", serde_json::Value::Bool(true))],
    );
    for status in [ShiftStatus::Closed, ShiftStatus::Returned] {
        let s = f.shift("030102", AUG_4_18H + 72 * HOUR, status, 2);
        f.encounter(s, "030102", AUG_4_18H + 73 * HOUR, 5, Gender::Girl);
    }
    let june = f.shift(
        "030102",
        AUG_4_18H - 60 * 24 * HOUR,
        ShiftStatus::Approved,
        2,
    );
    f.encounter(
        june,
        "030102",
        AUG_4_18H - 60 * 24 * HOUR + HOUR,
        5,
        Gender::Girl,
    );
    // Encounters in the quoted-name area, on an approved shift.
    let d = f.shift("999901", AUG_4_18H + 96 * HOUR, ShiftStatus::Approved, 2);
    for i in 0..6 {
        f.encounter(
            d,
            "999901",
            AUG_4_18H + 96 * HOUR + i * 60_000,
            1,
            Gender::Girl,
        );
    }
}

fn direct_sql(conn: &Connection, p: &Period, bydel: &str) -> (i64, i64) {
    conn.query_row(
        "SELECT count(*), coalesce(sum(e.youth_count), 0) FROM encounters e JOIN shifts s ON s.id = e.shift_id
          WHERE s.status = 'approved' AND s.deleted = 0 AND e.deleted = 0
            AND s.started_ms >= ?1 AND s.started_ms < ?2 AND e.bydel = ?3",
        rusqlite::params![p.start_ms, p.end_ms, bydel],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("direct count")
}

#[test]
fn quarter_totals_match_direct_sql_and_suppress_small_cells() {
    let f = Fixture::new();
    q3(&f);
    let p = Period::parse("2026-Q3").expect("period");
    let t = export::build_totals(&f.conn, &p, &Scope::All).expect("totals");
    let row = |b: &str| t.rows.iter().find(|r| r.bydel == b).expect(b);
    for b in ["030102", "030103", "999901"] {
        let (n, youths) = direct_sql(&f.conn, &p, b);
        assert_eq!(row(b).encounters, u64::try_from(n).expect("n"), "{b}");
        assert_eq!(row(b).youths, u64::try_from(youths).expect("y"), "{b}");
    }
    let g = row("030102");
    assert_eq!(
        (g.shifts, g.shifts_two_plus, g.encounters, g.youths),
        (2, 2, 10, 17)
    );
    assert_eq!(g.field_ms, (2 + 3) * 4 * HOUR, "per worker, 4 h each");
    assert_eq!(g.youths_by_gender, vec![3, 14, 0, 0]);
    assert_eq!(g.referrals, 6);
    assert_eq!(g.encounters_by_weekday[1], 3, "Tuesday in Oslo");
    assert_eq!(g.encounters_by_band[3], 10, "18–24 in Oslo");
    assert_eq!(t.total.encounters, 24);
    assert_eq!(t.total.shifts, 4);

    let p5 = export::suppress(&t, 5);
    let get = |b: &str, k: &str| p5.get(Some(b), k).cloned().expect(k);
    // Primary: 3 girls. Secondary: gender cells of the row sum to youths
    // met (17), so the next-smallest non-zero one (14 boys) goes too.
    assert_eq!(get("030102", "youths_gender_girl"), Value::Suppressed);
    assert_eq!(get("030102", "youths_gender_boy"), Value::Suppressed);
    assert_eq!(get("030102", "youths"), Value::Count(17));
    assert_eq!(get("030102", "encounters"), Value::Count(10));
    assert_eq!(
        get("030102", "share_two_plus_pct"),
        Value::Suppressed,
        "2 shifts < 5"
    );
    assert_eq!(get("030102", "referrals_per_100"), Value::Decimal(60.0));
    assert_eq!(p5.get(None, "encounters"), Some(&Value::Count(24)));
    // No sum a reader knows leaves exactly one hidden cell.
    let sheet = &p5.sheets[0];
    let col = sheet
        .columns
        .iter()
        .position(|c| c.key == "youths_gender_girl")
        .expect("col");
    let hidden = sheet
        .rows
        .iter()
        .filter(|r| r.cells[col] == Value::Suppressed)
        .count();
    assert_ne!(hidden, 1, "girls column: {:?}", sheet.rows);
}

#[test]
fn only_approved_shifts_of_the_scope_count() {
    let f = Fixture::new();
    q3(&f);
    let p = Period::parse("2026-Q3").expect("period");
    let other = Scope::Units(vec![UnitId::new()]);
    assert_eq!(
        export::build_totals(&f.conn, &p, &other)
            .expect("t")
            .total
            .encounters,
        0
    );
    let mine = Scope::Units(vec![f.unit]);
    assert_eq!(
        export::build_totals(&f.conn, &p, &mine)
            .expect("t")
            .total
            .encounters,
        24
    );
    let q2 = Period::parse("2026-Q2").expect("q2");
    assert_eq!(
        export::build_totals(&f.conn, &q2, &Scope::All)
            .expect("t")
            .total
            .youths,
        5
    );
}

#[test]
fn facts_follow_edits_and_deletes() {
    let f = Fixture::new();
    let s = f.shift("030102", AUG_4_18H, ShiftStatus::Approved, 2);
    let e = f.encounter(s, "030102", AUG_4_18H + HOUR, 2, Gender::Girl);
    let p = Period::parse("2026-08").expect("month");
    let moved = Encounter {
        bydel: "030103".into(),
        youth_count: 7,
        at_ms: e.at_ms + 60_000,
        ..e.clone()
    };
    f.put(e.id.uuid(), &moved, &[]);
    let t = export::build_totals(&f.conn, &p, &Scope::All).expect("t");
    assert_eq!(t.total.encounters, 1, "an edit replaces, never adds");
    assert_eq!(
        t.rows
            .iter()
            .find(|r| r.bydel == "030103")
            .expect("moved")
            .youths,
        7
    );
    f.put(
        e.id.uuid(),
        &moved,
        &[("_deleted", serde_json::Value::Bool(true))],
    );
    assert_eq!(
        export::build_totals(&f.conn, &p, &Scope::All)
            .expect("t")
            .total
            .encounters,
        0
    );
}

#[test]
fn csv_dialects() {
    let f = Fixture::new();
    q3(&f);
    let t = export::build_totals(&f.conn, &Period::parse("2026-Q3").expect("p"), &Scope::All)
        .expect("t");
    let p = export::suppress(&t, 5);
    let excel = export::to_csv(&p, CsvDialect::Excel);
    assert!(excel.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let text = String::from_utf8(excel[3..].to_vec()).expect("utf8");
    let header = text.lines().next().expect("header");
    assert!(
        header.starts_with("Bydelsnummer;Bydel;Vakter;Felttimer;"),
        "{header}"
    );
    assert!(
        text.contains("030102;Grünerløkka;<5;20,0;"),
        "decimal comma: {text}"
    );
    assert!(text.contains("<5"));
    assert!(
        text.contains("999901;\"Test, \"\"øst\"\"\";"),
        "quoted name in Excel dialect: {text}"
    );
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'));

    let plain = String::from_utf8(export::to_csv(&p, CsvDialect::Rfc4180)).expect("utf8");
    assert!(!plain.starts_with('\u{feff}'));
    assert!(plain.starts_with("Bydelsnummer,Bydel,Vakter,Felttimer,"));
    assert!(plain.contains("030102,Grünerløkka,<5,20.0,"), "{plain}");
    assert!(plain.contains("999901,\"Test, \"\"øst\"\"\","));
    let rows: Vec<_> = plain.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1 + 3 + 1, "header, three bydeler, total");
}

#[test]
fn xlsx_reads_back_with_the_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let f = Fixture::new();
    q3(&f);
    let t = export::build_totals(&f.conn, &Period::parse("2026-Q3").expect("p"), &Scope::All)
        .expect("t");
    let bytes = export::to_xlsx(&export::suppress(&t, 5)).expect("xlsx");
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("opens");
    assert_eq!(wb.sheet_names(), ["Totaler", "Nøkkeltall", "Om"]);
    let range = wb.worksheet_range("Totaler").expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("h")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = range
        .rows()
        .find(|r| r[0] == Data::String("030102".into()))
        .expect("row");
    assert_eq!(row[col("Kontakter")], Data::Float(10.0));
    assert_eq!(row[col("Ungdommer møtt")], Data::Float(17.0));
    assert_eq!(row[col("Jenter")], Data::String("<5".into()));
    assert_eq!(row[col("Felttimer")], Data::Float(20.0));
    let total = range
        .rows()
        .find(|r| r[1] == Data::String("Totalt".into()))
        .expect("total");
    assert_eq!(total[col("Kontakter")], Data::Float(24.0));
}

#[test]
fn demo_fills_a_fresh_database_and_refuses_a_used_one() {
    let dir = tempfile::tempdir().expect("dir");
    let mut conn = db::open(&dir.path().join("demo.db")).expect("open");
    let opts = feltlogg_server::demo::DemoOptions {
        seed: 7,
        now_ms: AUG_4_18H + 60 * 24 * HOUR,
        days: feltlogg_server::demo::YEAR_DAYS,
    };
    let report = feltlogg_server::demo::fill(&mut conn, &opts).expect("demo");
    let shifts = report.approved + report.closed + report.returned;
    assert!(shifts >= 300, "hundreds of shifts: {report:?}");
    assert!(
        report.encounters >= 2000,
        "thousands of encounters: {report:?}"
    );
    assert!(
        report.approved > report.closed && report.closed > 0 && report.returned > 0,
        "{report:?}"
    );
    assert!(report.refused > 0 && report.referrals > 100, "{report:?}");
    assert!(report.sign_ins.len() > 30 && !report.enrol_code.is_empty());
    // Every demo record went through the merge: nothing unapproved counts.
    let year = Period::parse("2025-01-01..2026-12-31").expect("p");
    let t = export::build_totals(&conn, &year, &Scope::All).expect("t");
    assert_eq!(i64::try_from(t.total.shifts).expect("n"), report.approved);
    assert_eq!(
        t.total.shifts_two_plus, t.total.shifts,
        "two in the field, always"
    );
    let err = feltlogg_server::demo::fill(&mut conn, &opts).expect_err("not fresh");
    assert!(err.to_string().contains("not empty"), "{err}");
}
