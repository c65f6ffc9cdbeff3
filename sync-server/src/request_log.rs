//! One log line per request on every route: method, the matched route
//! pattern (`/shifts/{id}`, never the path with its ids, never the query
//! string), status and latency. No headers, bodies or record content: a
//! request's path and query can carry ids and enrolment codes, a body
//! carries the field log.

use axum::extract::{MatchedPath, Request};
use tower_http::LatencyUnit;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

/// The layer [`crate::app`] puts over every route.
pub type RequestLog = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    fn(&Request) -> Span,
    (),
    DefaultOnResponse,
    (),
    (),
    DefaultOnFailure,
>;

/// The request log layer: a span with the method and route, a line with
/// status and latency (ms) when the response starts.
pub fn layer() -> RequestLog {
    TraceLayer::new_for_http()
        .make_span_with(span as fn(&Request) -> Span)
        .on_request(())
        .on_response(
            DefaultOnResponse::new()
                .level(Level::INFO)
                .latency_unit(LatencyUnit::Millis),
        )
        .on_body_chunk(())
        .on_eos(())
        .on_failure(DefaultOnFailure::new().latency_unit(LatencyUnit::Millis))
}

fn span(req: &Request) -> Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str);
    tracing::info_span!("request", method = %req.method(), route = %route)
}

#[cfg(test)]
mod tests {
    use crate::AppState;
    use axum::body::Body;
    use axum::http::Request;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt as _;

    /// Collects what the fmt subscriber writes.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lines").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn every_request_is_logged_by_route_without_ids_or_query() {
        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let dir = tempfile::tempdir().expect("dir");
        let app = crate::app(AppState::open(&dir.path().join("t.db")).expect("state"));
        let secret_id = "0199ab04-2680-7235-a8ab-b8c836ac8e51";
        for uri in [
            "/healthz?code=SECRET-CODE".to_owned(),
            format!("/shifts/{secret_id}"),
            "/no/such/page".to_owned(),
        ] {
            let req = Request::get(&uri).body(Body::empty()).expect("request");
            app.clone().oneshot(req).await.expect("response");
        }
        let text = String::from_utf8(lines.0.lock().expect("lines").clone()).expect("utf-8");
        let logged: Vec<&str> = text.lines().filter(|l| l.contains("latency")).collect();
        assert_eq!(logged.len(), 3, "{text}");
        assert!(
            logged[0].contains("route=/healthz") && logged[0].contains("status=200"),
            "{text}"
        );
        assert!(logged[1].contains("route=/shifts/{id}"), "{text}");
        assert!(logged[2].contains("(no route)") && logged[2].contains("status=404"));
        assert!(logged.iter().all(|l| l.contains("method=GET")), "{text}");
        assert!(
            !text.contains("SECRET-CODE") && !text.contains(secret_id),
            "{text}"
        );
    }
}
