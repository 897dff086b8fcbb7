//! The one place where signals meet: a weighted sum, plus the costs of merging and of
//! leaving a sentence unaligned. Also the block sketches that guide the coarse search.

use super::{NO_EVIDENCE, Side, Signal};
use crate::document::Bead;
use crate::error::{Error, Result};
use crate::search::{BeadScorer, Corridor, Rows, Shape};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::OnceLock;

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
    /// Share of the skip cost paid by each further sentence of a run of unpaired
    /// sentences: additions (a translator's summary, a dropped paragraph) come in runs,
    /// while a lone weak pair is more often a translation than two additions.
    pub run_share: f32,
    /// How a bead's evidence grows with its size: evidence × mean(m, n)^size. 0 scores
    /// every bead once (merging never multiplies evidence); 1 scores every sentence.
    pub size_exponent: f32,
    /// Which mean of the two sides' sentence counts that is, as a power mean: 1 the
    /// arithmetic (m + n) / 2, −1 the harmonic 2mn / (m + n), which grows little with the
    /// longer side alone. The lexical signals cannot tell a sentence merged in that the
    /// other side does not translate from one it does (both share the text's topic words),
    /// so the arithmetic mean let a strong bead absorb its untranslated neighbours and
    /// multiply its evidence by their number; the token signal can, so with a model the
    /// arithmetic mean is best.
    pub size_mean: f32,
    /// Variance of a translation's length per character (the length signal's model).
    pub length_variance: f32,
    /// Variance of a translation's clause count per expected clause (the clauses signal).
    pub clause_variance: f32,
}

impl Default for Weights {
    /// The lexical default, fitted by `bench/fit_weights.py` on MAC-Dev and Bible 001, the
    /// structural costs on a grid (see README).
    fn default() -> Self {
        Weights {
            signals: vec![
                ("lexicon".into(), 1.875, 0.094),
                ("learned".into(), 1.125, 0.0),
                ("length".into(), 0.5, 0.6),
                ("names".into(), 0.3, 0.25),
                ("numbers".into(), 0.45, 0.5),
                ("paragraphs".into(), 0.3, 0.5),
                ("punctuation".into(), 0.6, 0.3),
                ("clauses".into(), 0.8, 0.6),
                ("tokens".into(), 2.0, 0.15),
                ("muse".into(), 4.0, 0.0),
            ],
            merge_cost: 0.3,
            skip_cost: 0.6,
            run_share: 0.25,
            size_exponent: 0.5,
            size_mean: -1.0,
            length_variance: 2.8,
            clause_variance: 2.0,
        }
    }
}

impl Weights {
    /// The weights for aligning with a model (every pass, so the token signal starts from
    /// the lexical path it was calibrated with): the structural costs that are best
    /// with the token signal (a grid around them, see README).
    pub fn with_model() -> Weights {
        Weights { merge_cost: 0.6, skip_cost: 1.2, size_mean: 1.0, ..Weights::default() }
    }
}

impl Weights {
    /// Applies overrides such as `lexicon=1.2,length.neutral=0.4,skip=0.25,merge=0.1`.
    pub fn with_overrides(mut self, spec: &str) -> Result<Weights> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || Error::InvalidOption {
                option: "weights",
                value: part.to_string(),
                expected: "name=number, e.g. lexicon=1.0".into(),
            };
            let (name, value) = part.split_once('=').ok_or_else(bad)?;
            let value: f32 = value.trim().parse().map_err(|_| bad())?;
            match name.trim() {
                "merge" => self.merge_cost = value,
                "skip" => self.skip_cost = value,
                "run" => self.run_share = value,
                "size" => self.size_exponent = value,
                "sizemean" => self.size_mean = value,
                "lenvar" => self.length_variance = value,
                "clausevar" => self.clause_variance = value,
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

    /// mean(m, n)^size_exponent, the mean being [`Weights::size_mean`]'s.
    fn size_factor(&self, m: usize, n: usize) -> f32 {
        let (m, n, p) = (m.max(1) as f32, n.max(1) as f32, self.size_mean);
        let mean = if p == 0.0 { (m * n).sqrt() } else { ((m.powf(p) + n.powf(p)) / 2.0).powf(1.0 / p) };
        mean.powf(self.size_exponent)
    }

    fn of(&self, signal: &str) -> (f32, f32) {
        self.signals.iter().find(|(n, _, _)| n == signal).map_or((0.0, 0.0), |&(_, w, b)| (w, b))
    }
}

/// The signals of one document pair, combined into the search's [`BeadScorer`].
pub struct Combined {
    signals: Vec<(Box<dyn Signal>, f32, f32)>,
    /// mean(m, n)^size_exponent for every bead shape m-n the search may ask about, at
    /// m × (MAX_BEAD_SENTENCES + 1) + n.
    size_factors: Vec<f32>,
    weights: Weights,
    n_src: usize,
    n_tgt: usize,
    /// Per side, the sentences whose leaving out costs less (see [`Combined::discount_skips`]),
    /// as prefix counts.
    discounted: (Vec<u32>, Vec<u32>),
    /// Every sentence's sketch features, taken at the first coarse level for all of them
    /// and let go when the fine search prepares.
    sentence_features: OnceLock<[Features; 2]>,
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
        let discounted = (vec![0; n_src + 1], vec![0; n_tgt + 1]);
        let side = MAX_BEAD_SENTENCES + 1;
        let size_factors = (0..side * side).map(|k| weights.size_factor(k / side, k % side)).collect();
        Combined { signals, size_factors, weights, n_src, n_tgt, discounted, sentence_features: OnceLock::new() }
    }

    /// Lets every signal re-estimate its parameters from a first alignment.
    pub fn refine(&mut self, beads: &[Bead]) {
        for (signal, _, _) in &mut self.signals {
            signal.refine(beads);
        }
    }

    /// Adds a signal (e.g. one learned after a first pass); ignored without a weight.
    pub fn add(&mut self, signal: Box<dyn Signal>) {
        let (weight, neutral) = self.weights.of(signal.name());
        if weight != 0.0 {
            self.signals.push((signal, weight, neutral));
        }
    }

    /// Replaces the signal of the same name (e.g. a lexicon learned again), or adds it.
    pub fn replace(&mut self, signal: Box<dyn Signal>) {
        self.signals.retain(|(s, _, _)| s.name() != signal.name());
        self.add(signal);
    }

    /// Marks sentences that translations often leave out (editorial notes in brackets):
    /// leaving one unpaired costs [`NOTE_SKIP_SHARE`] of the usual skip cost.
    pub fn discount_skips(&mut self, src: &[bool], tgt: &[bool]) {
        let prefix = |flags: &[bool]| -> Vec<u32> {
            std::iter::once(0)
                .chain(flags.iter().scan(0, |acc, &f| {
                    *acc += f as u32;
                    Some(*acc)
                }))
                .collect()
        };
        self.discounted = (prefix(src), prefix(tgt));
    }

    /// Per-sentence evidence of a bead with both sides non-empty.
    /// What makes up the score of a bead: each signal's share (its weighted evidence, grown
    /// with the bead's size) and the cost of merging, or the cost of leaving sentences
    /// unpaired. The shares add up to the score.
    pub fn explain(&self, src: Range<usize>, tgt: Range<usize>) -> Vec<(&'static str, f32)> {
        if src.is_empty() || tgt.is_empty() {
            return vec![("unpaired", self.score(src, tgt))];
        }
        let (m, n) = (src.len(), tgt.len());
        let size_factor = self.weights.size_factor(m, n);
        let mut shares: Vec<(&'static str, f32)> = self
            .signals
            .iter()
            .filter_map(|(signal, weight, neutral)| {
                let value = signal.similarity(src.clone(), tgt.clone())?;
                Some((signal.name(), size_factor * weight * (value - neutral)))
            })
            .collect();
        if m + n > 2 {
            shares.push(("merge", -self.weights.merge_cost * (m + n - 2) as f32));
        }
        shares
    }

    /// The score of leaving the sentences of `src` and `tgt` (one side empty) unpaired.
    fn unpaired(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        let sentences = (src.len() + tgt.len()) as f32;
        let notes = (self.discounted.0[src.end] - self.discounted.0[src.start])
            + (self.discounted.1[tgt.end] - self.discounted.1[tgt.start]);
        let run_cost = self.weights.skip_cost * (1.0 + self.weights.run_share * (sentences - 1.0));
        -run_cost * (1.0 - notes as f32 / sentences * (1.0 - NOTE_SKIP_SHARE))
    }

    /// The score of an m-n bead (both non-zero) with this much per-sentence `evidence`.
    fn paired(&self, m: usize, n: usize, evidence: f32) -> f32 {
        let size_factor = match (m, n) {
            (..=MAX_BEAD_SENTENCES, ..=MAX_BEAD_SENTENCES) => self.size_factors[m * (MAX_BEAD_SENTENCES + 1) + n],
            _ => self.weights.size_factor(m, n),
        };
        size_factor * evidence - self.weights.merge_cost * ((m + n) as f32 - 2.0)
    }

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
        drop(self.sentence_features.take()); // the coarse levels are done
        for (signal, _, _) in &mut self.signals {
            signal.prepare(corridor, reach);
        }
    }

    fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        if src.is_empty() || tgt.is_empty() {
            return self.unpaired(src, tgt);
        }
        let (m, n) = (src.len(), tgt.len());
        self.paired(m, n, self.evidence(src, tgt))
    }

    /// Each signal judges all the beads ending in the rows at once
    /// ([`Signal::similarities_in_rows`]); the evidence is summed in the same order as
    /// [`Combined::score`] sums it.
    fn score_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        let paired: Vec<Shape> = shapes.iter().copied().filter(|s| s.src > 0 && s.tgt > 0).collect();
        let beads = rows.cells_count() * paired.len();
        // From −0.0, as `Iterator::sum` starts: the same bits as `score`.
        let (mut evidence, mut values) = (vec![-0.0f32; beads], vec![NO_EVIDENCE; beads]);
        for (signal, weight, neutral) in &self.signals {
            signal.similarities_in_rows(rows, &paired, &mut values);
            for (sum, &value) in evidence.iter_mut().zip(&values) {
                *sum += if value.is_nan() { 0.0 } else { weight * (value - neutral) };
            }
        }
        // A run of unpaired sentences scores the same in every cell of its row (source
        // runs) or column (target runs): each is scored once.
        let unpaired_run = |shape: &Shape, i: usize, j: usize| match shape.starts_at(i, j) {
            Some((i0, j0)) => self.unpaired(i0..i, j0..j),
            None => f32::NEG_INFINITY,
        };
        let first_column = rows.lo.iter().min().copied().unwrap_or(0);
        let last_column = rows.hi.iter().max().copied().unwrap_or(0);
        let target_runs: Vec<f32> = (first_column..=last_column)
            .flat_map(|j| shapes.iter().map(move |shape| (shape, j)))
            .map(|(shape, j)| if shape.src == 0 { unpaired_run(shape, shape.src, j) } else { 0.0 })
            .collect();
        let mut source_runs = vec![0f32; shapes.len()];
        let mut cells = out.chunks_exact_mut(shapes.len()).zip(evidence.chunks_exact(paired.len()));
        for (k, (&lo, &hi)) in rows.lo.iter().zip(rows.hi).enumerate() {
            let i = rows.first + k;
            for (run, shape) in source_runs.iter_mut().zip(shapes) {
                *run = if shape.tgt == 0 { unpaired_run(shape, i, shape.tgt) } else { 0.0 };
            }
            for (j, (out, evidence)) in (lo..=hi).zip(cells.by_ref()) {
                let target_runs = &target_runs[(j - first_column) * shapes.len()..][..shapes.len()];
                let mut evidence = evidence.iter();
                for (((shape, out), &source_run), &target_run) in
                    shapes.iter().zip(out).zip(&source_runs).zip(target_runs)
                {
                    *out = if shape.tgt == 0 {
                        source_run
                    } else if shape.src == 0 {
                        target_run
                    } else {
                        let evidence = *evidence.next().expect("one per paired shape");
                        if shape.src > i || shape.tgt > j {
                            f32::NEG_INFINITY
                        } else {
                            self.paired(shape.src, shape.tgt, evidence)
                        }
                    };
                }
            }
        }
    }

    fn coarse<'a>(&'a self, src_bounds: &[usize], tgt_bounds: &[usize]) -> Box<dyn BeadScorer + 'a> {
        Box::new(Sketches::new(self, src_bounds, tgt_bounds))
    }
}

/// Sentences per side up to which size factors are precomputed.
const MAX_BEAD_SENTENCES: usize = crate::search::MAX_BEAD;

/// Share of the skip cost paid for leaving out a sentence marked as a note.
pub const NOTE_SKIP_SHARE: f32 = 0.25;

/// Dimensions of a block sketch (features are hashed into it).
const SKETCH_DIM: usize = 256;

/// Blocks of sentences as hashed bags of signal features, compared by cosine: cheap enough
/// to search thousands of blocks in full. A bead joins at most two blocks per side, so
/// every cosine follows from block·block dot products and precomputed norms. The sketches
/// themselves (a kilobyte a block) are built a chunk at a time and dropped once the
/// products the search needs are taken: on a million lines they would fill 700 MB. The
/// sentences' [`Features`] they add up are taken once for all levels.
struct Sketches<'a> {
    combined: &'a Combined,
    /// Per side, its sentences' features.
    features: &'a [Features; 2],
    src_bounds: Vec<usize>,
    tgt_bounds: Vec<usize>,
    /// Per side: squared norm of each block, and dot product with the next block.
    src_norms: Vec<(f32, f32)>,
    tgt_norms: Vec<(f32, f32)>,
    /// Per source block: the first target block of its cached dot products, and those
    /// products (the corridor's, computed once instead of once per bead shape).
    dots: Vec<(usize, Vec<f32>)>,
    neutral: f32,
    skip_cost: f32,
}

type Sketch = [f32; SKETCH_DIM];

/// One side's sentences as sketch features: each signal's hashed apart and weighted, in the
/// order a block's sketch adds them, so the levels of the pyramid each add them up instead
/// of asking every signal again.
struct Features {
    /// Where each sentence's features start (one more marks the end).
    starts: Vec<u32>,
    /// Each feature's dimension of the sketch.
    dimensions: Vec<u8>,
    /// Each feature's value times its signal's weight.
    values: Vec<f32>,
}

const _: () = assert!(SKETCH_DIM <= 1 << u8::BITS, "a sketch dimension fits a byte");

impl Features {
    fn new(signals: &[(Box<dyn Signal>, f32, f32)], side: Side, sentences: usize) -> Features {
        let chunks: Vec<(Vec<u32>, Vec<u8>, Vec<f32>)> = (0..sentences.div_ceil(SKETCH_CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let (mut counts, mut dimensions, mut values, mut found) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for sentence in chunk * SKETCH_CHUNK..((chunk + 1) * SKETCH_CHUNK).min(sentences) {
                    let before = values.len();
                    for (k, (signal, weight, _)) in signals.iter().enumerate() {
                        found.clear();
                        signal.sketch(side, sentence, &mut found);
                        for &(key, value) in &found {
                            dimensions.push((hash(k as u32, key) % SKETCH_DIM) as u8);
                            values.push(weight * value);
                        }
                    }
                    counts.push((values.len() - before) as u32);
                }
                (counts, dimensions, values)
            })
            .collect();
        let mut features = Features { starts: vec![0], dimensions: Vec::new(), values: Vec::new() };
        for (counts, dimensions, values) in chunks {
            for count in counts {
                features.starts.push(features.starts.last().unwrap() + count);
            }
            features.dimensions.extend(dimensions);
            features.values.extend(values);
        }
        features
    }
}

/// Blocks whose sketches are held at once per thread.
const SKETCH_CHUNK: usize = 256;

impl<'a> Sketches<'a> {
    /// Sketches of the blocks between `src_bounds` and `tgt_bounds`, made and compared
    /// by [`BeadScorer::prepare`] for the corridor the search will visit.
    fn new(combined: &'a Combined, src_bounds: &[usize], tgt_bounds: &[usize]) -> Sketches<'a> {
        let features = combined.sentence_features.get_or_init(|| {
            let side = |side, n| Features::new(&combined.signals, side, n);
            let (src, tgt) = rayon::join(|| side(Side::Source, combined.n_src), || side(Side::Target, combined.n_tgt));
            [src, tgt]
        });
        Sketches {
            combined,
            features,
            src_bounds: src_bounds.to_vec(),
            tgt_bounds: tgt_bounds.to_vec(),
            src_norms: Vec::new(),
            tgt_norms: Vec::new(),
            dots: Vec::new(),
            neutral: 0.0,
            skip_cost: 0.0,
        }
    }

    fn blocks(&self, side: Side) -> usize {
        match side {
            Side::Source => self.src_bounds.len() - 1,
            Side::Target => self.tgt_bounds.len() - 1,
        }
    }

    /// The sketch of block `b` of `side`: the sum of its sentences' features.
    fn sketch(&self, side: Side, b: usize) -> Sketch {
        let (bounds, n, features) = match side {
            Side::Source => (&self.src_bounds, self.combined.n_src, &self.features[0]),
            Side::Target => (&self.tgt_bounds, self.combined.n_tgt, &self.features[1]),
        };
        let mut vector = [0f32; SKETCH_DIM];
        let (start, end) = (features.starts[bounds[b].min(n)] as usize, features.starts[bounds[b + 1].min(n)] as usize);
        for (&dimension, &value) in features.dimensions[start..end].iter().zip(&features.values[start..end]) {
            vector[usize::from(dimension)] += value;
        }
        vector
    }

    fn cosine(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        let norm = |norms: &[(f32, f32)], run: &Range<usize>| {
            run.clone().map(|b| norms[b].0).sum::<f32>() + if run.len() == 2 { 2.0 * norms[run.start].1 } else { 0.0 }
        };
        let (ns, nt) = (norm(&self.src_norms, &src), norm(&self.tgt_norms, &tgt));
        if ns <= 0.0 || nt <= 0.0 {
            return 0.0;
        }
        let products: f32 = src.flat_map(|a| tgt.clone().map(move |b| (a, b))).map(|(a, b)| self.dot(a, b)).sum();
        products / (ns * nt).sqrt()
    }

    /// The product of source block `a` and target block `b`: cached for the corridor,
    /// else from the two sketches built again.
    fn dot(&self, a: usize, b: usize) -> f32 {
        match self.dots.get(a) {
            Some((first, row)) if b >= *first && b - first < row.len() => row[b - first],
            _ => dot(&self.sketch(Side::Source, a), &self.sketch(Side::Target, b)),
        }
    }
}

impl BeadScorer for Sketches<'_> {
    /// Calibrates on the texts themselves: the best block inside each row's corridor stands
    /// for a related pair, the block half a text away for an unrelated one. Sampled rows
    /// keep this cheap.
    fn prepare(&mut self, corridor: &Corridor, reach: usize) {
        let (n_src, n_tgt) = (self.blocks(Side::Source), self.blocks(Side::Target));
        if n_src == 0 || n_tgt == 0 {
            return;
        }
        // Per source block, the target blocks a bead in the corridor may pair it with
        // (both ends never decrease, so a chunk of rows needs one run of target sketches).
        let columns: Vec<Range<usize>> = (0..n_src)
            .map(|a| {
                let last_row = (a + reach).min(corridor.rows() - 1);
                let first = corridor.lo[a + 1].saturating_sub(reach);
                first..corridor.hi[last_row].min(n_tgt).max(first)
            })
            .collect();
        // Each chunk of source rows also takes the norms of its own run of target blocks,
        // from where its corridor starts to where the next chunk's starts.
        let own_targets: Vec<usize> = std::iter::once(0)
            .chain(columns.chunks(SKETCH_CHUNK).skip(1).map(|rows| rows[0].start))
            .chain(std::iter::once(n_tgt))
            .collect();
        type Chunk = (Vec<(f32, f32)>, Vec<(f32, f32)>, Vec<(usize, Vec<f32>)>);
        let chunks: Vec<Chunk> = columns
            .par_chunks(SKETCH_CHUNK)
            .enumerate()
            .map(|(chunk, rows)| {
                let sources = chunk * SKETCH_CHUNK..chunk * SKETCH_CHUNK + rows.len();
                let own = own_targets[chunk]..own_targets[chunk + 1];
                let end = rows.iter().map(|c| c.end).max().unwrap_or(0).max(own.end + 1).min(n_tgt);
                let targets = own.start.min(rows[0].start)..end;
                // One block more than each run: the last one's product with the next.
                let src: Vec<Sketch> =
                    (sources.start..(sources.end + 1).min(n_src)).map(|a| self.sketch(Side::Source, a)).collect();
                let tgt: Vec<Sketch> = targets.clone().map(|b| self.sketch(Side::Target, b)).collect();
                let norms = |sketches: &[Sketch], run: Range<usize>| -> Vec<(f32, f32)> {
                    run.map(|k| {
                        (
                            dot(&sketches[k], &sketches[k]),
                            sketches.get(k + 1).map_or(0.0, |next| dot(&sketches[k], next)),
                        )
                    })
                    .collect()
                };
                let dots = rows
                    .iter()
                    .zip(&src)
                    .map(|(cols, a)| (cols.start, cols.clone().map(|b| dot(a, &tgt[b - targets.start])).collect()))
                    .collect();
                (norms(&src, 0..rows.len()), norms(&tgt, own.start - targets.start..own.end - targets.start), dots)
            })
            .collect();
        (self.src_norms, self.tgt_norms, self.dots) = (Vec::new(), Vec::new(), Vec::new());
        for (src_norms, tgt_norms, dots) in chunks {
            self.src_norms.extend(src_norms);
            self.tgt_norms.extend(tgt_norms);
            self.dots.extend(dots);
        }
        let rows: Vec<usize> = (0..n_src).step_by(n_src.div_ceil(400)).collect();
        let (related, unrelated): (Vec<f32>, Vec<f32>) = rows
            .par_iter()
            .map(|&b| {
                let columns = corridor.lo[b]..corridor.hi[b].min(n_tgt - 1) + 1;
                let best = columns.map(|c| self.cosine(b..b + 1, c..c + 1)).fold(0.0, f32::max);
                let far = (b * n_tgt / n_src + n_tgt / 2) % n_tgt;
                (best, self.cosine(b..b + 1, far..far + 1))
            })
            .unzip();
        let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
        let (related, unrelated) = (mean(&related), mean(&unrelated));
        let gap = (related - unrelated).max(0.05);
        self.neutral = unrelated + 0.3 * gap;
        self.skip_cost = 0.5 * gap;
    }

    fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        let blocks = (src.len() + tgt.len()) as f32;
        if src.is_empty() || tgt.is_empty() {
            return -self.skip_cost * blocks;
        }
        blocks * (self.cosine(src, tgt) - self.neutral)
    }

    fn coarse<'a>(&'a self, _src_bounds: &[usize], _tgt_bounds: &[usize]) -> Box<dyn BeadScorer + 'a> {
        unreachable!("sketches are already the coarsest scorer")
    }
}

/// In eight lanes, which the compiler turns into vector instructions (a single running
/// sum cannot be reordered, and would take a dependent addition per dimension).
fn dot(a: &Sketch, b: &Sketch) -> f32 {
    let mut lanes = [0f32; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for ((lane, x), y) in lanes.iter_mut().zip(x).zip(y) {
            *lane += x * y;
        }
    }
    lanes.iter().sum()
}

fn hash(signal: u32, key: u32) -> usize {
    let x = (u64::from(signal) << 32 | u64::from(key)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 40) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_unpaired_sentences_costs_less_than_as_many_lone_ones() {
        let weights = Weights { skip_cost: 1.0, run_share: 0.25, ..Weights::default() };
        let mut combined = Combined::new(Vec::new(), weights, 4, 4);
        assert_eq!(combined.score(0..0, 0..1), -1.0);
        assert_eq!(combined.score(0..0, 0..3), -1.5);
        assert_eq!(combined.score(0..2, 2..2), -1.25);
        // A note (a sentence in brackets) pays a quarter, in a run too.
        combined.discount_skips(&[false; 4], &[true, true, false, false]);
        assert_eq!(combined.score(0..0, 0..1), -NOTE_SKIP_SHARE);
        assert_eq!(combined.score(0..0, 0..2), -1.25 * NOTE_SKIP_SHARE);
    }

    /// A signal that finds every bead alike: similarity 1.
    struct Alike;

    impl Signal for Alike {
        fn name(&self) -> &'static str {
            "lexicon"
        }

        fn similarity(&self, _src: Range<usize>, _tgt: Range<usize>) -> Option<f32> {
            Some(1.0)
        }
    }

    #[test]
    fn without_a_model_sentences_added_to_one_side_multiply_a_beads_evidence_less() {
        let evidence = |weights: Weights, src: Range<usize>, tgt: Range<usize>| {
            let weights = Weights { signals: vec![("lexicon".into(), 1.0, 0.0)], merge_cost: 0.0, ..weights };
            Combined::new(vec![Box::new(Alike)], weights, 8, 8).score(src, tgt)
        };
        let (lexical, with_model) = (Weights::default(), Weights::with_model());
        // 1-4: the harmonic mean of the counts is 1.6, the arithmetic 2.5.
        assert!((evidence(lexical.clone(), 0..1, 0..4) - 1.6f32.sqrt()).abs() < 1e-6);
        assert!((evidence(with_model.clone(), 0..1, 0..4) - 2.5f32.sqrt()).abs() < 1e-6);
        // Beads as long on both sides count alike, and so do shapes beyond the table.
        assert!((evidence(lexical.clone(), 0..2, 0..2) - evidence(with_model, 0..2, 0..2)).abs() < 1e-6);
        assert!((evidence(lexical, 0..1, 0..9) - 1.8f32.sqrt()).abs() < 1e-6);
    }

    /// Similarity that depends on the bead: shapes and places must not be mixed up.
    struct Varied;

    impl Signal for Varied {
        fn name(&self) -> &'static str {
            "length"
        }

        fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
            (!src.start.is_multiple_of(3))
                .then(|| (src.start * 7 + src.len() * 3 + tgt.start * 5 + tgt.len()) as f32 / 50.0)
        }
    }

    #[test]
    fn beads_scored_by_rows_agree_with_beads_scored_one_by_one() {
        let mut combined = Combined::new(vec![Box::new(Alike), Box::new(Varied)], Weights::default(), 12, 12);
        let notes: Vec<bool> = (0..12).map(|i| i % 3 == 1).collect();
        combined.discount_skips(&notes, &[true; 12]);
        let shapes = crate::search::shapes(6);
        // Rows 0 to 12 of a band that widens as it goes: runs that would start before the
        // grid, and notes among the unpaired sentences of either side.
        let (lo, hi): (Vec<usize>, Vec<usize>) = (0..=12).map(|i| (i / 3, (i + 2).min(12))).unzip();
        let rows = Rows { first: 0, lo: &lo, hi: &hi };
        let mut together = vec![0.0; rows.cells_count() * shapes.len()];
        combined.score_rows(rows, &shapes, &mut together);
        for ((i, j), together) in rows.cells().zip(together.chunks_exact(shapes.len())) {
            for (shape, together) in shapes.iter().zip(together) {
                let alone = match shape.starts_at(i, j) {
                    Some((i0, j0)) => combined.score(i0..i, j0..j),
                    None => f32::NEG_INFINITY,
                };
                assert_eq!(together.to_bits(), alone.to_bits(), "{shape:?} at {i}, {j}");
            }
        }
    }

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
