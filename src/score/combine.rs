//! The one place where signals meet: a weighted sum, plus the costs of merging and of
//! leaving a sentence unaligned. Also the block sketches that guide the coarse search.

use super::{Side, Signal};
use crate::error::{Error, Result};
use crate::search::{BeadScorer, Corridor};
use rayon::prelude::*;
use std::ops::Range;

/// How much each signal counts, and the structural costs. Fitted on the development sets
/// by `bench/fit_weights.py`; written as `name=value,...` for `--weights`.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Per signal: (name, weight, neutral value). A signal contributes
    /// weight × (similarity − neutral) per sentence of the bead, and nothing when it
    /// has no evidence.
    pub signals: Vec<(String, f32, f32)>,
    /// Cost per sentence beyond the first on each side of a bead (prefers 1-1 when the
    /// evidence is even).
    pub merge_cost: f32,
    /// Cost of leaving one sentence without counterpart.
    pub skip_cost: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            signals: vec![
                ("lexicon".into(), 1.0, 0.2),
                ("length".into(), 0.5, 0.5),
                ("names".into(), 0.5, 0.5),
                ("numbers".into(), 0.5, 0.5),
                ("paragraphs".into(), 0.3, 0.5),
            ],
            merge_cost: 0.1,
            skip_cost: 0.3,
        }
    }
}

impl Weights {
    /// Applies overrides such as `lexicon=1.2,length.neutral=0.4,skip=0.25,merge=0.1`.
    pub fn with_overrides(mut self, spec: &str) -> Result<Weights> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || Error::InvalidOption(format!("bad weight '{part}'; expected name=number, e.g. lexicon=1.0"));
            let (name, value) = part.split_once('=').ok_or_else(bad)?;
            let value: f32 = value.trim().parse().map_err(|_| bad())?;
            match name.trim() {
                "merge" => self.merge_cost = value,
                "skip" => self.skip_cost = value,
                other => {
                    let (signal, field) = other.split_once('.').unwrap_or((other, "weight"));
                    let entry = self.signals.iter_mut().find(|(n, _, _)| n == signal).ok_or_else(bad)?;
                    match field {
                        "weight" => entry.1 = value,
                        "neutral" => entry.2 = value,
                        _ => return Err(bad()),
                    }
                }
            }
        }
        Ok(self)
    }

    fn of(&self, signal: &str) -> (f32, f32) {
        self.signals.iter().find(|(n, _, _)| n == signal).map_or((0.0, 0.0), |&(_, w, b)| (w, b))
    }
}

/// The signals of one document pair, combined into the search's [`BeadScorer`].
pub struct Combined {
    signals: Vec<(Box<dyn Signal>, f32, f32)>,
    weights: Weights,
    n_src: usize,
    n_tgt: usize,
}

impl Combined {
    /// Combines `signals` under `weights`; a signal without a weight entry is ignored.
    pub fn new(signals: Vec<Box<dyn Signal>>, weights: Weights, n_src: usize, n_tgt: usize) -> Combined {
        let signals = signals
            .into_iter()
            .map(|s| {
                let (w, b) = weights.of(s.name());
                (s, w, b)
            })
            .filter(|(_, w, _)| *w != 0.0)
            .collect();
        Combined { signals, weights, n_src, n_tgt }
    }

    /// Per-sentence evidence of a bead with both sides non-empty.
    fn evidence(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        self.signals
            .iter()
            .map(|(signal, weight, neutral)| {
                signal.similarity(src.clone(), tgt.clone()).map_or(0.0, |v| weight * (v - neutral))
            })
            .sum()
    }
}

impl BeadScorer for Combined {
    fn prepare(&mut self, corridor: &Corridor, reach: usize) {
        for (signal, _, _) in &mut self.signals {
            signal.prepare(corridor, reach);
        }
    }

    fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        let sentences = (src.len() + tgt.len()) as f32;
        if src.is_empty() || tgt.is_empty() {
            return -self.weights.skip_cost * sentences;
        }
        sentences * self.evidence(src, tgt) - self.weights.merge_cost * (sentences - 2.0)
    }

    fn coarse<'a>(&'a self, src_bounds: &[usize], tgt_bounds: &[usize]) -> Box<dyn BeadScorer + 'a> {
        Box::new(Sketches::new(self, src_bounds, tgt_bounds))
    }
}

/// Dimensions of a block sketch (features are hashed into it).
const SKETCH_DIM: usize = 256;

/// Blocks of sentences as hashed bags of signal features, compared by cosine: cheap enough
/// to search thousands of blocks in full.
struct Sketches {
    src: Vec<[f32; SKETCH_DIM]>,
    tgt: Vec<[f32; SKETCH_DIM]>,
    neutral: f32,
    skip_cost: f32,
}

impl Sketches {
    fn new(combined: &Combined, src_bounds: &[usize], tgt_bounds: &[usize]) -> Sketches {
        let build = |side: Side, bounds: &[usize], n: usize| -> Vec<[f32; SKETCH_DIM]> {
            (0..bounds.len() - 1)
                .into_par_iter()
                .map(|b| {
                    let mut vector = [0f32; SKETCH_DIM];
                    let mut features = Vec::new();
                    for sentence in bounds[b]..bounds[b + 1].min(n) {
                        for (k, (signal, weight, _)) in combined.signals.iter().enumerate() {
                            features.clear();
                            signal.sketch(side, sentence, &mut features);
                            for &(key, value) in &features {
                                vector[hash(k as u32, key) % SKETCH_DIM] += weight * value;
                            }
                        }
                    }
                    vector
                })
                .collect()
        };
        let src = build(Side::Source, src_bounds, combined.n_src);
        let tgt = build(Side::Target, tgt_bounds, combined.n_tgt);
        // Calibrate on the texts: blocks half a text apart are unrelated; blocks at the
        // same relative position mostly correspond.
        let blocks = src.len().min(tgt.len()).max(1);
        let mean = |offset: usize| {
            (0..blocks).map(|b| cosine(&[&src[b]], &[&tgt[(b + offset) % tgt.len()]])).sum::<f32>() / blocks as f32
        };
        let unrelated = mean(tgt.len() / 2);
        let related = mean(0).max(unrelated + 0.05);
        Sketches { src, tgt, neutral: unrelated + 0.3 * (related - unrelated), skip_cost: 0.5 * (related - unrelated) }
    }
}

impl BeadScorer for Sketches {
    fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        let blocks = (src.len() + tgt.len()) as f32;
        if src.is_empty() || tgt.is_empty() {
            return -self.skip_cost * blocks;
        }
        let a: Vec<&[f32; SKETCH_DIM]> = self.src[src].iter().collect();
        let b: Vec<&[f32; SKETCH_DIM]> = self.tgt[tgt].iter().collect();
        blocks * (cosine(&a, &b) - self.neutral)
    }

    fn coarse<'a>(&'a self, _src_bounds: &[usize], _tgt_bounds: &[usize]) -> Box<dyn BeadScorer + 'a> {
        unreachable!("sketches are already the coarsest scorer")
    }
}

fn cosine(a: &[&[f32; SKETCH_DIM]], b: &[&[f32; SKETCH_DIM]]) -> f32 {
    let sum = |vs: &[&[f32; SKETCH_DIM]], d: usize| vs.iter().map(|v| v[d]).sum::<f32>();
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for d in 0..SKETCH_DIM {
        let (x, y) = (sum(a, d), sum(b, d));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na.sqrt() * nb.sqrt()) }
}

fn hash(signal: u32, key: u32) -> usize {
    let x = (u64::from(signal) << 32 | u64::from(key)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 40) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_overrides_parse_and_reject_typos() {
        let weights = Weights::default().with_overrides("lexicon=2,length.neutral=0.4,skip=0.7").unwrap();
        assert_eq!(weights.of("lexicon").0, 2.0);
        assert_eq!(weights.of("length").1, 0.4);
        assert_eq!(weights.skip_cost, 0.7);
        assert!(Weights::default().with_overrides("lexcon=2").is_err());
        assert!(Weights::default().with_overrides("lexicon=abc").is_err());
    }
}
