//! `encounter_facts`: one compact row per live encounter, what exports
//! count (see migration 0002). [`super::records::upsert`] keeps it, in the
//! same transaction as the encounter; the other kinds' few fact rows are
//! kept by triggers. Encounters arrive by the thousand per batch, and the trigger
//! (JSON parsing, a `json_each` per list, a lookup per code) cost about a
//! quarter of a merge (migration 0004 drops it). The bit layout of `packed`
//! is defined here, once, for the writer and for the export's reader.

use crate::db::vocab_codes;
use feltlogg_core::record::Encounter;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// Bit offsets of `packed`: four 4-bit codes, the youth count (8 bits,
/// capped at 255), a bit per topic code and a bit per action code.
pub mod bits {
    /// Age group code.
    pub const AGE: u32 = 0;
    /// Gender code.
    pub const GENDER: u32 = 4;
    /// Contact kind code.
    pub const CONTACT: u32 = 8;
    /// Residence code.
    pub const RESIDENCE: u32 = 12;
    /// Youth count.
    pub const YOUTHS: u32 = 16;
    /// Topic code n sets bit `TOPICS + n`.
    pub const TOPICS: u32 = 24;
    /// Action code n sets bit `ACTIONS + n`.
    pub const ACTIONS: u32 = 48;
    /// The mask of a 4-bit code.
    pub const CODE_MASK: u64 = 0xf;
    /// The mask of the youth count.
    pub const YOUTHS_MASK: u64 = 0xff;
    /// The mask of the topic bits (after shifting by `TOPICS`).
    pub const TOPICS_MASK: u64 = 0xff_ffff;
    /// The mask of the action bits (after shifting by `ACTIONS`).
    pub const ACTIONS_MASK: u64 = 0x7fff;
}

/// Wire name → code, per vocabulary, as `vocab_codes` holds them.
#[derive(Debug, Default)]
pub struct PackCodes(HashMap<&'static str, HashMap<String, u64>>);

impl PackCodes {
    /// Reads every vocabulary's codes.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut all = HashMap::new();
        for (vocab, _) in vocab_codes::VOCABS {
            let codes = vocab_codes::load(conn, vocab)?
                .into_iter()
                .filter_map(|(code, wire)| Some((wire, u64::try_from(code).ok()?)))
                .collect();
            all.insert(vocab, codes);
        }
        Ok(Self(all))
    }

    /// The code of `wire` in `vocab`; 0 ("not recognised") if it has none.
    fn code(&self, vocab: &str, wire: &str) -> u64 {
        self.0
            .get(vocab)
            .and_then(|c| c.get(wire))
            .copied()
            .unwrap_or(0)
    }

    /// One bit per distinct code of `wires` (none for a name without one).
    fn code_bits<'a>(&self, vocab: &str, wires: impl Iterator<Item = &'a str>) -> u64 {
        wires
            .map(|w| self.code(vocab, w))
            .filter(|&c| c > 0 && c < 64)
            .fold(0, |acc, c| acc | (1 << c))
    }

    /// `e` packed into one integer, as [`bits`] lays it out.
    pub fn pack(&self, e: &Encounter) -> i64 {
        let code = |vocab, wire, at: u32| (self.code(vocab, wire) & bits::CODE_MASK) << at;
        let youths = u64::from(e.youth_count).min(bits::YOUTHS_MASK);
        let topics = self.code_bits("topic", e.topics.iter().map(|t| t.as_str()));
        let actions = self.code_bits("action", e.actions.iter().map(|a| a.as_str()));
        let packed = code("age_group", e.age_group.as_str(), bits::AGE)
            | code("gender", e.gender.as_str(), bits::GENDER)
            | code("contact_kind", e.contact_kind.as_str(), bits::CONTACT)
            | code("residence", e.residence.as_str(), bits::RESIDENCE)
            | (youths << bits::YOUTHS)
            | ((topics & bits::TOPICS_MASK) << bits::TOPICS)
            | ((actions & bits::ACTIONS_MASK) << bits::ACTIONS);
        // At most bit 62 is set, so the value fits SQLite's signed integer.
        i64::try_from(packed).unwrap_or(0)
    }
}

/// The codes, read on first use and then kept (for one transaction or
/// batch: codes only change when a database is opened).
#[derive(Debug, Default)]
pub struct LazyCodes(Option<PackCodes>);

impl LazyCodes {
    fn get(&mut self, conn: &Connection) -> rusqlite::Result<&PackCodes> {
        match &mut self.0 {
            Some(codes) => Ok(codes),
            slot @ None => Ok(slot.insert(PackCodes::load(conn)?)),
        }
    }
}

/// Removes the fact row of encounter `id`, found by the time stored in its
/// record: call before the record is overwritten.
pub fn remove(conn: &Connection, id: uuid::Uuid) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM encounter_facts
          WHERE at_ms = (SELECT at_ms FROM encounters WHERE id = ?1) AND id = ?2",
    )?
    .execute(params![id.to_string(), id.as_bytes().as_slice()])?;
    Ok(())
}

/// Writes the fact row of encounter `e`.
pub fn insert(conn: &Connection, codes: &mut LazyCodes, e: &Encounter) -> rusqlite::Result<()> {
    let packed = codes.get(conn)?.pack(e);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO encounter_facts (at_ms, id, shift_id, bydel, packed)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        e.at_ms,
        e.id.uuid().as_bytes().as_slice(),
        e.shift_id.uuid().as_bytes().as_slice(),
        e.bydel,
        packed
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{self, records};
    use feltlogg_core::change::RecordState;
    use feltlogg_core::hlc::Hlc;
    use feltlogg_core::ids::{DeviceId, EncounterId, ShiftId};
    use feltlogg_core::{Action, AgeGroup, ContactKind, Gender, PlaceType, Residence, Topic};
    use proptest::prelude::*;
    use proptest::sample::{select, subsequence};

    /// The packing expression of migration 0002's trigger, kept here as
    /// the oracle: fact rows written before migration 0004 must read the
    /// same as those written now.
    const TRIGGER_PACKED: &str = "SELECT (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'age_group' AND wire = r.age_group), 0)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'gender' AND wire = r.gender), 0) << 4)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'contact_kind' AND wire = r.contact_kind), 0) << 8)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'residence' AND wire = r.residence), 0) << 12)
        | (min(max(coalesce(r.youth_count, 0), 0), 255) << 16)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(r.fields, '$.topics') j JOIN vocab_codes c ON c.vocab = 'topic' AND c.wire = j.value), 0) << 24)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(r.fields, '$.actions') j JOIN vocab_codes c ON c.vocab = 'action' AND c.wire = j.value), 0) << 48))
        FROM encounters r WHERE r.id = ?1";

    fn encounter() -> impl Strategy<Value = Encounter> {
        (
            select(AgeGroup::ALL),
            select(Gender::ALL),
            select(ContactKind::ALL),
            select(Residence::ALL),
            1u32..=50,
            subsequence(Topic::ALL, 0..=Topic::ALL.len()),
            subsequence(Action::ALL, 0..=Action::ALL.len()),
        )
            .prop_map(
                |(age_group, gender, contact_kind, residence, youth_count, topics, actions)| {
                    Encounter {
                        id: EncounterId::new(),
                        shift_id: ShiftId::new(),
                        at_ms: 1_780_000_000_000,
                        bydel: "030102".into(),
                        place_type: PlaceType::Park,
                        youth_count,
                        age_group,
                        gender,
                        contact_kind,
                        topics,
                        actions,
                        residence,
                        note: None,
                        not_a_person: Vec::new(),
                    }
                },
            )
    }

    fn state(e: &Encounter) -> RecordState {
        let hlc = Hlc {
            wall_ms: 1,
            counter: 0,
            device: DeviceId::new(),
        };
        RecordState::of_record(e, hlc)
    }

    fn fail(e: impl std::fmt::Display) -> TestCaseError {
        TestCaseError::fail(e.to_string())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn packs_as_the_trigger_did(list in proptest::collection::vec(encounter(), 1..8)) {
            let dir = tempfile::tempdir().map_err(fail)?;
            let mut conn = db::open(&dir.path().join("f.db")).map_err(fail)?;
            let tx = conn.transaction().map_err(fail)?;
            let by = crate::db::audit::Actor::operator("test");
            let unit = crate::admin::add_unit(&tx, &by, "Ute", "030102", 0).map_err(fail)?.id;
            tx.commit().map_err(fail)?;
            let codes = &mut LazyCodes::default();
            for e in &list {
                records::upsert(&conn, codes, e.id.uuid(), unit, &state(e), None, 0).map_err(fail)?;
                let (written, oracle): (i64, i64) = conn
                    .query_row(
                        &format!("SELECT (SELECT packed FROM encounter_facts WHERE id = ?2), ({TRIGGER_PACKED})"),
                        params![e.id.to_string(), e.id.uuid().as_bytes().as_slice()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(fail)?;
                prop_assert_eq!(written, oracle);
            }
        }
    }
}
