//! The words around a capitalised word that say whether it is a person's
//! name (see `name.rs`): verbs after a name, words before one, function
//! words some name list also holds, and artist or shopping context.

/// Verbs and words after a name that say it is a person acting.
pub(super) const PERSON_AFTER: &[&str] = &[
    "sa",
    "sier",
    "fortalte",
    "forteller",
    "spurte",
    "lurte",
    "ville",
    "vil",
    "virket",
    "ringte",
    "trenger",
    "trengte",
    "ønsker",
    "ønsket",
    "kom",
    "gikk",
    "fikk",
    "hadde",
    "har",
    "var",
    "er",
    "ble",
    "skal",
    "skulle",
    "kan",
    "kunne",
    "må",
    "og",
    "ba",
    "gråt",
    "gråter",
    "sin",
    "sitt",
    "sine",
    "sov",
    "satt",
    "sitter",
    "dro",
    "løp",
    "bor",
    "går",
    "mistet",
    "nektet",
    "slo",
    "tror",
    "mener",
    "vet",
    "prøvde",
    "said",
    "says",
    "told",
    "asked",
    "is",
    "was",
    "has",
    "had",
    "wants",
    "came",
    "seemed",
    "will",
    "and",
    "og",
];
/// Speech verbs: strong enough to make a common word ("Per sa") a name.
pub(super) const SPEECH: &[&str] = &[
    "sa",
    "sier",
    "fortalte",
    "forteller",
    "spurte",
    "said",
    "says",
    "told",
    "asked",
];
/// Words before a name that say it is a person's name.
pub(super) const NAMED: &[&str] = &[
    "heter", "het", "kalt", "kalles", "navn", "navnet", "named", "called", "name",
];
/// Pronouns and other function words that some name list also holds
/// (Vietnamese "Vi", Turkish "Can"): never a name on their own.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "vi", "de", "du", "jeg", "han", "hun", "hen", "det", "den", "dem", "oss", "meg", "deg", "seg",
    "we", "they", "you", "he", "she", "it", "can", "will", "may", "an", "i", "a", "the", "so",
];
/// Words before an unknown capitalised word that say it is a person: not
/// "om", "fra" or "til", which as often come before a topic, a shop or a
/// place ("snakket om Minecraft", "genser fra Ballinciaga").
pub(super) const WITH_PERSON: &[&str] = &[
    "med",
    "og",
    "hos",
    "møtte",
    "traff",
    "fulgte",
    "hjalp",
    "ringte",
    "besøkte",
    "hentet",
    "kjørte",
    "with",
    "met",
    "helped",
    "followed",
    "visited",
    "mor",
    "far",
    "bror",
    "søster",
    "broren",
    "søsteren",
    "kjæresten",
    "vennen",
    "venninnen",
];
/// Words before a name that say it is about a person (mid-sentence).
pub(super) const ABOUT: &[&str] = &[
    "med",
    "og",
    "til",
    "fra",
    "om",
    "hos",
    "fulgte",
    "hjalp",
    "traff",
    "så",
    "hentet",
    "kjørte",
    "prata",
    "pratet",
    "snakka",
    "besøkte",
    "helped",
    "saw",
    "followed",
    "visited",
    "møtte",
    "snakket",
    "sammen",
    "ringte",
    "with",
    "and",
    "met",
    "about",
    "bror",
    "søster",
    "broren",
    "søsteren",
    "kjæresten",
    "vennen",
    "venninnen",
    "mor",
    "far",
];
/// Words around a capitalised word that say it is an artist, a band or a
/// stage name ("hørte på Karpe", "konsert med Cezinando", "listening to
/// Drake"), not a youth.
pub(super) const CULTURE_BEFORE: &[&str] = &[
    "hørte",
    "hører",
    "hørt",
    "lytter",
    "lyttet",
    "konsert",
    "konserten",
    "listening",
    "listened",
    "concert",
];
pub(super) const CULTURE_AFTER: &[&str] = &[
    "konsert",
    "konserten",
    "concert",
    "artist",
    "artister",
    "artisten",
    "rapper",
    "rapperen",
    "band",
    "bandet",
];
/// Words before a lower-case known first name that say it is a person
/// ("snakka med ingrid", "møtte kasia").
pub(super) const LOWER_BEFORE: &[&str] = &[
    "med", "m", "møtte", "traff", "fulgte", "hjalp", "heter", "het", "with", "met",
];

/// Words before a capitalised month or day: "in May" is a date.
pub(super) const DATE_BEFORE: &[&str] = &[
    "in", "on", "of", "i", "på", "since", "until", "by", "early", "late", "last", "next",
];

/// A word right before a capitalised word that says it is a thing bought,
/// worn or watched ("kjøpe Jordan 4", "watching Chelsea"), not a person.
pub(super) const THING_BEFORE: &[&str] = &[
    "kjøpe", "kjøpte", "kjøper", "solgte", "selger", "watching", "watched", "wearing",
];
/// Vietnamese middle names that are also ordinary words elsewhere ("Van
/// Anh", "Thi Lan"): a name when a known first name follows.
pub(super) const NAME_PARTICLES: &[&str] = &["van", "văn", "thi", "thị"];

/// Labels after which a note gives a name, often in small letters and
/// whole ("navn: helen tesfay", "kontaktperson: rojda aslan").
pub(super) const LABELS: &[&str] = &[
    "navn",
    "nvn",
    "navnet",
    "kontaktperson",
    "kontakt",
    "name",
    "heter",
    "het",
];
/// Words after a genitive that say the genitive is a person's
/// ("laylas bror", "odas kjæreste", "Merts kompiser").
pub(super) const KIN: &[&str] = &[
    "mor",
    "mamma",
    "far",
    "pappa",
    "bror",
    "broren",
    "brødre",
    "søster",
    "søsteren",
    "søsken",
    "foreldre",
    "foresatte",
    "kjæreste",
    "kjæresten",
    "venn",
    "venner",
    "venninne",
    "venninner",
    "venninna",
    "kompis",
    "kompiser",
    "kompisen",
    "fetter",
    "kusine",
    "onkel",
    "tante",
    "familie",
    "lærer",
    "kontaktlærer",
    "telefon",
    "mobil",
    "sko",
    "jakke",
    "hus",
    "rom",
];
