//! The sentence-embedding signal (mUSE): the cosine of a bead's two sides, each embedded
//! as one run of sentences, less what either side scores against the other text at large
//! (its mean cosine to a sample of sentences there): a margin around 0, as Vecalign and
//! Bertalign normalise. Every run of up to `max_run` sentences is embedded beforehand,
//! from its sentences' pooled states (see [`crate::model::muse`]).

use super::Signal;
use std::ops::Range;

/// Sentences of the other text a run's background cosine is averaged over.
const BACKGROUND_SAMPLE: usize = 64;

/// Embeds runs (start, length), returning their unit vectors in the order given.
pub type EmbedRuns<'a> = dyn Fn(&[(usize, usize)]) -> Vec<Vec<f32>> + 'a;

/// The embeddings of every run of one side, quantised to i8 (cosines of unit vectors
/// keep three digits).
pub struct Runs {
    max_run: usize,
    dimension: usize,
    /// Run (start, length) at `(start * max_run + length - 1) * dimension`.
    vectors: Vec<i8>,
    /// Each run's mean cosine to the other side's sample.
    background: Vec<f32>,
    sentences: usize,
}

impl Runs {
    /// Embeds every run of up to `max_run` of `sentences` sentences: `embed_all` gives the
    /// unit embeddings of the runs (start, length) it is handed, in that order. Runs are
    /// handed over a few thousand at a time and quantised at once, so a book's runs never
    /// all exist in f32.
    pub fn new(sentences: usize, max_run: usize, embed_all: &EmbedRuns<'_>) -> Runs {
        const CHUNK_SENTENCES: usize = 2048;
        let mut vectors: Vec<i8> = Vec::new();
        let mut dimension = 0;
        for first in (0..sentences).step_by(CHUNK_SENTENCES) {
            let last = (first + CHUNK_SENTENCES).min(sentences);
            let runs: Vec<(usize, usize)> = (first..last).flat_map(|s| (1..=max_run).map(move |l| (s, l))).collect();
            let embedded = embed_all(&runs.iter().copied().filter(|&(s, l)| s + l <= sentences).collect::<Vec<_>>());
            if dimension == 0 {
                dimension = embedded.first().map_or(0, Vec::len);
                vectors.reserve(sentences * max_run * dimension);
            }
            let mut embedded = embedded.into_iter();
            for &(s, l) in &runs {
                match (s + l <= sentences).then(|| embedded.next()).flatten() {
                    Some(vector) => {
                        vectors.extend(vector.iter().map(|v| (v * 127.0).round().clamp(-127.0, 127.0) as i8))
                    }
                    None => vectors.extend(std::iter::repeat_n(0, dimension)),
                }
            }
        }
        Runs { max_run, dimension, vectors, background: Vec::new(), sentences }
    }

    fn vector(&self, start: usize, length: usize) -> Option<&[i8]> {
        if length == 0 || length > self.max_run || start + length > self.sentences {
            return None;
        }
        let at = (start * self.max_run + length - 1) * self.dimension;
        Some(&self.vectors[at..at + self.dimension])
    }

    fn index(&self, start: usize, length: usize) -> usize {
        start * self.max_run + length - 1
    }
}

fn cosine(a: &[i8], b: &[i8]) -> f32 {
    let dot: i32 = a.iter().zip(b).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum();
    dot as f32 / (127.0 * 127.0)
}

/// Each run's mean cosine to an evenly spread sample of single sentences of `other`.
fn background(runs: &Runs, other: &Runs) -> Vec<f32> {
    use rayon::prelude::*;
    let step = (other.sentences / BACKGROUND_SAMPLE).max(1);
    let sample: Vec<&[i8]> = (0..other.sentences).step_by(step).filter_map(|i| other.vector(i, 1)).collect();
    (0..runs.sentences * runs.max_run)
        .into_par_iter()
        .map(|k| {
            let (start, length) = (k / runs.max_run, k % runs.max_run + 1);
            match runs.vector(start, length) {
                Some(v) if !sample.is_empty() => sample.iter().map(|s| cosine(v, s)).sum::<f32>() / sample.len() as f32,
                _ => 0.0,
            }
        })
        .collect()
}

/// The signal over a document pair.
pub struct Embeddings {
    src: Runs,
    tgt: Runs,
}

impl Embeddings {
    /// The signal of two sides' runs.
    pub fn new(mut src: Runs, mut tgt: Runs) -> Embeddings {
        let (src_background, tgt_background) = rayon::join(|| background(&src, &tgt), || background(&tgt, &src));
        (src.background, tgt.background) = (src_background, tgt_background);
        Embeddings { src, tgt }
    }
}

impl Signal for Embeddings {
    fn name(&self) -> &'static str {
        "muse"
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        let a = self.src.vector(src.start, src.len())?;
        let b = self.tgt.vector(tgt.start, tgt.len())?;
        let noise = (self.src.background[self.src.index(src.start, src.len())]
            + self.tgt.background[self.tgt.index(tgt.start, tgt.len())])
            / 2.0;
        Some(cosine(a, b) - noise)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit vectors: sentence i of either side points along axis i; a run is the
    /// normalised sum of its sentences.
    fn runs(n: usize) -> Runs {
        let embed = |runs: &[(usize, usize)]| {
            runs.iter()
                .map(|&(s, l)| {
                    let mut v = vec![0.0f32; 8];
                    v[s..s + l].fill(1.0 / (l as f32).sqrt());
                    v
                })
                .collect()
        };
        Runs::new(n, 3, &embed)
    }

    #[test]
    fn the_matching_run_scores_highest_and_runs_longer_than_allowed_abstain() {
        let signal = Embeddings::new(runs(6), runs(6));
        let right = signal.similarity(1..3, 1..3).unwrap();
        let half = signal.similarity(1..3, 1..2).unwrap();
        let wrong = signal.similarity(1..2, 4..5).unwrap();
        assert!(right > half && half > wrong, "{right} {half} {wrong}");
        assert!(signal.similarity(0..4, 0..1).is_none());
        // A two-sentence run meets two of the six sample sentences at 1/√2: background √2/6.
        assert!((right - (1.0 - 2f32.sqrt() / 6.0)).abs() < 0.02, "{right}");
    }
}
