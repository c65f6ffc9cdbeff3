//! Synthetic field-note sentences with their person names marked, for
//! training the name model beside NorNE's news text: how workers write
//! (small letters, an age in brackets, a surname's initial, a genitive,
//! "navn:" labels), and harmless notes full of places and services. Names
//! and places come from the bundled lists; nothing here is a real person.
//! Not the fresh evaluation sets: those are never trained on.

#![allow(dead_code)]

/// SplitMix64: deterministic on every machine, no dependency.
#[derive(Debug)]
pub struct Rng(pub u64);

impl Rng {
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
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

fn list(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Services and generic places a note names; the services are the
/// domain's own (DOMAIN.md's referral list).
const SERVICES: &[&str] = &[
    "NAV",
    "barnevernet",
    "Barnevernet",
    "helsestasjonen",
    "Helsestasjon for ungdom",
    "legevakten",
    "Legevakten",
    "BUP",
    "DPS",
    "PPT",
    "politiet",
    "Politiet",
    "SLT",
    "fastlegen",
    "skolen",
    "fritidsklubben",
    "Fritidsklubben",
    "rusomsorgen",
    "utekontakten",
    "Utekontakten",
];
const TOPICS: &[&str] = &[
    "skole",
    "jobb",
    "rus",
    "familien",
    "kjæresten",
    "trening",
    "penger",
    "vold",
    "psyken",
    "fremtiden",
    "eksamen",
    "sommerjobb",
    "NAV-møtet",
];
const VERBS: &[&str] = &[
    "sa",
    "fortalte",
    "lurte på",
    "ville",
    "spurte",
    "mente",
    "sier",
    "hadde",
];
const MEETS: &[&str] = &[
    "møtte",
    "snakket med",
    "snakka med",
    "prata med",
    "traff",
    "fulgte",
    "ringte",
    "så",
    "hilste på",
    "satt med",
];

/// A name-like word no list holds (syllables), so the model learns a
/// person from the words around a name and not only from the lists.
fn invented(r: &mut Rng) -> String {
    const ON: &[&str] = &[
        "ka", "mi", "lo", "ta", "ri", "ne", "sa", "vo", "el", "da", "ju", "ha", "an", "ti", "ko",
    ];
    const END: &[&str] = &["n", "a", "o", "ja", "ri", "la", "ssa", "k", "m", "tta"];
    let mut w = String::new();
    for _ in 0..1 + r.below(2) {
        w.push_str(r.pick(ON));
    }
    w.push_str(r.pick(END));
    let mut c = w.chars();
    c.next()
        .map_or(w.clone(), |f| f.to_uppercase().chain(c).collect())
}

/// Words a note opens with before a number that are no name ("Saksnr
/// 2026/14", "Linje 31", "Uke 47", "Sesongen 2023/2024").
const BEFORE_NUMBER: &[&str] = &[
    "saksnr", "sak", "linje", "uke", "sesongen", "rom", "buss", "trikk", "kveld", "avvik", "dato",
    "alder", "gruppe", "runde", "vakt", "punkt", "klasse", "trinn", "år", "kl", "ref", "telling",
];

/// One sentence built piece by piece, with the name spans recorded.
#[derive(Default)]
struct Note {
    text: String,
    names: Vec<(usize, usize)>,
}

impl Note {
    fn put(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    fn name(&mut self, s: &str) -> &mut Self {
        let start = self.text.chars().count();
        self.text.push_str(s);
        self.names.push((start, start + s.chars().count()));
        self
    }
}

/// `n` sentences from `seed`: about half with a name.
pub fn sentences(n: usize, seed: u64) -> Vec<(String, Vec<(usize, usize)>)> {
    let first = list(include_str!("../../data/screen/first_names.txt"));
    let last = list(include_str!("../../data/screen/surnames.txt"));
    let places = list(include_str!("../../data/screen/places.txt"));
    let streets = list(include_str!("../../data/screen/streets.txt"));
    let mut r = Rng(seed);
    (0..n)
        .map(|_| {
            let lower = r.below(3) == 0;
            let case = |s: &str| {
                if lower {
                    s.to_lowercase()
                } else {
                    s.to_string()
                }
            };
            let f = if r.below(4) == 0 {
                case(&invented(&mut r))
            } else {
                case(r.pick(&first))
            };
            let f2 = case(r.pick(&first));
            let s = if r.below(4) == 0 {
                case(&invented(&mut r))
            } else {
                case(r.pick(&last))
            };
            let p = r.pick(&places);
            let st = r.pick(&streets);
            let age = 13 + r.below(10);
            let mut note = Note::default();
            match r.below(29) {
                0 => note.name(&f).put(&format!(
                    " ({age}) {} at han var lei av {}",
                    r.pick(VERBS),
                    r.pick(TOPICS)
                )),
                1 => note
                    .put(&format!("{} ", r.pick(MEETS)))
                    .name(&f)
                    .put(&format!(" ved {p} i kveld")),
                2 => note
                    .put(&format!("{} ", r.pick(MEETS)))
                    .name(&format!("{f} {s}"))
                    .put(&format!(" om {}", r.pick(TOPICS))),
                3 => note
                    .name(&format!("{f}s"))
                    .put(&format!(" mor tok kontakt med {}", r.pick(SERVICES))),
                4 => note
                    .put("navn: ")
                    .name(&format!("{f} {s}"))
                    .put(&format!(", {age} år")),
                5 => note
                    .name(&format!(
                        "{f} {}.",
                        s.chars().next().unwrap_or('K').to_uppercase()
                    ))
                    .put(&format!(" var med på {p}")),
                6 => note
                    .name(&f)
                    .put(" og ")
                    .name(&f2)
                    .put(&format!(" hang på {p}, {}", r.pick(TOPICS))),
                7 => note
                    .put(&format!(
                        "fikk snakket med {} om {}, ",
                        r.pick(SERVICES),
                        r.pick(TOPICS)
                    ))
                    .name(&f)
                    .put(" virket lettet"),
                8 => note
                    .name(&f)
                    .put(&format!(" er {age} og går på skolen ved {p}")),
                9 => note
                    .put("broren til ")
                    .name(&f)
                    .put(&format!(" var også der, {age} år")),
                10 => note
                    .put(&format!("{} ", r.pick(MEETS)))
                    .name(&f)
                    .put(&format!(" og vennene hans på {p}")),
                11 => note.put(&format!(
                    "var på {p} og snakket om {} med tre jenter",
                    r.pick(TOPICS)
                )),
                12 => note.put(&format!("{p} var rolig, ingen ungdommer ute")),
                13 => note.put(&format!(
                    "henviste til {} etter samtale om {}",
                    r.pick(SERVICES),
                    r.pick(TOPICS)
                )),
                14 => note.put(&format!("gikk fra {p} til {} via {st}", r.pick(&places))),
                15 => note.put(&format!("{} ved {p} hadde åpent til 22", r.pick(SERVICES))),
                16 => note.put(&format!(
                    "ungdommene snakket om {} og {}",
                    r.pick(&places),
                    r.pick(TOPICS)
                )),
                17 => note.put(&format!(
                    "mange fra {p} på {}, god stemning",
                    r.pick(&places)
                )),
                18 => note.put(&format!(
                    "fulgte to gutter til {} etter bråk ved {st}",
                    r.pick(SERVICES)
                )),
                19 => note.put(&format!(
                    "{} og {} var på {p}",
                    r.pick(SERVICES),
                    r.pick(SERVICES)
                )),
                20 => note.put(&format!(
                    "møtte en gjeng på {p}, de ville snakke om {}",
                    r.pick(TOPICS)
                )),
                _ => note.put(&format!(
                    "rolig på {p}, kort prat med vakta på {}",
                    r.pick(&places)
                )),
            };
            (note.text, note.names)
        })
        .collect()
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}
