//! The one gate every redirect target goes through: only a path of this
//! site. A browser reads `//host`, `/\host` and `/<tab>/host` as another
//! site, and a raw newline in a `Location` header is header injection, so
//! each is refused before and after percent-decoding; anything refused
//! becomes the home page.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where a refused or missing target goes.
pub const HOME: &str = "/";

/// Whether `text` is a path of this site a browser cannot read as another
/// host: a single leading `/`, visible ASCII only (no space, control
/// character or backslash), checked on the text as given and on every
/// percent-decoded layer of it.
pub fn is_local_path(text: &str) -> bool {
    let mut layer = text.to_owned();
    // Three layers are more than any honest link carries; deeper nesting
    // is refused rather than decoded further.
    for _ in 0..3 {
        if !one_layer_ok(&layer) {
            return false;
        }
        let decoded = percent_decode(&layer);
        if decoded == layer {
            return true;
        }
        layer = decoded;
    }
    false
}

/// `%XX` escapes decoded (a `+` stays a `+`: in a path it is no space);
/// bad escapes kept as written, invalid UTF-8 replaced (and so refused).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn one_layer_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes
            .iter()
            .all(|b| (0x21..0x7f).contains(b) && *b != b'\\')
}

/// `target` if it is a local path ([`is_local_path`]), else [`HOME`].
pub fn local_or_home(target: Option<&str>) -> &str {
    target.filter(|t| is_local_path(t)).unwrap_or(HOME)
}

/// A 303 to `target`, or to [`HOME`] when `target` is not a local path.
/// Never fails: the checked text is always a valid header value.
pub fn see_other(target: &str) -> Response {
    let to = local_or_home(Some(target));
    let value = HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static(HOME));
    (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_paths_pass() {
        for ok in [
            "/",
            "/review",
            "/shifts/abc?x=1&y=%2F",
            "/review?msg=saved#top",
            "/a+b",
        ] {
            assert!(is_local_path(ok), "{ok}");
        }
    }

    #[test]
    fn other_hosts_schemes_and_control_characters_do_not() {
        for bad in [
            "",
            "review",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\tevil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%252F%252Fevil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/x%0d%0aSet-Cookie:%20a=b",
            "/x\r\nSet-Cookie: a=b",
            "/ space",
            "/ø",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
            assert_eq!(local_or_home(Some(bad)), HOME);
        }
    }

    #[test]
    fn see_other_falls_back_to_home() {
        let r = see_other("/\nX: y");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()[header::LOCATION], "/");
    }
}
