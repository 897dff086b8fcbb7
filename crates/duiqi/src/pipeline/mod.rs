//! The whole pipeline for one document pair: normalise → score → search, with the bundled
//! resources loaded once per [`Aligner`].

mod anchored;
pub mod corpus;
mod explain;
mod memory;
#[cfg(feature = "model")]
mod neural;
mod options;
mod paragraphs;
mod pieces;
mod progress;

pub use explain::{Explainer, Link, LinkKind, Place};
pub use options::{AlignOptions, MAX_E5_BYTES, MIN_NEURAL_BYTES};
pub use progress::{Progress, ProgressObserver};

use crate::dictionary::Dictionary;
use crate::document::{Alignment, Bead, Document, Language, MultiBead};
use crate::error::Result;
use crate::features::associations;
use crate::features::corpus::CorpusLexicon;
use crate::features::units::Units;
use crate::glossary::{self, GlossaryOptions, Term};
#[cfg(feature = "model")]
use crate::model::Model;
use crate::normalize::{NormalizedDocument, Normalizer, bracketed_sentences};
use crate::score::clauses::clauses;
use crate::score::coverage::CoverageSignal;
use crate::score::learned::{learned, learned_from_corpus};
use crate::score::length::Length;
use crate::score::lexicon::lexicon;
use crate::score::names::names;
use crate::score::numbers::numbers;
use crate::score::paragraphs::Paragraphs;
use crate::score::punctuation::Punctuation;
use crate::score::{Combined, Signal, Weights};
use crate::search;
use pieces::{Pieces, project};
use progress::Tracker;
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

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
    /// The last learned associations as words (source unit → target units), kept with the
    /// normalised documents, to explain beads.
    learned: Option<Arc<LearnedWords>>,
}

/// Where the passes after the first learn from.
#[derive(Clone, Copy)]
enum Learning<'a> {
    /// From the previous alignment of every pair aligned together, [`AlignOptions::passes`] − 1 times.
    Pooled,
    /// From a corpus's lexicons, one pass each (see [`Aligner::corpus_counts`]).
    Corpus(&'a [&'a CorpusLexicon]),
}

/// Learned associations by their words: source unit → target units.
pub(crate) type LearnedWords = rustc_hash::FxHashMap<String, Vec<String>>;

/// Aligns documents; holds the bundled dictionary and segmenter (and the neural model when
/// given one), so build one and reuse it.
pub struct Aligner {
    normalizer: Normalizer,
    dictionary: &'static Dictionary,
    options: AlignOptions,
    #[cfg(feature = "model")]
    model: Option<Arc<Model>>,
    #[cfg(feature = "model")]
    muse: Option<Arc<crate::model::muse::Muse>>,
    progress: Option<Box<ProgressObserver>>,
}

impl Aligner {
    /// Loads the bundled resources (in parallel) and checks the options.
    pub fn new(options: AlignOptions) -> Result<Aligner> {
        options.validate()?;
        let (normalizer, dictionary) = rayon::join(Normalizer::new, Dictionary::bundled);
        Ok(Aligner {
            normalizer,
            dictionary,
            options,
            #[cfg(feature = "model")]
            model: None,
            #[cfg(feature = "model")]
            muse: None,
            progress: None,
        })
    }

    #[cfg(feature = "model")]
    /// Adds the sentence encoder: its embeddings join the signals of the second search.
    pub fn with_model(mut self, model: Model) -> Aligner {
        self.model = Some(Arc::new(model));
        self
    }

    #[cfg(feature = "model")]
    /// Adds the mUSE sentence encoder: every sentence and run of sentences is embedded, and
    /// the embeddings' margin joins the signals of the last search.
    pub fn with_muse(mut self, muse: crate::model::muse::Muse) -> Aligner {
        self.muse = Some(Arc::new(muse));
        self
    }

    /// Reports [`Progress`] to `observer` as alignments go (e.g. a progress line on a
    /// terminal).
    pub fn with_progress(mut self, observer: impl Fn(Progress) + Send + Sync + 'static) -> Aligner {
        self.progress = Some(Box::new(observer));
        self
    }

    /// True when a neural model (e5 or mUSE) is in use.
    pub fn has_model(&self) -> bool {
        #[cfg(feature = "model")]
        return self.model.is_some() || self.muse.is_some();
        #[cfg(not(feature = "model"))]
        false
    }

    /// Aligns `src` with `tgt`. Every sentence of both appears in exactly one bead, in
    /// order; either document may be empty.
    pub fn align(&self, src: &Document, tgt: &Document) -> Alignment {
        self.align_all(&[(src, tgt)]).pop().unwrap_or_default()
    }

    /// Aligns `src` with each of its translations, each pair as [`Aligner::align`] aligns
    /// it alone, and merges the alignments into rows ([`MultiBead::merge`]): the smallest
    /// runs of source sentences that every translation renders as a whole.
    pub fn align_versions(&self, src: &Document, versions: &[&Document]) -> Vec<MultiBead> {
        let alignments: Vec<Alignment> = versions.par_iter().map(|version| self.align(src, version)).collect();
        MultiBead::merge(src.len(), &alignments)
    }

    /// Aligns many document pairs, in parallel, learning one lexicon from all of them
    /// (a word seen in every chapter of a book is learned once for all).
    pub fn align_batch(&self, pairs: &[(Document, Document)]) -> Vec<Alignment> {
        let pairs: Vec<(&Document, &Document)> = pairs.iter().map(|(s, t)| (s, t)).collect();
        self.align_all(&pairs)
    }

    /// Aligns every pair, paragraphs first when the options ask for it.
    fn align_all(&self, pairs: &[(&Document, &Document)]) -> Vec<Alignment> {
        if self.options.paragraphs_first { self.align_paragraphs_first(pairs) } else { self.align_sentences(pairs) }
    }

    /// Aligns every pair, overlong sentences cut into pieces for the scorers (see
    /// [`Pieces`]) and the beads then given back in the documents' own sentences.
    fn align_sentences(&self, pairs: &[(&Document, &Document)]) -> Vec<Alignment> {
        on_pieces(pairs, |documents| self.align_pieces(documents, false))
    }

    /// The passes over all pairs: the lexical ones ([`Aligner::lexical_passes`], learning
    /// from all pairs together), then, with a model, the neural pass.
    fn align_pieces(&self, pairs: &[(&Document, &Document)], keep_normalized: bool) -> Vec<Pass> {
        let passes = self.lexical_passes(pairs, Learning::Pooled, keep_normalized);
        self.neural_passes(passes, pairs)
    }

    /// The neural pass over every pair, reporting progress.
    fn neural_passes(&self, passes: Vec<Pass>, pairs: &[(&Document, &Document)]) -> Vec<Pass> {
        let tracker = Tracker {
            observer: self.progress.as_deref(),
            pairs: pairs.len(),
            pairs_done: AtomicUsize::new(0),
            encoded: AtomicUsize::new(0),
            to_encode: AtomicUsize::new(0),
        };
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

    /// The first pass over all pairs, with the bundled resources; each further one learns
    /// associations from the previous alignments (of every pair together, or as a corpus's
    /// lexicons say), re-estimates the signals, and searches again near the previous path.
    fn lexical_passes(&self, pairs: &[(&Document, &Document)], learning: Learning, keep_normalized: bool) -> Vec<Pass> {
        let mut passes: Vec<Pass> = pairs
            .par_iter()
            .map(|(src, tgt)| {
                let (s, t) = rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
                self.first_pass(s, t, keep_normalized)
            })
            .collect();
        match learning {
            Learning::Corpus(lexicons) => {
                for lexicon in lexicons {
                    passes.par_iter_mut().for_each(|pass| {
                        let signal = learned_from_corpus(&pass.src_units, &pass.tgt_units, lexicon);
                        pass.scorer.refine(&pass.path);
                        pass.scorer.replace(Box::new(signal));
                        self.realign(pass);
                    });
                }
            }
            Learning::Pooled if self.options.passes >= 2 => self.learn_pooled(&mut passes, keep_normalized),
            Learning::Pooled => {}
        }
        passes
    }

    /// The further passes of [`Aligner::lexical_passes`], learning from all pairs pooled.
    /// Before the last search the units are let go unless the glossary needs them: on a
    /// book they are the largest thing held besides the search's own tables.
    fn learn_pooled(&self, passes: &mut [Pass], keep_normalized: bool) {
        // One pair's pool is its own units: lent, not copied (a book's units are large).
        let lent = passes.len() == 1;
        let (mut src_pool, mut tgt_pool) = match passes {
            [pass] => (pass.src_units.take(), pass.tgt_units.take()),
            _ => (Units::pool(passes.iter().map(|p| &p.src_units)), Units::pool(passes.iter().map(|p| &p.tgt_units))),
        };
        let mut ranges = Vec::new();
        let (mut src_start, mut tgt_start) = (0, 0);
        for pass in passes.iter() {
            ranges.push((src_start..src_start + pass.n_src, tgt_start..tgt_start + pass.n_tgt));
            (src_start, tgt_start) = (src_start + pass.n_src, tgt_start + pass.n_tgt);
        }
        for round in 1..self.options.passes {
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
            drop(beads);
            let words = keep_normalized.then(|| Arc::new(learned_words(&associations, &src_pool, &tgt_pool)));
            let signals: Vec<CoverageSignal> = ranges
                .par_iter()
                .map(|(src_range, tgt_range)| {
                    learned(&src_pool, src_range.clone(), &tgt_pool, tgt_range.clone(), &associations)
                })
                .collect();
            drop(associations);
            if round + 1 == self.options.passes && !keep_normalized {
                let units = passes.iter_mut().flat_map(|pass| [&mut pass.src_units, &mut pass.tgt_units]);
                for units in units.chain([&mut src_pool, &mut tgt_pool]) {
                    drop(units.take());
                }
                memory::give_back_freed(src_start + tgt_start); // the units
            }
            passes.par_iter_mut().zip(signals).for_each(|(pass, signal)| {
                pass.scorer.refine(&pass.path);
                pass.scorer.replace(Box::new(signal));
                pass.learned.clone_from(&words);
                self.realign(pass);
            });
        }
        if lent {
            (passes[0].src_units, passes[0].tgt_units) = (src_pool, tgt_pool);
        }
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
        let cut = Pieces::needed(src) || Pieces::needed(tgt);
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
        let signals = self.with_lexicon(&src_units, &tgt_units, self.text_signals(src, tgt));
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
        let ((src_units, tgt_units), text_signals) =
            rayon::join(|| rayon::join(|| Units::new(&src), || Units::new(&tgt)), || self.text_signals(&src, &tgt));
        let notes = |doc: &NormalizedDocument| bracketed_sentences(doc.sentences.iter().map(|s| s.text.as_str()));
        let (src_notes, tgt_notes) = (notes(&src), notes(&tgt));
        let normalized = keep_normalized.then_some((src, tgt));
        let signals = self.with_lexicon(&src_units, &tgt_units, text_signals);
        memory::give_back_freed(n_src + n_tgt); // the normalised texts, unless kept
        let mut scorer = Combined::new(signals, self.weights().clone(), n_src, n_tgt);
        scorer.discount_skips(&src_notes, &tgt_notes);
        let path = search::align(n_src, n_tgt, &self.shapes(), &mut scorer, &self.options.search);
        Pass { scorer, path, normalized, src_units, tgt_units, n_src, n_tgt, learned: None }
    }

    fn realign(&self, pass: &mut Pass) {
        pass.path =
            search::realign(pass.n_src, pass.n_tgt, &self.shapes(), &pass.path, &mut pass.scorer, &self.options.search);
    }

    /// The weights in use: with or without a model.
    fn weights(&self) -> &Weights {
        if self.has_model() { &self.options.model_weights } else { &self.options.weights }
    }

    fn shapes(&self) -> Vec<search::Shape> {
        search::shapes(self.options.search.max_bead)
    }

    /// The signals for a document pair: add a new signal here and give it a weight. The
    /// lexicon (from the units) comes first; the others read the normalised texts.
    fn text_signals(&self, src: &NormalizedDocument, tgt: &NormalizedDocument) -> Vec<Box<dyn Signal>> {
        let ((names, numbers), (punctuation, clauses)) = rayon::join(
            || rayon::join(|| names(src, tgt), || numbers(src, tgt)),
            || rayon::join(|| Punctuation::new(src, tgt), || clauses(src, tgt, self.weights().clause_variance)),
        );
        let mut signals: Vec<Box<dyn Signal>> = vec![Box::new(names), Box::new(numbers)];
        signals.push(Box::new(Length::new(src, tgt, self.weights().length_variance)));
        signals.push(Box::new(punctuation));
        signals.push(Box::new(clauses));
        if let Some(paragraphs) = Paragraphs::new(src, tgt) {
            signals.push(Box::new(paragraphs));
        }
        signals
    }

    /// The lexicon signal, then `text_signals`: built last, when the normalised texts may
    /// be gone, since on a book its tables are the largest thing held.
    fn with_lexicon(&self, src: &Units, tgt: &Units, text_signals: Vec<Box<dyn Signal>>) -> Vec<Box<dyn Signal>> {
        let mut signals: Vec<Box<dyn Signal>> = vec![Box::new(lexicon(src, tgt, self.dictionary))];
        signals.extend(text_signals);
        signals
    }
}

/// Without the model feature there is no neural pass.
#[cfg(not(feature = "model"))]
impl Aligner {
    fn neural_pass(&self, _pass: &mut Pass, _src: &Document, _tgt: &Document, _tracker: &Tracker) {}
}

/// `align` run on the pairs with their overlong sentences cut into pieces (see
/// [`Pieces`]), its beads given back in the documents' own sentences.
fn on_pieces(
    pairs: &[(&Document, &Document)],
    align: impl FnOnce(&[(&Document, &Document)]) -> Vec<Pass>,
) -> Vec<Alignment> {
    let cut: Vec<(Pieces, Pieces)> = pairs.iter().map(|(s, t)| (Pieces::new(s), Pieces::new(t))).collect();
    let documents: Vec<(&Document, &Document)> = cut.iter().map(|(s, t)| (&*s.document, &*t.document)).collect();
    align(&documents).into_iter().zip(&cut).map(|(pass, (s, t))| project(pass.path, s, t)).collect()
}

/// `associations` by their words.
fn learned_words(associations: &associations::Associations, src: &Units, tgt: &Units) -> LearnedWords {
    associations
        .partners
        .iter()
        .map(|(&a, partners)| {
            let words = partners.iter().map(|&(b, _, _)| tgt.vocabulary[b as usize].clone()).collect();
            (src.vocabulary[a as usize].clone(), words)
        })
        .collect()
}
