//! The bundled word lists (see `core/data/screen/README.md` for where each
//! comes from), compiled into sorted arrays by `core/build.rs`: looked up
//! by binary search in place, with nothing parsed or allocated at run time.

mod compiled {
    include!(concat!(env!("OUT_DIR"), "/lists.rs"));
}

/// A sorted, lower-cased word list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordSet(&'static [&'static str]);

impl WordSet {
    /// Whether the lower-cased `word` (or phrase) is on the list.
    pub fn contains(&self, word: &str) -> bool {
        self.0.binary_search(&word).is_ok()
    }
}

#[derive(Debug)]
pub(crate) struct Lists {
    pub first_names: WordSet,
    pub surnames: WordSet,
    /// Common words: a capitalised one is a name only in a person context.
    pub common: WordSet,
    /// English dictionary words (SCOWL): a capitalised one that is no
    /// known name is an ordinary word.
    pub dictionary: WordSet,
    /// Public places, districts, institutions, brands (may be several words).
    pub places: WordSet,
    /// Oslo street names (may be several words).
    pub streets: WordSet,
    /// Public service numbers and helplines, digits only.
    pub helplines: WordSet,
    /// Longest place or street, in words.
    pub max_place_words: usize,
}

pub(crate) static LISTS: Lists = Lists {
    first_names: WordSet(compiled::FIRST_NAMES),
    surnames: WordSet(compiled::SURNAMES),
    common: WordSet(compiled::COMMON),
    dictionary: WordSet(compiled::DICTIONARY),
    places: WordSet(compiled::PLACES),
    streets: WordSet(compiled::STREETS),
    helplines: WordSet(compiled::HELPLINES),
    max_place_words: compiled::MAX_PLACE_WORDS,
};

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
