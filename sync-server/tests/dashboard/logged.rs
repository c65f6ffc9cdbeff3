//! The dashboard's requests are logged as the API's are: one line per
//! request with the route pattern, status and latency, never the path's
//! ids, the query string or the form body.

use crate::log_lines::Lines;
use crate::util::{Env, Who};

#[tokio::test]
async fn dashboard_lines_name_the_route_never_the_query_ids_or_body() {
    let env = Env::new();
    let shift = env.closed_shift(env.unit_a, env.workers_a, 30, 1);
    let lead = env.session(Who::LeadA);
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    // This test's thread only: the requests run on it (current-thread
    // runtime), other tests of the binary log elsewhere.
    let _guard = tracing::subscriber::set_default(subscriber);
    let page = env.get(lead.as_ref(), "/review?msg=QUERYSECRET").await;
    assert_eq!(page.status.as_u16(), 200);
    env.get(lead.as_ref(), &format!("/shifts/{shift}?x=QUERYSECRET"))
        .await;
    let path = format!("/shifts/{shift}/return");
    env.post(lead.as_ref(), &path, &[("comment", "BODYSECRET rettes")])
        .await;
    let text = String::from_utf8(lines.0.lock().expect("lines").clone()).expect("utf-8");
    let logged: Vec<&str> = text.lines().filter(|l| l.contains("latency")).collect();
    assert_eq!(logged.len(), 3, "{text}");
    for (line, route, status) in [
        (logged[0], "route=/review}", "status=200"),
        (logged[1], "route=/shifts/{id}}", "status=200"),
        (logged[2], "route=/shifts/{id}/return}", "status=303"),
    ] {
        assert!(line.contains(route) && line.contains(status), "{line}");
    }
    for secret in ["QUERYSECRET", "BODYSECRET", &shift.to_string()] {
        assert!(!text.contains(secret), "{secret} in the log: {text}");
    }
}
