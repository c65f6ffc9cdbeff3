//! Dashboard tests: every route for every role (anonymous, worker, team
//! lead of unit A, team lead of unit B, admin), sign-in with its CSRF
//! cookie and growing delay, decisions, exports scoped to the viewer, the
//! audit log, the anonymity screen's return-comment fix and old-data
//! scan, the youths' feedback cards, form and results, the unit's words
//! and confirmed "not a person" names. Real router (tower `oneshot`),
//! real SQLite in a temp dir.

mod audited;
mod authz;
#[path = "../common/audit_log.rs"]
mod common;
mod feedback;
mod feedback_results;
mod flows;
mod hostile;
#[path = "../common/log_lines.rs"]
mod log_lines;
mod logged;
mod restored;
mod screen;
mod signin;
mod util;
mod words;
