//! Normalisation before screening: NFKC, every kind of space read as a
//! space, every dash as '-', invisible characters dropped. Each normalised
//! character remembers which original character it came from, so findings
//! are reported in the text the worker typed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// The normalised text and, per normalised character, the index of the
/// original character it came from.
#[derive(Debug)]
pub(crate) struct Normalised {
    pub chars: Vec<char>,
    origin: Vec<usize>,
}

impl Normalised {
    pub fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        let all: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < all.len() {
            // A cluster: a character and the combining marks after it, so
            // NFKC composes "a" + U+030A into "å" as a whole text's NFKC
            // would (folding one character at a time left "a" and a lone
            // ring, and a decomposed "Håkon" read as "Ha kon").
            let mut j = i + 1;
            while j < all.len() && canonical_combining_class(all[j]) != 0 {
                j += 1;
            }
            let c = all[i];
            if j == i + 1 && (c.is_ascii() || matches!(c, 'À'..='ÿ') && c != '×' && c != '÷') {
                chars.push(c);
                origin.push(i);
                i = j;
                continue;
            }
            let cluster: String = all[i..j].iter().collect();
            for d in cluster.nfkc() {
                match fold(d) {
                    Fold::Drop => {}
                    Fold::To(e) | Fold::Keep(e) => {
                        chars.push(e);
                        origin.push(i);
                    }
                }
            }
            i = j;
        }
        Normalised { chars, origin }
    }

    /// The original character that normalised character `i` came from.
    pub fn origin_of(&self, i: usize) -> usize {
        self.origin[i]
    }

    /// The original character span of normalised `start..end` (end
    /// exclusive, `start < end`).
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin[start], self.origin[end - 1] + 1)
    }
}

enum Fold {
    Drop,
    To(char),
    Keep(char),
}

fn fold(c: char) -> Fold {
    match c {
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Fold::Drop,
        _ => match fold_simple(c) {
            d if d != c => Fold::To(d),
            _ => Fold::Keep(c),
        },
    }
}

/// Spaces, dashes and at-sign look-alikes that NFKC leaves alone (or maps
/// to something other than what a reader sees).
fn fold_simple(c: char) -> char {
    match c {
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}'
        | '\t' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        _ => c,
    }
}

/// A word or a digit run in the normalised text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    Number,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// Lower-cased text of the token.
    pub lower: String,
    /// First letter upper-case (a word written as a name would be).
    pub capital: bool,
    /// First word of a sentence (nothing before, or after . ! ? : or a line break).
    pub sentence_start: bool,
}

/// Words (letters, with inner hyphens and apostrophes: "Ann-Kristin") and
/// digit runs. Everything else separates tokens.
pub(crate) fn tokens(chars: &[char]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut boundary = true;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c.is_ascii_digit() {
            let digit = c.is_ascii_digit();
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j];
                let same = if digit {
                    d.is_ascii_digit()
                } else {
                    d.is_alphabetic()
                };
                let joiner = !digit
                    && matches!(d, '-' | '\'')
                    && chars.get(j + 1).is_some_and(|n| n.is_alphabetic());
                if same || joiner {
                    j += 1;
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: if digit {
                    TokKind::Number
                } else {
                    TokKind::Word
                },
                start: i,
                end: j,
                lower: chars[i..j].iter().flat_map(|c| c.to_lowercase()).collect(),
                capital: c.is_uppercase(),
                sentence_start: boundary,
            });
            boundary = false;
            i = j;
        } else {
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | ':' | ';' | '"' | '«' | '»' | '•'
            ) {
                // "kl. 21" and "ca. 30" do not end a sentence, but a
                // capital after them is rare enough not to matter.
                boundary = true;
            }
            if c == '-' && out.last().is_none_or(|t| t.end < i.saturating_sub(1)) {
                boundary = true; // a dash opening a list item
            }
            i += 1;
        }
    }
    out
}
