//! HTML and form plumbing: the CSRF field and `<option>` lists as
//! [`Markup`] (escaping is maud's, as every value is interpolated),
//! reading `application/x-www-form-urlencoded` bodies (repeated names
//! included, for bulk approval), and Oslo local times.

use maud::{Markup, html};
use std::fmt::Write as _;

/// `text` percent-encoded for a query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one urlencoded component (`+` is a space); bad escapes are
/// kept as written, invalid UTF-8 replaced.
pub fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A parsed form or query string: every name/value pair in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Parses an urlencoded body or query string.
    pub fn parse(body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        Self(
            text.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (url_decode(k), url_decode(v))
                })
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, or "".
    pub fn text(&self, name: &str) -> &str {
        self.get(name).map_or("", str::trim)
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// `ms` as Oslo local date and time, `2026-03-14 18:05`.
pub fn time(ms: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else {
        return String::new();
    };
    match crate::export::period::oslo() {
        Ok(tz) => ts.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// An optional time, or a dash.
pub fn time_opt(ms: Option<i64>) -> String {
    ms.map_or_else(|| "–".to_owned(), time)
}

/// Hours between two times, one decimal with a decimal comma in bokmål.
pub fn hours(from: Option<i64>, to: Option<i64>, comma: bool) -> String {
    match (from, to) {
        (Some(a), Some(b)) if b >= a => {
            let s = format!("{:.1}", (b - a) as f64 / 3_600_000.0);
            if comma { s.replace('.', ",") } else { s }
        }
        _ => "–".to_owned(),
    }
}

/// A hidden CSRF input for a form.
pub fn csrf_input(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// `<option>`s from (value, label) pairs, `selected` marked.
pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> Markup {
    html! {
        @for (value, label) in items {
            option value=(value) selected[value == selected] { (label) }
        }
    }
}

/// Constant-time equality of two tokens (lengths are not secret).
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_escape_what_they_are_given() {
        assert_eq!(
            csrf_input("a\"><script>").into_string(),
            "<input type=\"hidden\" name=\"csrf\" value=\"a&quot;&gt;&lt;script&gt;\">"
        );
        assert_eq!(
            options([("<v>", "Ål & <b>")], "<v>").into_string(),
            "<option value=\"&lt;v&gt;\" selected>Ål &amp; &lt;b&gt;</option>"
        );
    }

    #[test]
    fn forms_decode_repeated_names_and_escapes() {
        let f = Form::parse(b"shift=a&shift=b&comment=Ring+meg%21+%C3%B8&bad=%zz&end=%4");
        assert_eq!(f.all("shift"), vec!["a", "b"]);
        assert_eq!(f.get("comment"), Some("Ring meg! ø"));
        assert_eq!(f.get("bad"), Some("%zz"));
        assert_eq!(f.get("end"), Some("%4"));
        assert_eq!(f.get("none"), None);
    }

    #[test]
    fn tokens_compare() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("", ""));
    }
}
