//! # feltlogg-core
//!
//! The domain of outreach youth work, its rules, the sync protocol and its
//! crypto. Pure: no I/O, no async runtime, no database. Both the phone app
//! and the sync server call these functions, so each rule lives once.
//!
//! ## Layout
//! - [`ids`]: UUIDv7 id newtypes, one per record kind.
//! - [`vocab`]: the closed vocabularies (age groups, topics, ...) with stable wire names.
//! - [`area`]: areas (bydeler) as data, seeded with Oslo's SSB codes.
//! - [`record`]: shift, shift member, encounter, referral; their field maps.
//! - [`rules`]: pairing, one open shift per worker, the shift life cycle.
//! - [`screen`]: the anonymity screen for free text.
//! - [`feedback`]: the youths' feedback form: questions, validation, threshold.
//! - [`validate`]: per-record validation (ranges, required fields, screened text).
//! - [`words`]: a unit's own words and its "not a person" setting, as they travel.
//! - [`directory`]: the worker directory a device holds.
//! - [`secret`]: PIN and password hashing (Argon2id).
//! - [`hlc`]: the hybrid logical clock.
//! - [`change`]: changes and the field-level last-writer-wins merge.
//! - [`codes`]: the stable refusal and API error codes on the wire.
//! - [`sync`]: batches, pull pages, sealed envelopes, signed decisions.
//! - [`time`]: time units in ms and `now_ms`, the one clock read.

pub mod area;
pub mod change;
pub mod codes;
pub mod directory;
mod error;
pub mod feedback;
pub mod hlc;
pub mod ids;
pub mod record;
pub mod rules;
pub mod screen;
pub mod secret;
pub mod sync;
pub mod time;
pub mod validate;
pub mod vocab;
pub mod words;

pub use codes::{ApiErrorCode, RefusalCode};
pub use error::{Error, Result};
pub use vocab::*;
