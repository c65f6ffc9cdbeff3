//! Examples and properties per recogniser of the anonymity screen, from
//! issue 9: every writing of an identity number, phone numbers in every
//! grouping, obfuscated e-mail, handles, names and home addresses are
//! found with their span in the original text; year pairs, counts, case
//! references, routes, amounts, service numbers and public places are not.
//! All data synthetic.

use feltlogg_core::screen::{Finding, FindingKind as K, find_personal_data, redact, screen};
use proptest::prelude::*;

/// (kind, text of the span) for each finding, the span cut from `text`.
fn found(text: &str) -> Vec<(K, String)> {
    find_personal_data(text)
        .into_iter()
        .map(|f| {
            (
                f.kind,
                text.chars().skip(f.start).take(f.end - f.start).collect(),
            )
        })
        .collect()
}

fn one(text: &str, kind: K, span: &str) {
    assert_eq!(found(text), vec![(kind, span.to_string())], "{text:?}");
}

#[test]
fn national_ids_in_every_writing() {
    for (text, span) in [
        ("fnr 01020910050 sa han", "01020910050"),
        ("fnr 010209-10050 sa han", "010209-10050"),
        ("fnr 010209 10050", "010209 10050"),
        ("fnr 010209.10050", "010209.10050"),
        ("fnr 010209\u{a0}10050", "010209\u{a0}10050"),
        ("fnr 010209\u{2011}10050", "010209\u{2011}10050"),
        ("født 01.02.09 10050", "01.02.09 10050"),
        ("født 01.02.2009-10050.", "01.02.2009-10050"),
        ("ｆｎｒ ０１０２０９１００５０", "０１０２０９１００５０"),
    ] {
        one(text, K::NationalId, span);
    }
    assert!(found("fnr 010209-10051").is_empty(), "bad check digit");
}

#[test]
fn phones_in_every_grouping_and_prefix() {
    for (text, span) in [
        ("ring 912-34-567", "912-34-567"),
        (
            "ring 91\u{a0}23\u{a0}45\u{a0}67 i kveld",
            "91\u{a0}23\u{a0}45\u{a0}67",
        ),
        ("tlf 22 333 444", "22 333 444"),
        ("tlf 22 33 4455", "22 33 4455"),
        ("mob 412 34567", "412 34567"),
        ("(+47) 912 34 567", "(+47) 912 34 567"),
        ("0047 91234567", "0047 91234567"),
        ("+47-912-34-567", "+47-912-34-567"),
        // Read aloud and noted digit by digit.
        ("nummeret er 9 1 2 3 4 5 6 7.", "9 1 2 3 4 5 6 7"),
        ("ring 4-1-2-3-4-5-6-7", "4-1-2-3-4-5-6-7"),
        ("tlf 2 2 3 3 4 4 5 5", "2 2 3 3 4 4 5 5"),
    ] {
        one(text, K::Phone, span);
    }
}

#[test]
fn numbers_that_are_not_phones() {
    for text in [
        "skoleåret 2025 2026",
        "skoleåret 2025-2026",
        "antall de siste kveldene: 30 30 23 14",
        "saksnr 20251234",
        "ref. 41234567",
        "buss 31 og 37, trikk 11 17",
        "budsjett 12 345 678 kr",
        "ring 113, 112 eller 116 111",
        "Kirkens SOS 22 40 00 40",
        "grønt nummer 800 33 321",
        "møte 23.03.2024 kl 21.30",
        "kontonr 1234.56.78903",
        "terningkast 2 3 4 5 6 1 2 3",
        "rad 1 2 3 4 5 6 7 8 9",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

#[test]
fn emails_plain_and_obfuscated() {
    for (text, span) in [
        ("skriv til ola@gmail.com.", "ola@gmail.com"),
        ("ola at gmail dot com", "ola at gmail dot com"),
        ("mail ola(at)gmail.com", "ola(at)gmail.com"),
        ("mail ola @ gmail.com", "ola @ gmail.com"),
        ("mail ola＠gmail.com", "ola＠gmail.com"),
        ("mail ola [at] gmail [dot] com", "ola [at] gmail [dot] com"),
        (
            "ola alfakrøll online punktum no",
            "ola alfakrøll online punktum no",
        ),
    ] {
        one(text, K::Email, span);
    }
    for text in [
        "Hun sa at vg.no skrev om det",
        "møtes @ Oslo S",
        "han sa at gmail er bra",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

#[test]
fn handles_after_at_and_platform_words() {
    for (text, span) in [
        ("snap: ola_2009", "ola_2009"),
        ("@kari.h la ut video", "@kari.h"),
        ("har sc karih", "karih"),
        ("insta kari.h99 ble nevnt", "kari.h99"),
        ("tiktok: xolax", "xolax"),
        ("la til snapen hennes kari_h", "kari_h"),
        ("Sjekk Tinder-profilen hans: ola.nordmann", "ola.nordmann"),
    ] {
        one(text, K::Handle, span);
    }
    for text in [
        "de la ut på snap i går",
        "sendte snap til meg",
        "snapchat er det alle bruker",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

#[test]
fn names_full_and_about_a_person() {
    for (text, span) in [
        ("Ola (15) sa at han ville slutte", "Ola"),
        ("Snakket med Kari Nordmann i kveld", "Kari Nordmann"),
        ("Mohamed Abdi Warsame kom alene", "Mohamed Abdi Warsame"),
        ("Vi møtte Per på Tøyen", "Per"),
        ("Liv (16) var lei seg", "Liv"),
        ("Gutten heter Jussi", "Jussi"),
        ("Met Fatima, 16, at the station", "Fatima"),
    ] {
        one(text, K::Name, span);
    }
    for text in [
        "Per dag kom det 30 ungdommer.",
        "Sol og varmt, mange ute.",
        "Møttes på Olaf Ryes plass.",
        "Thorvald Meyers gate var full.",
        "Vi sto ved Oslo S.",
        "In May we had more youths out.",
        "Gjengen så på Paradise Hotel.",
        "Jentene sa de skulle hjem.",
        "Gjennomgikk rutiner med Politiets forebyggende enhet.",
        "Ved Tøyen T-banestasjon var det uro.",
        "Møtet med Salto-koordinatoren ble flyttet.",
        "Vi spurte om de trengte noe.",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

#[test]
fn addresses_in_a_home_context() {
    for (text, span) in [
        ("bor i Tvetenveien 150", "Tvetenveien 150"),
        (
            "Hjemmeadressen er Thorvald Meyers gate 12B.",
            "Thorvald Meyers gate 12B",
        ),
        ("Adresse: Hans Hauges gate 3 b", "Hans Hauges gate 3 b"),
        (
            "har flyttet til Strandkaien 92, 0791 Oslo",
            "Strandkaien 92, 0791 Oslo",
        ),
    ] {
        one(text, K::Address, span);
    }
    for text in [
        "Han bor på Olaf Ryes plass.",
        "Han bor i nærheten av Tvetenveien.",
        "Møttes utenfor Storgata 23 ved kiosken.",
        "Hun bor på Tøyen 3 uker til.",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

/// Area notes are lists of places, and many Oslo places carry a person's
/// name ("Karl Johan", "Carl Berner"): the demo's own area notes once
/// failed here, so they and notes written apart from the corpus stay clean.
#[test]
fn oslo_places_in_area_notes_are_not_names() {
    for text in [
        "Jernbanetorget – Karl Johan – Youngstorget",
        "Oslo S, Byporten og Vaterland",
        "Carl Berner og Dælenenga",
        "Fossum og Tokerud",
        "Runde via Sinsenkrysset og Årvoll, stille.",
        "Ungdom spurte om Uteseksjonen og Ungdomsloftet.",
        "Samtale med vekter på Byporten om ungdom som henger der.",
        "Tre gutter utenfor McDonald's på Storo, snakket om sommerjobb.",
        "Møtte kjente fra Grorud ved Romsås senter, snakket om skole.",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

#[test]
fn redacted_text_passes_the_screen_for_every_kind_and_language() {
    let text = "Ola (15) bor i Tvetenveien 150, tlf 912 34 567, snap: ola_2009, \
                ola@gmail.com, fnr 010209-10050";
    let findings = find_personal_data(text);
    let kinds: Vec<K> = findings.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            K::Name,
            K::Address,
            K::Phone,
            K::Handle,
            K::Email,
            K::NationalId
        ]
    );
    for lang in ["nb", "en"] {
        let clean = redact(text, &findings, lang);
        assert!(screen("note", &clean).is_ok(), "{clean}");
        for f in &findings {
            assert!(clean.contains(f.kind.placeholder(lang)), "{clean}");
        }
    }
}

/// Text before a match that NFKC changes (a ligature becomes two letters,
/// full-width letters become ASCII, a no-break space a space) or that is
/// more than one byte per character.
fn tricky_prefix() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "ﬁne", "ｆint", "😀", "blåbær", "\u{a0}", "\u{2011}", "café", "e\u{301}",
        ]),
        0..6,
    )
    .prop_map(|parts| parts.join(" ") + " ")
}

fn lowercase_word() -> impl Strategy<Value = String> {
    "[a-z]{3,8}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn email_spans_cover_the_address(
        before in tricky_prefix(), local in lowercase_word(), n in 1u32..2000,
        form in 0usize..5,
    ) {
        let local = format!("{local}{n}");
        let email = match form {
            0 => format!("{local}@gmail.com"),
            1 => format!("{local} at gmail dot com"),
            2 => format!("{local}(at)hotmail.com"),
            3 => format!("{local} @ outlook.com"),
            _ => format!("{local}＠online.no"),
        };
        let text = format!("{before}{email} i kveld");
        let start = before.chars().count();
        prop_assert_eq!(
            find_personal_data(&text),
            vec![Finding { kind: K::Email, start, end: start + email.chars().count() }],
            "text {:?}", text
        );
    }

    #[test]
    fn handle_spans_cover_the_handle(before in tricky_prefix(), word in lowercase_word(), n in 1u32..99, at in any::<bool>()) {
        let handle = format!("{word}_{n}");
        let (lead, span) = if at { (String::new(), format!("@{handle}")) } else { ("snap: ".to_string(), handle.clone()) };
        let text = format!("{before}{lead}{span} la ut video");
        let start = before.chars().count() + lead.chars().count();
        prop_assert_eq!(
            find_personal_data(&text),
            vec![Finding { kind: K::Handle, start, end: start + span.chars().count() }],
            "text {:?}", text
        );
    }

    #[test]
    fn known_full_names_are_found_where_they_are(
        before in tricky_prefix(),
        first in prop::sample::select(vec!["Ola", "Kari", "Ahmed", "Fatima", "Yonas", "Zofia", "Minh", "Aylin"]),
        last in prop::sample::select(vec!["Hansen", "Nordmann", "Khan", "Warsame", "Tesfay", "Nowak", "Nguyen", "Yilmaz"]),
    ) {
        let name = format!("{first} {last}");
        let text = format!("{before}møtte {name} ved kiosken");
        let start = before.chars().count() + "møtte ".chars().count();
        prop_assert_eq!(
            find_personal_data(&text),
            vec![Finding { kind: K::Name, start, end: start + name.chars().count() }],
            "text {:?}", text
        );
    }

    #[test]
    fn home_addresses_are_found_where_they_are(
        before in tricky_prefix(), root in "[A-ZÆØÅ][a-zæøå]{3,9}",
        ending in prop::sample::select(vec!["veien", "gata", "vegen", "bakken", "stien", "lia"]),
        number in 1u32..300, letter in prop::sample::select(vec!["", "B", " b"]),
    ) {
        let address = format!("{root}{ending} {number}{letter}");
        let text = format!("{before}hun bor i {address} med mor");
        let start = before.chars().count() + "hun bor i ".chars().count();
        let found = find_personal_data(&text);
        prop_assert_eq!(
            found,
            vec![Finding { kind: K::Address, start, end: start + address.chars().count() }],
            "text {:?}", text
        );
    }
}

/// Issue 15: a youth's birth date written alone, after a word about
/// birth; dates of the work are not.
#[test]
fn birth_dates_written_alone() {
    for (text, span) in [
        ("jenta er født 12.03.2009, sier hun", "12.03.2009"),
        ("gutt f. 3/4-08", "3/4-08"),
        ("bursdag 14. mai 2010, fyller 16", "14. mai 2010"),
        ("fødselsdato: 2008-10-04", "2008-10-04"),
        ("born 15/08/2008", "15/08/2008"),
        ("f.d. 21.01.2010", "21.01.2010"),
        ("født den 12.03.2009", "12.03.2009"),
        ("født 14. 5. 2010", "14. 5. 2010"),
        ("født 12-03-2009", "12-03-2009"),
        ("født 2. februar 2009, bor med faren", "2. februar 2009"),
    ] {
        one(text, K::BirthDate, span);
    }
    // Only "den" may stand between the birth word and the date; the
    // separators must be a date's; the year has two or four digits; a
    // year-month-day date has hyphens both times.
    for text in [
        "født, møte 12.03.2026",
        "bursdag fest 12.03.2026",
        "født 12:03:2009",
        "født 12.03/2009",
        "født 12.03.200",
        "født 2008-10/04",
        "født 14. mai 20100",
        "født 32. mai 2010",
    ] {
        let birth = find_personal_data(text)
            .iter()
            .any(|f| f.kind == K::BirthDate);
        assert!(!birth, "{text:?}: {:?}", found(text));
    }
    for text in [
        "møte 12.03.2026 med skolen",
        "17. mai på Tøyen",
        "født i Somalia, kom hit i 2019",
        "født 12.13.09", // no thirteenth month
    ] {
        assert!(
            find_personal_data(text).is_empty(),
            "{text:?}: {:?}",
            found(text)
        );
    }
}

/// Issue 15: vehicle registrations; "kl 2230", amounts and lines are not.
#[test]
fn vehicle_registrations() {
    for (text, span) in [
        ("så dem i en tesla, EL 48213", "EL 48213"),
        ("bil reg.nr DN47720", "DN47720"),
        ("reg.nr. BT 71 234 - hvit varebil", "BT 71 234"),
        ("moped med skilt KT 3817", "KT 3817"),
        ("audien (VH-28374) står ved linderud", "VH-28374"),
    ] {
        one(text, K::VehicleRegistration, span);
    }
    for text in [
        "kl 2230 var det rolig",
        "kr 45000 i tilskudd",
        "buss 3817 kom sent",
        "AB 1234",
    ] {
        assert!(
            find_personal_data(text).is_empty(),
            "{text:?}: {:?}",
            found(text)
        );
    }
}

/// A name typed with a decomposed "å" (a + U+030A, as some keyboards send
/// it) reads as the composed name, and the span covers both characters.
#[test]
fn decomposed_letters_compose_before_screening() {
    let text = "Ha\u{030A}kon (15) sa at han gruer seg";
    assert_eq!(found(text), vec![(K::Name, "Ha\u{030A}kon".to_string())]);
}
