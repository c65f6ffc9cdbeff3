//! The headers every response carries (API, health check, static files,
//! error pages and 404s alike): one layer over the whole router in
//! `crate::app`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;

/// Pages run no script and load nothing from elsewhere; forms post only
/// here; nothing may frame them.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// HSTS for a year, sent only when the public URL is https.
pub const HSTS: &str = "max-age=31536000";

fn set(h: &mut HeaderMap, k: HeaderName, v: &'static str) {
    h.entry(k).or_insert(HeaderValue::from_static(v));
}

/// Adds the security headers a handler did not set itself: no framing, no
/// sniffing, no referrer, nothing from elsewhere, nothing cached; HSTS
/// when `https` (the dashboard's public URL is https).
pub async fn security_headers(State(https): State<bool>, mut resp: Response) -> Response {
    let h = resp.headers_mut();
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::CACHE_CONTROL, "no-store");
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if https {
        set(h, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    resp
}
