//! Person names: a full name (a known first name with a surname or another
//! name-shaped word, or two name-shaped words mid-sentence), and a single
//! first name used about a person ("Ola (15) sa at …", "møtte Kari").
//! Name-shaped means capitalised, not a common word and not a public place.
//! A capitalised common word that is also a name ("Per", "Liv", "Dag") is
//! taken for a name only when the words around it say it is a person.

use super::lists::LISTS;
use super::name_words::{
    ABOUT, CULTURE_AFTER, CULTURE_BEFORE, DATE_BEFORE, FUNCTION_WORDS, KIN, LABELS, LOWER_BEFORE,
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
    let lists = &LISTS;
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
    let lists = &LISTS;
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
    out.extend(labelled(chars, toks, place));
    out.extend(genitives(toks, place));
    out.sort_unstable();
    join_before(chars, toks, place, out)
}

/// Name spans from the model and the rules made one: overlapping or
/// adjacent ones (one space apart: "Ahmed" and "Mohamed Ali") joined,
/// each widened by a surname's initial right after it.
pub(crate) fn merge(
    chars: &[char],
    toks: &[Token],
    mut spans: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for s in spans {
        let s = with_initial(chars, toks, s);
        match out.last_mut() {
            Some(last) if s.0 <= last.1 || (s.0 == last.1 + 1 && chars[last.1] == ' ') => {
                last.1 = last.1.max(s.1);
            }
            _ => out.push(s),
        }
    }
    out
}

/// A name given after a label, whole and in any case: "navn: helen
/// tesfay", "nvn: yonas gebremedhin", "navn - kristine dela cruz",
/// "navn på jenta: fadumo ali", "heter visst tran bao ngoc". Up to four
/// words that are no ordinary word, a place or a function word.
fn labelled(chars: &[char], toks: &[Token], place: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (n, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Word || !LABELS.contains(&t.lower.as_str()) {
            continue;
        }
        // "navn på jenta:", "heter visst": step over a short aside up to
        // a colon, or one filler word.
        let mut k = n + 1;
        let colon = |a: usize, b: usize| chars[a..b].iter().any(|c| matches!(c, ':' | '=' | '-'));
        if let Some(c) =
            (n + 1..toks.len().min(n + 4)).find(|&c| colon(toks[c - 1].end, toks[c].start))
        {
            k = c;
        } else if toks
            .get(k)
            .is_some_and(|u| ["visst", "egentlig", "nok", "er"].contains(&u.lower.as_str()))
        {
            k += 1;
        }
        let name_word = |u: &Token, m: usize| {
            u.kind == TokKind::Word
                && !place[m]
                && !FUNCTION_WORDS.contains(&u.lower.as_str())
                && (LISTS.first_names.contains(&u.lower)
                    || LISTS.surnames.contains(&u.lower)
                    || !plain_word(&u.lower))
        };
        let mut end = k;
        while end < toks.len() && end < k + 4 && name_word(&toks[end], end) {
            if end > k && toks[end].start != toks[end - 1].end + 1 {
                break;
            }
            end += 1;
        }
        // One known first name at least, so "navn på lista" is no name.
        let known = toks[k..end]
            .iter()
            .any(|u| LISTS.first_names.contains(&u.lower));
        if end > k && known {
            out.push((toks[k].start, toks[end - 1].end));
        }
    }
    out
}

/// A known first name in the genitive before a word for kin or a
/// person's things: "laylas bror", "Merts kompiser", "tuvas foreldre".
fn genitives(toks: &[Token], place: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (n, t) in toks.iter().enumerate() {
        let stem = t
            .lower
            .strip_suffix('s')
            .or_else(|| t.lower.strip_suffix("s'"));
        let Some(stem) = stem.filter(|s| s.chars().count() >= 3) else {
            continue;
        };
        let kin = toks
            .get(n + 1)
            .is_some_and(|u| KIN.contains(&u.lower.as_str()));
        if kin && !place[n] && LISTS.first_names.contains(stem) && !plain_word(stem) {
            out.push((t.start, t.end));
        }
    }
    out
}

/// A name widened by a surname's initial right after it: "helen t",
/// "Wiktoria N.", "omar f" (not "i", "å", "e", which are words).
fn with_initial(chars: &[char], toks: &[Token], span: (usize, usize)) -> (usize, usize) {
    let n = toks.partition_point(|t| t.start < span.1);
    let Some(u) = toks
        .get(n)
        .filter(|u| u.start == span.1 + 1 && chars[span.1] == ' ')
    else {
        return span;
    };
    let letter = u.kind == TokKind::Word && u.end - u.start == 1;
    if !letter || ["i", "å", "e", "a", "o"].contains(&u.lower.as_str()) && !u.capital {
        return span;
    }
    let dot = chars.get(u.end) == Some(&'.');
    (span.0, if dot { u.end + 1 } else { u.end })
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
    let lists = &LISTS;
    let known = |t: &Token, list: &super::lists::WordSet| {
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
            || is_in(after, DID)
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
            || is_in(after, DID)
            || (!t.sentence_start && (is_in(prev, WITH_PERSON) || is_in(after, PERSON_AFTER))))
}

/// Whether a name the rules found at `span` rests on evidence specific
/// enough to stand beside the model whatever it says: an age or a
/// described age right after it, "heter"/"navn" before it, a speech verb
/// after it, a name written in small letters (the rules take those only
/// with a person context), or a known first name with a known surname.
/// The rules' other guesses (an unknown capitalised word near "og" or
/// "med") only inform the model, as a feature: on NorNE they took
/// countries, parties and newspapers for people.
pub(crate) fn strong(chars: &[char], toks: &[Token], place: &[bool], span: (usize, usize)) -> bool {
    let first = toks.partition_point(|t| t.start < span.0);
    let small = toks.get(first).is_some_and(|a| !a.capital);
    small || evidence(chars, toks, place, span)
}

/// What the words around `span` say of a person, whoever found it: an
/// age right after, "heter"/"navn" before, a speech verb after, or a
/// known first name with a known surname.
fn evidence(chars: &[char], toks: &[Token], place: &[bool], span: (usize, usize)) -> bool {
    let lists = &LISTS;
    let first = toks.partition_point(|t| t.start < span.0);
    let last = toks.partition_point(|t| t.start < span.1).saturating_sub(1);
    let (Some(a), Some(z)) = (toks.get(first), toks.get(last)) else {
        return false;
    };
    let prev = first.checked_sub(1).and_then(|p| word(toks, p));
    let after = word(toks, after_brackets(chars, toks, last));
    let full = last > first
        && lists.first_names.contains(&a.lower)
        && lists.surnames.contains(&z.lower)
        && !place[first]
        && !place[last];
    full || age_after(chars, z)
        || is_in(prev, NAMED)
        || is_in(after, SPEECH)
        || is_in(after, DID)
        || (!a.sentence_start && (is_in(prev, MET) || talked_with(toks, first)))
}

/// Verbs and kin words right before a name that only a person follows
/// ("fulgte Ivo hjem", "mor til …" is `ABOUT`'s); unlike "og" or "med",
/// which as often join parties, countries and shops.
const MET: &[&str] = &[
    "møtte",
    "traff",
    "fulgte",
    "hjalp",
    "besøkte",
    "hentet",
    "henta",
    "met",
    "helped",
    "followed",
    "visited",
    "kjæresten",
    "vennen",
    "venninnen",
    "broren",
    "søsteren",
];
/// Verbs right after a name that only a person does ("Guido kom", "Ivo
/// gråt"); not "er", "har", "var", which a party or a shop does too.
const DID: &[&str] = &[
    "sa", "sier", "fortalte", "spurte", "lurte", "virket", "ringte", "gråt", "gråter", "sov",
    "satt", "sitter", "dro", "løp", "kom", "nektet", "prøvde", "told", "asked", "came", "seemed",
];

/// "snakket (lenge) med X", "prata med X": a talk verb, then "med".
fn talked_with(toks: &[Token], first: usize) -> bool {
    let before = &toks[first.saturating_sub(3)..first];
    matches!(before.last(), Some(t) if t.lower == "med")
        && before.iter().any(|t| {
            [
                "snakket", "snakka", "prata", "pratet", "samtale", "chatta", "talked", "spoke",
            ]
            .contains(&t.lower.as_str())
        })
}

/// Whether a name the model found at `span` can be one: not single
/// letters ("plan B"), not a lone pronoun ("man"), and not a lone
/// ordinary word opening a sentence or in small letters ("Samtidig",
/// "Vold og …", "sak 2026/1432") unless the
/// words around it say it is a person (see [`strong`]).
pub(crate) fn plausible(
    chars: &[char],
    toks: &[Token],
    place: &[bool],
    span: (usize, usize),
) -> bool {
    let first = toks.partition_point(|t| t.start < span.0);
    let last = toks.partition_point(|t| t.start < span.1).saturating_sub(1);
    let Some(these) = toks.get(first..=last) else {
        return false;
    };
    if these.iter().all(|t| t.end - t.start < 2) {
        return false;
    }
    // "Ødegaard-drakt", "Swift-billetter", "Kiwanuka-låt": a compound
    // noun about a thing, whoever it is named after.
    let last_word = &chars[these[these.len() - 1].start..these[these.len() - 1].end];
    if last_word
        .windows(2)
        .any(|w| w[0] == '-' && w[1].is_lowercase())
    {
        return false;
    }
    // In small letters, only a name the lists know: Norwegian has far
    // more ordinary words than `common_words.txt` holds ("bussen",
    // "tolk", "møtte ærlig"), and a small word after "møtte" is as often
    // an adjective as a name.
    let small = these.iter().all(|t| !t.capital);
    let listed = these
        .iter()
        .any(|t| LISTS.first_names.contains(&t.lower) || LISTS.surnames.contains(&t.lower));
    if small && !listed {
        return false;
    }
    // "i mai": a name never starts with a small function word.
    if these.len() > 1 && !these[0].capital && plain_word(&these[0].lower) {
        return false;
    }
    if let [t] = these {
        if FUNCTION_WORDS.contains(&t.lower.as_str()) {
            return false;
        }
        let sure = evidence(chars, toks, place, span);
        let opening_or_small = t.sentence_start || !t.capital;
        if opening_or_small && plain_word(&t.lower) && !sure {
            return false;
        }
        // A word right before a number labels it ("Tellinger 20 19",
        // "Skoleåret 2023-2024", "kr 81 163"), unless it is a known first
        // name or the number is an age (both in `strong`).
        let number_next = toks.get(first + 1).is_some_and(|n| {
            n.kind == TokKind::Number
                && n.start - t.end <= 2
                && chars[t.end..n.start]
                    .iter()
                    .all(|c| matches!(c, ' ' | ':' | '.' | '#'))
        });
        if !t.capital && t.end - t.start <= 2 && !sure {
            return false; // "nr", "kl": an abbreviation in small letters
        }
        if number_next && !sure && !LISTS.first_names.contains(&t.lower) {
            return false;
        }
    }
    true
}
