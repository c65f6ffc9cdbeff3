//! The Tauri commands: thin wrappers over the device store and the sync
//! client. Each parses its arguments, calls one store or client function
//! on a blocking thread (or the network), and maps the error to
//! [`crate::error::AppError`]. No SQL and no rules here.
//!
//! Every command is listed in [`crate::specta_builder`] (which generates
//! `ui/src/bindings.ts`) and in `build.rs` (which makes its `allow-*`
//! permission for `capabilities/default.json`).

pub mod encounter;
pub mod enrol;
pub mod lock;
pub mod screen;
pub mod shift;
pub mod sync;

use feltlogg_core::screen::Span;

/// A free text as saved (trimmed; `None` when empty) with the spans the
/// worker confirmed in it, counted in the text as sent, moved to count in
/// the trimmed text (a span in the trimmed-off part is dropped).
pub(crate) fn trimmed(text: Option<String>, spans: &[Span]) -> (Option<String>, Vec<Span>) {
    let Some(text) = text else {
        return (None, Vec::new());
    };
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let kept = text.trim();
    let len = kept.chars().count();
    let moved = spans
        .iter()
        .filter(|s| s.start >= lead && s.end - lead <= len)
        .map(|s| Span {
            start: s.start - lead,
            end: s.end - lead,
        })
        .collect();
    if kept.is_empty() {
        (None, Vec::new())
    } else {
        (Some(kept.to_owned()), moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_moves_the_confirmed_spans_with_the_text() {
        let spans = [Span { start: 2, end: 6 }, Span { start: 0, end: 1 }];
        let (text, moved) = trimmed(Some("  Kiwi  ".into()), &spans);
        assert_eq!(text.as_deref(), Some("Kiwi"));
        assert_eq!(moved, vec![Span { start: 0, end: 4 }]);
        assert_eq!(trimmed(Some("   ".into()), &spans), (None, vec![]));
        assert_eq!(trimmed(None, &spans), (None, vec![]));
    }
}
