//! The one translation table: every text of the dashboard in bokmål and
//! English, by key. Bokmål is the default; a cookie set by `/lang/en`
//! chooses English. Vocabulary labels (topics, services…) come from
//! `export::labels`, which holds them in both languages.

use axum::extract::{Path, Query};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use std::collections::HashMap;

use crate::export::labels::Label;
use feltlogg_core::RefusalCode;

mod devices;
mod restored;
mod words;

/// The page language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    /// The `lang` attribute value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The language chosen by the `fl_lang` cookie (bokmål without one).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        match cookie(headers, LANG_COOKIE) {
            Some("en") => Lang::En,
            _ => Lang::Nb,
        }
    }
}

/// Cookie that remembers the language.
const LANG_COOKIE: &str = "fl_lang";

/// The value of cookie `name`, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `GET /lang/{nb|en}?back=/path`: sets the language cookie and goes back.
#[tracing::instrument(skip_all)]
pub async fn switch(
    Path(lang): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = if lang == "en" { "en" } else { "nb" };
    // Only local paths: never an open redirect.
    let mut resp = super::auth::redirect::see_other(q.get("back").map_or("/", String::as_str));
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(SET_COOKIE, v);
    }
    resp
}

/// What refusal `code` means in `lang`; `None` for a code newer than this
/// server. A `match`, so a code added to [`RefusalCode`] does not compile
/// until it is explained here.
pub fn refusal_text(lang: Lang, code: RefusalCode) -> Option<&'static str> {
    let key = match code {
        RefusalCode::ShiftLocked => "refused.shift_locked",
        RefusalCode::NeedTwoToLog => "refused.need_two_to_log",
        RefusalCode::NeedTwoToStart => "refused.need_two_to_start",
        RefusalCode::AlreadyOnOpenShift => "refused.already_on_open_shift",
        RefusalCode::AlreadyCheckedIn => "refused.already_checked_in",
        RefusalCode::PersonalData => "refused.personal_data",
        RefusalCode::BadTransition => "refused.bad_transition",
        RefusalCode::UnknownWorker => "refused.unknown_worker",
        RefusalCode::ShiftUnknown => "refused.shift_unknown",
        RefusalCode::EncounterUnknown => "refused.encounter_unknown",
        RefusalCode::WrongUnit => "refused.wrong_unit",
        RefusalCode::Invalid => "refused.invalid",
        RefusalCode::Malformed
        | RefusalCode::UnknownField
        | RefusalCode::UnknownValue
        | RefusalCode::BadStamp => "refused.unreadable",
        RefusalCode::Unknown => return None,
    };
    lookup(lang, key)
}

/// The text of `key` in `lang`; `??` when it is missing (the test
/// `every_key_the_dashboard_uses_exists` checks that none is).
pub fn t(lang: Lang, key: &str) -> &'static str {
    lookup(lang, key).unwrap_or("??")
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    all_texts()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, nb, en)| match lang {
            Lang::Nb => nb,
            Lang::En => en,
        })
}

/// A vocabulary value's label in `lang`, from the export labels (which
/// hold both languages side by side).
pub fn vocab(lang: Lang, label: Label) -> &'static str {
    match lang {
        Lang::Nb => label.nb,
        Lang::En => label.en,
    }
}

/// Every table: this one and the feedback pages' own
/// (`web::feedback::texts`), kept apart so neither grows past a screenful
/// of concerns.
fn all_texts() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    TEXTS
        .iter()
        .chain(super::feedback::texts::TEXTS)
        .chain(words::TEXTS)
        .chain(devices::TEXTS)
        .chain(restored::TEXTS)
}

/// (key, bokmål, English).
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "Feltlogg", "Feltlogg"),
    ("nav.label", "Hovedmeny", "Main menu"),
    ("nav.skip", "Hopp til innholdet", "Skip to content"),
    ("nav.review", "Til godkjenning", "Review queue"),
    ("nav.refusals", "Avviste endringer", "Refused changes"),
    ("nav.export", "Eksport", "Export"),
    ("nav.figures", "Nøkkeltall", "Key figures"),
    ("nav.units", "Enheter", "Units"),
    ("nav.users", "Brukere", "Users"),
    ("nav.devices", "Enheter (telefoner)", "Devices"),
    ("nav.audit", "Revisjonslogg", "Audit log"),
    ("nav.sessions", "Mine innlogginger", "My sessions"),
    ("people.sign_in", "Innlogging", "Sign-in"),
    ("nav.logout", "Logg ut", "Sign out"),
    ("nav.other_lang", "English", "Norsk (bokmål)"),
    ("nav.signed_in_as", "Innlogget som", "Signed in as"),
    ("role.worker", "utekontakt", "worker"),
    ("role.team_lead", "teamleder", "team lead"),
    ("role.admin", "administrator", "admin"),
    ("err.title", "Noe gikk galt", "Something went wrong"),
    (
        "err.forbidden",
        "Du har ikke tilgang til denne siden.",
        "You do not have access to this page.",
    ),
    (
        "err.not_found",
        "Fant ikke siden, eller den hører ikke til dine enheter.",
        "Not found, or it does not belong to your units.",
    ),
    (
        "err.csrf",
        "Skjemaet er utløpt eller kom ikke fra denne siden. Last siden på nytt og prøv igjen.",
        "The form has expired or did not come from this site. Reload the page and try again.",
    ),
    (
        "err.internal",
        "Serveren klarte ikke å fullføre forespørselen. Prøv igjen senere.",
        "The server could not complete the request. Try again later.",
    ),
    ("err.back", "Tilbake til oversikten", "Back to the overview"),
    ("login.title", "Logg inn", "Sign in"),
    ("login.username", "Brukernavn", "Username"),
    ("login.password", "Passord", "Password"),
    ("login.submit", "Logg inn", "Sign in"),
    (
        "login.failed",
        "Feil brukernavn eller passord.",
        "Wrong username or password.",
    ),
    (
        "login.wait",
        "For mange mislykkede forsøk. Vent {s} sekunder og prøv igjen.",
        "Too many failed attempts. Wait {s} seconds and try again.",
    ),
    (
        "login.expired",
        "Innloggingsskjemaet er utløpt. Prøv igjen.",
        "The sign-in form has expired. Try again.",
    ),
    (
        "login.lead",
        "For teamledere og administratorer. Utekontakter bruker appen.",
        "For team leads and admins. Field workers use the app.",
    ),
    (
        "review.title",
        "Vakter til godkjenning",
        "Shifts waiting for review",
    ),
    (
        "review.intro",
        "Avsluttede vakter i dine enheter, eldste først.",
        "Closed shifts in your units, oldest first.",
    ),
    (
        "review.empty",
        "Ingen vakter venter på godkjenning.",
        "No shifts are waiting for review.",
    ),
    ("review.select", "Velg", "Select"),
    (
        "review.select_shift",
        "Velg vakt fra {t}",
        "Select shift of {t}",
    ),
    (
        "review.bulk",
        "Godkjenn valgte vakter",
        "Approve selected shifts",
    ),
    (
        "review.bulk_done",
        "{n} vakter godkjent.",
        "{n} shifts approved.",
    ),
    (
        "review.bulk_failed",
        "{n} vakter kunne ikke godkjennes.",
        "{n} shifts could not be approved.",
    ),
    (
        "review.approved",
        "Vakten er godkjent.",
        "The shift is approved.",
    ),
    (
        "review.returned",
        "Vakten er sendt tilbake.",
        "The shift was returned.",
    ),
    ("col.unit", "Enhet", "Unit"),
    ("col.bydel", "Bydel", "District"),
    ("col.started", "Start", "Started"),
    ("col.closed", "Avsluttet", "Closed"),
    ("col.workers", "Ansatte", "Workers"),
    ("col.hours", "Timer", "Hours"),
    ("col.encounters", "Kontakter", "Encounters"),
    ("col.referrals", "Formidlinger", "Referrals"),
    ("col.warnings", "Merknader", "Warnings"),
    ("col.shift", "Vakt", "Shift"),
    ("col.when", "Tidspunkt", "When"),
    ("col.device", "Telefon", "Device"),
    ("col.kind", "Type", "Kind"),
    ("col.reason", "Årsak", "Reason"),
    // What each refusal code means, for a team lead reading the list.
    (
        "refused.shift_locked",
        "Endret etter at vakten var godkjent.",
        "Changed after the shift was approved.",
    ),
    (
        "refused.need_two_to_log",
        "Logget uten to arbeidere sjekket inn.",
        "Logged without two workers checked in.",
    ),
    (
        "refused.need_two_to_start",
        "Vakten startet uten to ulike arbeidere.",
        "The shift started without two different workers.",
    ),
    (
        "refused.already_on_open_shift",
        "Arbeideren var allerede på en annen åpen vakt.",
        "The worker was already on another open shift.",
    ),
    (
        "refused.already_checked_in",
        "Arbeideren var allerede sjekket inn på vakten.",
        "The worker was already checked in on the shift.",
    ),
    (
        "refused.personal_data",
        "Fritekst med noe som ligner personopplysninger.",
        "Free text with something that looks like personal data.",
    ),
    (
        "refused.bad_transition",
        "Telefonen prøvde å godkjenne eller sende tilbake en vakt.",
        "The phone tried to approve or return a shift.",
    ),
    (
        "refused.unknown_worker",
        "Arbeideren er ikke aktiv i enheten.",
        "The worker is not active in the unit.",
    ),
    (
        "refused.shift_unknown",
        "Vakten var ikke kjent på serveren ennå.",
        "The shift was not yet known to the server.",
    ),
    (
        "refused.encounter_unknown",
        "Kontakten var ikke kjent på serveren ennå.",
        "The contact was not yet known to the server.",
    ),
    (
        "refused.wrong_unit",
        "Posten hører til en annen enhet.",
        "The record belongs to another unit.",
    ),
    (
        "refused.invalid",
        "Et felt var ikke gyldig.",
        "A field was not valid.",
    ),
    (
        "refused.unreadable",
        "Telefonen sendte noe serveren ikke kunne lese. Oppdater appen.",
        "The phone sent something the server could not read. Update the app.",
    ),
    ("col.name", "Navn", "Name"),
    ("col.username", "Brukernavn", "Username"),
    ("col.role", "Rolle", "Role"),
    ("col.status", "Status", "Status"),
    ("col.actions", "Handlinger", "Actions"),
    ("col.enrolled", "Registrert", "Enrolled"),
    ("col.last_push", "Sist synkronisert", "Last sync"),
    ("col.who", "Hvem", "Who"),
    ("col.action", "Handling", "Action"),
    ("col.target", "Gjelder", "Target"),
    ("col.detail", "Detaljer", "Detail"),
    ("col.code", "Kode", "Code"),
    ("warn.long", "Over 12 timer", "Over 12 hours"),
    ("warn.no_encounters", "Ingen kontakter", "No encounters"),
    (
        "warn.refused",
        "{n} avviste endringer",
        "{n} refused changes",
    ),
    (
        "warn.one_worker",
        "Færre enn to ansatte",
        "Fewer than two workers",
    ),
    ("shift.title", "Vakt {t}", "Shift {t}"),
    ("shift.area", "Planlagt område", "Planned area"),
    ("shift.reflection", "Refleksjon", "Reflection"),
    ("shift.members", "Ansatte på vakten", "Workers on the shift"),
    ("shift.checked_in", "Sjekket inn", "Checked in"),
    ("shift.checked_out", "Sjekket ut", "Checked out"),
    ("shift.encounters", "Kontakter", "Encounters"),
    (
        "shift.no_encounters",
        "Ingen kontakter er logget.",
        "No encounters were logged.",
    ),
    ("shift.place", "Sted", "Place"),
    ("shift.youths", "Ungdommer", "Youths"),
    ("shift.age", "Alder", "Age"),
    ("shift.gender", "Kjønn", "Gender"),
    ("shift.contact", "Kontakt", "Contact"),
    ("shift.topics", "Tema", "Topics"),
    ("shift.did", "Tiltak", "Actions"),
    ("shift.residence", "Bosted", "Lives in"),
    ("shift.note", "Notat", "Note"),
    ("shift.referrals", "Formidlinger", "Referrals"),
    ("shift.no_referrals", "Ingen formidlinger.", "No referrals."),
    ("shift.service", "Tjeneste", "Service"),
    ("shift.refusals", "Avviste endringer", "Refused changes"),
    (
        "shift.no_refusals",
        "Ingen avviste endringer.",
        "No refused changes.",
    ),
    ("shift.history", "Beslutninger", "Decisions"),
    (
        "shift.no_history",
        "Ingen beslutninger ennå.",
        "No decisions yet.",
    ),
    (
        "shift.decide",
        "Godkjenn eller send tilbake",
        "Approve or return",
    ),
    ("shift.approve", "Godkjenn vakten", "Approve the shift"),
    (
        "shift.comment",
        "Kommentar (påkrevd når vakten sendes tilbake)",
        "Comment (required to return the shift)",
    ),
    (
        "shift.return",
        "Send tilbake til rettelse",
        "Return for correction",
    ),
    (
        "shift.comment_required",
        "Skriv hva som skal rettes før du sender vakten tilbake.",
        "Say what to correct before returning the shift.",
    ),
    (
        "shift.not_closed",
        "Bare avsluttede vakter kan godkjennes eller sendes tilbake.",
        "Only closed shifts can be approved or returned.",
    ),
    ("status.open", "åpen", "open"),
    ("status.closed", "avsluttet", "closed"),
    ("status.approved", "godkjent", "approved"),
    ("status.returned", "sendt tilbake", "returned"),
    ("refusals.title", "Avviste endringer", "Refused changes"),
    (
        "refusals.intro",
        "Endringer fra telefonene som serveren ikke tok inn, med årsak (for eksempel sene endringer i godkjente vakter).",
        "Changes from the phones that the server did not take in, with the reason (for example late edits to approved shifts).",
    ),
    (
        "refusals.empty",
        "Ingen avviste endringer.",
        "No refused changes.",
    ),
    ("export.title", "Eksport", "Export"),
    (
        "export.intro",
        "Totaler per bydel fra godkjente vakter. Tall fra 1 til {n} vises som <{m}.",
        "Totals per district from approved shifts. Counts from 1 to {n} are shown as <{m}.",
    ),
    (
        "export.scope_units",
        "Bare dine enheter: {u}.",
        "Only your units: {u}.",
    ),
    ("export.period", "Periode", "Period"),
    ("export.kind", "Type periode", "Kind of period"),
    ("export.kind.month", "Måned", "Month"),
    ("export.kind.quarter", "Kvartal", "Quarter"),
    ("export.kind.year", "År", "Year"),
    ("export.kind.range", "Datoer", "Date range"),
    (
        "export.kind.ytd",
        "Hittil i år (januar til og med måneden)",
        "Year to date (January to the end of the month)",
    ),
    ("export.year", "År", "Year"),
    ("export.quarter", "Kvartal", "Quarter"),
    ("export.month", "Måned", "Month"),
    ("export.from", "Fra dato", "From date"),
    ("export.to", "Til dato", "To date"),
    ("export.format", "Format", "Format"),
    (
        "export.format.excel",
        "CSV for Excel (semikolon, UTF-8 med BOM)",
        "CSV for Excel (semicolon, UTF-8 with BOM)",
    ),
    ("export.format.csv", "CSV (RFC 4180)", "CSV (RFC 4180)"),
    (
        "export.format.xlsx",
        "Excel-arbeidsbok (.xlsx)",
        "Excel workbook (.xlsx)",
    ),
    (
        "export.format.totals",
        "Totalfil til nasjonal statistikk (JSON, signert, uten skjuling)",
        "Totals file for national statistics (JSON, signed, unsuppressed)",
    ),
    (
        "export.totals_note",
        "Totalfilen holder alle enheters tall for {k} uten at små tall er skjult, signert med serverens nøkkel. Den er bare for det nasjonale statistikkorganet, som summerer kommunenes filer og skjuler små tall etterpå: publiser den aldri, og send den bare dit. Nedlastingen logges.",
        "The totals file holds every unit's counts for {k} with no small numbers hidden, signed with the server's key. It is for the national statistics body only, which sums the municipalities' files and hides small numbers afterwards: never publish it, and send it there only. The download is logged.",
    ),
    ("export.submit", "Last ned", "Download"),
    ("figures.title", "Nøkkeltall", "Key figures"),
    ("figures.show", "Vis", "Show"),
    (
        "figures.table",
        "Nøkkeltall per bydel, {p}",
        "Key figures per district, {p}",
    ),
    ("figures.shifts", "Vakter", "Shifts"),
    ("figures.hours", "Felttimer", "Field hours"),
    ("figures.encounters", "Kontakter", "Encounters"),
    ("figures.youths", "Ungdommer møtt", "Youths met"),
    (
        "figures.ref100",
        "Formidlinger per 100 kontakter",
        "Referrals per 100 encounters",
    ),
    (
        "figures.two_plus",
        "Andel vakter med minst to ansatte (%)",
        "Share of shifts with two or more workers (%)",
    ),
    ("figures.top_topics", "Vanligste tema", "Top topics"),
    ("figures.total", "Totalt", "Total"),
    (
        "figures.chart_encounters",
        "Kontakter per bydel",
        "Encounters per district",
    ),
    (
        "figures.chart_hours",
        "Felttimer per bydel",
        "Field hours per district",
    ),
    (
        "figures.chart_topics",
        "Vanligste tema (kontakter)",
        "Top topics (encounters)",
    ),
    (
        "figures.chart_weekday",
        "Kontakter per ukedag",
        "Encounters per weekday",
    ),
    (
        "figures.chart_band",
        "Kontakter per tid på døgnet",
        "Encounters by time of day",
    ),
    (
        "figures.suppressed",
        "Tall under {m} vises ikke (<{m}).",
        "Counts below {m} are not shown (<{m}).",
    ),
    (
        "figures.empty",
        "Ingen godkjente vakter i perioden.",
        "No approved shifts in the period.",
    ),
    (
        "figures.threshold",
        "Grense for små tall",
        "Small-number threshold",
    ),
    ("figures.threshold_save", "Lagre grense", "Save threshold"),
    ("people.units", "Enheter", "Units"),
    ("people.add_unit", "Legg til enhet", "Add unit"),
    ("people.unit_name", "Navn på enheten", "Unit name"),
    ("people.users", "Brukere", "Users"),
    ("people.add_user", "Legg til bruker", "Add user"),
    ("people.display_name", "Visningsnavn", "Display name"),
    ("people.unit", "Enhet", "Unit"),
    (
        "people.no_unit",
        "Ingen (bare administratorer)",
        "None (admins only)",
    ),
    (
        "people.pin",
        "PIN (6 siffer, utekontakter)",
        "PIN (6 digits, workers)",
    ),
    (
        "people.password",
        "Passord (minst 10 tegn, teamledere og administratorer)",
        "Password (10 characters or more, team leads and admins)",
    ),
    ("people.active", "aktiv", "active"),
    ("people.inactive", "deaktivert", "deactivated"),
    ("people.deactivate", "Deaktiver {u}", "Deactivate {u}"),
    (
        "people.reset",
        "Ny PIN eller nytt passord for {u}",
        "New PIN or password for {u}",
    ),
    ("people.reset_submit", "Lagre", "Save"),
    ("people.saved", "Lagret.", "Saved."),
    (
        "people.enrol",
        "Registreringskode for ny telefon",
        "Enrolment code for a new phone",
    ),
    ("people.enrol_ttl", "Gyldig i minutter", "Valid for minutes"),
    ("people.enrol_submit", "Lag kode", "Make code"),
    (
        "people.enrol_code",
        "Registreringskode for {u}, gyldig i {m} minutter. Den vises bare nå:",
        "Enrolment code for {u}, valid for {m} minutes. It is shown only now:",
    ),
    ("people.devices", "Telefoner", "Devices"),
    ("people.revoke", "Tilbakekall {d}", "Revoke {d}"),
    ("people.revoked", "tilbakekalt {t}", "revoked {t}"),
    ("people.in_use", "i bruk", "in use"),
    ("people.never", "aldri", "never"),
    ("audit.title", "Revisjonslogg", "Audit log"),
    (
        "audit.intro",
        "Alle godkjenninger, returer, eksporter, registreringskoder, tilbakekallinger og brukerendringer. Loggen kan ikke endres.",
        "Every approval, return, export, enrolment code, revocation and user change. The log cannot be edited.",
    ),
    ("audit.older", "Eldre oppføringer", "Older entries"),
    ("audit.empty", "Ingen oppføringer.", "No entries."),
    (
        "screen.comment_refused",
        "Kommentaren går ut til telefonene og kan ikke inneholde noe som identifiserer noen. Se det som er markert under.",
        "The comment goes out to the phones and may not identify anyone. See what is marked below.",
    ),
    (
        "screen.comment_found",
        "Funnet i kommentaren:",
        "Found in the comment:",
    ),
    ("screen.at", "tegn {a}–{b}", "characters {a}–{b}"),
    (
        "screen.fix",
        "Erstatt med plassholder",
        "Replace with placeholder",
    ),
    (
        "screen.fixed",
        "Erstattet med plassholder. Les over kommentaren og send den.",
        "Replaced with a placeholder. Read the comment through and send it.",
    ),
    (
        "finding.national_id",
        "Fødselsnummer",
        "National identity number",
    ),
    ("finding.d_number", "D-nummer", "D-number"),
    ("finding.h_number", "H-nummer", "H-number"),
    ("finding.phone", "Telefonnummer", "Phone number"),
    ("finding.email", "E-postadresse", "E-mail address"),
    (
        "finding.handle",
        "Brukernavn i sosiale medier",
        "Social media handle",
    ),
    ("finding.name", "Navn", "Name"),
    ("finding.address", "Adresse", "Address"),
    ("finding.birth_date", "Fødselsdato", "Birth date"),
    (
        "finding.vehicle_registration",
        "Registreringsnummer",
        "Registration number",
    ),
    (
        "review.scan_link",
        "Sjekk lagret tekst for personopplysninger",
        "Check stored text for personal data",
    ),
    (
        "scan.title",
        "Personopplysninger i lagret tekst",
        "Personal data in stored text",
    ),
    (
        "scan.intro",
        "Notater, refleksjoner og kommentarer som allerede er lagret, sjekket med dagens anonymitetskontroll. «Erstatt med plassholder» bytter ut det som er markert, logges og går til telefonene som en vanlig endring, også på godkjente vakter.",
        "Notes, reflections and comments already stored, checked with today's anonymity screen. \u{201c}Replace with placeholder\u{201d} replaces what is marked, is logged, and goes to the phones as an ordinary change, approved shifts included.",
    ),
    ("scan.empty", "Ingenting funnet.", "Nothing found."),
    ("scan.count", "{n} tekster flagget.", "{n} texts flagged."),
    (
        "scan.redacted",
        "Erstattet med plassholder. Telefonene får endringen ved neste synkronisering.",
        "Replaced with placeholders. The phones get the change on their next sync.",
    ),
    (
        "scan.nothing",
        "Kontrollen finner ikke noe der lenger; ingenting ble endret.",
        "The screen finds nothing there any more; nothing was changed.",
    ),
    ("scan.where", "Hvor", "Where"),
    ("scan.field", "Felt", "Field"),
    ("scan.text", "Tekst", "Text"),
    ("scan.found", "Funnet", "Found"),
    ("scan.action", "Handling", "Action"),
    ("scan.source.shift", "Vakt", "Shift"),
    ("scan.source.encounter", "Kontakt", "Encounter"),
    ("scan.source.referral", "Formidling", "Referral"),
    (
        "scan.source.return_comment",
        "Returkommentar",
        "Return comment",
    ),
    ("scan.field.area_note", "Område", "Area"),
    ("scan.field.reflection", "Refleksjon", "Reflection"),
    ("scan.field.note", "Notat", "Note"),
    ("scan.field.comment", "Kommentar", "Comment"),
    (
        "scan.redact",
        "Erstatt med plassholder",
        "Replace with placeholder",
    ),
    (
        "scan.signed",
        "Signert beslutning: kan ikke endres her",
        "Signed decision: cannot be changed here",
    ),
    (
        "login.oidc",
        "Logg inn med kommunens konto",
        "Sign in with the municipality's account",
    ),
    (
        "oidc.failed",
        "Innloggingen med kommunens konto ble avvist.",
        "Sign-in with the municipality's account was refused.",
    ),
    (
        "oidc.again",
        "Prøv å logge inn på nytt",
        "Try signing in again",
    ),
    ("oidc.continue", "Fortsett", "Continue"),
    (
        "oidc.not_linked",
        "kontoen hos kommunen er ikke koblet til en bruker i Feltlogg; be en administrator koble den",
        "the account at the municipality is not linked to a Feltlogg user; ask an admin to link it",
    ),
    (
        "oidc.link_title",
        "Kommunens konto (OpenID Connect)",
        "The municipality's account (OpenID Connect)",
    ),
    (
        "oidc.link_help",
        "Oppgi kontoens faste ID (sub) hos kommunen, eller en e-postadresse som kobles ved første innlogging med bekreftet e-post. Tomme felt fjerner koblingen.",
        "Give the account's stable id (sub) at the municipality, or an e-mail address that is linked at the first sign-in with a verified e-mail. Empty fields remove the link.",
    ),
    ("oidc.subject", "Fast ID (sub)", "Stable id (sub)"),
    ("oidc.email", "E-post", "E-mail"),
    ("oidc.link_save", "Lagre kobling", "Save link"),
    ("sessions.title", "Mine innlogginger", "My sessions"),
    (
        "sessions.intro",
        "Innlogginger som fortsatt er gyldige. Ser du en du ikke kjenner igjen, logg ut overalt og si fra til en administrator.",
        "Sessions still valid. If you see one you do not recognise, sign out everywhere and tell an admin.",
    ),
    ("sessions.this", "denne", "this one"),
    ("sessions.began", "Logget inn", "Signed in"),
    ("sessions.seen", "Sist brukt", "Last used"),
    ("sessions.addr", "Fra adresse", "From address"),
    ("sessions.browser", "Nettleser", "Browser"),
    ("sessions.method", "Metode", "Method"),
    ("sessions.end_all", "Logg ut overalt", "Sign out everywhere"),
    (
        "sessions.end_user",
        "Avslutt alle innlogginger for {u}",
        "End every session of {u}",
    ),
    (
        "sessions.user_title",
        "Innlogging for {u}",
        "Sign-in of {u}",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The literal keys of every `t(lang, "key")` call in `text`.
    fn keys_used(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for (at, _) in text.match_indices("t(") {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `print(`, `split(`, …
            }
            let call = &text[at + 2..text.len().min(at + 120)];
            let args = call.split(')').next().unwrap_or("");
            let Some((_, rest)) = args.split_once(", \"") else {
                continue;
            };
            if let Some((key, _)) = rest.split_once('"')
                && key.contains('.')
                && !key.contains(' ')
            {
                keys.push(key.to_owned());
            }
        }
        keys
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_key_the_dashboard_uses_exists() {
        let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
        let mut files = Vec::new();
        rust_files(&web, &mut files);
        let mut checked = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read source");
            for key in keys_used(&text) {
                for lang in [Lang::Nb, Lang::En] {
                    assert!(
                        lookup(lang, &key).is_some(),
                        "{} uses key {key:?}, missing in {lang:?}",
                        file.display()
                    );
                }
                checked += 1;
            }
        }
        // The pages use hundreds of keys: a scan that finds few is broken.
        assert!(checked > 100, "only {checked} keys found");
        let sample = "let a = t(v.lang, \"no_such.key\"); let b = split(x, \"c.d\");";
        assert_eq!(keys_used(sample), ["no_such.key"]);
        assert_eq!(lookup(Lang::Nb, "no_such.key"), None);
    }

    #[test]
    fn keys_are_unique_and_both_languages_filled() {
        let mut seen = std::collections::HashSet::new();
        for (k, nb, en) in all_texts() {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!nb.is_empty() && !en.is_empty(), "empty text for {k}");
        }
    }

    #[test]
    fn every_refusal_code_the_server_gives_is_explained() {
        // The codes of sync_apply::checks (its own and core's).
        let codes = [
            "unknown_value",
            "need_two_to_start",
            "need_two_to_log",
            "already_on_open_shift",
            "already_checked_in",
            "shift_locked",
            "bad_transition",
            "personal_data",
            "invalid",
            "malformed",
            "bad_stamp",
            "wrong_unit",
            "shift_unknown",
            "encounter_unknown",
            "unknown_field",
            "unknown_worker",
        ];
        for code in codes {
            for lang in [Lang::Nb, Lang::En] {
                let code = RefusalCode::from_wire(code);
                assert!(refusal_text(lang, code).is_some(), "{code} in {lang:?}");
            }
        }
        for &code in RefusalCode::ALL {
            assert!(refusal_text(Lang::En, code).is_some(), "{code}");
        }
        let unknown = RefusalCode::from_wire("no_such_code");
        assert_eq!(refusal_text(Lang::Nb, unknown), None);
    }
}
