//! Training the name model: an averaged structured perceptron with
//! integer updates. Only the `train_names` example calls this (it reads
//! NorNE from disk and writes `names.model`); it lives beside inference
//! so both read a token through the one feature function.

use super::{B, I, LABELS, MAGIC, Model, O, features, viterbi};
use crate::screen::Scan;

/// A sentence ready for training: each token's feature rows and its gold
/// label.
#[derive(Debug, Clone)]
pub struct Prepared {
    rows: Vec<Vec<u32>>,
    gold: Vec<usize>,
}

/// Tokenises `text` as the screen does and labels each token B, I or O
/// from `names`, character spans of `text` as given (end exclusive).
pub fn prepare(text: &str, names: &[(usize, usize)], bits: u32) -> Prepared {
    let scan = Scan::new(text);
    let mask = (1u32 << bits) - 1;
    let mut gold = vec![O; scan.toks.len()];
    let mut prev_in: Option<usize> = None;
    for (n, t) in scan.toks.iter().enumerate() {
        let at = scan.norm.origin_of(t.start);
        let name = names.iter().position(|&(s, e)| s <= at && at < e);
        gold[n] = match (name, prev_in) {
            (Some(k), Some(p)) if k == p => I,
            (Some(_), _) => B,
            (None, _) => O,
        };
        prev_in = name;
    }
    let facts = features::TokenFacts::new(&scan.norm.chars, &scan.toks, &scan.place);
    let rows = (0..scan.toks.len())
        .map(|n| {
            let mut r = Vec::with_capacity(48);
            features::each(
                &scan.norm.chars,
                &scan.toks,
                &facts,
                &scan.rule,
                n,
                &mut |h| r.push(h & mask),
            );
            r
        })
        .collect();
    Prepared { rows, gold }
}

/// The perceptron's state: current weights and the running sums that
/// give their average.
#[derive(Debug)]
pub struct Trainer {
    bits: u32,
    w: Vec<i32>,
    acc: Vec<i64>,
    tw: [[i32; LABELS]; LABELS + 1],
    tacc: [[i64; LABELS]; LABELS + 1],
    step: i64,
}

impl Trainer {
    /// A trainer with `2^bits` hashed feature rows.
    pub fn new(bits: u32) -> Self {
        let n = (1usize << bits) * LABELS;
        Trainer {
            bits,
            w: vec![0; n],
            acc: vec![0; n],
            tw: [[0; LABELS]; LABELS + 1],
            tacc: [[0; LABELS]; LABELS + 1],
            step: 1,
        }
    }

    fn predict(&self, s: &Prepared) -> Vec<usize> {
        let em: Vec<[i32; LABELS]> = s
            .rows
            .iter()
            .map(|r| {
                let mut e = [0i32; LABELS];
                for &h in r {
                    for (y, v) in e.iter_mut().enumerate() {
                        *v += self.w[h as usize * LABELS + y];
                    }
                }
                e
            })
            .collect();
        viterbi(&em, &self.tw)
    }

    fn bump(&mut self, s: &Prepared, labels: &[usize], d: i32) {
        let step = self.step;
        for (n, (r, &y)) in s.rows.iter().zip(labels).enumerate() {
            for &h in r {
                let i = h as usize * LABELS + y;
                self.w[i] += d;
                self.acc[i] += step * i64::from(d);
            }
            let prev = if n == 0 { 0 } else { labels[n - 1] + 1 };
            self.tw[prev][y] += d;
            self.tacc[prev][y] += step * i64::from(d);
        }
    }

    /// One pass over `data` in `order`; returns how many sentences were
    /// labelled wrong.
    pub fn epoch(&mut self, data: &[Prepared], order: &[usize]) -> usize {
        let mut wrong = 0;
        for &k in order {
            let s = &data[k];
            let got = self.predict(s);
            if got != s.gold {
                wrong += 1;
                self.bump(s, &s.gold, 1);
                self.bump(s, &got, -1);
            }
            self.step += 1;
        }
        wrong
    }

    /// The averaged weights, scaled into 16 bits, as a model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let avg = |w: i32, acc: i64| f64::from(w) - acc as f64 / self.step as f64;
        let emissions: Vec<f64> = self
            .w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| avg(w, a))
            .collect();
        let mut trans = [[0f64; LABELS]; LABELS + 1];
        for (p, row) in trans.iter_mut().enumerate() {
            for (y, v) in row.iter_mut().enumerate() {
                *v = avg(self.tw[p][y], self.tacc[p][y]);
            }
        }
        let max = emissions
            .iter()
            .chain(trans.iter().flatten())
            .fold(1e-9f64, |m, v| m.max(v.abs()));
        let scale = f64::from(i16::MAX) / max;
        let mut out = Vec::with_capacity(emissions.len() * 2 + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        for v in trans.iter().flatten() {
            out.extend_from_slice(&((v * scale).round() as i32).to_le_bytes());
        }
        for v in emissions {
            out.extend_from_slice(&((v * scale).round() as i16).to_le_bytes());
        }
        out
    }
}

/// The model in `bytes` with `bias` added to every transition into "first
/// token of a name": the one knob between recall and refusals, chosen on
/// the dev split. `None` when `bytes` is no model.
pub fn with_name_bias(bytes: &[u8], bias: i32) -> Option<Vec<u8>> {
    Model::read(bytes)?;
    let mut out = bytes.to_vec();
    for prev in 0..=LABELS {
        let at = MAGIC.len() + 4 + (prev * LABELS + B) * 4;
        let w = i32::from_le_bytes(out[at..at + 4].try_into().ok()?);
        out[at..at + 4].copy_from_slice(&w.saturating_add(bias).to_le_bytes());
    }
    Some(out)
}

/// Every finding of the whole screen with the model in `bytes` in place
/// of the bundled one; `None` when `bytes` is no model.
pub fn screen_with(bytes: &[u8], text: &str) -> Option<Vec<crate::screen::Finding>> {
    let model = Model::read(bytes)?;
    Some(crate::screen::find_all_using(
        text,
        crate::screen::NameSource::Both,
        &model,
    ))
}

/// Name spans (characters of `text` as given) by the model in `bytes`
/// alone; `None` when `bytes` is no model. For evaluating a model while
/// training.
pub fn names_with(bytes: &[u8], text: &str) -> Option<Vec<(usize, usize)>> {
    let model = Model::read(bytes)?;
    let scan = Scan::new(text);
    let found = model.find(&scan.norm.chars, &scan.toks, &scan.place, &scan.rule);
    Some(
        found
            .into_iter()
            .map(|(s, e)| scan.norm.original_span(s, e))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_passes_learn_a_toy_pattern() {
        let bits = 12;
        let data: Vec<Prepared> = (0..40)
            .map(|i| {
                if i % 2 == 0 {
                    prepare("i dag møtte vi Zorbo ved kiosken", &[(15, 20)], bits)
                } else {
                    prepare("i dag møtte vi mange ved kiosken", &[], bits)
                }
            })
            .collect();
        let mut t = Trainer::new(bits);
        let order: Vec<usize> = (0..data.len()).collect();
        for _ in 0..3 {
            t.epoch(&data, &order);
        }
        let model = t.to_bytes();
        assert_eq!(
            names_with(&model, "i dag møtte vi Zorbo ved kiosken"),
            Some(vec![(15, 20)])
        );
        assert_eq!(
            names_with(&model, "i dag møtte vi mange ved kiosken"),
            Some(vec![])
        );
        assert_eq!(names_with(b"nope", "x"), None);
    }
}
