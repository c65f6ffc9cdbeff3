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
    let lists = &LISTS;
    let mut place = vec![false; toks.len()];
    let mut n = 0;
    while n < toks.len() {
        let mut matched = 0;
        let mut phrase = String::new();
        for k in 0..lists.max_place_words.min(toks.len() - n) {
            let t = &toks[n + k];
            if k > 0 {
                // One separator between words, or " & " ("Steen & Strøm").
                let gap = &chars[toks[n + k - 1].end..t.start];
                if gap.len() != 1 && gap != [' ', '&', ' '] {
                    break;
                }
                phrase.extend(gap);
            }
            phrase.push_str(&t.lower);
            if lists.places.contains(&phrase) || lists.streets.contains(&phrase) {
                matched = k + 1;
            }
            // No longer place can start with these words: stop reading.
            if !lists.places.has_prefix(&phrase) && !lists.streets.has_prefix(&phrase) {
                break;
            }
        }
        if matched == 0
            && toks[n].kind == TokKind::Word
            && street_like(&toks[n].lower)
            && toks[n].capital
            && !lists.first_names.contains(&toks[n].lower)
            && !lists.surnames.contains(&toks[n].lower)
        {
            matched = 1;
        }
        if matched == 0
            && toks[n].kind == TokKind::Word
            && STREET_WORDS.contains(&toks[n].lower.as_str())
        {
            place[n] = true;
            let mut k = n;
            while k > 0
                && n - k < 3
                && toks[k - 1].capital
                && toks[k - 1].kind == TokKind::Word
                && toks[k - 1].end + 1 == toks[k].start
                && !context::is_home(&toks[k - 1])
            {
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

/// Words after a number that say it is not a house number.
const UNITS: &[&str] = &[
    "dager",
    "dag",
    "netter",
    "natt",
    "døgn",
    "uker",
    "uke",
    "år",
    "måneder",
    "mnd",
    "etasje",
    "etg",
    "timer",
    "min",
    "minutter",
    "kr",
    "stk",
    "personer",
    "ungdommer",
    "days",
    "weeks",
    "years",
    "months",
    "floor",
];

/// Address spans in normalised chars: a run of name words (ending in a
/// street word or shape, or any capitalised run right after a home word)
/// followed by a house number.
pub(crate) fn find(chars: &[char], toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (m, num) in toks.iter().enumerate() {
        if num.kind != TokKind::Number || num.end - num.start > 3 || m == 0 {
            continue;
        }
        let Some(start) = run_before(chars, toks, m) else {
            continue;
        };
        let mut end = num.end;
        let mut after = m + 1;
        // A house letter: "12B", "12 b".
        if let Some(l) = toks
            .get(m + 1)
            .filter(|l| l.kind == TokKind::Word && l.lower.chars().count() == 1)
            .filter(|l| l.start <= end + 1)
        {
            end = l.end;
            after += 1;
        }
        // A flat number run onto the house letter: "21 H0302".
        if chars[end - 1].is_alphabetic() && digit_count(chars, end) == 4 {
            end += 4;
            after += 1;
        }
        if toks
            .get(after)
            .is_some_and(|t| UNITS.contains(&t.lower.as_str()))
        {
            continue;
        }
        let streety = is_street(toks, start, m - 1);
        let home = context::home_before(toks, start, 6);
        let near_home = context::home_before(toks, start, 4);
        let postcode = postcode_after(chars, end);
        let with_code = postcode_end(chars, end).filter(|_| streety);
        // "Søren Jaabæks vei 9 er der han bor": the home word comes after.
        let home_after = streety && toks.iter().skip(after).take(4).any(context::is_home);
        if postcode || near_home || (streety && home) || home_after || with_code.is_some() {
            out.push((
                toks[start].start,
                with_code.or(postcode_end(chars, end)).unwrap_or(end),
            ));
        }
    }
    out
}

/// The first token of the name words right before token `m` (each one
/// space apart): capitalised words and street words, at most four, not a
/// home word ("Adresse Hans Hauges gate 3" starts at "Hans").
fn run_before(chars: &[char], toks: &[Token], m: usize) -> Option<usize> {
    let mut k = m;
    while k > 0 && m - k < 4 {
        let t = &toks[k - 1];
        let next_start = toks[k].start;
        let adjacent = t.end + 1 == next_start && chars[t.end] == ' ';
        // A street written in small letters ("bor i gransdalen 18") counts
        // when the word itself is a known street or shaped like one.
        let small_street = k == m && (street_like(&t.lower) || LISTS.streets.contains(&t.lower));
        let wordy = t.kind == TokKind::Word
            && (t.capital || small_street || STREET_WORDS.contains(&t.lower.as_str()))
            && !context::is_home(t);
        if !adjacent || !wordy {
            break;
        }
        k -= 1;
    }
    (k < m).then_some(k)
}

fn digit_count(chars: &[char], i: usize) -> usize {
    chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// Whether tokens `a..=b` name a street (not a district or a shop).
fn is_street(toks: &[Token], a: usize, b: usize) -> bool {
    let last = &toks[b].lower;
    let phrase: Vec<&str> = toks[a..=b].iter().map(|t| t.lower.as_str()).collect();
    street_like(last)
        || STREET_WORDS.contains(&last.as_str())
        || LISTS.streets.contains(&phrase.join(" "))
}

/// The end of ", 0576" or ", 1184 oslo" right after a house number: a
/// four-digit postcode, and the place after it when one follows.
fn postcode_end(chars: &[char], end: usize) -> Option<usize> {
    let mut k = end;
    if chars.get(k) == Some(&',') {
        k += 1;
    }
    if chars.get(k) != Some(&' ') {
        return None;
    }
    k += 1;
    if digit_count(chars, k) != 4 || chars.get(k + 4).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let code_end = k + 4;
    let place = chars.get(code_end) == Some(&' ')
        && chars[code_end + 1..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count()
            >= 3;
    if !place {
        return Some(code_end);
    }
    let len = chars[code_end + 1..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .count();
    Some(code_end + 1 + len)
}

/// ", 0671 Oslo" after a house number: a four-digit postcode and a
/// capitalised place name.
fn postcode_after(chars: &[char], end: usize) -> bool {
    let rest: String = chars[end..chars.len().min(end + 8)].iter().collect();
    let rest = rest.trim_start_matches([',', ' ']);
    let mut it = rest.chars();
    (0..4).all(|_| it.next().is_some_and(|c| c.is_ascii_digit()))
        && it.next() == Some(' ')
        && it.next().is_some_and(char::is_uppercase)
}
