//! Runs the synthetic corpus through the screen and fails if recall or the
//! false-positive rate regress below what the screen reaches today: recall
//! ≥ 99 % in every positive class, ≥ 97 % in every held-out class (names and
//! streets the screen does not load; it reaches 98.5-100 %), false positives
//! ≤ 1 % in every negative class. The bench
//! `cargo bench -p feltlogg-core --bench screen` prints the table.

mod screen_corpus;

#[test]
fn corpus_recall_and_false_positives_hold() {
    let samples = screen_corpus::corpus(9, 150);
    let rows = screen_corpus::evaluate(&samples);
    let mut failures = Vec::new();
    for (class, positive, heldout, n, hits) in rows {
        let rate = hits as f64 / n as f64;
        let ok = match (positive, heldout) {
            (true, false) => rate >= 0.99,
            (true, true) => rate >= 0.97,
            (false, _) => rate <= 0.01,
        };
        if !ok {
            failures.push(format!("{class}: {hits}/{n}"));
        }
    }
    assert!(failures.is_empty(), "classes below target: {failures:?}");
}
