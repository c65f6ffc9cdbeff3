//! End-to-end tests of the sync server: a real SQLite file in a temp dir,
//! the real router (tower `oneshot`) and, once, a real socket on port 0.
//! Batches are sealed with `feltlogg_core::sync`, as a phone would.

mod audited;
mod backup;
#[path = "../common/audit_log.rs"]
mod common;
mod decide;
mod enrol;
mod fuzz;
mod measure;
mod pull;
mod push;
mod replay;
mod revoke;
mod util;
