//! A seeded generator of synthetic field-note sentences for the anonymity
//! screen, labelled by class: positive classes (a sentence that identifies
//! someone, and the kind the screen must report) and negative ones
//! (harmless text that must not be flagged). Everything is synthetic:
//! identity numbers are computed, names and streets come from public lists.
//!
//! Held-out classes draw names and streets from `heldout.rs`, lists the
//! screen does not load, so their recall shows what the screen understands
//! from context rather than what it looks up.

#![allow(dead_code)]

pub mod heldout;

use feltlogg_core::screen::FindingKind;

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same corpus on every machine, with no dependency.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One labelled sentence.
#[derive(Debug, Clone)]
pub struct Sample {
    pub class: &'static str,
    /// The kinds any one of which counts as caught; empty for a negative.
    pub expect: &'static [FindingKind],
    pub heldout: bool,
    pub text: String,
}

fn data(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The lists the screen loads, read from the same files.
pub struct Lists {
    first: Vec<&'static str>,
    last: Vec<&'static str>,
    streets: Vec<&'static str>,
    places: Vec<&'static str>,
}

impl Lists {
    pub fn load() -> Self {
        Lists {
            first: data(include_str!("../../data/screen/first_names.txt")),
            last: data(include_str!("../../data/screen/surnames.txt")),
            streets: data(include_str!("../../data/screen/streets.txt")),
            places: data(include_str!("../../data/screen/places.txt")),
        }
    }
}

const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

fn check(w: &[u32], d: &[u32]) -> Option<u32> {
    match 11 - w.iter().zip(d).map(|(a, b)| a * b).sum::<u32>() % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

/// A synthetic identity number: `day_plus` 40 for a D-number, `month_plus`
/// 40 for an H-number; `valid` false breaks the last check digit.
pub fn id_number(rng: &mut Rng, day_plus: u32, month_plus: u32, valid: bool) -> String {
    loop {
        let (d, m, y, i) = (
            rng.range(1, 28) + day_plus,
            rng.range(1, 12) + month_plus,
            rng.range(0, 99),
            rng.range(0, 999),
        );
        let mut v: Vec<u32> = format!("{d:02}{m:02}{y:02}{i:03}")
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let (Some(k1), _) = (check(&K1, &v), ()) else {
            continue;
        };
        v.push(k1);
        let Some(k2) = check(&K2, &v) else { continue };
        v.push(if valid {
            k2
        } else {
            (k2 + rng.range(1, 9)) % 10
        });
        return v.iter().map(u32::to_string).collect();
    }
}

fn id_written(rng: &mut Rng, id: &str) -> String {
    let sep = rng.pick(&["", " ", ".", "-", "\u{a0}", " - "]);
    format!("{}{sep}{}", &id[..6], &id[6..])
}

fn phone_digits(rng: &mut Rng, mobile: bool) -> String {
    let lead = if mobile {
        rng.pick(&["4", "9"])
    } else {
        rng.pick(&["22", "23", "21", "33", "55", "67", "73"])
    };
    let mut s = lead.to_string();
    while s.len() < 8 {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

fn grouped(rng: &mut Rng, digits: &str) -> String {
    let groups: &[usize] = rng.pick(&[
        &[8][..],
        &[3, 2, 3],
        &[2, 2, 2, 2],
        &[4, 4],
        &[2, 3, 3],
        &[3, 5],
    ]);
    let sep = rng.pick(&[" ", " ", ".", "-", "\u{a0}", "\u{2011}"]);
    let mut out = String::new();
    let mut at = 0;
    for (n, g) in groups.iter().enumerate() {
        if n > 0 {
            out.push_str(sep);
        }
        out.push_str(&digits[at..at + g]);
        at += g;
    }
    out
}

fn handle(rng: &mut Rng, l: &Lists) -> String {
    let f = rng.pick(&l.first).to_lowercase();
    let f: String = f.chars().filter(char::is_ascii_alphabetic).collect();
    let f = if f.len() < 3 { format!("{f}xo") } else { f };
    match rng.below(5) {
        0 => format!("{f}_{}", rng.range(2005, 2012)),
        1 => format!("{f}.{}", char::from(b'a' + rng.below(26) as u8)),
        2 => format!("{f}{}", rng.range(1, 99)),
        3 => format!("x{f}x"),
        _ => format!("{f}_{}", rng.pick(&["official", "xo", "gg", "99", "lol"])),
    }
}

fn local_part(rng: &mut Rng, l: &Lists) -> String {
    let f: String = rng
        .pick(&l.first)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    match rng.below(3) {
        0 => format!("{f}{}", rng.range(1, 2012)),
        1 => format!(
            "{f}.{}",
            rng.pick(&l.last)
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>()
        ),
        _ => format!("{f}_{}", rng.range(10, 99)),
    }
}

fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        s = s.replace(k, v);
    }
    s
}

mod classes;
mod negatives;
pub use classes::CLASSES;

/// `per_class` samples of every class, from `seed`.
pub fn corpus(seed: u64, per_class: usize) -> Vec<Sample> {
    let lists = Lists::load();
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for &(class, expect, heldout, generate) in CLASSES {
        for _ in 0..per_class {
            out.push(Sample {
                class,
                expect,
                heldout,
                text: generate(&mut rng, &lists),
            });
        }
    }
    out
}

/// Per class: (class, positive, held out, samples, hits): a hit is a
/// positive with a finding of an expected kind, or a negative with any
/// finding at all (a false positive).
pub fn evaluate(samples: &[Sample]) -> Vec<(&'static str, bool, bool, usize, usize)> {
    let mut rows: Vec<(&'static str, bool, bool, usize, usize)> = Vec::new();
    for s in samples {
        let found = feltlogg_core::screen::find_personal_data(&s.text);
        let hit = if s.expect.is_empty() {
            !found.is_empty()
        } else {
            found.iter().any(|f| s.expect.contains(&f.kind))
        };
        match rows.iter_mut().find(|r| r.0 == s.class) {
            Some(r) => {
                r.3 += 1;
                r.4 += usize::from(hit);
            }
            None => rows.push((
                s.class,
                !s.expect.is_empty(),
                s.heldout,
                1,
                usize::from(hit),
            )),
        }
    }
    rows
}
