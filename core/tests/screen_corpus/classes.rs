//! The classes of the corpus, each a generator of one sentence.

use super::negatives::{
    amount, bad_checksum, bus_tram, case_ref, composed_note, count_list, date_time,
    english_negative, everyday, home_not_address, note_with, public_place, service_number,
    street_no_home, titles_orgs, year_pair,
};
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
    ("name_in_composed_note", &[K::Name], false, name_in_note),
    (
        "heldout_name_in_composed_note",
        &[K::Name],
        true,
        heldout_name_in_note,
    ),
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
    ("neg_composed_notes", &[], false, composed_note),
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

fn name_in_note(r: &mut Rng, l: &Lists) -> String {
    let f = l.first[r.below(l.first.len())];
    let s = l.last[r.below(l.last.len())];
    let who = person_phrase(r, f, s);
    note_with(r, l, &who)
}

fn heldout_name_in_note(r: &mut Rng, l: &Lists) -> String {
    let f = heldout::FIRST[r.below(heldout::FIRST.len())];
    let s = heldout::LAST[r.below(heldout::LAST.len())];
    let who = person_phrase(r, f, s);
    note_with(r, l, &who)
}

/// A person as the subject of a composed note.
fn person_phrase(r: &mut Rng, first: &str, last: &str) -> String {
    let age = r.range(12, 19);
    match r.below(4) {
        0 => format!("{first} {last}"),
        1 => format!("{first} ({age})"),
        2 => format!("{first}, {age},"),
        _ => format!("En gutt som heter {first}"),
    }
}
