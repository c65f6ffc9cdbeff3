//! `GET /healthz`: the process answers. Deliberately touches nothing else,
//! so a busy database does not make a load balancer kill the server.

/// Always `ok`.
pub(super) async fn healthz() -> &'static str {
    "ok"
}
