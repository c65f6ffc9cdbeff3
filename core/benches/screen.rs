//! The anonymity screen on the synthetic corpus: recall per positive class,
//! false-positive rate per negative class, held-out recall apart, totals,
//! and time per ~200-character note (p50/p99). Run with
//! `cargo bench -p feltlogg-core --bench screen`; with `SCREEN_MISSES=<class>`
//! it also prints that class's sentences the screen gets wrong.

#[path = "../tests/screen_corpus/mod.rs"]
mod screen_corpus;

use std::hint::black_box;
use std::time::Instant;

fn main() {
    let t = Instant::now();
    black_box(feltlogg_core::screen::find_personal_data(
        "første kall: listene leses",
    ));
    let first_call_ms = t.elapsed().as_secs_f64() * 1e3;
    let samples = screen_corpus::corpus(9, 200);
    let rows = screen_corpus::evaluate(&samples);
    println!(
        "{:<30} {:>6} {:>6} {:>8}  kind",
        "class", "n", "hits", "rate"
    );
    let mut totals = [(0usize, 0usize); 3]; // positive, held out, negative
    for (class, positive, heldout, n, hits) in &rows {
        let what = match (positive, heldout) {
            (true, false) => "recall",
            (true, true) => "held-out recall",
            _ => "false positives",
        };
        let t = &mut totals[if !positive {
            2
        } else if *heldout {
            1
        } else {
            0
        }];
        t.0 += n;
        t.1 += hits;
        println!(
            "{class:<30} {n:>6} {hits:>6} {:>7.2}%  {what}",
            100.0 * *hits as f64 / *n as f64
        );
    }
    for (label, (n, h)) in [
        "total recall",
        "total held-out recall",
        "total false positives",
    ]
    .iter()
    .zip(totals)
    {
        println!(
            "{label:<30} {n:>6} {h:>6} {:>7.2}%",
            100.0 * h as f64 / n as f64
        );
    }
    if let Ok(class) = std::env::var("SCREEN_MISSES") {
        print_misses(&samples, &class);
    }
    println!("first call (bundled lists parsed once): {first_call_ms:.1} ms");
    timing(&samples);
}

fn print_misses(samples: &[screen_corpus::Sample], class: &str) {
    for s in samples.iter().filter(|s| s.class == class) {
        let found = feltlogg_core::screen::find_personal_data(&s.text);
        let caught = found.iter().any(|f| s.expect.contains(&f.kind));
        let wrong = if s.expect.is_empty() {
            !found.is_empty()
        } else {
            !caught
        };
        if wrong {
            println!("  {:?} -> {:?}", s.text, found);
        }
    }
}

/// Notes of about 200 characters, each a run of corpus sentences, screened
/// one at a time.
fn timing(samples: &[screen_corpus::Sample]) {
    let mut notes = Vec::new();
    let mut note = String::new();
    let mut rng = screen_corpus::Rng::new(42);
    for _ in 0..4000 {
        let s = &samples[rng.below(samples.len())].text;
        if note.chars().count() + s.chars().count() > 210 && !note.is_empty() {
            notes.push(std::mem::take(&mut note));
        }
        note.push_str(s);
        note.push(' ');
    }
    for n in &notes {
        black_box(feltlogg_core::screen::find_personal_data(n)); // warm up
    }
    if std::env::var("SCREEN_PARTS").is_ok() {
        use feltlogg_core::screen::{NameSource, find_all_by};
        for source in [NameSource::Rules, NameSource::Model] {
            let t = Instant::now();
            for n in &notes {
                black_box(find_all_by(black_box(n), source));
            }
            println!(
                "{source:?}: {:.1} µs per note",
                t.elapsed().as_secs_f64() * 1e6 / notes.len() as f64
            );
        }
    }
    let mut times: Vec<f64> = Vec::with_capacity(notes.len() * 5);
    for _ in 0..5 {
        for n in &notes {
            let t = Instant::now();
            black_box(feltlogg_core::screen::find_personal_data(black_box(n)));
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let avg_len = notes.iter().map(|n| n.chars().count()).sum::<usize>() / notes.len();
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "time per note ({} notes, avg {avg_len} chars, {} runs): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        notes.len(),
        times.len(),
        p(0.5),
        p(0.99),
        p(1.0)
    );
}
