//! Context words, as careful screening tools use them: words just before
//! (or after) a candidate number raise or lower the confidence that it is
//! personal. "tlf 22 33 44 55" is a phone; "saksnr 22334455" is not.

use super::normalise::{TokKind, Token};

/// Words that say a number is a way to reach or identify a person.
const RAISE: &[&str] = &[
    "tlf",
    "telefon",
    "telefonnr",
    "telefonnummer",
    "tel",
    "mob",
    "mobil",
    "mobilnr",
    "mobilnummer",
    "nummer",
    "nummeret",
    "nr",
    "ring",
    "ringe",
    "ringes",
    "ringte",
    "sms",
    "snap",
    "whatsapp",
    "phone",
    "call",
    "number",
    "cell",
    "mobile",
    "text",
    "fnr",
    "fødselsnummer",
    "personnummer",
    "pnr",
    "født",
    "id",
];

/// Words that say a number is something else: a route, a reference, an
/// amount, a year or a count.
const LOWER: &[&str] = &[
    "buss",
    "bussen",
    "busslinje",
    "trikk",
    "trikken",
    "linje",
    "linjen",
    "t-bane",
    "bane",
    "saksnr",
    "saksnummer",
    "sak",
    "saken",
    "ref",
    "referanse",
    "refnr",
    "journalnr",
    "postnr",
    "postnummer",
    "org",
    "orgnr",
    "org.nr",
    "organisasjonsnummer",
    "kontonr",
    "kontonummer",
    "konto",
    "kr",
    "nok",
    "kroner",
    "beløp",
    "år",
    "året",
    "årene",
    "skoleåret",
    "uke",
    "uka",
    "uker",
    "antall",
    "tall",
    "ca",
    "kl",
    "klokka",
    "bus",
    "tram",
    "line",
    "case",
    "reference",
    "amount",
    "year",
    "years",
    "week",
    "count",
    "counts",
    "route",
    "faktura",
    "ordrenr",
    "per",
    "kveld",
    "kvelder",
    "telling",
    "tellinger",
    "timer",
    "minutter",
    "stk",
    "personer",
    "ungdommer",
    "besøkende",
];

/// Words that say a place is where someone lives.
pub(crate) const HOME: &[&str] = &[
    "bor",
    "bur",
    "flytta",
    "flytte",
    "bolig",
    "boligen",
    "bodde",
    "boende",
    "bosted",
    "hjemme",
    "hjem",
    "hjemmet",
    "hjemmeadresse",
    "adresse",
    "adressen",
    "adr",
    "flyttet",
    "flytter",
    "hybel",
    "hybelen",
    "leilighet",
    "leiligheten",
    "lives",
    "lived",
    "live",
    "home",
    "address",
    "moved",
    "stays",
    "hos",
];

/// A home word: one of [`HOME`], or any word about an address or home
/// ("hjemmeadressen", "adressen hans").
pub(crate) fn is_home(t: &Token) -> bool {
    is_any(t, HOME)
        || (t.kind == TokKind::Word && (t.lower.contains("adress") || t.lower.starts_with("hjem")))
}

fn is_any(t: &Token, words: &[&str]) -> bool {
    t.kind == TokKind::Word && words.contains(&t.lower.as_str())
}

/// The confidence change from words within `reach` words before the
/// candidate (tokens `first..`) and just after it (tokens `after..`):
/// +1 for a raising word, -1 for a lowering one, nearest word decides.
pub(crate) fn adjust(toks: &[Token], first: usize, after: usize, reach: usize) -> i32 {
    let before = toks[..first]
        .iter()
        .rev()
        .filter(|t| t.kind == TokKind::Word)
        .take(reach);
    for t in before {
        if is_any(t, RAISE) {
            return 1;
        }
        if is_any(t, LOWER) {
            return -1;
        }
    }
    match toks.get(after) {
        Some(t) if is_any(t, LOWER) => -1,
        Some(t) if is_any(t, RAISE) => 1,
        _ => 0,
    }
}

/// Whether a home word is among the `reach` words before token `first`.
pub(crate) fn home_before(toks: &[Token], first: usize, reach: usize) -> bool {
    toks[..first].iter().rev().take(reach).any(is_home)
}
