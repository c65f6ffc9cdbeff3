//! Dashboard tests: every route for every role (anonymous, worker, team
//! lead of unit A, team lead of unit B, admin), sign-in with its CSRF
//! cookie and growing delay, decisions, exports scoped to the viewer, the
//! audit log. Real router (tower `oneshot`), real SQLite in a temp dir.

mod authz;
mod flows;
mod util;
