//! The anonymity screen on real Norwegian text: NorNE's Bokmål dev and
//! test splits (issue 15's targets: person-name recall >= 90 %, refused
//! sentences <= 5 % of those naming organisations or places but no
//! person, <= 0.5 % of the rest), for the whole screen, the hand rules
//! alone and the learned model alone.
//!
//! `cargo bench -p feltlogg-core --bench screen_norne -- PATH_TO_NORNE`
//! (a checkout of github.com/ltgoslo/norne; not in CI, since NorNE's
//! texts may not be republished and are not in this repository).

#[path = "../examples/norne/mod.rs"]
mod norne;

use feltlogg_core::screen::{FindingKind, NameSource, find_all_by};

fn main() {
    let Some(root) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench -p feltlogg-core --bench screen_norne -- PATH_TO_NORNE");
        std::process::exit(2);
    };
    let (_, dev, test) = match norne::bokmaal(std::path::Path::new(&root)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read NorNE at {root}: {e}");
            std::process::exit(2);
        }
    };
    for (split, sentences) in [("dev", &dev), ("test", &test)] {
        println!("NorNE Bokmål {split} ({} sentences)", sentences.len());
        for (what, source) in [
            ("screen", NameSource::Both),
            ("rules alone", NameSource::Rules),
            ("model alone", NameSource::Model),
        ] {
            let figures = norne::evaluate(sentences, |text| {
                find_all_by(text, source)
                    .into_iter()
                    .map(|f| (f.kind == FindingKind::Name, f.start, f.end))
                    .collect()
            });
            println!("  {what:<12} {}", figures.line());
            if std::env::var("NORNE_SHOW").is_ok_and(|v| v == what.replace(' ', "_"))
                && split == "dev"
            {
                show(sentences, source);
            }
        }
    }
}

/// Prints the dev split's missed names and refused org/place sentences
/// (`NORNE_SHOW=screen|rules_alone|model_alone`), to see what to fix; the
/// test split is never looked at this way.
fn show(sentences: &[norne::Sentence], source: NameSource) {
    let cut = |t: &str, a: usize, b: usize| t.chars().skip(a).take(b - a).collect::<String>();
    for s in sentences {
        let found = find_all_by(&s.text, source);
        for &(a, b, _) in &s.persons {
            if !found
                .iter()
                .any(|f| f.kind == FindingKind::Name && f.start < b && a < f.end)
            {
                println!("MISS {:?} in {:?}", cut(&s.text, a, b), s.text);
            }
        }
        if s.persons.is_empty() && !found.is_empty() {
            let what: Vec<String> = found
                .iter()
                .map(|f| format!("{:?} {:?}", f.kind, cut(&s.text, f.start, f.end)))
                .collect();
            println!("REFUSED {what:?} in {:?}", s.text);
        }
    }
}
