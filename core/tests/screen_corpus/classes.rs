//! The classes of the corpus, each a generator of one sentence.

use super::{
    Lists, Rng, fill, grouped, handle, heldout, id_number, id_written, local_part, phone_digits,
};
use feltlogg_core::screen::FindingKind as K;

type Gen = fn(&mut Rng, &Lists) -> String;

/// (class, kinds that count as caught (empty: negative), held out, generator)
pub const CLASSES: &[(&str, &[K], bool, Gen)] = &[
    ("fnr_run_or_split", &[K::NationalId], false, fnr),
    ("fnr_date_then_pnr", &[K::NationalId], false, fnr_date),
    ("d_number", &[K::DNumber], false, d_number),
    ("h_number", &[K::HNumber], false, h_number),
    ("phone_mobile", &[K::Phone], false, phone_mobile),
    ("phone_landline_ctx", &[K::Phone], false, phone_landline),
    ("phone_prefixed", &[K::Phone], false, phone_prefixed),
    ("email_plain", &[K::Email], false, email_plain),
    ("email_obfuscated", &[K::Email], false, email_obfuscated),
    ("handle_at", &[K::Handle], false, handle_at),
    ("handle_platform", &[K::Handle], false, handle_platform),
    ("name_full", &[K::Name], false, name_full),
    ("name_first_person", &[K::Name], false, name_first),
    ("address_home", &[K::Address], false, address_home),
    (
        "english_positive",
        &[K::Name, K::Phone, K::Email, K::Address, K::Handle],
        false,
        english_positive,
    ),
    ("heldout_name_full", &[K::Name], true, heldout_full),
    ("heldout_name_first", &[K::Name], true, heldout_first),
    ("heldout_address", &[K::Address], true, heldout_address),
    ("neg_year_pair", &[], false, year_pair),
    ("neg_count_list", &[], false, count_list),
    ("neg_case_ref", &[], false, case_ref),
    ("neg_bus_tram", &[], false, bus_tram),
    ("neg_amount", &[], false, amount),
    ("neg_service_number", &[], false, service_number),
    ("neg_public_place", &[], false, public_place),
    ("neg_street_no_home", &[], false, street_no_home),
    ("neg_date_time", &[], false, date_time),
    ("neg_bad_checksum", &[], false, bad_checksum),
    ("neg_everyday", &[], false, everyday),
    ("neg_english", &[], false, english_negative),
    ("neg_titles_orgs", &[], false, titles_orgs),
    ("neg_home_not_address", &[], false, home_not_address),
];

fn fnr(r: &mut Rng, _: &Lists) -> String {
    let id = id_number(r, 0, 0, true);
    let id = id_written(r, &id);
    let t = r.pick(&[
        "Gutten oppga fnr {x} da vi spurte.",
        "Hun ga oss personnummeret sitt, {x}, til skjemaet.",
        "{x} står på kortet hans.",
        "Noterte {x} for henvisning til helsesykepleier.",
        "ID: {x}",
    ]);
    fill(t, &[("{x}", &id)])
}

fn fnr_date(r: &mut Rng, _: &Lists) -> String {
    let id = id_number(r, 0, 0, true);
    let year = if r.chance(50) {
        format!("20{}", &id[4..6])
    } else {
        id[4..6].to_string()
    };
    let sep = r.pick(&[".", ".", "-", "/"]);
    let gap = r.pick(&[" ", "-", "\u{a0}", " - "]);
    let x = format!("{}{sep}{}{sep}{year}{gap}{}", &id[..2], &id[2..4], &id[6..]);
    fill(
        r.pick(&[
            "Født {x} ifølge ham selv.",
            "Hun er født {x}.",
            "Fødselsdato og pnr: {x}",
        ]),
        &[("{x}", &x)],
    )
}

fn d_number(r: &mut Rng, _: &Lists) -> String {
    let id = id_number(r, 40, 0, true);
    let id = id_written(r, &id);
    fill(
        r.pick(&[
            "Har bare D-nummer: {x}.",
            "D-nr {x} ifølge papirene.",
            "Han viste oss {x} på arket fra UDI.",
        ]),
        &[("{x}", &id)],
    )
}

fn h_number(r: &mut Rng, _: &Lists) -> String {
    let id = id_number(r, 0, 40, true);
    let id = id_written(r, &id);
    fill(
        r.pick(&[
            "Legevakta ga henne nummeret {x}.",
            "Hjelpenummer {x} står på lappen.",
        ]),
        &[("{x}", &id)],
    )
}

fn phone_mobile(r: &mut Rng, _: &Lists) -> String {
    let d = phone_digits(r, true);
    let x = grouped(r, &d);
    fill(
        r.pick(&[
            "Ring meg på {x} sa hun.",
            "Han har nytt nummer: {x}",
            "Nummeret til mora er {x}.",
            "{x} er mobilen hans.",
            "Vi fikk {x} av jenta i tilfelle noe skjer.",
            "Kontakt {x} etter skolen.",
        ]),
        &[("{x}", &x)],
    )
}

fn phone_landline(r: &mut Rng, _: &Lists) -> String {
    let d = phone_digits(r, false);
    let x = grouped(r, &d);
    fill(
        r.pick(&[
            "tlf hjemme: {x}",
            "Ring {x} etter kl 16.",
            "Nummeret hjemme er {x}.",
            "Bestemora har telefon {x}.",
        ]),
        &[("{x}", &x)],
    )
}

fn phone_prefixed(r: &mut Rng, _: &Lists) -> String {
    let mobile = r.chance(80);
    let d = phone_digits(r, mobile);
    let x = format!(
        "{}{}",
        r.pick(&["+47 ", "+47", "0047 ", "(+47) ", "+47-"]),
        grouped(r, &d)
    );
    fill(
        r.pick(&[
            "Han skrev {x} på en lapp.",
            "Nummer {x}",
            "{x} er tante sitt nummer.",
        ]),
        &[("{x}", &x)],
    )
}

fn email_plain(r: &mut Rng, l: &Lists) -> String {
    let x = format!(
        "{}@{}",
        local_part(r, l),
        r.pick(&[
            "gmail.com",
            "hotmail.com",
            "outlook.com",
            "online.no",
            "osloskolen.no",
            "icloud.com"
        ])
    );
    fill(
        r.pick(&[
            "E-posten hennes er {x}.",
            "Send timen til {x}",
            "{x} er adressen han bruker.",
        ]),
        &[("{x}", &x)],
    )
}

fn email_obfuscated(r: &mut Rng, l: &Lists) -> String {
    let lp = local_part(r, l);
    let x = match r.below(6) {
        0 => format!("{lp} at gmail dot com"),
        1 => format!("{lp}(at)hotmail.com"),
        2 => format!("{lp} @ gmail.com"),
        3 => format!("{lp}＠outlook.com"),
        4 => format!("{lp} [at] gmail [dot] com"),
        _ => format!("{lp} alfakrøll online punktum no"),
    };
    fill(
        r.pick(&[
            "Hun skrev e-posten som {x} på lappen.",
            "Mail: {x}",
            "Han sa vi kunne skrive til {x}.",
        ]),
        &[("{x}", &x)],
    )
}

fn handle_at(r: &mut Rng, l: &Lists) -> String {
    let x = format!("@{}", handle(r, l));
    fill(
        r.pick(&[
            "Hun la ut bilde fra {x} i går.",
            "Følger {x} på insta.",
            "{x} har postet om festen.",
            "Fikk melding fra {x}",
        ]),
        &[("{x}", &x)],
    )
}

fn handle_platform(r: &mut Rng, l: &Lists) -> String {
    let x = handle(r, l);
    fill(
        r.pick(&[
            "snap: {x}",
            "Han har sc {x}",
            "insta: {x}",
            "ig {x} ble nevnt",
            "tiktok {x} hadde filmet det",
            "La til snapen hennes {x}.",
            "Snapchat {x}",
        ]),
        &[("{x}", &x)],
    )
}

fn full(r: &mut Rng, first: &[&'static str], last: &[&'static str]) -> String {
    let f = first[r.below(first.len())];
    let s = last[r.below(last.len())];
    fill(
        r.pick(&[
            "{n} var med gjengen i kveld.",
            "Møtte {n} på Tøyen.",
            "Snakket med {n} (17) om rus.",
            "Jenta heter {n}.",
            "I dag kom {n} innom bussen.",
            "Mor til {n} ringte oss.",
        ]),
        &[("{n}", &format!("{f} {s}"))],
    )
}

fn first_person(r: &mut Rng, first: &[&'static str]) -> String {
    let f = first[r.below(first.len())];
    fill(
        r.pick(&[
            "{f} (15) sa at han ville slutte på skolen.",
            "Snakket lenge med {f} om situasjonen hjemme.",
            "{f} fortalte at hun ikke hadde spist i dag.",
            "Møtte {f} ved kiosken, virket rolig.",
            "Gutten heter {f} og går i tiende.",
            "{f}, 16, lurte på om vi kunne hjelpe.",
            "Hun og {f} kom sammen.",
            "Vi fulgte {f} hjem etterpå.",
        ]),
        &[("{f}", f)],
    )
}

fn name_full(r: &mut Rng, l: &Lists) -> String {
    full(r, &l.first, &l.last)
}

fn name_first(r: &mut Rng, l: &Lists) -> String {
    first_person(r, &l.first)
}

fn heldout_full(r: &mut Rng, _: &Lists) -> String {
    full(r, heldout::FIRST, heldout::LAST)
}

fn heldout_first(r: &mut Rng, _: &Lists) -> String {
    first_person(r, heldout::FIRST)
}

fn address(r: &mut Rng, street: &str) -> String {
    let num = format!("{}{}", r.range(1, 180), r.pick(&["", "", "B", " b", "A"]));
    let x = format!("{street} {num}");
    fill(
        r.pick(&[
            "Han bor i {x}.",
            "Hjemmeadressen er {x}.",
            "Hun har flyttet til {x}, 0{pc} Oslo.",
            "Adresse: {x}",
            "Bor hjemme hos mor i {x}.",
            "Familien bor nå i {x} sammen med onkelen.",
        ]),
        &[("{x}", &x), ("{pc}", &r.range(150, 999).to_string())],
    )
}

fn address_home(r: &mut Rng, l: &Lists) -> String {
    let s = l.streets[r.below(l.streets.len())];
    address(r, s)
}

fn heldout_address(r: &mut Rng, _: &Lists) -> String {
    let s = heldout::STREETS[r.below(heldout::STREETS.len())];
    address(r, s)
}

fn english_positive(r: &mut Rng, l: &Lists) -> String {
    let f = l.first[r.below(l.first.len())];
    let s = l.last[r.below(l.last.len())];
    let pd = phone_digits(r, true);
    let p = grouped(r, &pd);
    let st = l.streets[r.below(l.streets.len())];
    let e = format!("{}@gmail.com", local_part(r, l));
    let t = r.pick(&[
        "Met {f} (16), she said she was kicked out.",
        "{f} {s} asked for help with NAV.",
        "His number is {p}.",
        "Email: {e}",
        "He lives at {st} {n}.",
        "Talked with {f} about school.",
    ]);
    fill(
        t,
        &[
            ("{f}", f),
            ("{s}", s),
            ("{p}", &p),
            ("{e}", &e),
            ("{st}", st),
            ("{n}", &r.range(1, 99).to_string()),
        ],
    )
}

fn year_pair(r: &mut Rng, _: &Lists) -> String {
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

fn count_list(r: &mut Rng, _: &Lists) -> String {
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

fn case_ref(r: &mut Rng, _: &Lists) -> String {
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

fn bus_tram(r: &mut Rng, _: &Lists) -> String {
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

fn amount(r: &mut Rng, _: &Lists) -> String {
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

fn service_number(r: &mut Rng, _: &Lists) -> String {
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

fn public_place(r: &mut Rng, l: &Lists) -> String {
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

fn street_no_home(r: &mut Rng, l: &Lists) -> String {
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

fn date_time(r: &mut Rng, _: &Lists) -> String {
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

fn bad_checksum(r: &mut Rng, _: &Lists) -> String {
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

fn everyday(r: &mut Rng, _: &Lists) -> String {
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

fn english_negative(r: &mut Rng, _: &Lists) -> String {
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
fn titles_orgs(r: &mut Rng, _: &Lists) -> String {
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
fn home_not_address(r: &mut Rng, _: &Lists) -> String {
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
