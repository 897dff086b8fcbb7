//! The whole pipeline for one document pair: normalise → score → search, with the bundled
//! resources loaded once per [`Aligner`].

use crate::dictionary::Dictionary;
use crate::document::{Alignment, Bead, Document, Language, Sentence};
use crate::error::{Error, Result};
use crate::features::associations;
use crate::features::units::Units;
use crate::glossary::{self, GlossaryOptions, Term};
use crate::model::Model;
use crate::normalize::{NormalizedDocument, Normalizer, bracketed_sentences};
use crate::score::clauses::clauses;
use crate::score::learned::learned;
use crate::score::length::Length;
use crate::score::lexicon::lexicon;
use crate::score::names::names;
use crate::score::numbers::numbers;
use crate::score::paragraphs::Paragraphs;
use crate::score::punctuation::Punctuation;
use crate::score::tokens::{TOKEN_LAYERS, Tokens};
use crate::score::{Combined, Side, Signal, Weights};
use crate::search::{self, SearchOptions};
use crate::split::{MAX_SENTENCE_CHARS, cut_overlong};
use rayon::prelude::*;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An alignment in progress: the scorer with its signals and the current path.
struct Pass {
    scorer: Combined,
    /// The current path: every unpaired sentence a bead of its own.
    path: Vec<Bead>,
    /// The normalised documents, kept when a glossary is to follow (they are large).
    normalized: Option<(NormalizedDocument, NormalizedDocument)>,
    src_units: Units,
    tgt_units: Units,
    n_src: usize,
    n_tgt: usize,
}

/// Sentences longer than this (bytes) are encoded by their beginning only: it says enough
/// to align them, and an unpunctuated megabyte would otherwise cost minutes.
const MAX_ENCODED_BYTES: usize = 1500;

/// Document pairs up to this many bytes of text are encoded whole, whatever the share
/// (a chapter of a novel and its translation: MAC-Dev's are 30 to 70 KB).
pub const MIN_NEURAL_BYTES: usize = 300_000;

/// Sentences around an unsure bead that are encoded too: the second search may regroup
/// them with it.
const UNSURE_NEIGHBOURHOOD: usize = 1;

/// `text` cut to at most `max` bytes at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Which sentences of each side the encoder should see, at most `budget` bytes of text in
/// all: those of one-sided beads first, then of the beads with the lowest score per
/// sentence, each with its neighbourhood.
fn unsure_sentences(path: &[Bead], src: &Document, tgt: &Document, budget: usize) -> (Vec<bool>, Vec<bool>) {
    let confidence = |s: &Bead| {
        if s.src.is_empty() || s.tgt.is_empty() {
            f32::NEG_INFINITY
        } else {
            s.score / (s.src.len() + s.tgt.len()) as f32
        }
    };
    let mut order: Vec<&Bead> = path.iter().collect();
    order.sort_by(|a, b| confidence(a).total_cmp(&confidence(b)));
    let mark = |encoded: &mut Vec<bool>, range: &std::ops::Range<usize>, doc: &Document| {
        let from = range.start.saturating_sub(UNSURE_NEIGHBOURHOOD);
        let to = (range.end + UNSURE_NEIGHBOURHOOD).min(doc.sentences.len());
        (from..to)
            .filter(|&i| !std::mem::replace(&mut encoded[i], true))
            .map(|i| doc.sentences[i].text.len().min(MAX_ENCODED_BYTES))
            .sum::<usize>()
    };
    let (mut src_encoded, mut tgt_encoded) = (vec![false; src.sentences.len()], vec![false; tgt.sentences.len()]);
    let mut chosen = 0;
    for step in order {
        if chosen >= budget {
            break;
        }
        chosen += mark(&mut src_encoded, &step.src, src) + mark(&mut tgt_encoded, &step.tgt, tgt);
    }
    (src_encoded, tgt_encoded)
}

/// A document as the scorers see it: sentences longer than [`MAX_SENTENCE_CHARS`] cut into
/// pieces (a 100 KB line given with one sentence per line would cost minutes and
/// gigabytes), with where each sentence starts among the pieces.
struct Pieces<'a> {
    document: Cow<'a, Document>,
    /// `starts[i]` is the first piece of sentence `i`; the last entry is the number of
    /// pieces. `None` when nothing was cut.
    starts: Option<Vec<usize>>,
}

impl<'a> Pieces<'a> {
    fn new(document: &'a Document) -> Pieces<'a> {
        let overlong = |s: &Sentence| s.text.len() > MAX_SENTENCE_CHARS && s.text.chars().count() > MAX_SENTENCE_CHARS;
        if !document.sentences.iter().any(overlong) {
            return Pieces { document: Cow::Borrowed(document), starts: None };
        }
        let mut sentences = Vec::new();
        let mut starts = Vec::with_capacity(document.sentences.len() + 1);
        for sentence in &document.sentences {
            starts.push(sentences.len());
            let pieces = cut_overlong(&sentence.text, MAX_SENTENCE_CHARS);
            if pieces.is_empty() {
                sentences.push(sentence.clone());
            }
            for (k, piece) in pieces.into_iter().enumerate() {
                let starts_paragraph = sentence.starts_paragraph && k == 0;
                // Pieces are internal: the beads are given back in whole sentences.
                sentences.push(Sentence { text: piece.to_string(), starts_paragraph, span: sentence.span.clone() });
            }
        }
        starts.push(sentences.len());
        let cut = Document { sentences, ..document.clone_without_sentences() };
        Pieces { document: Cow::Owned(cut), starts: Some(starts) }
    }

    /// For each piece boundary, the sentence that starts there (or the end), if any.
    fn sentence_boundaries(&self) -> Option<Vec<Option<usize>>> {
        let starts = self.starts.as_ref()?;
        let mut boundaries = vec![None; starts.last().map_or(0, |&n| n + 1)];
        for (sentence, &piece) in starts.iter().enumerate() {
            boundaries[piece] = Some(sentence);
        }
        Some(boundaries)
    }
}

/// An alignment of pieces as one of the documents' sentences: beads that end inside a
/// sentence are merged with the next until both sides end on a sentence boundary.
fn project(alignment: Alignment, src: &Pieces, tgt: &Pieces) -> Alignment {
    if src.starts.is_none() && tgt.starts.is_none() {
        return alignment;
    }
    let identity = |n: usize| (0..=n).map(Some).collect::<Vec<_>>();
    let src_at = src.sentence_boundaries().unwrap_or_else(|| identity(src.document.len()));
    let tgt_at = tgt.sentence_boundaries().unwrap_or_else(|| identity(tgt.document.len()));
    let mut projected = Vec::new();
    let mut open: Option<Bead> = None;
    for bead in alignment {
        let merged = match open.take() {
            Some(o) => {
                Bead { src: o.src.start..bead.src.end, tgt: o.tgt.start..bead.tgt.end, score: o.score + bead.score }
            }
            None => bead,
        };
        match (src_at[merged.src.start], src_at[merged.src.end], tgt_at[merged.tgt.start], tgt_at[merged.tgt.end]) {
            (Some(s0), Some(s1), Some(t0), Some(t1)) => {
                projected.push(Bead { src: s0..s1, tgt: t0..t1, score: merged.score })
            }
            _ => open = Some(merged),
        }
    }
    projected
}

/// Everything a user can tune about an alignment run.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    /// The search: largest bead, corridor width.
    pub search: SearchOptions,
    /// Signal weights and structural costs without a model.
    pub weights: Weights,
    /// The same with a model (used in every pass: see [`Weights::with_model`]).
    pub model_weights: Weights,
    /// 1: align with the bundled resources only; 2: then learn word associations from that
    /// alignment and realign with them (the default); each further pass learns again from
    /// the previous one (no gain measured: docs/experiments.md).
    pub passes: usize,
    /// With a model: the share of a document pair's text (both sides together) that is
    /// encoded, the sentences of the least confident beads of the lexical passes first;
    /// pairs of up to [`MIN_NEURAL_BYTES`] are encoded whole. The encoder is most of the
    /// time (≈ 10 KB of text a second on two AVX2 cores, 18–27 KB with AVX512-BF16), so
    /// the share trades accuracy for time on long texts; the default, 0.7, keeps a 1 MB
    /// text within a minute (figures: docs/experiments.md).
    pub neural_share: f32,
    /// With a model: a directory where token states are kept between runs, so that runs
    /// over the same texts (fitting weights) encode each sentence once. `None`: no cache.
    pub encoder_cache: Option<std::path::PathBuf>,
}

impl AlignOptions {
    /// Checks that every option is in its range.
    pub fn validate(&self) -> Result<()> {
        let invalid = |option, value: String, expected: &str| {
            Err(Error::InvalidOption { option, value, expected: expected.to_string() })
        };
        if !(2..=search::MAX_BEAD).contains(&self.search.max_bead) {
            let expected = format!("between 2 and {}", search::MAX_BEAD);
            return invalid("max_bead", self.search.max_bead.to_string(), &expected);
        }
        if self.passes == 0 {
            return invalid("passes", "0".into(), "at least 1");
        }
        if !(0.0..=1.0).contains(&self.neural_share) {
            return invalid("neural_share", self.neural_share.to_string(), "between 0 and 1");
        }
        Ok(())
    }
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            search: SearchOptions::default(),
            weights: Weights::default(),
            model_weights: Weights::with_model(),
            passes: 2,
            neural_share: 0.7,
            encoder_cache: None,
        }
    }
}

/// How far an alignment has got: what [`Aligner::with_progress`]'s observer is told. The
/// encoder is most of the time of a long text with a model (minutes for a book).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Document pairs finished.
    pub pairs_done: usize,
    /// Document pairs in the run.
    pub pairs: usize,
    /// Sentences the encoder has read.
    pub encoded: usize,
    /// Sentences given to the encoder so far (0 without a model); grows as the pairs of a
    /// batch reach their neural pass.
    pub to_encode: usize,
}

/// Receives [`Progress`] reports, from any thread.
pub type ProgressObserver = dyn Fn(Progress) + Send + Sync;

/// The counters behind [`Progress`] during one run.
struct Tracker<'a> {
    observer: Option<&'a ProgressObserver>,
    pairs: usize,
    pairs_done: AtomicUsize,
    encoded: AtomicUsize,
    to_encode: AtomicUsize,
}

impl Tracker<'_> {
    /// Adds to one counter and reports the new state.
    fn add(&self, counter: &AtomicUsize, amount: usize) {
        counter.fetch_add(amount, Ordering::Relaxed);
        if let Some(observer) = self.observer {
            observer(Progress {
                pairs_done: self.pairs_done.load(Ordering::Relaxed),
                pairs: self.pairs,
                // Target sentences at the edge of two chunks are encoded twice.
                encoded: self.encoded.load(Ordering::Relaxed).min(self.to_encode.load(Ordering::Relaxed)),
                to_encode: self.to_encode.load(Ordering::Relaxed),
            });
        }
    }
}

/// Aligns documents; holds the bundled dictionary and segmenter (and the neural model when
/// given one), so build one and reuse it.
pub struct Aligner {
    normalizer: Normalizer,
    dictionary: &'static Dictionary,
    options: AlignOptions,
    model: Option<Arc<Model>>,
    progress: Option<Box<ProgressObserver>>,
}

impl Aligner {
    /// Loads the bundled resources (in parallel) and checks the options.
    pub fn new(options: AlignOptions) -> Result<Aligner> {
        options.validate()?;
        let (normalizer, dictionary) = rayon::join(Normalizer::new, Dictionary::bundled);
        Ok(Aligner { normalizer, dictionary, options, model: None, progress: None })
    }

    /// Adds the sentence encoder: its embeddings join the signals of the second search.
    pub fn with_model(mut self, model: Model) -> Aligner {
        self.model = Some(Arc::new(model));
        self
    }

    /// Reports [`Progress`] to `observer` as alignments go (e.g. a progress line on a
    /// terminal).
    pub fn with_progress(mut self, observer: impl Fn(Progress) + Send + Sync + 'static) -> Aligner {
        self.progress = Some(Box::new(observer));
        self
    }

    /// True when a neural model is in use.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Aligns `src` with `tgt`. Every sentence of both appears in exactly one bead, in
    /// order; either document may be empty.
    pub fn align(&self, src: &Document, tgt: &Document) -> Alignment {
        self.align_all(&[(src, tgt)]).pop().unwrap_or_default()
    }

    /// Aligns many document pairs, in parallel, learning one lexicon from all of them
    /// (a word seen in every chapter of a book is learned once for all).
    pub fn align_batch(&self, pairs: &[(Document, Document)]) -> Vec<Alignment> {
        let pairs: Vec<(&Document, &Document)> = pairs.iter().map(|(s, t)| (s, t)).collect();
        self.align_all(&pairs)
    }

    /// Aligns every pair, overlong sentences cut into pieces for the scorers (see
    /// [`Pieces`]) and the beads then given back in the documents' own sentences.
    fn align_all(&self, pairs: &[(&Document, &Document)]) -> Vec<Alignment> {
        let cut: Vec<(Pieces, Pieces)> = pairs.iter().map(|(s, t)| (Pieces::new(s), Pieces::new(t))).collect();
        let documents: Vec<(&Document, &Document)> = cut.iter().map(|(s, t)| (&*s.document, &*t.document)).collect();
        let passes = self.align_pieces(&documents, false);
        passes.into_iter().zip(&cut).map(|(pass, (s, t))| project(pass.path, s, t)).collect()
    }

    /// The passes over all pairs: the first with the bundled resources; each further one
    /// learns associations from the previous alignments of every pair together, re-estimates
    /// the signals, and searches again near the previous path; then, with a model, the
    /// neural pass.
    fn align_pieces(&self, pairs: &[(&Document, &Document)], keep_normalized: bool) -> Vec<Pass> {
        let tracker = Tracker {
            observer: self.progress.as_deref(),
            pairs: pairs.len(),
            pairs_done: AtomicUsize::new(0),
            encoded: AtomicUsize::new(0),
            to_encode: AtomicUsize::new(0),
        };
        let mut passes: Vec<Pass> = pairs
            .par_iter()
            .map(|(src, tgt)| {
                let (s, t) = rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
                self.first_pass(s, t, keep_normalized)
            })
            .collect();
        if self.options.passes >= 2 {
            let src_pool = Units::pool(passes.iter().map(|p| &p.src_units));
            let tgt_pool = Units::pool(passes.iter().map(|p| &p.tgt_units));
            let mut ranges = Vec::new();
            let (mut src_start, mut tgt_start) = (0, 0);
            for pass in &passes {
                ranges.push((src_start..src_start + pass.n_src, tgt_start..tgt_start + pass.n_tgt));
                (src_start, tgt_start) = (src_start + pass.n_src, tgt_start + pass.n_tgt);
            }
            for _ in 1..self.options.passes {
                let beads: Vec<_> = passes
                    .iter()
                    .zip(&ranges)
                    .flat_map(|(pass, (src_range, tgt_range))| {
                        pass.path.iter().map(|b| Bead {
                            src: b.src.start + src_range.start..b.src.end + src_range.start,
                            tgt: b.tgt.start + tgt_range.start..b.tgt.end + tgt_range.start,
                            score: b.score,
                        })
                    })
                    .collect();
                let associations = associations::learn(&src_pool, &tgt_pool, &beads, associations::MAX_CHANCE);
                passes.par_iter_mut().zip(&ranges).for_each(|(pass, (src_range, tgt_range))| {
                    let signal = learned(&src_pool, src_range.clone(), &tgt_pool, tgt_range.clone(), &associations);
                    pass.scorer.refine(&pass.path);
                    pass.scorer.replace(Box::new(signal));
                    self.realign(pass);
                });
            }
        }
        passes
            .into_par_iter()
            .zip(pairs)
            .map(|(mut pass, (src, tgt))| {
                self.neural_pass(&mut pass, src, tgt, &tracker);
                tracker.add(&tracker.pairs_done, 1);
                pass
            })
            .collect()
    }

    /// The names and terms `alignment` shows to correspond (see [`crate::glossary`]);
    /// empty unless one side is Chinese and the other English.
    pub fn glossary(&self, src: &Document, tgt: &Document, alignment: &[Bead], options: GlossaryOptions) -> Vec<Term> {
        if !glossary::supports(src.language, tgt.language) {
            return Vec::new();
        }
        let (src_norm, tgt_norm) = rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
        let (src_units, tgt_units) = rayon::join(|| Units::new(&src_norm), || Units::new(&tgt_norm));
        self.extract_glossary((src, &src_norm, &src_units), (tgt, &tgt_norm, &tgt_units), alignment, options)
    }

    /// Aligns `src` with `tgt` and lists the names and terms of the alignment, normalising
    /// the texts once for both: the same result as [`Aligner::align`] then
    /// [`Aligner::glossary`], in less time.
    pub fn align_with_glossary(
        &self,
        src: &Document,
        tgt: &Document,
        options: GlossaryOptions,
    ) -> (Alignment, Vec<Term>) {
        let cut = Pieces::new(src).starts.is_some() || Pieces::new(tgt).starts.is_some();
        if cut || !glossary::supports(src.language, tgt.language) {
            let alignment = self.align(src, tgt);
            let terms = self.glossary(src, tgt, &alignment, options);
            return (alignment, terms);
        }
        let pass = self.align_pieces(&[(src, tgt)], true).pop().expect("one pass per pair");
        let (src_norm, tgt_norm) = pass.normalized.as_ref().expect("kept for the glossary");
        let terms = self.extract_glossary(
            (src, src_norm, &pass.src_units),
            (tgt, tgt_norm, &pass.tgt_units),
            &pass.path,
            options,
        );
        (pass.path, terms)
    }

    /// The glossary of an alignment, given each side's document, normalised form and units.
    fn extract_glossary(
        &self,
        src: (&Document, &NormalizedDocument, &Units),
        tgt: (&Document, &NormalizedDocument, &Units),
        alignment: &[Bead],
        options: GlossaryOptions,
    ) -> Vec<Term> {
        let zh_is_source = src.0.language == Language::Chinese;
        let (zh, en) = if zh_is_source { (src, tgt) } else { (tgt, src) };
        glossary::extract(zh, en, zh_is_source, alignment, self.dictionary, options)
    }

    /// The normalised form of a document, as the scorers see it.
    #[cfg(feature = "internals")]
    pub(crate) fn normalize(&self, document: &Document) -> NormalizedDocument {
        self.normalizer.normalize(document)
    }

    /// The first pass's scorer for a normalised pair: its signals set up, no bead scored.
    #[cfg(feature = "internals")]
    pub(crate) fn first_scorer(&self, src: &NormalizedDocument, tgt: &NormalizedDocument) -> Combined {
        let (src_units, tgt_units) = rayon::join(|| Units::new(src), || Units::new(tgt));
        let signals = self.signals(src, tgt, &src_units, &tgt_units);
        Combined::new(signals, self.weights().clone(), src.sentences.len(), tgt.sentences.len())
    }

    /// The first search with `scorer` (which scores the beads it is asked for).
    #[cfg(feature = "internals")]
    pub(crate) fn first_search(&self, scorer: &mut Combined, n_src: usize, n_tgt: usize) -> Vec<Bead> {
        search::align(n_src, n_tgt, &self.shapes(), scorer, &self.options.search)
    }

    /// Units, signals and the first search, with the bundled resources only.
    fn first_pass(&self, src: NormalizedDocument, tgt: NormalizedDocument, keep_normalized: bool) -> Pass {
        let (n_src, n_tgt) = (src.sentences.len(), tgt.sentences.len());
        let (src_units, tgt_units) = rayon::join(|| Units::new(&src), || Units::new(&tgt));
        let signals = self.signals(&src, &tgt, &src_units, &tgt_units);
        let notes = |doc: &NormalizedDocument| bracketed_sentences(doc.sentences.iter().map(|s| s.text.as_str()));
        let (src_notes, tgt_notes) = (notes(&src), notes(&tgt));
        let normalized = keep_normalized.then_some((src, tgt));
        let mut scorer = Combined::new(signals, self.weights().clone(), n_src, n_tgt);
        scorer.discount_skips(&src_notes, &tgt_notes);
        let path = search::align(n_src, n_tgt, &self.shapes(), &mut scorer, &self.options.search);
        Pass { scorer, path, normalized, src_units, tgt_units, n_src, n_tgt }
    }

    /// With a model: encodes the sentences the lexical passes are least sure of and
    /// searches again near their path with the token signal added.
    fn neural_pass(&self, pass: &mut Pass, src: &Document, tgt: &Document, tracker: &Tracker) {
        if let Some(tokens) = self.tokens(src, tgt, &pass.path, tracker) {
            pass.scorer.add(Box::new(tokens));
            self.realign(pass);
        }
    }

    fn realign(&self, pass: &mut Pass) {
        pass.path =
            search::realign(pass.n_src, pass.n_tgt, &self.shapes(), &pass.path, &mut pass.scorer, &self.options.search);
    }

    /// The token signal for a document pair, when there is a model: the sentences of the
    /// beads of `path` the lexical passes are least sure of are encoded (see
    /// [`unsure_sentences`]).
    fn tokens(&self, src: &Document, tgt: &Document, path: &[Bead], tracker: &Tracker) -> Option<Tokens> {
        let model = self.model.as_ref()?;
        let text_bytes = |doc: &Document| doc.sentences.iter().map(|s| s.text.len()).sum::<usize>();
        let budget = ((text_bytes(src) + text_bytes(tgt)) as f64 * f64::from(self.options.neural_share)) as usize;
        let (src_encoded, tgt_encoded) = unsure_sentences(path, src, tgt, budget.max(MIN_NEURAL_BYTES));
        let chosen = src_encoded.iter().chain(&tgt_encoded).filter(|&&e| e).count();
        tracker.add(&tracker.to_encode, chosen);
        let encode = |side: Side, range: std::ops::Range<usize>| {
            let (doc, encoded) = match side {
                Side::Source => (src, &src_encoded),
                Side::Target => (tgt, &tgt_encoded),
            };
            let chosen: Vec<usize> = range.clone().filter(|&i| encoded[i]).collect();
            let texts: Vec<&str> = chosen.iter().map(|&i| clip(&doc.sentences[i].text, MAX_ENCODED_BYTES)).collect();
            let states = match &self.options.encoder_cache {
                Some(dir) => crate::model::token_states_cached(model, &texts, TOKEN_LAYERS, dir),
                None => model.token_states(&texts, TOKEN_LAYERS),
            };
            tracker.add(&tracker.encoded, chosen.len());
            let mut per_sentence = vec![None; range.len()];
            for (i, states) in chosen.into_iter().zip(states) {
                per_sentence[i - range.start] = Some(states);
            }
            per_sentence
        };
        let sizes = |doc: &Document, encoded: &[bool]| -> Vec<usize> {
            (doc.sentences.iter().zip(encoded))
                .map(|(s, &e)| if e { clip(&s.text, MAX_ENCODED_BYTES).len() } else { 0 })
                .collect()
        };
        let sizes = (sizes(src, &src_encoded), sizes(tgt, &tgt_encoded));
        Some(Tokens::new(model.dimension(), (&sizes.0, &sizes.1), path, &encode))
    }

    /// The weights in use: with or without a model.
    fn weights(&self) -> &Weights {
        if self.model.is_some() { &self.options.model_weights } else { &self.options.weights }
    }

    fn shapes(&self) -> Vec<search::Shape> {
        search::shapes(self.options.search.max_bead)
    }

    /// The signals for a document pair: add a new signal here and give it a weight.
    fn signals(
        &self,
        src: &NormalizedDocument,
        tgt: &NormalizedDocument,
        src_units: &Units,
        tgt_units: &Units,
    ) -> Vec<Box<dyn Signal>> {
        let mut signals: Vec<Box<dyn Signal>> = Vec::new();
        let (lexicon, (names, numbers)) = rayon::join(
            || lexicon(src_units, tgt_units, self.dictionary),
            || rayon::join(|| names(src, tgt), || numbers(src, tgt)),
        );
        signals.push(Box::new(lexicon));
        signals.push(Box::new(names));
        signals.push(Box::new(numbers));
        signals.push(Box::new(Length::new(src, tgt, self.weights().length_variance)));
        signals.push(Box::new(Punctuation::new(src, tgt)));
        signals.push(Box::new(clauses(src, tgt, self.weights().clause_variance)));
        if let Some(paragraphs) = Paragraphs::new(src, tgt) {
            signals.push(Box::new(paragraphs));
        }
        signals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(language: Language, n: usize) -> Document {
        Document::from_sentences(language, (0..n).map(|i| format!("sentence {i:03}")))
    }

    #[test]
    fn beads_of_pieces_are_given_back_in_whole_sentences() {
        let mut src = document(Language::Chinese, 3);
        src.sentences[1].text = "字".repeat(MAX_SENTENCE_CHARS * 2 + 10);
        let tgt = document(Language::English, 3);
        let (src_pieces, tgt_pieces) = (Pieces::new(&src), Pieces::new(&tgt));
        assert_eq!(src_pieces.starts, Some(vec![0, 1, 4, 5]));
        assert!(tgt_pieces.starts.is_none());
        let bead = |s: std::ops::Range<usize>, t: std::ops::Range<usize>| Bead { src: s, tgt: t, score: 1.0 };
        // Piece 1 (the start of sentence 1) goes with target 1, the rest of it with nothing
        // and with target 2 — so sentence 1 takes both targets, and the last bead is 2-0.
        let pieces = vec![bead(0..1, 0..1), bead(1..2, 1..2), bead(2..3, 2..2), bead(3..4, 2..3), bead(4..5, 3..3)];
        let projected = project(pieces, &src_pieces, &tgt_pieces);
        assert_eq!(projected, vec![bead(0..1, 0..1), Bead { src: 1..2, tgt: 1..3, score: 3.0 }, bead(2..3, 3..3)]);
    }

    #[test]
    fn the_encoder_sees_the_least_confident_beads_first_within_the_budget() {
        let (src, tgt) = (document(Language::Chinese, 6), document(Language::English, 6));
        let step = |i: usize, score: f32| Bead { src: i..i + 1, tgt: i..i + 1, score };
        let steps: Vec<_> = [5.0, 4.0, -1.0, 6.0, 7.0, 8.0].iter().enumerate().map(|(i, &s)| step(i, s)).collect();
        // Each sentence is 12 bytes; bead 2 and its neighbours (1 and 3) cost 3 × 12 bytes
        // on each side, bead 1 then adds sentence 0: over the budget of 80 after two beads.
        let (src_encoded, tgt_encoded) = unsure_sentences(&steps, &src, &tgt, 80);
        assert_eq!(src_encoded, [true, true, true, true, false, false]);
        assert_eq!(tgt_encoded, src_encoded);
        let (src_all, tgt_all) = unsure_sentences(&steps, &src, &tgt, usize::MAX);
        assert!(src_all.iter().chain(&tgt_all).all(|&e| e));
    }
}
