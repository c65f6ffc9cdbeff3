//! The negative classes of the corpus: harmless text that must not be flagged.

use super::{Lists, Rng, fill, id_number, id_written};

pub(super) fn year_pair(r: &mut Rng, _: &Lists) -> String {
    let y = r.range(2015, 2030);
    let sep = r.pick(&[" ", "-", "/", " "]);
    let x = format!("{y}{sep}{}", y + 1);
    fill(
        r.pick(&[
            "Skoleåret {x} starter rolig.",
            "Planen for {x} er klar.",
            "Tall fra {x} viser mer rus.",
            "Sesongen {x} hadde flere kvelder ute.",
        ]),
        &[("{x}", &x)],
    )
}

pub(super) fn count_list(r: &mut Rng, _: &Lists) -> String {
    let x: Vec<String> = (0..4).map(|_| r.range(8, 45).to_string()).collect();
    let x = x.join(" ");
    fill(
        r.pick(&[
            "Antall møtt de siste kveldene: {x}.",
            "Tellinger {x} i snitt per runde.",
            "Vi var ute fire kvelder, {x} ungdommer.",
            "Fire kvelder på rad: {x}.",
            "Antall samtaler per uke {x}.",
        ]),
        &[("{x}", &x)],
    )
}

pub(super) fn case_ref(r: &mut Rng, _: &Lists) -> String {
    let x: String = (0..8)
        .map(|i| char::from(b'0' + if i == 0 { r.range(1, 9) } else { r.range(0, 9) } as u8))
        .collect();
    fill(
        r.pick(&[
            "Saksnr {x} i barnevernet.",
            "Se ref. {x} for forrige melding.",
            "Referanse {x} fra NAV.",
            "saksnummer: {x}",
            "Journalnr {x} er oppdatert.",
        ]),
        &[("{x}", &x)],
    )
}

pub(super) fn bus_tram(r: &mut Rng, _: &Lists) -> String {
    let (a, b) = (r.range(11, 99), r.range(11, 99));
    fill(
        r.pick(&[
            "Tok buss {a} til Tonsenhagen.",
            "Trikk {a} og {b} var fulle.",
            "Linje {a} {b} 31 37 går forbi senteret.",
            "T-bane linje 5 mot Vestli, så buss {a}.",
            "Nattbuss N{a} kom sent.",
        ]),
        &[("{a}", &a.to_string()), ("{b}", &b.to_string())],
    )
}

pub(super) fn amount(r: &mut Rng, _: &Lists) -> String {
    let x = format!(
        "{} {:03} {:03}",
        r.range(10, 99),
        r.range(0, 999),
        r.range(0, 999)
    );
    fill(
        r.pick(&[
            "Budsjettet er {x} kr for året.",
            "kr {x} i tilskudd.",
            "Prosjektet fikk {x} kroner.",
            "Han skyldte 2 500 kr.",
            "Kostet 450 kr.",
        ]),
        &[("{x}", &x)],
    )
}

pub(super) fn service_number(r: &mut Rng, _: &Lists) -> String {
    r.pick(&[
        "Ring 113 ved akutt.",
        "Ga ham nummeret til Alarmtelefonen 116 111.",
        "Kirkens SOS 22 40 00 40 er åpent hele natta.",
        "Giftinformasjonen 22 59 13 00 svarte.",
        "Hun ringte politiet på 112.",
        "Legevakt 116 117.",
        "Mental Helse 116 123 kan hjelpe.",
        "Kors på halsen 800 33 321 for unge.",
        "Ring 110 hvis det brenner.",
        "Ring 02800 for politiet.",
    ])
    .to_string()
}

pub(super) fn public_place(r: &mut Rng, l: &Lists) -> String {
    let p = l.places[r.below(l.places.len())];
    fill(
        r.pick(&[
            "Møttes på {p} rundt ni.",
            "Vi sto ved {p} en stund.",
            "Runde fra Grønland til {p}.",
            "Gjengen satt ved {p}.",
            "{p} var stille i kveld.",
            "Olaf Ryes plass og Thorvald Meyers gate var fulle.",
        ]),
        &[("{p}", p)],
    )
}

pub(super) fn street_no_home(r: &mut Rng, l: &Lists) -> String {
    let s = l.streets[r.below(l.streets.len())];
    fill(
        r.pick(&[
            "Han bor i nærheten av {s}.",
            "Hun bor på Grünerløkka, ved {s}.",
            "Gikk opp {s} mot Carl Berners plass.",
            "Bor et sted langs {s}, sa han.",
            "Møttes utenfor {s} 23 ved kiosken.",
        ]),
        &[("{s}", s)],
    )
}

pub(super) fn date_time(r: &mut Rng, _: &Lists) -> String {
    let (d, m, y) = (r.range(1, 28), r.range(1, 12), r.range(2020, 2027));
    let x = format!("{d:02}.{m:02}.{y}");
    fill(
        r.pick(&[
            "Møte {x} kl 19.30.",
            "kl 21.30 22.15 var det rolig.",
            "Fra 18.00 til 22.00 i uke 12.",
            "Neste samling {x}.",
            "{x} 21:30 kom politiet.",
        ]),
        &[("{x}", &x)],
    )
}

pub(super) fn bad_checksum(r: &mut Rng, _: &Lists) -> String {
    let id = id_number(r, 0, 0, false);
    let id = id_written(r, &id);
    fill(
        r.pick(&[
            "Kortnummeret {x} var ugyldig.",
            "Tallet {x} står på billetten.",
        ]),
        &[("{x}", &id)],
    )
}

pub(super) fn everyday(r: &mut Rng, _: &Lists) -> String {
    r.pick(&[
        "Per dag kom det rundt 30 ungdommer.",
        "Liv og røre ved ballbingen.",
        "Sol og varmt, mange ute.",
        "Mai er en travel måned.",
        "Even om det regnet, kom mange.",
        "Vår runde startet på Tøyen.",
        "Etter runden tok vi en prat med Natteravnene.",
        "Uteseksjonen og Røde Kors var også ute.",
        "Stemningen var god, ingen konflikter.",
        "Politiet kom innom rundt 22.",
        "Tre jenter snakket om skole og eksamen.",
        "Gjengen fra Stovner var på Grønland.",
        "Dag to av aktivitetsuka gikk fint.",
        "Storm og regn, få ute.",
        "Fred og ro på Tøyen torg.",
        "Han sa at snap er det de bruker mest.",
        "De la ut på snap i går.",
        "Sendte snap til vennene sine hele kvelden.",
        "Møtes @ Oslo S etter skolen.",
        "Hun sa at hun ville komme igjen.",
        "Bo og jobb er det de snakker mest om.",
    ])
    .to_string()
}

pub(super) fn english_negative(r: &mut Rng, _: &Lists) -> String {
    r.pick(&[
        "We met a group of boys near Oslo S on Friday.",
        "In May we had more youths out.",
        "Quiet evening, rain from nine.",
        "Two girls asked about the youth club.",
        "The police passed by around ten.",
        "Handed out leaflets at Grønland.",
        "Can we meet again next week, they asked.",
        "Long talk about school and jobs.",
    ])
    .to_string()
}

/// TV shows, games, artists and organisations that are not in the screen's
/// lists: capitalised word pairs mid-sentence that are not people.
pub(super) fn titles_orgs(r: &mut Rng, _: &Lists) -> String {
    let t = r.pick(&[
        "Paradise Hotel",
        "Squid Game",
        "Grand Theft Auto",
        "Premier League",
        "Champions League",
        "Blå Kors",
        "Kirkens Bymisjon",
        "Leger Uten Grenser",
        "Norsk Folkehjelp",
        "Redd Barna",
        "Oslo Met",
        "Call of Duty",
        "Minecraft",
        "Roblox",
        "Karpe",
        "Ballinciaga",
        "Apple Music",
    ]);
    fill(
        r.pick(&[
            "De snakket mest om {t} i kveld.",
            "Gjengen så på {t} på mobilen.",
            "Han hadde genser fra {t}.",
            "Flere nevnte {t} som noe de likte.",
            "Vi delte ut brosjyrer fra {t}.",
        ]),
        &[("{t}", t)],
    )
}

/// A home word and a number that is not a house number.
pub(super) fn home_not_address(r: &mut Rng, _: &Lists) -> String {
    let n = r.range(2, 12).to_string();
    fill(
        r.pick(&[
            "Han bor på Tøyen {n} uker til.",
            "Hun bor i Oslo og har {n} søsken.",
            "Bor hos mor i {n} dager nå.",
            "Familien bor i Norge, {n} år nå.",
            "Han har bodd på Holmlia i {n} år.",
            "Hun bor i 3. etasje, sa hun.",
            "Bor på hybel, {n} andre ungdommer der.",
        ]),
        &[("{n}", &n)],
    )
}

/// Subjects of a composed note that are no one in particular.
const SUBJECTS: &[&str] = &[
    "Tre gutter",
    "En jente",
    "Gjengen",
    "Flere ungdommer",
    "Noen voksne",
    "To søsken",
    "Vi",
    "Vakta",
    "Ungdommene",
    "En gruppe på 8",
    "Fire jenter fra 9. trinn",
    "Natteravnene",
];
const DOINGS: &[&str] = &[
    "satt",
    "sto",
    "hang",
    "spilte fotball",
    "spurte om sommerjobb",
    "snakket om eksamen",
    "var urolige",
    "ventet på bussen",
    "delte en pizza",
    "hørte på musikk",
    "filmet hverandre",
];
const WHENS: &[&str] = &[
    "rundt 21",
    "fra kl 20 til 23",
    "i en time",
    "etter skolen",
    "hele kvelden",
    "i 30 minutter",
    "fra 19.30",
    "i uke 12",
    "sist fredag",
    "etter kampen",
];
const EXTRAS: &[&str] = &[
    ", stemningen var god.",
    ". Ingen konflikter.",
    ", vi ga dem nummeret til Alarmtelefonen 116 111.",
    ", to av dem var 15 år.",
    ". Politiet kjørte forbi to ganger.",
    ", 4 av 12 hadde ikke spist.",
    ". Neste runde 23.03.",
    ", de tok buss 31 hjem.",
    ". Snakket om snap og TikTok.",
    ".",
];

/// A composed harmless note: who, doing what, where, when, and a tail.
pub(super) fn composed_note(r: &mut Rng, l: &Lists) -> String {
    let who = r.pick(SUBJECTS);
    note_with(r, l, who)
}

/// A composed note with `who` as its subject.
pub(crate) fn note_with(r: &mut Rng, l: &Lists, who: &str) -> String {
    let place = l.places[r.below(l.places.len())];
    let street = l.streets[r.below(l.streets.len())];
    let wher = match r.below(3) {
        0 => format!("ved {place}"),
        1 => format!("på {place}"),
        _ => format!("i {street}"),
    };
    format!(
        "{who} {} {wher} {}{}",
        r.pick(DOINGS),
        r.pick(WHENS),
        r.pick(EXTRAS)
    )
}
