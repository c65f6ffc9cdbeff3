//! The bundled word lists (see `core/data/screen/README.md` for where each
//! comes from), parsed once on first use.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Lower-cased lines of a bundled list, comments (`#`) and blanks skipped.
fn parse(text: &'static str) -> HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

#[derive(Debug)]
pub(crate) struct Lists {
    pub first_names: HashSet<String>,
    pub surnames: HashSet<String>,
    /// Common words: a capitalised one is a name only in a person context.
    pub common: HashSet<String>,
    /// English dictionary words (SCOWL): a capitalised one that is no
    /// known name is an ordinary word.
    pub dictionary: HashSet<String>,
    /// Public places, districts, institutions, brands (may be several words).
    pub places: HashSet<String>,
    /// Oslo street names (may be several words).
    pub streets: HashSet<String>,
    /// Public service numbers and helplines, digits only.
    pub helplines: HashSet<String>,
    /// Longest place or street, in words.
    pub max_place_words: usize,
}

pub(crate) static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let places = parse(include_str!("../../data/screen/places.txt"));
    let streets = parse(include_str!("../../data/screen/streets.txt"));
    let max_place_words = places
        .iter()
        .chain(&streets)
        .map(|p| p.split_whitespace().count())
        .max()
        .unwrap_or(1);
    Lists {
        first_names: parse(include_str!("../../data/screen/first_names.txt")),
        surnames: parse(include_str!("../../data/screen/surnames.txt")),
        common: parse(include_str!("../../data/screen/common_words.txt")),
        dictionary: parse(include_str!("../../data/screen/english_words.txt")),
        places,
        streets,
        helplines: parse(include_str!("../../data/screen/helplines.txt")),
        max_place_words,
    }
});

/// Endings of Norwegian street names ("Tvetenveien", "Storgata", "Bølerlia").
pub(crate) const STREET_ENDINGS: &[&str] = &[
    "veien",
    "vegen",
    "vei",
    "veg",
    "gata",
    "gaten",
    "gate",
    "allé",
    "alle",
    "alléen",
    "plassen",
    "bakken",
    "bakke",
    "stien",
    "svingen",
    "kroken",
    "tunet",
    "ringen",
    "lien",
    "åsen",
    "haugen",
    "jordet",
    "løkka",
    "stubben",
    "terrassen",
    "brygga",
    "torget",
    "grenda",
    "kollen",
    "høgda",
    "toppen",
    "berget",
    "lunden",
    "skogen",
    "marka",
    "myra",
    "engen",
    "stykket",
    "skrenten",
    "vollen",
    "tjernet",
    "stranda",
    "flata",
    "gjerdet",
    "bråten",
    "leiret",
    "sletta",
    "dalen",
    // Places that are not streets, written as one compound word: a
    // crossing, a youth club, a centre, a station ("Sinsenkrysset",
    // "Ungdomsloftet", "Storosenteret"): never a person's name.
    "krysset",
    "loftet",
    "senteret",
    "senter",
    "huset",
    "klubben",
    "skolen",
    "banen",
    "hallen",
    "stasjonen",
    "stasjon",
    "parken",
    "badet",
    "biblioteket",
    "museet",
    "kirka",
    "kirken",
    "brua",
    "kaia",
    "terminalen",
    "holdeplassen",
    "butikken",
    "kiosken",
    "gården",
    "dammen",
    "vannet",
    "tunnelen",
];

/// Separate generic words that end a street or place name ("Olaf Ryes plass").
pub(crate) const STREET_WORDS: &[&str] = &[
    "gate", "gata", "vei", "veg", "veien", "vegen", "plass", "allé", "alle", "torg", "park",
    "parken", "bru", "brygge", "terrasse", "bakke", "sving", "street", "road", "avenue",
];

/// Whether a lower-cased word ends like a street name and is not just the
/// ending itself.
pub(crate) fn street_like(lower: &str) -> bool {
    STREET_ENDINGS
        .iter()
        .any(|e| lower.ends_with(e) && lower.chars().count() >= e.chars().count() + 3)
}
