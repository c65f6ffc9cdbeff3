//! The texts of the unit's words and of "Dette er ikke en person" (issue
//! 15), part of the one translation table (see [`super::TEXTS`]): kept
//! apart only so the table's file stays readable.

/// (key, bokmål, English).
pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("nav.words", "Enhetens ord", "Unit words"),
    ("words.title", "Enhetens ord", "The unit's words"),
    (
        "words.index_intro",
        "Ord og navn som aldri er en person i enheten: fritidsklubben, en butikk, et gatenavn, en tjeneste. Anonymitetskontrollen tar dem ikke for navn, her eller på telefonene (de får listen ved neste synkronisering). Tall, e-post, brukernavn og adresser slipper aldri gjennom, uansett hva listen sier.",
        "Words and names that are never a person in the unit: the youth club, a shop, a street name, a service. The anonymity screen does not take them for names, here or on the phones (they get the list on their next sync). Numbers, e-mail, handles and addresses never get through, whatever the list says.",
    ),
    ("words.unit_title", "Enhetens ord: {u}", "Unit words: {u}"),
    (
        "words.municipality",
        "Ord for hele kommunen",
        "Words for the whole municipality",
    ),
    (
        "words.municipality_intro",
        "Gjelder alle enheter. Bare administratorer kan endre listen.",
        "Apply to every unit. Only admins can change the list.",
    ),
    ("words.word", "Ord eller navn", "Word or name"),
    ("words.add", "Legg til", "Add"),
    ("words.remove", "Fjern {w}", "Remove {w}"),
    ("words.added_by", "Lagt til av", "Added by"),
    ("words.added_at", "Lagt til", "Added"),
    ("words.empty", "Ingen ord ennå.", "No words yet."),
    (
        "words.added",
        "Lagt til. Telefonene får listen ved neste synkronisering.",
        "Added. The phones get the list on their next sync.",
    ),
    (
        "words.exists",
        "Ordet står på listen fra før.",
        "The word is on the list already.",
    ),
    (
        "words.removed",
        "Fjernet. Telefonene får listen ved neste synkronisering.",
        "Removed. The phones get the list on their next sync.",
    ),
    (
        "words.setting_saved",
        "Innstillingen er lagret.",
        "The setting is saved.",
    ),
    (
        "words.setting",
        "«Dette er ikke en person»",
        "\u{201c}This is not a person\u{201d}",
    ),
    (
        "words.setting_help",
        "Når kontrollen bare finner navn, kan feltarbeideren bekrefte at det ikke er en person. Notatet lagres med bekreftelsen, og du ser det markert på vakten og i listen over lagret tekst.",
        "When the screen finds only names, the worker can confirm it is not a person. The note is saved with the confirmation, and you see it marked on the shift and in the list of stored text.",
    ),
    ("words.setting_on", "Tillatt", "Allowed"),
    (
        "words.setting_off",
        "Ikke tillatt: alle navn må byttes ut",
        "Not allowed: every name must be replaced",
    ),
    (
        "words.setting_save",
        "Lagre innstillingen",
        "Save the setting",
    ),
    (
        "words.also",
        "Gjelder også (hele kommunen)",
        "Also applies (whole municipality)",
    ),
    (
        "confirmed.tag",
        "bekreftet: ikke en person",
        "confirmed: not a person",
    ),
    (
        "confirmed.legend",
        "Markert «bekreftet: ikke en person»: en feltarbeider har sagt at det kontrollen tok for et navn, ikke er en person. Fjern det eller legg ordet til enhetens ord under «Personopplysninger i lagret tekst».",
        "Marked \u{201c}confirmed: not a person\u{201d}: a worker said that what the screen took for a name is not a person. Remove it or add the word to the unit's words under \u{201c}Personal data in stored text\u{201d}.",
    ),
    (
        "confirmed.title",
        "Bekreftet som ikke en person",
        "Confirmed as not a person",
    ),
    (
        "confirmed.intro",
        "Navn som feltarbeiderne har bekreftet ikke er en person. Bytt dem ut med plassholder, eller legg ordet til enhetens ord så kontrollen ikke tar det for et navn igjen.",
        "Names the workers confirmed are not a person. Replace them with a placeholder, or add the word to the unit's words so the screen does not take it for a name again.",
    ),
    ("confirmed.none", "Ingen bekreftelser.", "No confirmations."),
    ("confirmed.word", "Ord", "Word"),
    (
        "confirmed.add",
        "Legg «{w}» til enhetens ord",
        "Add \u{201c}{w}\u{201d} to the unit's words",
    ),
    (
        "confirmed.added",
        "Lagt til i enhetens ord. Kontrollen tar det ikke for et navn lenger.",
        "Added to the unit's words. The screen no longer takes it for a name.",
    ),
];
