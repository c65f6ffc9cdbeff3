//! E-mail addresses, plain and obfuscated: `ola@gmail.com`, `ola @ gmail.com`,
//! `ola(at)gmail.com`, `ola [at] gmail [dot] com`, `ola at gmail dot com`,
//! `ola alfakrøll gmail punktum com` (full-width ＠ is '@' after NFKC).
//! The domain needs two labels and an alphabetic top level, so "møtes @ Oslo S"
//! is not an address. The bare word "at" is also Norwegian ("sa at"), so
//! that form counts only with a spelled-out dot or a known mail provider.

/// Words that stand for '@' between spaces or brackets.
const AT_WORDS: &[&str] = &[
    "at",
    "alfakrøll",
    "krøllalfa",
    "krølla",
    "krøll",
    "alfakroll",
    "snabel-a",
];
/// Top-level domains a mistyped or spaced dot may stand before
/// ("gmail,com", "gmail . com").
const TLDS: &[&str] = &["com", "no", "net", "org", "se", "dk", "nu", "io"];
/// Words that stand for '.' between spaces or brackets.
const DOT_WORDS: &[&str] = &["dot", "punktum", "prikk", "punkt"];
/// Domains people give when they spell an address out.
const PROVIDERS: &[&str] = &[
    "gmail",
    "hotmail",
    "outlook",
    "live",
    "yahoo",
    "icloud",
    "msn",
    "online",
    "proton",
    "protonmail",
    "me",
    "mail",
    "epost",
    "skole",
    "osloskolen",
    "oslo",
];

fn is_local(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_label(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// A word (or bracketed word) from `words` at `i`, e.g. "(at)", " at ",
/// "[dot]": the end of it including spaces around, or `None`.
fn marker(chars: &[char], i: usize, words: &[&str], symbol: char) -> Option<(usize, bool)> {
    let mut j = i;
    while chars.get(j) == Some(&' ') {
        j += 1;
    }
    let spaced = j > i;
    if chars.get(j) == Some(&symbol) {
        let mut k = j + 1;
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        return Some((k, false));
    }
    let open = chars
        .get(j)
        .copied()
        .filter(|c| matches!(c, '(' | '[' | '{' | '<'));
    let w = j + usize::from(open.is_some());
    for word in words {
        let n = word.chars().count();
        let matches = word
            .chars()
            .enumerate()
            .all(|(k, c)| chars.get(w + k).map(|d| d.to_lowercase().eq([c])) == Some(true));
        if !matches {
            continue;
        }
        let mut k = w + n;
        if open.is_some() {
            if !chars
                .get(k)
                .is_some_and(|c| matches!(c, ')' | ']' | '}' | '>'))
            {
                continue;
            }
            k += 1;
        } else if !spaced || chars.get(k) != Some(&' ') {
            continue; // a bare word needs spaces on both sides
        }
        let bare = open.is_none();
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        return Some((k, bare));
    }
    None
}

/// An address whose local part starts at `start` (a local-part character
/// after a non-local one): its end.
pub(crate) fn at(chars: &[char], start: usize) -> Option<usize> {
    if start > 0 && is_local(chars[start - 1]) {
        return None;
    }
    let mut i = start;
    let mut spelled_local = false;
    loop {
        while i < chars.len() && is_local(chars[i]) {
            i += 1;
        }
        while i > start && chars[i - 1] == '.' {
            i -= 1;
        }
        if i == start {
            return None;
        }
        // "amina dot h at hotmail dot com": a spelled dot inside the local part.
        match marker(chars, i, DOT_WORDS, '.') {
            Some((k, _)) if chars.get(k).is_some_and(|c| is_local(*c)) && spelled(chars, i, k) => {
                spelled_local = true;
                i = k;
            }
            _ => break,
        }
    }
    let (mut j, bare_at) = marker(chars, i, AT_WORDS, '@')?;
    let mut labels: Vec<String> = Vec::new();
    let mut spelled_dot = spelled_local;
    let mut end = j;
    loop {
        let s = j;
        while j < chars.len() && is_label(chars[j]) {
            j += 1;
        }
        if j == s {
            break;
        }
        labels.push(chars[s..j].iter().collect::<String>().to_lowercase());
        end = j;
        if let Some(k) = loose_dot(chars, j, labels.last().map(String::as_str)) {
            spelled_dot = true;
            j = k;
            continue;
        }
        match marker(chars, j, DOT_WORDS, '.') {
            Some((k, bare)) if chars.get(k).is_some_and(|c| is_label(*c)) => {
                // A real dot must touch both labels; a spelled one may not.
                let touching = chars[j] == '.' && k == j + 1;
                if !touching && chars[j..k].contains(&'.') && !spelled(chars, j, k) {
                    break;
                }
                spelled_dot |= bare || chars[j] != '.';
                j = k;
            }
            _ => break,
        }
    }
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
    if labels.len() < 2 || !tld_ok {
        return None;
    }
    if bare_at && !spelled_dot && !PROVIDERS.contains(&labels[0].as_str()) {
        return None;
    }
    Some(end)
}

/// After a mail provider's name, a comma or a spaced dot before a
/// top-level domain ("gmail,com", "gmail . com"): where that domain
/// starts.
fn loose_dot(chars: &[char], j: usize, label: Option<&str>) -> Option<usize> {
    if !label.is_some_and(|l| PROVIDERS.contains(&l)) {
        return None;
    }
    let mut k = j;
    while chars.get(k) == Some(&' ') {
        k += 1;
    }
    let sep = *chars.get(k)?;
    if !(sep == ',' || (sep == '.' && k > j)) {
        return None;
    }
    k += 1;
    while chars.get(k) == Some(&' ') {
        k += 1;
    }
    let tld: String = chars[k..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .collect();
    TLDS.contains(&tld.to_lowercase().as_str()).then_some(k)
}

/// Whether `j..k` holds a spelled dot word rather than a bare '.'.
fn spelled(chars: &[char], j: usize, k: usize) -> bool {
    chars[j..k].iter().any(|c| c.is_alphabetic())
}
