//! Every dashboard route that changes state (or takes data out) leaves
//! exactly one audit entry, written in the change's own transaction: with
//! the audit insert made to fail (a trigger on the real file), the route
//! fails and the database is as it was.

use crate::authz::{ROUTES, Targets, is_allowed, send};
use crate::common;
use crate::util::{Env, Who};

/// The routes that change nothing on purpose, or whose writer is not a
/// staff member: the youth's anonymous answer is not audited (an entry
/// per answer would link answers to times and cards).
const NOT_AUDITED: &[&str] = &["POST /u/{code}"];

/// The audit action each changing route writes.
const ACTIONS: &[(&str, &str)] = &[
    ("POST /logout", "logout"),
    ("POST /review/screen/redact", "note_redact"),
    ("POST /review/screen/add-word", "word_add"),
    ("POST /words/{unit}/add", "word_add"),
    ("POST /words/{unit}/remove", "word_remove"),
    ("POST /words/{unit}/setting", "words_setting"),
    ("POST /words/municipality/add", "word_add"),
    ("POST /words/municipality/remove", "word_remove"),
    ("POST /review/bulk-approve", "shift_approve"),
    ("POST /shifts/{id}/approve", "shift_approve"),
    ("POST /shifts/{id}/return", "shift_return"),
    ("POST /export", "export"),
    ("POST /export format=totals", "export_totals"),
    ("POST /admin/units", "unit_add"),
    ("POST /admin/users", "user_add"),
    ("POST /admin/users/{id}/deactivate", "user_deactivate"),
    ("POST /admin/users/{id}/reset", "user_reset"),
    ("POST /admin/enrol-codes", "enrol_code"),
    ("POST /admin/devices/{id}/revoke", "device_revoke"),
    (
        "POST /admin/devices/{id}/revoke kind=retire",
        "device_revoke",
    ),
    ("POST /admin/threshold", "setting_change"),
    ("POST /account/sessions/end-all", "sessions_end_all"),
    ("POST /admin/users/{id}/sessions/end", "sessions_end"),
    ("POST /admin/users/{id}/oidc", "oidc_link"),
    ("POST /feedback/cards", "feedback_cards_print"),
    ("POST /admin/feedback-threshold", "setting_change"),
];

fn changing_routes() -> impl Iterator<Item = &'static str> {
    ROUTES
        .iter()
        .map(|(route, _)| *route)
        .filter(|r| r.starts_with("POST ") && !NOT_AUDITED.contains(r))
}

fn action_of(route: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(r, _)| *r == route)
        .map(|(_, a)| *a)
        .unwrap_or_else(|| panic!("{route} changes state: name its audit action in ACTIONS"))
}

fn audit_rows(env: &Env) -> Vec<(String, String)> {
    env.db(|c| common::audit_rows(c))
}

fn snapshot(env: &Env) -> Vec<(String, Vec<String>)> {
    env.db(|c| common::snapshot(c))
}

#[tokio::test]
async fn every_state_changing_route_leaves_exactly_one_audit_entry() {
    let env = Env::new();
    let mut checked = 0;
    for route in changing_routes() {
        let want = action_of(route);
        let t = Targets::new(&env, route);
        // A fresh admin session each time: sign-out ends the one it uses.
        let admin = env.session(Who::Admin);
        let before = audit_rows(&env);
        let resp = send(&env, admin.as_ref(), route, &t).await;
        assert!(
            is_allowed(&resp),
            "{route}: {} {:?}",
            resp.status,
            resp.location
        );
        let after = audit_rows(&env);
        let new = &after[before.len()..];
        assert_eq!(
            new,
            &[(want.to_owned(), "admin".to_owned())],
            "{route}: one {want} entry by the admin"
        );
        checked += 1;
    }
    assert_eq!(checked, ACTIONS.len(), "every route in ACTIONS was sent");
}

#[tokio::test]
async fn a_route_whose_audit_entry_fails_changes_nothing() {
    let env = Env::new();
    for route in changing_routes() {
        let t = Targets::new(&env, route);
        let admin = env.session(Who::Admin);
        env.db(|c| common::break_audit_log(c));
        let before = snapshot(&env);
        let resp = send(&env, admin.as_ref(), route, &t).await;
        assert!(
            resp.status.is_server_error(),
            "{route}: the failed audit fails the request, got {} {:?}",
            resp.status,
            resp.location
        );
        let after = snapshot(&env);
        for ((table, was), (_, now)) in before.iter().zip(&after) {
            assert_eq!(
                was, now,
                "{route}: table {table} changed without its audit entry"
            );
        }
        env.db(|c| common::mend_audit_log(c));
    }
}
