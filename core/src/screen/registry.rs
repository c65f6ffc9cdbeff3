//! The recognisers behind one trait, in one ordered registry, over one
//! shared scan (as mini-redis gives every command one shape). Order is
//! precedence: where two findings overlap, the one from the earlier
//! recogniser stands ("ola91234567@eksempel.no" is an e-mail, not a
//! phone; a birth date in a personnummer is the number).

use super::model::Model;
use super::{
    FindingKind, NameSource, Scan, address, birth_date, email, handle, name, national_id, phone,
    vehicle,
};

/// A span of one kind in the scan's normalised characters.
pub(crate) type Found = (FindingKind, usize, usize);

/// One kind of personal data and how to find it in a scan.
pub(crate) trait Recogniser {
    /// Every span this recogniser finds, in normalised characters.
    fn find(&self, scan: &Scan) -> Vec<Found>;
}

/// Runs `at` at every position, skipping past each match, as the
/// character-level recognisers read a text.
fn each_position(
    chars: &[char],
    mut at: impl FnMut(usize) -> Option<(FindingKind, usize, usize)>,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match at(i) {
            Some((kind, start, end)) if end > i => {
                out.push((kind, start, end));
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

fn spans(kind: FindingKind, found: Vec<(usize, usize)>) -> Vec<Found> {
    found.into_iter().map(|(s, e)| (kind, s, e)).collect()
}

/// E-mail addresses, plain and obfuscated.
struct Email;
impl Recogniser for Email {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        let chars = &scan.norm.chars;
        each_position(chars, |i| {
            email::at(chars, i).map(|e| (FindingKind::Email, i, e))
        })
    }
}

/// Fødselsnummer, D- and H-numbers, check digits verified.
struct NationalId;
impl Recogniser for NationalId {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        let chars = &scan.norm.chars;
        each_position(chars, |i| national_id::at(chars, i).map(|(k, e)| (k, i, e)))
    }
}

/// Norwegian phone numbers, with their context.
struct Phone;
impl Recogniser for Phone {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        let (chars, toks) = (&scan.norm.chars, &scan.toks);
        each_position(chars, |i| {
            let c = phone::candidate_at(chars, i)?;
            let first = toks.partition_point(|t| t.start < c.start);
            let after = toks.partition_point(|t| t.start < c.end);
            phone::is_phone(&c, toks, first, after).then_some((FindingKind::Phone, c.start, c.end))
        })
    }
}

/// Handles: "@name", and a name near a platform word.
struct Handle;
impl Recogniser for Handle {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        let (chars, toks) = (&scan.norm.chars, &scan.toks);
        let mut out = each_position(chars, |i| {
            handle::at_sign(chars, i).map(|(s, e)| (FindingKind::Handle, s, e))
        });
        out.extend(spans(
            FindingKind::Handle,
            handle::after_platform(chars, toks),
        ));
        out.extend(spans(
            FindingKind::Handle,
            handle::before_platform(chars, toks),
        ));
        out.extend(spans(
            FindingKind::Handle,
            handle::near_platform(chars, toks),
        ));
        out
    }
}

/// A youth's birth date written alone.
struct BirthDate;
impl Recogniser for BirthDate {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        spans(
            FindingKind::BirthDate,
            birth_date::find(&scan.norm.chars, &scan.toks),
        )
    }
}

/// Vehicle registration numbers.
struct Vehicle;
impl Recogniser for Vehicle {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        spans(
            FindingKind::VehicleRegistration,
            vehicle::find(&scan.norm.chars, &scan.toks),
        )
    }
}

/// Home addresses.
struct Address;
impl Recogniser for Address {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        spans(
            FindingKind::Address,
            address::find(&scan.norm.chars, &scan.toks),
        )
    }
}

/// Person names: the learned model, and the hand rules where their
/// evidence is specific ([`name::strong`]).
pub(crate) struct Names<'m> {
    pub source: NameSource,
    pub model: &'m Model<'m>,
}
impl Recogniser for Names<'_> {
    fn find(&self, scan: &Scan) -> Vec<Found> {
        let (chars, toks, place) = (&scan.norm.chars, &scan.toks, &scan.place);
        let learned = || self.model.find(chars, toks, place, &scan.rule);
        let found = match self.source {
            NameSource::Rules => scan.rule_names.clone(),
            NameSource::Model => learned(),
            NameSource::Both => {
                let mut n = learned();
                n.retain(|s| name::plausible(chars, toks, place, *s));
                let strong = |s: &&(usize, usize)| name::strong(chars, toks, place, **s);
                n.extend(scan.rule_names.iter().filter(strong).copied());
                name::merge(chars, toks, n)
            }
        };
        spans(FindingKind::Name, found)
    }
}

/// Every finding of `scan`, by the registry in order: what an earlier
/// recogniser found is not found again by a later one. Ordered by start.
pub(crate) fn scan_all(scan: &Scan, names: &Names<'_>) -> Vec<Found> {
    let registry: [&dyn Recogniser; 8] = [
        &Email,
        &NationalId,
        &Phone,
        &Handle,
        &BirthDate,
        &Vehicle,
        &Address,
        names,
    ];
    let mut kept: Vec<Found> = Vec::new();
    for recogniser in registry {
        for (kind, start, end) in recogniser.find(scan) {
            if !kept.iter().any(|&(_, s, e)| s < end && start < e) {
                kept.push((kind, start, end));
            }
        }
    }
    kept.sort_by_key(|&(_, s, e)| (s, e));
    kept
}
