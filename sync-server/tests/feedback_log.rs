//! The public feedback form's requests leave no code, address or browser
//! in the log (issue 17): the request log names the route pattern
//! `/u/{code}`, never the path. Its own test binary, because the log is
//! caught by a global subscriber that no other test may share.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use feltlogg_server::feedback::{self, Printer};
use feltlogg_server::{AppState, admin, app, now_ms};
use std::net::SocketAddr;
use tower::ServiceExt as _;

#[path = "common/log_lines.rs"]
mod log_lines;
use log_lines::Lines;

#[tokio::test]
async fn the_log_holds_no_code_address_or_browser() {
    let lines = Lines::default();
    let writer = lines.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .init();
    let dir = tempfile::tempdir().expect("dir");
    let state = AppState::open(&dir.path().join("t.db")).expect("state");
    let code = state
        .db
        .write_blocking(|c| {
            let op = feltlogg_server::db::audit::Actor::operator("cli");
            let unit = admin::add_unit(c, &op, "Ute Test", "030102", now_ms())?;
            let by = Printer {
                user: None,
                name: "cli",
            };
            feedback::print_cards(c, by, &unit.id.to_string(), 1, 6, now_ms())
        })
        .expect("card")
        .codes
        .remove(0);
    let token = state.door.token(&feedback::code_hash(&code));
    let app = app(state);
    let (ua, peer) = ("ProbePhone/9.9", "203.0.113.77");
    let mut statuses = Vec::new();
    for (method, body) in [
        ("GET", String::new()),
        ("POST", format!("token={token}&overall=5")),
        ("POST", format!("token={token}&overall=4")),
        ("GET", String::new()),
    ] {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/u/{code}?lang=en"))
            .header("user-agent", ua)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let addr: SocketAddr = format!("{peer}:40000").parse().expect("addr");
        req.extensions_mut().insert(ConnectInfo(addr));
        statuses.push(app.clone().oneshot(req).await.expect("response").status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND
        ]
    );
    let log = String::from_utf8(lines.0.lock().expect("lines").clone()).expect("utf-8");
    assert_eq!(log.matches("route=/u/{code}").count(), 4, "{log}");
    for probe in [ua, peer, code.as_str(), token.as_str()] {
        assert!(!log.contains(probe), "{probe} in the log: {log}");
    }
}
