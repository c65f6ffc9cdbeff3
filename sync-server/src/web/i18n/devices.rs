//! The texts of lost and retired phones on the devices page (issue 16),
//! part of the one translation table (see [`super::TEXTS`]): kept apart
//! only so the table's file stays readable.

/// (key, bokmål, English).
pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("col.last_contact", "Sist i kontakt", "Last contact"),
    (
        "col.last_batch",
        "Siste pakke mottatt",
        "Last batch received",
    ),
    ("devices.batch", "nr. {n}, {t}", "no. {n}, {t}"),
    ("devices.retire", "Pensjoner {d}", "Retire {d}"),
    ("devices.lost", "Meld {d} tapt", "Report {d} lost"),
    ("devices.retired", "pensjonert {t}", "retired {t}"),
    ("devices.lost_at", "meldt tapt {t}", "reported lost {t}"),
    (
        "devices.fetched",
        "telefonen har hentet beskjeden",
        "the phone has fetched the instruction",
    ),
    (
        "devices.not_fetched",
        "telefonen har ikke hentet beskjeden ennå",
        "the phone has not fetched the instruction yet",
    ),
    ("devices.confirm_title", "Bekreft: {d}", "Confirm: {d}"),
    (
        "devices.confirm_retire",
        "Telefonen sender det den har igjen, og tømmer seg deretter: databasen og nøkkelen slettes. Den kan ikke synkronisere mer, og må registreres på nytt for å brukes igjen.",
        "The phone sends what it has left, then empties itself: its database and key are deleted. It cannot sync any more and must be enrolled again to be used.",
    ),
    (
        "devices.confirm_lost",
        "Telefonen tømmes med en gang den når serveren: databasen og nøkkelen slettes, og det den ikke har sendt, går tapt. Den får ikke mer data. Bruk dette for en telefon som er mistet eller stjålet.",
        "The phone is emptied as soon as it reaches the server: its database and key are deleted, and what it has not sent is lost. It gets no more data. Use this for a phone that is lost or stolen.",
    ),
    (
        "devices.do_retire",
        "Ja, pensjoner telefonen",
        "Yes, retire the phone",
    ),
    (
        "devices.do_lost",
        "Ja, meld telefonen tapt",
        "Yes, report the phone lost",
    ),
    ("devices.cancel", "Avbryt", "Cancel"),
];
