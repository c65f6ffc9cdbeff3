//! Reading NorNE (github.com/ltgoslo/norne: names annotated on the
//! Norwegian Dependency Treebank, annotations CC0; the texts may not be
//! republished, so they are read from a checkout and never copied here).
//! Shared by the `train_names` example and the `screen_norne` bench.

#![allow(dead_code)]

use std::collections::HashSet;
use std::path::Path;

/// One sentence: its text, the character spans of its person names (with
/// their length in tokens), and how many other names (organisations,
/// places, products, events) it has.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub persons: Vec<(usize, usize, usize)>,
    pub other_names: usize,
}

/// Appends token `form` to `text` (a space before it unless it is glued
/// punctuation) and returns its character span.
fn push_token(text: &mut String, form: &str, glue: bool) -> (usize, usize) {
    if !text.is_empty() && !glue {
        text.push(' ');
    }
    let start = text.chars().count();
    text.push_str(form);
    (start, start + form.chars().count())
}

/// Builds a sentence from (form, NE label, glued-to-previous) rows; with
/// the original text at hand, each token is found in it instead.
fn build(rows: &[(String, String, bool)], given: Option<&str>) -> Sentence {
    let mut text = String::new();
    let mut spans = Vec::new();
    for (form, _, glue) in rows {
        spans.push(push_token(&mut text, form, *glue));
    }
    if let Some(orig) = given {
        let mut at = 0usize;
        let mut found = Vec::new();
        for (form, _, _) in rows {
            match orig[at..].find(form.as_str()) {
                Some(b) => {
                    let s = orig[..at + b].chars().count();
                    found.push((s, s + form.chars().count()));
                    at += b + form.len();
                }
                None => break,
            }
        }
        if found.len() == rows.len() {
            text = orig.to_string();
            spans = found;
        }
    }
    let mut persons = Vec::new();
    let mut other_names = 0;
    for (i, (_, label, _)) in rows.iter().enumerate() {
        match label.as_str() {
            "B-PER" => persons.push((spans[i].0, spans[i].1, 1)),
            "I-PER" => {
                if let Some(p) = persons.last_mut() {
                    p.1 = spans[i].1;
                    p.2 += 1;
                }
            }
            l if l.starts_with("B-") => other_names += 1,
            _ => {}
        }
    }
    Sentence {
        text,
        persons,
        other_names,
    }
}

/// Punctuation written without a space before it.
fn glued(form: &str) -> bool {
    matches!(form, "," | "." | ":" | ";" | "!" | "?" | ")" | "»" | "%")
}

fn ne_label(misc: &str) -> String {
    misc.split('|')
        .find_map(|p| p.strip_prefix("name="))
        .unwrap_or("O")
        .to_string()
}

/// Sentences of a CoNLL-U file (UD split), with their `# text`.
pub fn read_conllu(content: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut rows = Vec::new();
    let mut text: Option<String> = None;
    for line in content.lines().chain(std::iter::once("")) {
        if line.is_empty() {
            if !rows.is_empty() {
                out.push(build(&rows, text.as_deref()));
            }
            rows.clear();
            text = None;
        } else if let Some(t) = line.strip_prefix("# text = ") {
            text = Some(t.to_string());
        } else if !line.starts_with('#') {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 10 || cols[0].contains(['-', '.']) {
                continue;
            }
            rows.push((cols[1].to_string(), ne_label(cols[9]), glued(cols[1])));
        }
    }
    out
}

/// Sentences of NDT's own files (`ndt/nob/*.conll`), text rebuilt from
/// the tokens.
pub fn read_ndt(content: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut rows: Vec<(String, String, bool)> = Vec::new();
    for line in content.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !rows.is_empty() {
                out.push(build(&rows, None));
            }
            rows.clear();
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 {
            continue;
        }
        let after_open = rows
            .last()
            .is_some_and(|r| matches!(r.0.as_str(), "(" | "«"));
        let glue = glued(cols[1]) || after_open;
        rows.push((cols[1].to_string(), ne_label(cols[9]), glue));
    }
    out
}

/// The words of a sentence, for matching NDT sentences to the UD split.
fn key(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// NorNE Bokmål's (train, dev, test). The UD train file is over the size
/// some mirrors keep; without it, train is every NDT Bokmål sentence that
/// is in neither dev nor test.
pub fn bokmaal(root: &Path) -> std::io::Result<(Vec<Sentence>, Vec<Sentence>, Vec<Sentence>)> {
    let ud = root.join("ud/nob");
    let read = |name: &str| std::fs::read_to_string(ud.join(name)).map(|c| read_conllu(&c));
    let dev = read("no_bokmaal-ud-dev.conllu")?;
    let test = read("no_bokmaal-ud-test.conllu")?;
    let train = match read("no_bokmaal-ud-train.conllu") {
        Ok(t) => t,
        Err(_) => {
            let held: HashSet<String> = dev.iter().chain(&test).map(|s| key(&s.text)).collect();
            let mut files: Vec<_> = std::fs::read_dir(root.join("ndt/nob"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            let mut all = Vec::new();
            for f in files {
                all.extend(read_ndt(&std::fs::read_to_string(f)?));
            }
            all.retain(|s| !held.contains(&key(&s.text)));
            all
        }
    };
    Ok((train, dev, test))
}

/// The issue-15 figures of one split under one way of screening.
#[derive(Debug, Default, Clone, Copy)]
pub struct Figures {
    pub persons: (usize, usize),
    pub single: (usize, usize),
    pub multi: (usize, usize),
    /// Refused sentences that name organisations or places but no person.
    pub org_place: (usize, usize),
    /// Refused sentences with no name at all.
    pub plain: (usize, usize),
}

fn pct((hit, n): (usize, usize)) -> f64 {
    if n == 0 {
        0.0
    } else {
        100.0 * hit as f64 / n as f64
    }
}

impl Figures {
    /// One line: recall, single/multi, refusals.
    pub fn line(&self) -> String {
        format!(
            "person recall {:5.1} % ({}/{}; single {:5.1} %, multi {:5.1} %)  refused: org/place {:5.1} % ({}/{}), plain {:4.2} % ({}/{})",
            pct(self.persons),
            self.persons.0,
            self.persons.1,
            pct(self.single),
            pct(self.multi),
            pct(self.org_place),
            self.org_place.0,
            self.org_place.1,
            pct(self.plain),
            self.plain.0,
            self.plain.1
        )
    }

    pub fn recall(&self) -> f64 {
        pct(self.persons)
    }

    pub fn org_place_refused(&self) -> f64 {
        pct(self.org_place)
    }
}

/// Scores `screen` (every finding of a text, as char spans with "is a
/// name") over `sentences`.
pub fn evaluate(
    sentences: &[Sentence],
    screen: impl Fn(&str) -> Vec<(bool, usize, usize)>,
) -> Figures {
    let mut f = Figures::default();
    for s in sentences {
        let found = screen(&s.text);
        for &(ps, pe, len) in &s.persons {
            let hit = found.iter().any(|&(name, a, b)| name && a < pe && ps < b);
            let bucket = if len > 1 { &mut f.multi } else { &mut f.single };
            for c in [&mut f.persons, bucket] {
                c.1 += 1;
                c.0 += usize::from(hit);
            }
        }
        if s.persons.is_empty() {
            let bucket = if s.other_names > 0 {
                &mut f.org_place
            } else {
                &mut f.plain
            };
            bucket.1 += 1;
            bucket.0 += usize::from(!found.is_empty());
        }
    }
    f
}
