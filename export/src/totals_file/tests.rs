use super::*;

fn totals() -> Totals {
    let period = Period::parse("2026-YTD-08").expect("period");
    let mut a = AreaTotals::empty("030102".into(), "Grünerløkka".into());
    a.shifts = 12;
    a.shifts_two_plus = 12;
    a.field_ms = 3_600_000 * 40;
    a.encounters = 30;
    a.youths = 41;
    a.youths_by_age[1] = 3;
    a.youths_by_age[2] = 38;
    a.encounters_by_topic[3] = 7;
    a.referrals = 2;
    a.referrals_by_service[0] = 2;
    a.referrals_by_status[1] = 2;
    let b = AreaTotals::empty("030103".into(), "Sagene".into());
    Totals::new(period, vec![b, a])
}

fn oslo() -> Municipality {
    Municipality {
        number: "0301".into(),
        name: "Oslo".into(),
        part: String::new(),
    }
}

fn key() -> SigningKey {
    SigningKey::generate().expect("key").0
}

#[test]
fn a_signed_file_verifies_and_gives_back_every_count() {
    let t = totals();
    let k = key();
    let bytes = sign(&Payload::new(oslo(), &t, 1_788_000_000_000, "test"), &k).expect("sign");
    let text = String::from_utf8(bytes.clone()).expect("utf8");
    assert!(text.contains("\"format\": \"feltlogg-totals\""), "{text}");
    assert!(text.contains("national statistics body only"));
    let file = open(&bytes).expect("open");
    assert_eq!(file.municipality, oslo());
    let payload = file.verify(&k.public_key()).expect("verify");
    assert_eq!(payload.period.label, "2026-YTD-08");
    assert_eq!(payload.period.last_day, "2026-08-31");
    assert!(
        payload.generated_at.ends_with('Z'),
        "{}",
        payload.generated_at
    );
    assert_eq!(payload.area_totals().expect("areas"), t.rows);
}

#[test]
fn a_changed_byte_or_another_key_is_refused_with_its_own_reason() {
    let k = key();
    let bytes = sign(&Payload::new(oslo(), &totals(), 0, "test"), &k).expect("sign");
    // 30 encounters become 31: still JSON, still the schema.
    let text = String::from_utf8(bytes).expect("utf8");
    let at = text.find("\"encounters\": 30").expect("cell") + "\"encounters\": 3".len();
    let mut changed = text.into_bytes();
    changed[at] = b'1';
    let err = open(&changed)
        .expect("opens")
        .verify(&k.public_key())
        .expect_err("changed");
    assert!(matches!(err, FileError::BadSignature), "{err}");
    let other = sign(&Payload::new(oslo(), &totals(), 0, "test"), &key()).expect("sign");
    let err = open(&other)
        .expect("opens")
        .verify(&k.public_key())
        .expect_err("other key");
    assert!(matches!(err, FileError::OtherKey { .. }), "{err}");
    assert!(err.to_string().contains("pin it"), "{err}");
}

#[test]
fn an_unknown_vocabulary_version_or_a_missing_code_is_refused() {
    let k = key();
    let mut p = Payload::new(oslo(), &totals(), 0, "test");
    p.vocabulary.version = 2;
    let bytes = sign(&p, &k).expect("sign");
    let read = open(&bytes)
        .expect("open")
        .verify(&k.public_key())
        .expect("verifies");
    let err = read.area_totals().expect_err("version 2");
    assert!(matches!(err, FileError::UnknownVocabulary(2)), "{err}");

    let mut p = Payload::new(oslo(), &totals(), 0, "test");
    p.areas[0].youths_by_gender.remove("girl");
    let err = p.area_totals().expect_err("no girls");
    assert!(err.to_string().contains("youths_by_gender"), "{err}");
}

#[test]
fn other_shapes_are_named() {
    let err = open(b"{\"format\": \"x\"}").expect_err("shape");
    assert!(matches!(err, FileError::Schema(_)), "{err}");
    let k = key();
    let bytes = sign(&Payload::new(oslo(), &totals(), 0, "test"), &k).expect("sign");
    let text = String::from_utf8(bytes).expect("utf8");
    let v2 = text.replace("\"format_version\": 1", "\"format_version\": 2");
    let err = open(v2.as_bytes()).expect_err("v2");
    assert!(matches!(err, FileError::Format { version: 2, .. }), "{err}");
    let extra = text.replace("\"notice\":", "\"suppressed\": false,\n  \"notice\":");
    // The extra member is inside what is signed: the signature breaks first.
    let err = open(extra.as_bytes())
        .expect("opens")
        .verify(&k.public_key())
        .expect_err("extra");
    assert!(matches!(err, FileError::BadSignature), "{err}");
}

/// The published schema (docs/totals.schema.json) names what this build
/// writes: the same members, the same codes of the same version.
#[test]
fn the_published_schema_matches_the_file_this_build_writes() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/totals.schema.json")).expect("json");
    let defs = &schema["$defs"];
    for (name, codes) in vocabulary::codes() {
        let listed: Vec<&str> = defs[format!("codes_{name}")]["const"]
            .as_array()
            .unwrap_or_else(|| panic!("schema lists no codes_{name}"))
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(listed, codes, "schema codes of {name}");
    }
    let version = &defs["payload"]["properties"]["vocabulary"]["properties"]["version"]["const"];
    assert_eq!(version.as_u64(), Some(u64::from(vocabulary::VERSION)));
    let written = serde_json::to_value(AreaCells::of(&totals().rows[0])).expect("area");
    let required: Vec<&str> = defs["area"]["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let members: Vec<&str> = written
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = required.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, members, "area members");
    let payload = serde_json::to_value(Payload::new(oslo(), &totals(), 0, "t")).expect("payload");
    for key in payload.as_object().expect("object").keys() {
        assert!(
            defs["payload"]["properties"].get(key).is_some(),
            "schema lacks {key}"
        );
    }
    assert_eq!(
        schema["properties"]["format_version"]["const"].as_u64(),
        Some(u64::from(FORMAT_VERSION))
    );
}
