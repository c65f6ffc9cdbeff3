//! Home addresses: a street name with a house number ("Tvetenveien 150",
//! "Thorvald Meyers gate 12B") where the words before say someone lives
//! there (bor, hjemme, adresse …), or followed by a postcode. A street or
//! square without a house number, or with one but no home context ("møttes
//! utenfor Storgata 23"), is where the worker was, and is not flagged.

use super::context;
use super::lists::{LISTS, STREET_WORDS, street_like};
use super::normalise::{TokKind, Token};

/// Tokens that are part of a public place or street name, by longest
/// match against the bundled lists, a street-shaped word, or capitalised
/// words before a street word ("Olaf Ryes plass").
pub(crate) fn place_tokens(chars: &[char], toks: &[Token]) -> Vec<bool> {
    let lists = &*LISTS;
    let mut place = vec![false; toks.len()];
    let mut n = 0;
    while n < toks.len() {
        let mut matched = 0;
        let mut phrase = String::new();
        for k in 0..lists.max_place_words.min(toks.len() - n) {
            let t = &toks[n + k];
            if k > 0 {
                if t.start != toks[n + k - 1].end + 1 {
                    break;
                }
                phrase.push(chars[toks[n + k - 1].end]);
            }
            phrase.push_str(&t.lower);
            if lists.places.contains(&phrase) || lists.streets.contains(&phrase) {
                matched = k + 1;
            }
        }
        if matched == 0
            && toks[n].kind == TokKind::Word
            && street_like(&toks[n].lower)
            && toks[n].capital
        {
            matched = 1;
        }
        if matched == 0
            && toks[n].kind == TokKind::Word
            && STREET_WORDS.contains(&toks[n].lower.as_str())
        {
            place[n] = true;
            let mut k = n;
            while k > 0 && n - k < 3 && toks[k - 1].capital && toks[k - 1].kind == TokKind::Word {
                k -= 1;
                place[k] = true;
            }
        }
        for p in place.iter_mut().skip(n).take(matched) {
            *p = true;
        }
        n += matched.max(1);
    }
    place
}

/// Address spans in normalised chars.
pub(crate) fn find(chars: &[char], toks: &[Token], place: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut n = 0;
    while n < toks.len() {
        if !place[n] {
            n += 1;
            continue;
        }
        let start = n;
        while n + 1 < toks.len() && place[n + 1] {
            n += 1;
        }
        let Some(num) = toks.get(n + 1).filter(|t| t.kind == TokKind::Number) else {
            n += 1;
            continue;
        };
        let street_end = toks[n].end;
        let gap_ok = num.start <= street_end + 1 && num.end - num.start <= 4;
        let mut end = num.end;
        // A house letter: "12B", "12 b".
        if let Some(l) = toks
            .get(n + 2)
            .filter(|l| l.kind == TokKind::Word && l.lower.chars().count() == 1)
            .filter(|l| l.start <= end + 1)
        {
            end = l.end;
        }
        let streety = is_street(toks, start, n);
        let home = context::home_before(toks, start, 6);
        if gap_ok && streety && (home || postcode_after(chars, end)) {
            out.push((toks[start].start, end));
        }
        n += 2;
    }
    out
}

/// Whether tokens `a..=b` name a street (not a district or a shop).
fn is_street(toks: &[Token], a: usize, b: usize) -> bool {
    let last = &toks[b].lower;
    let phrase: Vec<&str> = toks[a..=b].iter().map(|t| t.lower.as_str()).collect();
    street_like(last)
        || STREET_WORDS.contains(&last.as_str())
        || LISTS.streets.contains(&phrase.join(" "))
}

/// ", 0671 Oslo" or " 0671" after a house number.
fn postcode_after(chars: &[char], end: usize) -> bool {
    let rest: String = chars[end..chars.len().min(end + 8)].iter().collect();
    let rest = rest.trim_start_matches([',', ' ']);
    rest.len() >= 4
        && rest.chars().take(4).all(|c| c.is_ascii_digit())
        && !rest.chars().nth(4).is_some_and(|c| c.is_ascii_digit())
}
