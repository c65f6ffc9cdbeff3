//! Social-media handles: `@kari.h` anywhere (not part of an e-mail address),
//! and a handle-shaped word after snap, sc, insta, ig, tiktok and the like
//! ("snap: ola_2009", "har insta kari.h"). A common word after the platform
//! name ("la ut på snap i går", "sendte snap til meg") is not a handle.

use super::lists::LISTS;
use super::normalise::{TokKind, Token};

/// Platform words after which a handle is given.
const PLATFORMS: &[&str] = &[
    "snap",
    "snapchat",
    "snapen",
    "snappen",
    "sc",
    "insta",
    "instagram",
    "instaen",
    "ig",
    "tiktok",
    "tiktoken",
    "telegram",
    "discord",
    "facebook",
    "fb",
    "twitter",
    "kik",
    "brukernavn",
    "brukernavnet",
    "username",
    "tinder",
    "profil",
    "profilen",
];
/// Words that may sit between the platform and the handle.
const LINKERS: &[&str] = &[
    "er", "heter", "is", "het", "var", "hans", "hennes", "sin", "navn",
];

fn is_handle_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// The end of a handle-shaped string at `i`: 2-30 handle characters with
/// at least one letter, trailing dots dropped.
fn handle_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    while j < chars.len() && is_handle_char(chars[j]) && j - i < 31 {
        j += 1;
    }
    while j > i && matches!(chars[j - 1], '.' | '-') {
        j -= 1;
    }
    let s = &chars[i..j];
    (s.len() >= 2 && s.len() <= 30 && s.iter().any(|c| c.is_alphabetic())).then_some(j)
}

/// `@name` at `i` (the '@'): the handle's span.
pub(crate) fn at_sign(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if chars.get(i) != Some(&'@') || (i > 0 && chars[i - 1].is_alphanumeric()) {
        return None;
    }
    let end = handle_end(chars, i + 1)?;
    let text: String = chars[i + 1..end].iter().collect::<String>().to_lowercase();
    let domain = [".no", ".com", ".net", ".org", ".se", ".dk"]
        .iter()
        .any(|t| text.ends_with(t));
    (!domain).then_some((i, end))
}

/// A handle after a platform word: spans (in chars) found in `toks`.
pub(crate) fn after_platform(chars: &[char], toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (n, t) in toks.iter().enumerate() {
        // "Tinder-profilen", "snap-navnet": the last part of a compound.
        let last_part = t.lower.rsplit('-').next().unwrap_or_default();
        let platform = PLATFORMS.contains(&t.lower.as_str()) || PLATFORMS.contains(&last_part);
        if t.kind != TokKind::Word || !platform {
            continue;
        }
        let mut k = n + 1;
        while toks
            .get(k)
            .is_some_and(|u| LINKERS.contains(&u.lower.as_str()))
            && k < n + 3
        {
            k += 1;
        }
        let Some(next) = toks.get(k) else { continue };
        let from = if k > n + 1 { toks[k - 1].end } else { t.end };
        let between: String = chars[from..next.start].iter().collect();
        let colon = between.contains(':') || between.contains('=');
        if !between
            .chars()
            .all(|c| matches!(c, ' ' | ':' | '=' | '-' | '(' | '"' | '\''))
            || between.contains("@")
        {
            continue;
        }
        let Some(end) = handle_end(chars, next.start) else {
            continue;
        };
        let text: String = chars[next.start..end].iter().collect();
        let shaped = handle_shaped(&text);
        // "tiktok (artister)": a word in brackets comments on the platform.
        if between.contains('(') && chars.get(end) == Some(&')') && !shaped {
            continue;
        }
        let lower = text.to_lowercase();
        let common = LISTS.common.contains(&lower) || lower.chars().count() < 3;
        if (shaped || (colon && !common) || (!common && !next.capital))
            && !shaped_like_number(&text)
        {
            out.push((next.start, end));
        }
    }
    out
}

/// A handle written as handles are: letters with a digit, '_' or '.'.
fn handle_shaped(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '_' | '.'))
        && text.chars().any(char::is_alphabetic)
        && !shaped_like_number(text)
}

/// A handle-shaped word right before "på snap", "on insta" ("legg til
/// ola.2009 på snap"): spans (in chars) found in `toks`.
pub(crate) fn before_platform(chars: &[char], toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (n, t) in toks.iter().enumerate().skip(2) {
        let platform = t.kind == TokKind::Word && PLATFORMS.contains(&t.lower.as_str());
        let on = matches!(toks[n - 1].lower.as_str(), "på" | "on" | "i");
        if !platform || !on {
            continue;
        }
        let cand = &toks[n - 2];
        // Walk back over the handle's characters from the word before "på".
        let mut i = cand.end;
        while i > 0 && is_handle_char(chars[i - 1]) {
            i -= 1;
        }
        let Some(end) = handle_end(chars, i) else {
            continue;
        };
        let text: String = chars[i..end].iter().collect();
        if end == cand.end && handle_shaped(&text) && (i == 0 || chars[i - 1] != '@') {
            out.push((i, end));
        }
    }
    out
}

fn shaped_like_number(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A word shaped only as a handle is ("yousef.10x", "emil_sk8",
/// "khalid.osl": an underscore, or a dot between letters or digits),
/// with a platform word (or a compound ending in one, "jobbsnapen")
/// within six words either side, whatever stands between ("på snap
/// heter hun minhanh.06", "snap -> khalid.osl").
pub(crate) fn near_platform(chars: &[char], toks: &[Token]) -> Vec<(usize, usize)> {
    let platform_at: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.kind == TokKind::Word
                && PLATFORMS
                    .iter()
                    .any(|p| t.lower.ends_with(p) && (t.lower.len() == p.len() || p.len() >= 4))
        })
        .map(|(n, _)| n)
        .collect();
    if platform_at.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_alphanumeric()
            && (i == 0 || !is_handle_char(chars[i - 1]) && chars[i - 1] != '@');
        let Some(end) = starts.then(|| handle_end(chars, i)).flatten() else {
            i += 1;
            continue;
        };
        let s = &chars[i..end];
        let inner_dot = s
            .windows(3)
            .any(|w| w[0].is_alphanumeric() && w[1] == '.' && w[2].is_alphanumeric());
        let shaped = (s.contains(&'_') || inner_dot)
            && s.len() >= 4
            && !s.iter().all(|c| c.is_ascii_digit() || *c == '.');
        let n = toks.partition_point(|t| t.end <= i);
        let near = platform_at.iter().any(|&p| p.abs_diff(n) <= 6);
        if shaped
            && near
            && !LISTS
                .places
                .contains(&s.iter().collect::<String>().to_lowercase())
        {
            out.push((i, end));
        }
        i = end;
    }
    out
}
