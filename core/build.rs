//! Compiles the screen's word lists (`data/screen/*.txt`) into sorted
//! static arrays, so the phone reads them in place: nothing is parsed or
//! allocated on the first save (the lists were ~48,000 lines put into
//! hash sets at run time before).

use std::fmt::Write as _;
use std::path::Path;

const LISTS: &[(&str, &str)] = &[
    ("FIRST_NAMES", "first_names.txt"),
    ("SURNAMES", "surnames.txt"),
    ("COMMON", "common_words.txt"),
    ("DICTIONARY", "english_words.txt"),
    ("PLACES", "places.txt"),
    ("STREETS", "streets.txt"),
    ("HELPLINES", "helplines.txt"),
];

/// FNV-1a, 64 bits: the same function as `lists::fnv1a`, so a look-up
/// compares one number instead of strings.
fn fnv1a(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn main() {
    let data = Path::new("data/screen");
    let mut out = String::new();
    let mut max_words = 1;
    for (name, file) in LISTS {
        let path = data.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        // Lower-cased as the screen compares (`str::to_lowercase`, the same
        // function at build and at run time), sorted, once each.
        let mut words: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        words.sort_unstable();
        words.dedup();
        if matches!(*name, "PLACES" | "STREETS") {
            let longest = words.iter().map(|w| w.split_whitespace().count()).max();
            max_words = max_words.max(longest.unwrap_or(1));
        }
        let _ = writeln!(out, "pub(crate) static {name}: &[&str] = &{words:?};");
        let mut hashes: Vec<u64> = words.iter().map(|w| fnv1a(w)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(
            hashes.len(),
            words.len(),
            "a 64-bit hash collision in {file}"
        );
        let _ = writeln!(
            out,
            "pub(crate) static {name}_HASHES: &[u64] = &{hashes:?};"
        );
    }
    let _ = writeln!(
        out,
        "pub(crate) const MAX_PLACE_WORDS: usize = {max_words};"
    );
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lists.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
