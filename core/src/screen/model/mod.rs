//! The learned person-name recogniser (issue 15): an averaged structured
//! perceptron over tokens with B/I/O labels, first-order transitions and
//! hashed features ([`features`]). Trained by the `train_names` example on
//! NorNE's Bokmål train split plus synthetic field notes (see
//! `core/data/screen/README.md`); the weights ship in
//! `core/data/screen/names.model`.
//!
//! Scores are integers (16-bit weights summed in `i32`), so the phone and
//! the server reach the same verdict on the same text, bit for bit, on any
//! processor. The weights are read straight from the bundled bytes: no
//! heap, nothing parsed on the first call.

pub(crate) mod features;
pub mod train;

use super::normalise::{TokKind, Token};

/// A score no name can reach (far below any sum of weights, far above
/// `i32::MIN` so sums cannot wrap).
const NO_NAME: i32 = i32::MIN / 8;

/// Labels: outside a name, first token of a name, inside a name.
pub(crate) const LABELS: usize = 3;
const O: usize = 0;
const B: usize = 1;
const I: usize = 2;

/// The file's first bytes: its format and version.
pub(crate) const MAGIC: &[u8; 4] = b"FLN1";

/// A trained model: `bits` of hashed feature rows, a weight per row and
/// label, and transition weights from (start, O, B, I) to (O, B, I).
#[derive(Debug)]
pub(crate) struct Model<'a> {
    bits: u32,
    trans: [[i32; LABELS]; LABELS + 1],
    weights: &'a [u8],
}

static BUNDLED: &[u8] = include_bytes!("../../../data/screen/names.model");

/// The bundled model.
pub(crate) fn bundled() -> Model<'static> {
    Model::read(BUNDLED).expect("the bundled name model is well-formed (checked by a test)")
}

impl<'a> Model<'a> {
    /// Reads a model file; `None` when it is not one.
    pub(crate) fn read(bytes: &'a [u8]) -> Option<Self> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let bits = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
        let mut trans = [[0i32; LABELS]; LABELS + 1];
        let mut at = 4;
        for row in &mut trans {
            for w in row.iter_mut() {
                *w = i32::from_le_bytes(rest.get(at..at + 4)?.try_into().ok()?);
                at += 4;
            }
        }
        let weights = rest.get(at..)?;
        let rows = 1usize.checked_shl(bits)?;
        (bits <= 24 && weights.len() == rows * LABELS * 2).then_some(Model {
            bits,
            trans,
            weights,
        })
    }

    fn weight(&self, row: u32, label: usize) -> i32 {
        let i = (row as usize * LABELS + label) * 2;
        i32::from(i16::from_le_bytes([self.weights[i], self.weights[i + 1]]))
    }

    /// Per token, the score of each label.
    fn emissions(
        &self,
        chars: &[char],
        toks: &[Token],
        place: &[bool],
        rule: &[bool],
    ) -> Vec<[i32; LABELS]> {
        let mask = (1u32 << self.bits) - 1;
        let facts = features::TokenFacts::new(chars, toks, place);
        (0..toks.len())
            .map(|n| {
                let mut s = [0i32; LABELS];
                features::each(chars, toks, &facts, rule, n, &mut |h| {
                    for (y, v) in s.iter_mut().enumerate() {
                        *v += self.weight(h & mask, y);
                    }
                });
                if toks[n].kind == TokKind::Number {
                    // A number is never part of a name ("kl 21", "Rema 1000").
                    s[B] = NO_NAME;
                    s[I] = NO_NAME;
                }
                s
            })
            .collect()
    }

    /// The best label sequence (Viterbi; "inside" never follows
    /// "outside").
    pub(crate) fn labels(
        &self,
        chars: &[char],
        toks: &[Token],
        place: &[bool],
        rule: &[bool],
    ) -> Vec<usize> {
        let em = self.emissions(chars, toks, place, rule);
        viterbi(&em, &self.trans)
    }

    /// Name spans (normalised chars) as the model labels them.
    pub(crate) fn find(
        &self,
        chars: &[char],
        toks: &[Token],
        place: &[bool],
        rule: &[bool],
    ) -> Vec<(usize, usize)> {
        spans(toks, &self.labels(chars, toks, place, rule))
    }
}

/// Viterbi over B/I/O with `trans[prev + 1][cur]` (row 0: the start).
pub(crate) fn viterbi(em: &[[i32; LABELS]], trans: &[[i32; LABELS]; LABELS + 1]) -> Vec<usize> {
    const NEVER: i64 = i64::MIN / 4;
    let allowed = |prev: Option<usize>, cur: usize| cur != I || matches!(prev, Some(B | I));
    let mut score: Vec<[i64; LABELS]> = Vec::with_capacity(em.len());
    let mut back: Vec<[usize; LABELS]> = Vec::with_capacity(em.len());
    for (n, e) in em.iter().enumerate() {
        let mut row = [NEVER; LABELS];
        let mut from = [0; LABELS];
        for cur in 0..LABELS {
            if n == 0 {
                if allowed(None, cur) {
                    row[cur] = i64::from(trans[0][cur]) + i64::from(e[cur]);
                }
                continue;
            }
            for prev in 0..LABELS {
                let p = score[n - 1][prev];
                if p == NEVER || !allowed(Some(prev), cur) {
                    continue;
                }
                // Ties go to the lower label, so the result never depends
                // on iteration details.
                let s = p + i64::from(trans[prev + 1][cur]) + i64::from(e[cur]);
                if s > row[cur] {
                    row[cur] = s;
                    from[cur] = prev;
                }
            }
        }
        score.push(row);
        back.push(from);
    }
    let Some(last) = score.last() else {
        return Vec::new();
    };
    let mut best = (0..LABELS).fold(O, |b, y| if last[y] > last[b] { y } else { b });
    let mut out = vec![O; em.len()];
    for n in (0..em.len()).rev() {
        out[n] = best;
        best = back[n][best];
    }
    out
}

/// Character spans of the B(I*) runs.
pub(crate) fn spans(toks: &[Token], labels: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (t, &y) in toks.iter().zip(labels) {
        match y {
            B => out.push((t.start, t.end)),
            I => {
                if let Some(last) = out.last_mut() {
                    last.1 = t.end;
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_model_is_well_formed() {
        let m = Model::read(BUNDLED).expect("a model");
        assert_eq!(m.weights.len(), (1usize << m.bits) * LABELS * 2);
        assert!(
            Model::read(&BUNDLED[..BUNDLED.len() - 1]).is_none(),
            "a cut file is refused"
        );
        assert!(Model::read(b"FLN0").is_none());
    }

    #[test]
    fn viterbi_never_puts_inside_after_outside() {
        // "inside" scores highest everywhere, yet cannot open a sequence
        // or follow "outside".
        let em = vec![[0, 1, 5], [9, 0, 10], [0, 0, 3]];
        let labels = viterbi(&em, &[[0; LABELS]; LABELS + 1]);
        assert_eq!(labels[0], B, "{labels:?}");
        assert!(
            labels.windows(2).all(|w| w[1] != I || w[0] != O),
            "{labels:?}"
        );
    }
}
