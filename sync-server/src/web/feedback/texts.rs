//! The feedback pages' texts, (key, bokmål, English), looked up by
//! `web::i18n::t` together with the dashboard's main table.

/// The feedback pages' (key, bokmål, English).
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("nav.feedback", "Tilbakemeldinger", "Feedback"),
    (
        "feedback.title",
        "Tilbakemeldinger fra ungdom",
        "Feedback from young people",
    ),
    (
        "feedback.intro",
        "Svar fra ungdom som har fått et tilbakemeldingskort. Ingenting vises for en enhet og periode med færre enn {m} svar. Bare hele kvartal og år som er ferdige vises.",
        "Answers from young people given a feedback card. Nothing is shown for a unit and period with fewer than {m} answers. Only whole quarters and years that have ended are shown.",
    ),
    (
        "feedback.cards_link",
        "Skriv ut tilbakemeldingskort",
        "Print feedback cards",
    ),
    ("feedback.show", "Vis", "Show"),
    ("feedback.kind", "Periode", "Period"),
    ("feedback.kind.quarter", "Kvartal", "Quarter"),
    ("feedback.kind.year", "År", "Year"),
    ("feedback.unit", "Enhet", "Unit"),
    ("feedback.all_units", "Alle mine enheter", "All my units"),
    (
        "feedback.not_ended",
        "Perioden er ikke ferdig. Svarene vises når den er over, så et nytt svar ikke kan leses som en endring.",
        "The period has not ended. Answers are shown when it is over, so that a new answer cannot be read off as a change.",
    ),
    (
        "feedback.bad_period",
        "Velg et helt kvartal eller et helt år.",
        "Pick a whole quarter or a whole year.",
    ),
    (
        "feedback.hidden",
        "Færre enn {m} svar i perioden. Ingenting vises, så ingen kan kjennes igjen.",
        "Fewer than {m} answers in the period. Nothing is shown, so nobody can be recognised.",
    ),
    ("feedback.answers", "{n} svar", "{n} answers"),
    ("feedback.question", "Spørsmål", "Question"),
    ("feedback.n", "Svar", "Answers"),
    ("feedback.mean", "Snitt (1–5)", "Mean (1–5)"),
    ("feedback.age", "Alder", "Age"),
    ("feedback.age_none", "Ikke oppgitt", "Not given"),
    (
        "feedback.age_caption",
        "Svar og snitt etter alder",
        "Answers and means by age",
    ),
    (
        "feedback.dash",
        "– betyr skjult: færre enn {m} svar, eller skjult så et lite tall ikke kan regnes ut av de andre.",
        "– means hidden: fewer than {m} answers, or hidden so that a small number cannot be worked out from the others.",
    ),
    (
        "feedback.chart_units",
        "Alt i alt: snitt per enhet",
        "All in all: mean per unit",
    ),
    (
        "feedback.chart_means",
        "Snitt per spørsmål",
        "Mean per question",
    ),
    (
        "feedback.chart_overall",
        "Alt i alt: svar per karakter",
        "All in all: answers per grade",
    ),
    ("feedback.texts", "Fritekst", "Free text"),
    (
        "feedback.texts_none",
        "Ingen fritekst i perioden.",
        "No free text in the period.",
    ),
    (
        "feedback.texts_lead_only",
        "Fritekst vises bare for enhetens teamleder, og eksporteres aldri.",
        "Free text is shown only to the unit's team lead, and never exported.",
    ),
    (
        "feedback.q.easy_to_reach",
        "Lett å ta kontakt",
        "Easy to get in touch",
    ),
    ("feedback.q.listened", "Ble hørt", "Was listened to"),
    (
        "feedback.q.helped",
        "Fikk hjelp, eller vite hvor",
        "Got help, or where to get it",
    ),
    (
        "feedback.q.trust",
        "Stoler på at det blir hos oss",
        "Trusts it stays with us",
    ),
    ("feedback.q.overall", "Alt i alt", "All in all"),
    (
        "feedback.threshold",
        "Minste antall svar før noe vises (minst 5)",
        "Fewest answers before anything is shown (at least 5)",
    ),
    ("feedback.threshold_save", "Lagre", "Save"),
    (
        "feedback.cards_title",
        "Tilbakemeldingskort",
        "Feedback cards",
    ),
    (
        "feedback.cards_intro",
        "Hvert kort har en kode som virker én gang. Gi kortene til ungdom dere møter, når dere vil. Koden er ikke knyttet til noen vakt, kontakt eller ansatt; revisjonsloggen viser bare hvem som skrev ut hvor mange.",
        "Each card has a code that works once. Hand the cards to young people you meet, whenever you like. A code is tied to no shift, encounter or worker; the audit log shows only who printed how many.",
    ),
    (
        "feedback.cards_valid",
        "Gyldige kort ute",
        "Valid cards out",
    ),
    ("feedback.cards_count", "Antall kort", "Number of cards"),
    (
        "feedback.cards_months",
        "Gyldige i (måneder)",
        "Valid for (months)",
    ),
    (
        "feedback.cards_print",
        "Lag kort for utskrift",
        "Make cards to print",
    ),
    (
        "feedback.cards_printed",
        "{n} kort for {u}. Skriv ut siden nå (Ctrl+P): kodene vises bare denne ene gangen.",
        "{n} cards for {u}. Print this page now (Ctrl+P): the codes are shown this once only.",
    ),
    (
        "feedback.cards_back",
        "Tilbake til tilbakemeldingskort",
        "Back to feedback cards",
    ),
];
