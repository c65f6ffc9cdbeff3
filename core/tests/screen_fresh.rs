//! The anonymity screen judged on notes it was not built from: two files in
//! `tests/screen_fresh/` written before the screen's rules and lists were
//! read (see the README there). Prints recall per kind and the
//! false-positive rate on harmless notes, lists every miss and false
//! positive, and fails if the figures fall below what the screen reached.
//! All data synthetic.

use feltlogg_core::screen::{Finding, find_personal_data};
use std::collections::BTreeMap;

const FRESH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screen_fresh");

/// Lowest recall (percent) accepted per kind, as reached after the fix; a
/// kind missing here must reach 100 %.
const MIN_RECALL: &[(&str, f64)] = &[
    // "9 8 7 6 5 4 3 2", digits one by one, is still missed.
    ("phone", 95.0),
];
/// Highest false-positive rate (percent) accepted on harmless notes: 5 of
/// the 394 are flagged since the learned name recogniser (issue 15; none
/// before it): artists and one-word places the model takes for people
/// ("Hkeem", "Drake and Travis Scott", "Ryen t-bane"), which a unit's
/// words or a worker's "not a person" lift.
const MAX_FALSE_POSITIVE: f64 = 1.3;
/// Floors for the lines written after the fixes (all kinds together), as
/// reached: 112 of 113 caught (the miss, "171107 - 54490", was mistyped
/// with bad check digits, so not flagging it is right); 3 of 133 harmless
/// flagged (an invented service number, "Lil Tjay", "Foodora og Wolt").
/// Since the learned recogniser: 110 of 113 ("Dominika Nowak" found as
/// "Nowak" only, "Van Anh" as "Anh") and 4 of 133 harmless flagged.
const AFTER_FIX_MIN_RECALL: f64 = 97.2;
const AFTER_FIX_MAX_FALSE_POSITIVE: f64 = 3.1;
/// Floors for round 3 (see its test), as reached after the round-3 fixes
/// (recall 53.7 % and false positives 3.1 % before them).
const ROUND3_MIN_RECALL: f64 = 97.7;
const ROUND3_MAX_FALSE_POSITIVE: f64 = 3.8;
/// Floors for round 4, as first run (see its test): 164 of 196 caught
/// (names 76.1 %), 23 of 272 harmless notes flagged.
const ROUND4_MIN_RECALL: f64 = 83.6;
const ROUND4_MAX_FALSE_POSITIVE: f64 = 8.5;

fn read(name: &str) -> String {
    let path = format!("{FRESH}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Lines that are neither empty nor a `#` comment.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn cut(text: &str, f: &Finding) -> String {
    text.chars().skip(f.start).take(f.end - f.start).collect()
}

/// Whether one finding covers the first occurrence of `exact` in `note`,
/// counted in characters as findings are.
fn caught(note: &str, exact: &str, findings: &[Finding]) -> bool {
    let byte = note
        .find(exact)
        .unwrap_or_else(|| panic!("{exact:?} is not in {note:?}"));
    let start = note[..byte].chars().count();
    let end = start + exact.chars().count();
    findings.iter().any(|f| f.start <= start && f.end >= end)
}

/// (caught, total) per kind, and the misses.
fn score_identifying(files: &[&str]) -> (BTreeMap<String, (usize, usize)>, Vec<String>) {
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for file in files {
        let text = read(file);
        for line in lines(&text) {
            let mut parts = line.splitn(3, '\t');
            let (Some(kind), Some(exact), Some(note)) = (parts.next(), parts.next(), parts.next())
            else {
                panic!("{file}: line {line:?} is not kind<TAB>text<TAB>note");
            };
            let findings = find_personal_data(note);
            let entry = per_kind.entry(kind.to_string()).or_default();
            entry.1 += 1;
            if caught(note, exact, &findings) {
                entry.0 += 1;
            } else {
                let seen: Vec<String> = findings
                    .iter()
                    .map(|f| format!("{:?} {:?}", f.kind, cut(note, f)))
                    .collect();
                misses.push(format!("{kind}: {exact:?} in {note:?} (found {seen:?})"));
            }
        }
    }
    (per_kind, misses)
}

/// (flagged, total) and the false positives.
fn score_harmless(files: &[&str]) -> (usize, usize, Vec<String>) {
    let (mut flagged, mut total, mut list) = (0, 0, Vec::new());
    for file in files {
        let text = read(file);
        for note in lines(&text) {
            total += 1;
            let findings = find_personal_data(note);
            if !findings.is_empty() {
                flagged += 1;
                let seen: Vec<String> = findings
                    .iter()
                    .map(|f| format!("{:?} {:?}", f.kind, cut(note, f)))
                    .collect();
                list.push(format!("{note:?} -> {seen:?}"));
            }
        }
    }
    (flagged, total, list)
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

#[test]
fn fresh_notes_written_before_the_rules() {
    let (per_kind, misses) = score_identifying(&["identifying.txt"]);
    let (flagged, total, false_positives) = score_harmless(&["harmless.txt"]);
    println!("fresh set, written before the rules were read:");
    let mut failures = Vec::new();
    for (kind, (hit, n)) in &per_kind {
        let recall = pct(*hit, *n);
        println!("  {kind:<12} recall {recall:6.1} %  ({hit}/{n})");
        let min = MIN_RECALL
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(100.0, |(_, m)| *m);
        if recall < min {
            failures.push(format!("{kind} recall {recall:.1} % is below {min} %"));
        }
    }
    let (hit, n) = per_kind
        .values()
        .fold((0, 0), |(a, b), (h, t)| (a + h, b + t));
    println!("  {:<12} recall {:6.1} %  ({hit}/{n})", "all", pct(hit, n));
    let fp = pct(flagged, total);
    println!("  harmless     false positives {fp:5.1} %  ({flagged}/{total})");
    if fp > MAX_FALSE_POSITIVE {
        failures.push(format!(
            "false positives {fp:.1} % are above {MAX_FALSE_POSITIVE} %"
        ));
    }
    println!("misses ({}):", misses.len());
    misses.iter().for_each(|m| println!("  {m}"));
    println!("false positives ({}):", false_positives.len());
    false_positives.iter().for_each(|m| println!("  {m}"));
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Lines written after the fix (see the files' headers): printed, to show
/// how far the fixes carry over to text they were not tuned on, and held
/// to their own floors.
#[test]
fn notes_written_after_the_fix() {
    let (per_kind, misses) =
        score_identifying(&["identifying_after_fix.txt", "identifying_after_fix2.txt"]);
    let (flagged, total, false_positives) =
        score_harmless(&["harmless_after_fix.txt", "harmless_after_fix2.txt"]);
    println!("lines written after the fix:");
    for (kind, (hit, n)) in &per_kind {
        println!("  {kind:<12} recall {:6.1} %  ({hit}/{n})", pct(*hit, *n));
    }
    let (hit, n) = per_kind
        .values()
        .fold((0, 0), |(a, b), (h, t)| (a + h, b + t));
    let recall = pct(hit, n);
    let fp = pct(flagged, total);
    println!("  {:<12} recall {recall:6.1} %  ({hit}/{n})", "all");
    println!("  harmless     false positives {fp:5.1} %  ({flagged}/{total})");
    println!("misses ({}):", misses.len());
    misses.iter().for_each(|m| println!("  {m}"));
    println!("false positives ({}):", false_positives.len());
    false_positives.iter().for_each(|m| println!("  {m}"));
    assert!(recall >= AFTER_FIX_MIN_RECALL, "recall {recall:.1} %");
    assert!(
        fp <= AFTER_FIX_MAX_FALSE_POSITIVE,
        "false positives {fp:.1} %"
    );
}

/// Prints a round's figures, misses and false positives; returns its
/// recall and false-positive rate.
fn report(title: &str, identifying: &str, harmless: &str) -> (f64, f64) {
    let (per_kind, misses) = score_identifying(&[identifying]);
    let (flagged, total, false_positives) = score_harmless(&[harmless]);
    println!("{title}:");
    for (kind, (hit, n)) in &per_kind {
        println!("  {kind:<20} recall {:6.1} %  ({hit}/{n})", pct(*hit, *n));
    }
    let (hit, n) = per_kind
        .values()
        .fold((0, 0), |(a, b), (h, t)| (a + h, b + t));
    let recall = pct(hit, n);
    let fp = pct(flagged, total);
    println!("  {:<20} recall {recall:6.1} %  ({hit}/{n})", "all");
    println!("  harmless             false positives {fp:5.1} %  ({flagged}/{total})");
    println!("misses ({}):", misses.len());
    misses.iter().for_each(|m| println!("  {m}"));
    println!("false positives ({}):", false_positives.len());
    false_positives.iter().for_each(|m| println!("  {m}"));
    (recall, fp)
}

/// Round 3 (issue 15): written by a new writer who had not read the
/// screen, before the learned name recogniser, with kinds the screen did
/// not know then (a birth date alone, vehicle registrations); then used
/// to fix the screen. Held to floors of what the screen reaches on them.
#[test]
fn round3_written_before_the_model() {
    let (recall, fp) = report(
        "round 3, written before the learned recogniser",
        "identifying_round3.txt",
        "harmless_round3.txt",
    );
    assert!(recall >= ROUND3_MIN_RECALL, "recall {recall:.1} %");
    assert!(fp <= ROUND3_MAX_FALSE_POSITIVE, "false positives {fp:.1} %");
}

/// Round 4 (issue 15): written after the round-3 changes by another
/// writer who had read neither the screen nor any earlier set, and never
/// used to change the screen: the honest figure for text nobody tuned it
/// for. Held to floors of what it reached when first run.
#[test]
fn round4_written_after_the_model() {
    let (recall, fp) = report(
        "round 4, written after the learned recogniser, never tuned on",
        "identifying_round4.txt",
        "harmless_round4.txt",
    );
    assert!(recall >= ROUND4_MIN_RECALL, "recall {recall:.1} %");
    assert!(fp <= ROUND4_MAX_FALSE_POSITIVE, "false positives {fp:.1} %");
}
