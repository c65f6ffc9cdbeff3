//! Bokmål, lettlest: short sentences, everyday words.

use super::Texts;

/// The form in bokmål.
pub(super) const TEXTS: Texts = Texts {
    name: "Norsk",
    title: "Hva synes du om oss?",
    intro: [
        "Vi vil bli bedre. Derfor spør vi deg.",
        "Det tar to minutter.",
        "Du er anonym. Vi vet ikke hvem du er.",
        "Du kan hoppe over spørsmål. Koden virker bare én gang.",
    ],
    questions: [
        "Var det lett å ta kontakt med oss?",
        "Hørte vi på deg?",
        "Fikk du hjelp? Eller fikk du vite hvor du kan få hjelp?",
        "Stoler du på at det du forteller oss, blir hos oss?",
        "Hvor fornøyd er du med oss, alt i alt?",
    ],
    scale: [
        "Nei, ikke i det hele tatt",
        "Nei, ikke så mye",
        "Litt",
        "Ja, ganske",
        "Ja, veldig",
    ],
    overall_scale: [
        "Veldig misfornøyd",
        "Misfornøyd",
        "Midt på treet",
        "Fornøyd",
        "Veldig fornøyd",
    ],
    skip: "Vil ikke svare",
    age_question: "Hvor gammel er du?",
    ages: [
        "Under 13 år",
        "13–15 år",
        "16–18 år",
        "19–23 år",
        "Over 23 år",
    ],
    age_skip: "Vil ikke si",
    text_question: "Noe du vil si til oss?",
    text_hint: "Ikke skriv navn, telefonnummer eller andre ting som viser hvem noen er.",
    send: "Send",
    found: "Det du skrev, kan vise hvem noen er. Vi har merket det:",
    fix: "Bytt ut det som er merket",
    fixed: "Vi byttet det ut. Se over og trykk Send.",
    findings: [
        "et personnummer",
        "et telefonnummer",
        "en e-postadresse",
        "et brukernavn",
        "et navn",
        "en adresse",
        "en fødselsdato",
        "et bilnummer",
    ],
    nothing: "Du har ikke svart på noe ennå. Svar på minst ett spørsmål.",
    resend: "Noe gikk galt. Trykk Send en gang til.",
    thanks: ["Takk!", "Svaret ditt er sendt. Du kan lukke siden nå."],
    refused: [
        "Denne koden virker ikke",
        "Kanskje koden er brukt før, er for gammel eller er skrevet feil. Hver kode virker bare én gang. Vil du si noe? Spør en utekontakt om et nytt kort.",
    ],
    busy: ["For mange forsøk", "Vent et kvarter. Prøv igjen etterpå."],
    bad: ["Noe er feil i skjemaet", "Gå tilbake og prøv igjen."],
    card_line: "Hva synes du om oss? Svar anonymt. Det tar to minutter.",
    card_scan: "Skann koden, eller gå til:",
    card_valid: "Virker én gang, til {d}.",
};
