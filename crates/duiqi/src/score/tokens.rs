//! The token signal: how much of each side of a bead the other side accounts for, token by
//! token, in the encoder's middle layers (BERTScore, Zhang et al. 2020, across languages).
//!
//! A sentence embedding averages a run into one topic, so merging a neighbour that shares
//! the topic costs it little. Here every token of each side looks for its best match
//! among the tokens of the other side: a sentence merged in that the other side does not
//! translate leaves its tokens unmatched, and a partial pair (one half of a crossing)
//! leaves the untranslated half unmatched.
//!
//! Each side's share is scaled on its own before the two are combined. Raw mean cosines
//! of related and unrelated pairs lie close together (a harmonic mean of such numbers is
//! about their average), so the short side of a wrong merge, matched better thanks to
//! the extra candidates, used to make up for the long side's unmatched run. Scaled, the
//! harmonic mean lets the unexplained side decide, and each side's share also heeds its
//! worst-matched sentence: the seed abstract's added summary sentences come out unpaired.

use super::{Side, Signal};
use crate::document::Bead;
use crate::search::Corridor;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::ops::Range;

/// Encoder layers run for the token states: after 9 of 12, tokens still say which word
/// translates which (the last layers are shaped for pooling).
pub const TOKEN_LAYERS: usize = 9;

/// Half-width, in sentences, of the band around the lexical path whose sentence pairs
/// are compared token by token; beads outside it get no token evidence.
const BAND: usize = 8;

/// Source sentences encoded and compared at a time: the token states of a chunk are
/// dropped once its sentence pairs are compared, so memory does not grow with the length
/// of the texts. Smaller chunks cost time.
const CHUNK_SENTENCES: usize = 2048;

/// Bytes of text encoded at a time, both sides together, at most: a token's state takes
/// about 500 times the bytes of its text, so a chunk of long sentences keeps its states
/// within about 250 MB. Sentences of ordinary length reach [`CHUNK_SENTENCES`] first.
const CHUNK_BYTES: usize = 512 * 1024;

/// Consecutive runs of the source sentences, of at most [`CHUNK_SENTENCES`] sentences and
/// [`CHUNK_BYTES`] bytes with the targets they are compared with (`columns`), given each
/// sentence's encoded bytes; a sentence whose bytes alone exceed that is a chunk alone.
fn chunks(src_sizes: &[usize], tgt_sizes: &[usize], columns: impl Fn(usize) -> Range<usize>) -> Vec<Range<usize>> {
    let tgt_before: Vec<usize> = std::iter::once(0)
        .chain(tgt_sizes.iter().scan(0, |sum, &size| {
            *sum += size;
            Some(*sum)
        }))
        .collect();
    let targets_bytes = |first: usize, last: usize| {
        let (lo, hi) = (columns(first).start, columns(last).end);
        tgt_before[hi.max(lo)] - tgt_before[lo]
    };
    let mut chunks = Vec::new();
    let (mut start, mut src_bytes) = (0, 0);
    for (i, &size) in src_sizes.iter().enumerate() {
        if i > start && (i - start == CHUNK_SENTENCES || src_bytes + size + targets_bytes(start, i) > CHUNK_BYTES) {
            chunks.push(start..i);
            (start, src_bytes) = (i, 0);
        }
        src_bytes += size;
    }
    if start < src_sizes.len() {
        chunks.push(start..src_sizes.len());
    }
    chunks
}

/// Gives the token states of the sentences `range` of one side: per sentence its states
/// (`dimension` values per token), or `None` when it is not to be encoded.
pub type Encode<'a> = dyn Fn(Side, Range<usize>) -> Vec<Option<Vec<f32>>> + Sync + 'a;

/// The token states of a run of consecutive sentences of one text.
struct TokenStates {
    dimension: usize,
    /// The first sentence's index in the text.
    first: usize,
    vectors: Vec<f32>,
    /// Token offsets: sentence `first + k` owns tokens `starts[k]..starts[k + 1]`.
    starts: Vec<usize>,
}

impl TokenStates {
    fn new(dimension: usize, first: usize, states: Vec<Option<Vec<f32>>>) -> TokenStates {
        let total = states.iter().flatten().map(Vec::len).sum();
        let mut vectors = Vec::with_capacity(total);
        let mut starts = vec![0];
        for sentence in states {
            vectors.extend(sentence.unwrap_or_default());
            starts.push(vectors.len() / dimension);
        }
        TokenStates { dimension, first, vectors, starts }
    }

    fn tokens(&self, i: usize) -> usize {
        self.starts[i - self.first + 1] - self.starts[i - self.first]
    }

    /// The states of the sentences `sentences`, one after another.
    fn run(&self, sentences: Range<usize>) -> &[f32] {
        let (a, b) = (sentences.start - self.first, sentences.end - self.first);
        &self.vectors[self.starts[a] * self.dimension..self.starts[b] * self.dimension]
    }

    /// Subtracts `mean` from every token and scales each to unit length: the states share
    /// a common direction that makes every pair look alike.
    fn centre(&mut self, mean: &[f32]) {
        self.vectors.par_chunks_mut(self.dimension).for_each(|v| {
            v.iter_mut().zip(mean).for_each(|(x, m)| *x -= m);
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|x| *x /= norm);
        });
    }
}

/// Centres the states of both sides on the mean of all their tokens.
fn centre(src: &mut TokenStates, tgt: &mut TokenStates) {
    let dimension = src.dimension;
    let count = (src.vectors.len() + tgt.vectors.len()) / dimension;
    let mut mean = vec![0f32; dimension];
    for v in src.vectors.chunks_exact(dimension).chain(tgt.vectors.chunks_exact(dimension)) {
        mean.iter_mut().zip(v).for_each(|(m, x)| *m += x);
    }
    mean.iter_mut().for_each(|m| *m /= count.max(1) as f32);
    rayon::join(|| src.centre(&mean), || tgt.centre(&mean));
}

/// A cosine in [-1, 1] kept in a byte (steps of 1/127.5): the best matches of every token
/// of every compared pair add up to a few hundred megabytes in f32 for a long book.
fn quantize(cosine: f32) -> u8 {
    ((cosine.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8
}

/// The mean cosine of `count` quantised cosines summing to `sum`.
fn mean_cosine(sum: u32, count: usize) -> f32 {
    sum as f32 / count.max(1) as f32 / 127.5 - 1.0
}

/// A side's share of matched tokens (its tokens' mean best cosine) counts at most this many
/// times a typical translation's: best matches only grow with the tokens the other side
/// offers, so a short sentence with a long run of unrelated ones seems over-explained, and
/// that must not make up for the run's own unmatched tokens.
const SHARE_CAP: f32 = 1.5;

/// A side's share of matched tokens is its tokens' mean best cosine, blended with that of
/// its worst-matched sentence by this much: a sentence merged in that the other side does
/// not translate pulls the bead down even when its neighbours are long and well matched
/// (the attachment of a short sentence to the wrong neighbour).
const WORST_SENTENCE_SHARE: f32 = 0.3;

/// The mean cosines of a typical related and a typical unrelated pair in a document
/// pair, for each side's share: what scaling maps to 1 and 0.
#[derive(Clone, Copy, Debug)]
struct Calibration {
    related: (f32, f32),
    unrelated: (f32, f32),
}

/// Token-matching similarity of beads: each side's share of matched tokens, scaled per
/// document pair so that a typical bead of the lexical alignment scores 1 and a typical
/// unrelated pair 0, then combined by their harmonic mean.
pub struct Tokens {
    /// Tokens per sentence (0 when not encoded), per side.
    src_tokens: Vec<usize>,
    tgt_tokens: Vec<usize>,
    /// Per source sentence: the first target sentence compared with it, and per compared
    /// target sentence where its values start in `best`.
    rows: Vec<(usize, Vec<usize>)>,
    /// Per compared pair (i, j): for each token of i its best cosine with a token of j,
    /// then for each token of j its best with a token of i (quantised).
    best: Vec<u8>,
    lexical_path: FxHashSet<(Range<usize>, Range<usize>)>,
    calibration: Calibration,
    /// What a lexical bead whose sentences were not encoded is presumed to score.
    presumed: f32,
}

impl Tokens {
    /// The signal for a pair of texts, given the beads of the lexical alignment: compares
    /// the sentence pairs in a band around it token by token (the second search stays in
    /// that band), a chunk of sentences at a time, with the states `encode` gives
    /// (`dimension` values per token). `sizes` holds, per side, the bytes the encoder reads
    /// of each sentence (0 for one not encoded): they bound a chunk's memory.
    pub fn new(dimension: usize, sizes: (&[usize], &[usize]), lexical_path: &[Bead], encode: &Encode) -> Tokens {
        let (n_src, n_tgt) = (sizes.0.len(), sizes.1.len());
        let vertices: Vec<(usize, usize)> =
            std::iter::once((0, 0)).chain(lexical_path.iter().map(|b| (b.src.end, b.tgt.end))).collect();
        let band = Corridor::around_path(&vertices, n_src, n_tgt, BAND);
        let columns = |i: usize| band.lo[i].min(n_tgt)..band.hi[(i + 1).min(n_src)].min(n_tgt);
        let (mut src_tokens, mut tgt_tokens) = (vec![0; n_src], vec![0; n_tgt]);
        let mut best = Vec::new();
        let mut rows = Vec::with_capacity(n_src);
        for chunk in chunks(sizes.0, sizes.1, columns) {
            let targets = columns(chunk.start).start..columns(chunk.end - 1).end;
            let (mut src, mut tgt) = rayon::join(
                || TokenStates::new(dimension, chunk.start, encode(Side::Source, chunk.clone())),
                || TokenStates::new(dimension, targets.start, encode(Side::Target, targets.clone())),
            );
            centre(&mut src, &mut tgt);
            chunk.clone().for_each(|i| src_tokens[i] = src.tokens(i));
            targets.clone().for_each(|j| tgt_tokens[j] = tgt.tokens(j));
            let compared: Vec<(usize, Vec<Vec<u8>>)> =
                chunk.into_par_iter().map(|i| (columns(i).start, compare_row(&src, i, &tgt, columns(i)))).collect();
            for (first, row) in compared {
                let mut offsets = Vec::with_capacity(row.len());
                for values in row {
                    offsets.push(best.len());
                    best.extend(values);
                }
                rows.push((first, offsets));
            }
        }
        let mut signal = Tokens {
            src_tokens,
            tgt_tokens,
            rows,
            best,
            lexical_path: lexical_path
                .iter()
                .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
                .map(|b| (b.src.clone(), b.tgt.clone()))
                .collect(),
            calibration: Calibration { related: (1.0, 1.0), unrelated: (0.0, 0.0) },
            presumed: 1.0,
        };
        signal.calibrate();
        signal
    }

    fn encoded(&self, src: &Range<usize>, tgt: &Range<usize>) -> bool {
        let present = |tokens: &[usize], i: usize| tokens.get(i).is_some_and(|&n| n > 0);
        src.clone().all(|i| present(&self.src_tokens, i)) && tgt.clone().all(|j| present(&self.tgt_tokens, j))
    }

    /// Where the values of pair (i, j) start in `best`, if it was compared.
    fn cell(&self, i: usize, j: usize) -> Option<usize> {
        let (first, offsets) = self.rows.get(i)?;
        offsets.get(j.checked_sub(*first)?).copied()
    }

    /// How well each side's tokens are matched (see [`WORST_SENTENCE_SHARE`]), source side
    /// first, or `None` when some pair was not compared.
    fn shares(&self, src: &Range<usize>, tgt: &Range<usize>) -> Option<(f32, f32)> {
        if !self.encoded(src, tgt) {
            return None;
        }
        let cells: Vec<usize> = src
            .clone()
            .flat_map(|i| tgt.clone().map(move |j| (i, j)))
            .map(|(i, j)| self.cell(i, j))
            .collect::<Option<_>>()?;
        let n = tgt.len();
        // Per side: (sum of best cosines, tokens) of the whole side, and its worst sentence's
        // mean best cosine.
        let (mut src_sum, mut src_count, mut src_worst) = (0u32, 0, f32::MAX);
        for (a, i) in src.clone().enumerate() {
            let ti = self.src_tokens[i];
            let own: u32 = (0..ti)
                .map(|t| cells[a * n..(a + 1) * n].iter().map(|&c| self.best[c + t]).max().unwrap_or(0) as u32)
                .sum();
            (src_sum, src_count) = (src_sum + own, src_count + ti);
            src_worst = src_worst.min(mean_cosine(own, ti));
        }
        let (mut tgt_sum, mut tgt_count, mut tgt_worst) = (0u32, 0, f32::MAX);
        for (b, j) in tgt.clone().enumerate() {
            let tj = self.tgt_tokens[j];
            let own: u32 = (0..tj)
                .map(|t| {
                    (0..src.len())
                        .map(|a| self.best[cells[a * n + b] + self.src_tokens[src.start + a] + t])
                        .max()
                        .unwrap_or(0) as u32
                })
                .sum();
            (tgt_sum, tgt_count) = (tgt_sum + own, tgt_count + tj);
            tgt_worst = tgt_worst.min(mean_cosine(own, tj));
        }
        let blend = |sum: u32, count: usize, worst: f32| {
            (1.0 - WORST_SENTENCE_SHARE) * mean_cosine(sum, count) + WORST_SENTENCE_SHARE * worst
        };
        Some((blend(src_sum, src_count, src_worst), blend(tgt_sum, tgt_count, tgt_worst)))
    }

    /// Calibrates on the lexical path's 1-1 beads (related) and the pairs four sentences
    /// off them (unrelated), and sets `presumed` from the path's beads.
    fn calibrate(&mut self) {
        let (mut related, mut unrelated) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
        let push = |into: &mut (Vec<f32>, Vec<f32>), shares: Option<(f32, f32)>| {
            if let Some((src, tgt)) = shares {
                into.0.push(src);
                into.1.push(tgt);
            }
        };
        for (s, t) in &self.lexical_path {
            if s.len() == 1 && t.len() == 1 {
                push(&mut related, self.shares(s, t));
                for offset in [t.start.checked_sub(4), Some(t.start + 4)].into_iter().flatten() {
                    push(&mut unrelated, self.shares(s, &(offset..offset + 1)));
                }
            }
        }
        if related.0.len() >= 3 && unrelated.0.len() >= 3 {
            let calibration = Calibration {
                related: (median(&mut related.0), median(&mut related.1)),
                unrelated: (median(&mut unrelated.0), median(&mut unrelated.1)),
            };
            let (r, u) = (calibration.related, calibration.unrelated);
            if r.0 > u.0 + 1e-3 && r.1 > u.1 + 1e-3 {
                self.calibration = calibration;
            }
        }
        let mut scores: Vec<f32> = self.lexical_path.iter().filter_map(|(s, t)| self.scaled(s, t)).collect();
        self.presumed = if scores.is_empty() { 1.0 } else { median(&mut scores) };
    }

    /// Both sides' shares, scaled and [`combine`]d: a side the other leaves unexplained
    /// pulls the bead down, however well the other side is matched.
    fn scaled(&self, src: &Range<usize>, tgt: &Range<usize>) -> Option<f32> {
        let (a, b) = self.shares(src, tgt)?;
        let Calibration { related, unrelated } = self.calibration;
        Some(combine((a - unrelated.0) / (related.0 - unrelated.0), (b - unrelated.1) / (related.1 - unrelated.1)))
    }
}

/// The harmonic mean of two scaled shares, each capped at [`SHARE_CAP`]; with either at or
/// below the unrelated level (0), the lower.
fn combine(a: f32, b: f32) -> f32 {
    let (a, b) = (a.min(SHARE_CAP), b.min(SHARE_CAP));
    if a > 0.0 && b > 0.0 { 2.0 * a * b / (a + b) } else { a.min(b) }
}

/// Best token matches of source sentence `i` against each target sentence of `columns`:
/// per pair, for each token of i its best cosine with a token of j, then for each token of
/// j its best with a token of i (empty when either was not encoded). One matrix product
/// per row.
fn compare_row(src: &TokenStates, i: usize, tgt: &TokenStates, columns: Range<usize>) -> Vec<Vec<u8>> {
    let (ti, d) = (src.tokens(i), src.dimension);
    let width: usize = columns.clone().map(|j| tgt.tokens(j)).sum();
    if ti == 0 || width == 0 {
        return vec![Vec::new(); columns.len()];
    }
    // cosines[a * width + b]: token a of i against token b of the run of columns.
    let mut cosines = vec![0f32; ti * width];
    let (a, b) = (src.run(i..i + 1), tgt.run(columns.clone()));
    // SAFETY: cosines is ti × width, a is ti × d and b is width × d, all row-major (b is
    // read transposed through its strides).
    unsafe {
        gemm::gemm(
            ti,
            width,
            d,
            cosines.as_mut_ptr(),
            1,
            width as isize,
            false,
            a.as_ptr(),
            1,
            d as isize,
            b.as_ptr(),
            d as isize,
            1,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
    let mut offset = 0;
    columns
        .map(|j| {
            let tj = tgt.tokens(j);
            let mut values = Vec::new();
            if tj > 0 {
                let mut best = vec![f32::MIN; ti + tj];
                for a in 0..ti {
                    for (b, &c) in cosines[a * width + offset..][..tj].iter().enumerate() {
                        best[a] = best[a].max(c);
                        best[ti + b] = best[ti + b].max(c);
                    }
                }
                values = best.into_iter().map(quantize).collect();
            }
            offset += tj;
            values
        })
        .collect()
}

fn median(values: &mut [f32]) -> f32 {
    let middle = values.len() / 2;
    *values.select_nth_unstable_by(middle, f32::total_cmp).1
}

impl Signal for Tokens {
    fn name(&self) -> &'static str {
        "tokens"
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        if self.encoded(&src, &tgt) {
            self.scaled(&src, &tgt)
        } else if self.lexical_path.contains(&(src, tgt)) {
            Some(self.presumed)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Token states in a 6-dimensional space: token k points along axis k, with a common
    /// offset along axis 5 that centring removes; an empty sentence is not encoded.
    fn states(sentences: &[&[usize]]) -> Vec<Option<Vec<f32>>> {
        sentences
            .iter()
            .map(|tokens| {
                (!tokens.is_empty()).then(|| {
                    tokens
                        .iter()
                        .flat_map(|&k| {
                            let mut v = vec![0.0; 6];
                            v[k] = 1.0;
                            v[5] = 3.0;
                            v
                        })
                        .collect()
                })
            })
            .collect()
    }

    #[test]
    fn a_partial_pair_scores_below_the_whole_and_unencoded_sentences_abstain() {
        // Source 0 = tokens {0, 1} is translated by targets 0 ({0}) and 1 ({1}) together;
        // source 1 = {2, 3} by target 2 = {3, 2}; source 2 was not encoded.
        let src = states(&[&[0, 1], &[2, 3], &[]]);
        let tgt = states(&[&[0], &[1], &[3, 2], &[4]]);
        let encode = |side: Side, range: Range<usize>| match side {
            Side::Source => src[range].to_vec(),
            Side::Target => tgt[range].to_vec(),
        };
        let path = [(0..1, 0..2), (1..2, 2..3), (2..3, 3..4)].map(|(src, tgt)| Bead { src, tgt, score: 0.0 });
        let signal = Tokens::new(6, (&[2; 3], &[1; 4]), &path, &encode);
        let whole = signal.similarity(0..1, 0..2).unwrap();
        let half = signal.similarity(0..1, 0..1).unwrap();
        let wrong = signal.similarity(1..2, 0..2).unwrap();
        assert!(whole > half && half > wrong, "whole {whole}, half {half}, wrong {wrong}");
        assert!((signal.similarity(1..2, 2..3).unwrap() - whole).abs() < 1e-5, "word order does not matter");
        // Merging an untranslated sentence into a bead lowers it.
        assert!(signal.similarity(1..2, 2..4).unwrap() < signal.similarity(1..2, 2..3).unwrap());
        // Not encoded: abstains, except on the lexical path where it is presumed typical.
        assert_eq!(signal.similarity(2..3, 2..4), None);
        assert!(signal.similarity(2..3, 3..4).is_some());
    }

    #[test]
    fn an_over_matched_side_cannot_make_up_for_an_unexplained_one() {
        assert!((combine(1.0, 1.0) - 1.0).abs() < 1e-6);
        // A short sentence merged with a run of unrelated ones: its side seems matched
        // three times as well as a translation, the run's side a fifth as well.
        assert_eq!(combine(3.0, 0.2), combine(SHARE_CAP, 0.2));
        assert!(combine(3.0, 0.2) < 0.36, "{}", combine(3.0, 0.2));
        // At or below the unrelated level, the worse side is the score.
        assert_eq!(combine(1.2, -0.3), -0.3);
        assert_eq!(combine(0.0, 0.8), 0.0);
    }

    #[test]
    fn chunks_give_the_same_scores_as_one_pass() {
        // Sentence i is token i % 5, translated by target i; every pair on the path scores
        // like every other, whether chunks are cut by sentence count or by bytes.
        let long = CHUNK_BYTES / 100;
        for (n, size) in [(CHUNK_SENTENCES + 40, 1), (250, long)] {
            let tokens: Vec<Vec<usize>> = (0..n).map(|i| vec![i % 5]).collect();
            let all = states(&tokens.iter().map(Vec::as_slice).collect::<Vec<_>>());
            let encode = |_: Side, range: Range<usize>| all[range].to_vec();
            let path = crate::document::one_to_one(n);
            let sizes = vec![size; n];
            let cut = chunks(&sizes, &sizes, |i| i..i + 1)[0].end;
            assert!(cut < n && cut <= CHUNK_SENTENCES && 2 * cut * size <= CHUNK_BYTES, "first chunk {cut}");
            let signal = Tokens::new(6, (&sizes, &sizes), &path, &encode);
            let first = signal.similarity(0..1, 0..1).unwrap();
            for i in [1, cut - 1, cut, n - 1] {
                assert!((signal.similarity(i..i + 1, i..i + 1).unwrap() - first).abs() < 0.02, "{i}");
            }
            assert!(signal.similarity(cut..cut + 1, cut - 1..cut).unwrap() < first);
        }
    }

    #[test]
    fn chunks_bound_both_sides_and_cover_every_sentence_once() {
        // Source i is compared with target i only; a long sentence on either side is a
        // chunk alone.
        let src = [10, 10, CHUNK_BYTES, 10, 10, 10];
        let tgt = [10, 10, 10, 10, CHUNK_BYTES, 10];
        assert_eq!(chunks(&src, &tgt, |i| i..i + 1), vec![0..2, 2..3, 3..4, 4..5, 5..6]);
        assert_eq!(chunks(&[10; 6], &[10; 6], |i| i..i + 1), vec![0..6]);
        assert_eq!(chunks(&[], &[], |i| i..i), Vec::<Range<usize>>::new());
        let none = vec![0; CHUNK_SENTENCES + 1];
        assert_eq!(chunks(&none, &none, |i| i..i + 1).len(), 2);
    }
}
