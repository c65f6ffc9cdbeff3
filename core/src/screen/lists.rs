//! The bundled word lists (see `core/data/screen/README.md` for where each
//! comes from), compiled into sorted arrays by `core/build.rs`: looked up
//! by binary search in place, with nothing parsed or allocated at run time.

mod compiled {
    include!(concat!(env!("OUT_DIR"), "/lists.rs"));
}

/// A sorted, lower-cased word list, and the sorted FNV-1a hashes of its
/// entries (the build checks they do not collide).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordSet(&'static [&'static str], &'static [u64]);

/// FNV-1a, 64 bits, as `core/build.rs` hashes the entries.
fn fnv1a(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl WordSet {
    /// Whether the lower-cased `word` (or phrase) is on the list, by its
    /// hash: no string is compared. A word off the list whose hash equals
    /// an entry's would be taken for it; with at most ~40,000 entries that
    /// is about one look-up in 4·10^14, the same on phone and server.
    pub fn contains(&self, word: &str) -> bool {
        self.1.binary_search(&fnv1a(word)).is_ok()
    }

    /// Whether some entry starts with `prefix` (a phrase can still grow
    /// into one).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        let at = self.0.partition_point(|e| *e < prefix);
        self.0.get(at).is_some_and(|e| e.starts_with(prefix))
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
    first_names: WordSet(compiled::FIRST_NAMES, compiled::FIRST_NAMES_HASHES),
    surnames: WordSet(compiled::SURNAMES, compiled::SURNAMES_HASHES),
    common: WordSet(compiled::COMMON, compiled::COMMON_HASHES),
    dictionary: WordSet(compiled::DICTIONARY, compiled::DICTIONARY_HASHES),
    places: WordSet(compiled::PLACES, compiled::PLACES_HASHES),
    streets: WordSet(compiled::STREETS, compiled::STREETS_HASHES),
    helplines: WordSet(compiled::HELPLINES, compiled::HELPLINES_HASHES),
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
