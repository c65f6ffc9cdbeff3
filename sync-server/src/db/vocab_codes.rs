//! `vocab_codes`: a small, never-changing integer code per wire name of the
//! vocabularies that exports count, so the fact rows of migration 0002 can
//! pack an encounter into one integer. Codes start at 1 (0 = not
//! recognised) and are given once; a wire name new to this server version
//! gets the next free code when the database is opened.

use feltlogg_core::{Action, AgeGroup, ContactKind, Gender, Residence, Topic};
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// The vocabularies with codes, each with the highest code its bit field
/// in `encounter_facts.packed` can hold.
pub const VOCABS: [(&str, i64); 6] = [
    ("age_group", 15),
    ("gender", 15),
    ("contact_kind", 15),
    ("residence", 15),
    ("topic", 23),
    ("action", 14),
];

fn wires(vocab: &str) -> Vec<&'static str> {
    fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|&v| f(v)).collect()
    }
    match vocab {
        "age_group" => names(AgeGroup::ALL, AgeGroup::as_str),
        "gender" => names(Gender::ALL, Gender::as_str),
        "contact_kind" => names(ContactKind::ALL, ContactKind::as_str),
        "residence" => names(Residence::ALL, Residence::as_str),
        "topic" => names(Topic::ALL, Topic::as_str),
        "action" => names(Action::ALL, Action::as_str),
        _ => Vec::new(),
    }
}

/// Gives every wire name of core's vocabularies a code if it has none.
/// A name that would not fit its bit field is left without one (and
/// logged): exports then count it as not recognised rather than corrupt
/// the neighbouring field.
pub fn seed(conn: &Connection) -> rusqlite::Result<()> {
    for (vocab, max) in VOCABS {
        for wire in wires(vocab) {
            let known: i64 = conn.query_row(
                "SELECT count(*) FROM vocab_codes WHERE vocab = ?1 AND wire = ?2",
                params![vocab, wire],
                |r| r.get(0),
            )?;
            if known > 0 {
                continue;
            }
            let next: i64 = conn.query_row(
                "SELECT coalesce(max(code), 0) + 1 FROM vocab_codes WHERE vocab = ?1",
                [vocab],
                |r| r.get(0),
            )?;
            if next > max {
                tracing::warn!(
                    vocab,
                    wire,
                    "no export code left for this value; exports will not break it out"
                );
                continue;
            }
            conn.execute(
                "INSERT INTO vocab_codes (vocab, wire, code) VALUES (?1, ?2, ?3)",
                params![vocab, wire, next],
            )?;
        }
    }
    Ok(())
}

/// For one vocabulary: code → wire name.
pub fn load(conn: &Connection, vocab: &str) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT code, wire FROM vocab_codes WHERE vocab = ?1")?;
    let rows = stmt.query_map([vocab], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}
