//! Person names: a full name (a known first name with a surname or another
//! name-shaped word, or two name-shaped words mid-sentence), and a single
//! first name used about a person ("Ola (15) sa at …", "møtte Kari").
//! Name-shaped means capitalised, not a common word and not a public place.
//! A capitalised common word that is also a name ("Per", "Liv", "Dag") is
//! taken for a name only when the words around it say it is a person.

use super::lists::LISTS;
use super::name_words::{
    ABOUT, CULTURE_AFTER, CULTURE_BEFORE, DATE_BEFORE, FUNCTION_WORDS, LOWER_BEFORE,
    NAME_PARTICLES, NAMED, PERSON_AFTER, SPEECH, THING_BEFORE, WITH_PERSON,
};
use super::normalise::{TokKind, Token};

fn word(toks: &[Token], n: usize) -> Option<&Token> {
    toks.get(n).filter(|t| t.kind == TokKind::Word)
}

fn is_in(t: Option<&Token>, words: &[&str]) -> bool {
    t.is_some_and(|t| words.contains(&t.lower.as_str()))
}

/// "(15)", "(15 år)", ", 15," or "15 år" right after the token; for a
/// known first name also "16 ble …", "(kurdisk, 15)", ", eritreisk, 16,",
/// ", han …".
fn age_after(chars: &[char], t: &Token) -> bool {
    let known = LISTS.first_names.contains(&t.lower);
    let rest: String = chars[t.end..chars.len().min(t.end + 12)].iter().collect();
    let rest = rest.trim_start();
    let digits_then = |s: &str| {
        let n = s.chars().take_while(char::is_ascii_digit).count();
        (1..=2).contains(&n).then(|| s[n..].to_string())
    };
    if let Some(r) = rest.strip_prefix('(').and_then(digits_then) {
        return r.starts_with(')') || r.trim_start().starts_with("år");
    }
    if let Some(r) = rest
        .strip_prefix(',')
        .map(str::trim_start)
        .and_then(digits_then)
    {
        return r.starts_with(',') || r.trim_start().starts_with("år") || r.starts_with(')');
    }
    digits_then(rest).is_some_and(|r| {
        let r = r.trim_start();
        r.starts_with("år") || (known && person_verb_next(r))
    }) || described_age(chars, t, known)
        || (known && pronoun_after(chars, t))
}

/// Whether `rest` starts with a verb about a person ("16 ble kastet ut").
fn person_verb_next(rest: &str) -> bool {
    let w: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    !w.is_empty() && PERSON_AFTER.contains(&w.to_lowercase().as_str())
}

/// An age after a word of description: "(kurdisk, 15)", ", eritreisk, 16,",
/// " fra Eritrea, 16,".
/// The bracketed form is specific enough for any word; the others only
/// after a known first name.
fn described_age(chars: &[char], t: &Token, known: bool) -> bool {
    let rest: String = chars[t.end..chars.len().min(t.end + 32)].iter().collect();
    let rest = rest.trim_start();
    if !known && !rest.starts_with('(') {
        return false;
    }
    let rest = rest
        .strip_prefix('(')
        .or_else(|| rest.strip_prefix(','))
        .or_else(|| rest.strip_prefix("fra "))
        .unwrap_or("")
        .trim_start();
    let rest = rest.strip_prefix("fra ").unwrap_or(rest);
    let word = rest.chars().take_while(|c| c.is_alphabetic()).count();
    let Some(after) = rest
        .char_indices()
        .nth(word)
        .map(|(b, _)| &rest[b..])
        .and_then(|r| r.strip_prefix(','))
    else {
        return false;
    };
    let after = after.trim_start();
    let n = after.chars().take_while(char::is_ascii_digit).count();
    word >= 3
        && (1..=2).contains(&n)
        && after[n..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ')' | ',' | ' ' | '.'))
}

/// ", han …" or ", hun …" right after: a person described.
fn pronoun_after(chars: &[char], t: &Token) -> bool {
    let rest: String = chars[t.end..chars.len().min(t.end + 6)].iter().collect();
    rest.starts_with(", han ") || rest.starts_with(", hun ")
}

/// The token after `n`, passing over a short remark in brackets right
/// after it ("Nikola (serbisk) hadde …").
fn after_brackets(chars: &[char], toks: &[Token], n: usize) -> usize {
    let t = &toks[n];
    let open = chars[t.end..].iter().position(|c| *c != ' ');
    if open.is_none_or(|o| o > 1 || chars[t.end + o] != '(') {
        return n + 1;
    }
    let from = t.end + open.unwrap_or(0);
    let close = chars[from..chars.len().min(from + 25)]
        .iter()
        .position(|c| *c == ')')
        .map(|c| from + c);
    close.map_or(n + 1, |c| toks.partition_point(|u| u.start < c))
}

/// Whether a culture word ("hørte på", "konsert") is near token `n`.
fn culture_near(toks: &[Token], n: usize, last: usize) -> bool {
    let before = toks[..n].iter().rev().take(4);
    let after = toks.iter().skip(last + 1).take(6);
    let thing = n > 0 && THING_BEFORE.contains(&toks[n - 1].lower.as_str());
    thing
        || before
            .into_iter()
            .any(|t| CULTURE_BEFORE.contains(&t.lower.as_str()))
        || after
            .into_iter()
            .any(|t| CULTURE_AFTER.contains(&t.lower.as_str()))
}

/// Whether a (lower-cased) word is an ordinary word: a common Norwegian or
/// English word, or an English dictionary word that is no known name
/// ("Hotel", "League"; but "Rose", "Will" are names and stay so).
fn plain_word(lower: &str) -> bool {
    let lists = &*LISTS;
    let plain = |w: &str| {
        lists.common.contains(w)
            || (lists.dictionary.contains(w)
                && !lists.first_names.contains(w)
                && !lists.surnames.contains(w))
    };
    // The genitive of an ordinary word or place ("Politiets", "Oslos").
    let genitive = lower
        .strip_suffix('s')
        .is_some_and(|stem| plain(stem) || lists.places.contains(stem));
    // A definite plural noun ("Jentene", "Vaktene") that no list knows as a name.
    let plural = lower.chars().count() > 5
        && lower.ends_with("ene")
        && !lists.first_names.contains(lower)
        && !lists.surnames.contains(lower);
    plain(lower) || plural || (genitive && !lists.first_names.contains(lower))
}

/// Whether `t` is a word written as a name is: a capital, then small
/// letters (a hyphen may start a new capital: "Ann-Kristin"), not a place.
fn capital_word(chars: &[char], t: Option<&Token>, place: &[bool], n: usize) -> bool {
    t.is_some_and(|t| {
        let w = &chars[t.start..t.end];
        // "LG", "NAV": an abbreviation; "McDonald" and "Ann-Kristin" are
        // names; "T-banestasjon" and "Salto-koordinatoren" are compound nouns.
        let compound = w.windows(2).any(|p| p[0] == '-' && p[1].is_lowercase())
            && !LISTS.first_names.contains(&t.lower);
        let shaped = w.iter().any(|c| c.is_lowercase()) && !compound;
        t.kind == TokKind::Word && t.capital && shaped && !place[n] && w.len() >= 2
    })
}

/// Whether two tokens are adjacent words of one name (a space between).
fn adjacent(chars: &[char], a: &Token, b: &Token) -> bool {
    b.start == a.end + 1 && chars[a.end] == ' '
}

/// Name spans in normalised chars. `place[n]` marks tokens that belong to a
/// public place or street.
pub(crate) fn find(chars: &[char], toks: &[Token], place: &[bool]) -> Vec<(usize, usize)> {
    let lists = &*LISTS;
    let mut out = Vec::new();
    let mut n = 0;
    while n < toks.len() {
        let t = &toks[n];
        if !capital_word(chars, Some(t), place, n) {
            n += 1;
            continue;
        }
        let common = lists.common.contains(&t.lower);
        let first = lists.first_names.contains(&t.lower);
        let shaped = !plain_word(&t.lower); // capitalised, no common word, no place
        // Full name: this word and the next (and a third) capitalised.
        let next = toks
            .get(n + 1)
            .filter(|u| adjacent(chars, t, u) && capital_word(chars, Some(u), place, n + 1));
        // "Emil Berg er 15": a first name, then a surname that is also a
        // place, said about a person.
        if first
            && let Some(u) = toks.get(n + 1).filter(|u| {
                adjacent(chars, t, u)
                    && u.capital
                    && place[n + 1]
                    && lists.surnames.contains(&u.lower)
                    && (age_after(chars, u) || is_in(word(toks, n + 2), PERSON_AFTER))
            })
        {
            out.push((t.start, u.end));
            n += 2;
            continue;
        }
        if let Some(u) = next {
            let u_sur = lists.surnames.contains(&u.lower);
            let u_shaped = !plain_word(&u.lower);
            // A known first name, or an unknown capitalised word that is no
            // ordinary word (in Norwegian only names and proper nouns are
            // capitalised), followed by a surname or another such word.
            let full = (first || shaped) && (u_sur || u_shaped);
            if full {
                let mut last = n + 1;
                if toks
                    .get(n + 2)
                    .filter(|v| adjacent(chars, u, v) && capital_word(chars, Some(v), place, n + 2))
                    .is_some_and(|v| lists.surnames.contains(&v.lower) || !plain_word(&v.lower))
                {
                    last = n + 2;
                }
                if !culture_near(toks, n, last) {
                    out.push((t.start, toks[last].end));
                }
                n = last + 1;
                continue;
            }
        }
        let common = if first { common } else { !shaped };
        if single_name(chars, toks, n, first, common) && !culture_near(toks, n, n) {
            out.push((t.start, t.end));
        }
        n += 1;
    }
    out.extend(lower_case_names(chars, toks, place));
    out.sort_unstable();
    join_before(chars, toks, place, out)
}

/// Widens or adds names by the words before a name found: a Vietnamese
/// middle name ("Van Anh"), and the first of two names joined by "og"
/// ("Awet og Filmon sov"), when it is capitalised and no ordinary word.
fn join_before(
    chars: &[char],
    toks: &[Token],
    place: &[bool],
    found: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(found.len());
    for (start, end) in found {
        let n = toks.partition_point(|t| t.start < start);
        let prev = n.checked_sub(1).map(|p| &toks[p]);
        let particle = prev.filter(|p| {
            p.capital && adjacent(chars, p, &toks[n]) && NAME_PARTICLES.contains(&p.lower.as_str())
        });
        if let Some(p) = particle {
            out.push((p.start, end));
            continue;
        }
        let og = prev.is_some_and(|p| matches!(p.lower.as_str(), "og" | "and"));
        let first = n.checked_sub(2).filter(|&k| {
            og && capital_word(chars, toks.get(k), place, k)
                && !plain_word(&toks[k].lower)
                && !FUNCTION_WORDS.contains(&toks[k].lower.as_str())
                && out.last().is_none_or(|&(_, e)| e <= toks[k].start)
        });
        if let Some(k) = first {
            out.push((toks[k].start, toks[k].end));
        }
        out.push((start, end));
    }
    out
}

/// A known first name written in small letters, where the words around
/// it say it is a person ("snakka med ingrid", "aisha sier", "hamza 15
/// år"), with a known surname after it ("mohamed abdi"). Only names that
/// are no ordinary word, so "med per" or "i mai" are never taken.
fn lower_case_names(chars: &[char], toks: &[Token], place: &[bool]) -> Vec<(usize, usize)> {
    let lists = &*LISTS;
    let known = |t: &Token, list: &std::collections::HashSet<String>| {
        t.kind == TokKind::Word
            && !t.capital
            && t.lower.chars().count() >= 3
            && list.contains(&t.lower)
            && !plain_word(&t.lower)
            && !FUNCTION_WORDS.contains(&t.lower.as_str())
    };
    let mut out = Vec::new();
    let mut n = 0;
    while n < toks.len() {
        let t = &toks[n];
        if place[n] || !known(t, &lists.first_names) {
            n += 1;
            continue;
        }
        let prev = n.checked_sub(1).and_then(|p| word(toks, p));
        let after = word(toks, n + 1);
        let sure = is_in(prev, LOWER_BEFORE)
            || is_in(after, SPEECH)
            || age_after(chars, t)
            || (t.sentence_start && is_in(after, PERSON_AFTER) && !is_in(after, &["og", "and"]));
        let next = toks
            .get(n + 1)
            .filter(|u| adjacent(chars, t, u) && !place[n + 1] && known(u, &lists.surnames));
        let whole = next.is_some_and(|u| {
            is_in(prev, ABOUT) || is_in(word(toks, n + 2), PERSON_AFTER) || age_after(chars, u)
        });
        match next {
            Some(u) if sure || whole => {
                out.push((t.start, u.end));
                n += 2;
            }
            _ if sure => {
                out.push((t.start, t.end));
                n += 1;
            }
            _ => n += 1,
        }
    }
    out
}

/// Whether the single capitalised word at `n` is a name about a person.
fn single_name(chars: &[char], toks: &[Token], n: usize, first: bool, common: bool) -> bool {
    let t = &toks[n];
    if FUNCTION_WORDS.contains(&t.lower.as_str()) {
        return false; // "Vi spurte", "De sa": a pronoun, whatever lists say
    }
    let prev = n.checked_sub(1).and_then(|p| word(toks, p));
    let after = word(toks, after_brackets(chars, toks, n));
    let age = age_after(chars, t);
    let named = is_in(prev, NAMED);
    if age || named {
        return true;
    }
    if first && !common {
        return !t.sentence_start || is_in(after, PERSON_AFTER) || is_in(prev, ABOUT);
    }
    if first && common {
        // "møtte Per i parken", "Per sa at": but "Per dag", "in May".
        let speech = is_in(after, SPEECH);
        let mid = !t.sentence_start && !is_in(prev, DATE_BEFORE);
        return speech || (mid && (is_in(prev, ABOUT) || is_in(after, PERSON_AFTER)));
    }
    // Not a known first name: a speech verb right after ("Jussi sa at"),
    // or mid-sentence (where Norwegian capitalises only proper nouns) a
    // word about a person around it ("med Jussi", "og Jussi kom").
    !common
        && (is_in(after, SPEECH)
            || (!t.sentence_start && (is_in(prev, WITH_PERSON) || is_in(after, PERSON_AFTER))))
}
