//! Stage 4, score: independent signals ([`Signal`]), each judging how likely a group of
//! source sentences translates a group of target sentences, combined in one place
//! ([`Combined`]) into the one number the search sees.
//!
//! | signal | evidence |
//! |---|---|
//! | [`lexicon::lexicon`] | dictionary words, IDF-weighted |
//! | [`learned::learned`] | word associations learned from a first alignment |
//! | [`names::names`] | pinyin / Wade–Giles romanisation of names |
//! | [`numbers::numbers`] | numerals, years, decades, months |
//! | [`length::Length`] | Gale–Church length ratio, learned from the texts |
//! | [`clauses::clauses`] | the same model over clause marks (commas, semicolons, colons) |
//! | [`paragraphs::Paragraphs`] | agreement with paragraph breaks |
//! | [`punctuation::Punctuation`] | questions facing questions, exclamations exclamations |
//! | [`tokens::Tokens`] | the same model's token states, matched word by word across a bead |
//! | [`embeddings::Embeddings`] | mUSE sentence embeddings of each side's run, as a margin |

pub mod clauses;
mod combine;
pub mod coverage;
#[cfg(feature = "model")]
pub mod embeddings;
pub mod learned;
pub mod length;
pub mod lexicon;
pub mod names;
pub mod numbers;
pub mod paragraphs;
pub mod punctuation;
#[cfg(feature = "model")]
pub mod tokens;

pub use combine::{Combined, Weights};

use crate::document::Bead;
use crate::search::{Corridor, Rows, Shape};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Which document a sentence index refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The source text.
    Source,
    /// The target text.
    Target,
}

/// One independent kind of evidence, built for one document pair.
pub trait Signal: Send + Sync {
    /// A short name for reports and weight files.
    fn name(&self) -> &'static str;

    /// Precomputes for the corridor the search will explore (see
    /// [`crate::search::BeadScorer::prepare`]).
    fn prepare(&mut self, _corridor: &Corridor, _reach: usize) {}

    /// Similarity of a bead whose sides are both non-empty: in [0, 1] for most signals,
    /// a margin around 0 for embeddings; `None` when this signal has nothing to say about
    /// it (e.g. no numbers on either side).
    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32>;

    /// [`Signal::similarity`] of the beads of `shapes` (both sides non-empty) ending at
    /// every cell of `rows`, cell after cell and `shapes.len()` per cell, into `out`, with
    /// [`NO_EVIDENCE`] for `None` and for a bead that would start before the grid: a signal
    /// whose beads share work when they overlap does it once here.
    fn similarities_in_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        for ((i, j), out) in rows.cells().zip(out.chunks_exact_mut(shapes.len())) {
            for (shape, out) in shapes.iter().zip(out) {
                *out = shape.starts_at(i, j).and_then(|(i0, j0)| self.similarity(i0..i, j0..j)).unwrap_or(NO_EVIDENCE);
            }
        }
    }

    /// Called after a first alignment with its beads, so the signal can re-estimate what
    /// it learned from the raw texts (e.g. the length ratio) from aligned pairs instead.
    fn refine(&mut self, _beads: &[Bead]) {}

    /// Sparse (key, weight) features of one sentence, summed into block sketches for the
    /// coarse search. Keys only need to be consistent within this signal.
    fn sketch(&self, _side: Side, _sentence: usize, _out: &mut Vec<(u32, f32)>) {}
}

/// A bead's similarity in [`Signal::similarities_in_rows`] when the signal has nothing to
/// say about it (a plain float, not an `Option`, so that the search's many beads are summed
/// without a branch).
pub const NO_EVIDENCE: f32 = f32::NAN;

/// The similarity of [`Signal::similarities_in_rows`] as [`Signal::similarity`] gives it.
#[cfg(test)]
pub(crate) fn evidence(similarity: f32) -> Option<f32> {
    (!similarity.is_nan()).then_some(similarity)
}

/// Gives strings small integer ids, shared by both sides of a document pair.
#[derive(Default)]
pub(crate) struct KeyInterner(FxHashMap<String, u32>);

impl KeyInterner {
    pub(crate) fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.0.get(key) {
            return id; // most keys recur: no copy of the string to look them up
        }
        let next = self.0.len() as u32;
        self.0.insert(key.to_string(), next);
        next
    }
}
