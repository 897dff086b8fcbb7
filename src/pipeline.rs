//! The whole pipeline for one document pair: normalise → score → search, with the bundled
//! resources loaded once per [`Aligner`].

use crate::dictionary::Dictionary;
use crate::document::{Alignment, Bead, Document, Language};
use crate::glossary::{self, GlossaryOptions, Term};
use crate::error::{Error, Result};
use crate::normalize::{NormalizedDocument, Normalizer};
use crate::score::coverage::CoverageSignal;
use crate::score::learned::{self, learned};
use crate::score::units::Units;
use crate::score::length::Length;
use crate::score::lexicon::lexicon;
use crate::score::names::names;
use crate::score::numbers::numbers;
use crate::score::paragraphs::Paragraphs;
use crate::score::{Combined, Signal, Weights};
use crate::search::{self, SearchOptions};
use rayon::prelude::*;

/// What the first pass leaves for the second.
struct FirstPass {
    scorer: Combined,
    steps: Vec<search::Step>,
    src_units: Units,
    tgt_units: Units,
    n_src: usize,
    n_tgt: usize,
}

impl FirstPass {
    fn beads(&self) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        self.steps.iter().map(|s| (s.src.clone(), s.tgt.clone())).collect()
    }

    fn into_alignment(self) -> Alignment {
        self.steps.into_iter().map(|step| Bead { src: step.src, tgt: step.tgt, score: step.score }).collect()
    }
}

/// Everything a user can tune about an alignment run.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    /// The search: largest bead, corridor width.
    pub search: SearchOptions,
    /// Signal weights and structural costs.
    pub weights: Weights,
    /// 1: align with the bundled resources only; 2: then learn word associations from that
    /// alignment and realign with them (the default).
    pub passes: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { search: SearchOptions::default(), weights: Weights::default(), passes: 2 }
    }
}

/// Aligns documents; holds the bundled dictionary and segmenter, so build one and reuse it.
pub struct Aligner {
    normalizer: Normalizer,
    dictionary: &'static Dictionary,
    options: AlignOptions,
}

impl Aligner {
    /// Loads the bundled resources (in parallel) and checks the options.
    pub fn new(options: AlignOptions) -> Result<Aligner> {
        if !(2..=8).contains(&options.search.max_bead) {
            return Err(Error::InvalidOption(format!(
                "--max-bead must be between 2 and 8 (got {})",
                options.search.max_bead
            )));
        }
        let (normalizer, dictionary) = rayon::join(Normalizer::new, Dictionary::bundled);
        Ok(Aligner { normalizer, dictionary, options })
    }

    /// Aligns `src` with `tgt`. Every sentence of both appears in exactly one bead, in
    /// order; either document may be empty.
    pub fn align(&self, src: &Document, tgt: &Document) -> Alignment {
        let (src_norm, tgt_norm) = rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
        self.align_normalized(src_norm, tgt_norm)
    }

    /// Aligns documents that are already normalised (lets callers reuse normalisation).
    /// Takes them by value to free them as soon as the signals are built.
    pub fn align_normalized(&self, src: NormalizedDocument, tgt: NormalizedDocument) -> Alignment {
        let first = self.first_pass(src, tgt);
        if self.options.passes < 2 {
            return first.into_alignment();
        }
        let associations = learned::learn(&first.src_units, &first.tgt_units, &first.beads());
        let learned = learned(
            &first.src_units,
            0..first.n_src,
            &first.tgt_units,
            0..first.n_tgt,
            &associations,
        );
        self.second_pass(first, learned)
    }

    /// Aligns many document pairs, in parallel, learning one lexicon from all of them
    /// (a word seen in every chapter of a book is learned once for all). `done` is called
    /// with the number of pairs finished so far, for progress reports.
    pub fn align_batch(&self, pairs: &[(Document, Document)], done: &(dyn Fn(usize) + Sync)) -> Vec<Alignment> {
        let finished = std::sync::atomic::AtomicUsize::new(0);
        let passes = self.options.passes.max(1);
        let tick = || done(finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
        let firsts: Vec<FirstPass> = pairs
            .par_iter()
            .map(|(src, tgt)| {
                let (s, t) = rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
                let first = self.first_pass(s, t);
                if passes < 2 {
                    tick();
                }
                first
            })
            .collect();
        if passes < 2 {
            return firsts.into_iter().map(FirstPass::into_alignment).collect();
        }
        let src_pool = Units::pool(firsts.iter().map(|f| &f.src_units));
        let tgt_pool = Units::pool(firsts.iter().map(|f| &f.tgt_units));
        let (mut src_start, mut tgt_start) = (0, 0);
        let mut ranges = Vec::new();
        let mut beads = Vec::new();
        for first in &firsts {
            for (s, t) in first.beads() {
                beads.push((s.start + src_start..s.end + src_start, t.start + tgt_start..t.end + tgt_start));
            }
            ranges.push((src_start..src_start + first.n_src, tgt_start..tgt_start + first.n_tgt));
            (src_start, tgt_start) = (src_start + first.n_src, tgt_start + first.n_tgt);
        }
        let associations = learned::learn(&src_pool, &tgt_pool, &beads);
        firsts
            .into_par_iter()
            .zip(ranges)
            .map(|(first, (src_range, tgt_range))| {
                let learned = learned(&src_pool, src_range, &tgt_pool, tgt_range, &associations);
                let alignment = self.second_pass(first, learned);
                tick();
                alignment
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
        let src_side = (src, &src_norm, &src_units);
        let tgt_side = (tgt, &tgt_norm, &tgt_units);
        let zh_is_source = src.language == Language::Chinese;
        let (zh, en) = if zh_is_source { (src_side, tgt_side) } else { (tgt_side, src_side) };
        glossary::extract(zh, en, zh_is_source, alignment, self.dictionary, options)
    }

    /// Units, signals and the first search, with the bundled resources only.
    fn first_pass(&self, src: NormalizedDocument, tgt: NormalizedDocument) -> FirstPass {
        let (n_src, n_tgt) = (src.sentences.len(), tgt.sentences.len());
        let (src_units, tgt_units) = rayon::join(|| Units::new(&src), || Units::new(&tgt));
        let signals = self.signals(&src, &tgt, &src_units, &tgt_units);
        drop((src, tgt));
        let mut scorer = Combined::new(signals, self.options.weights.clone(), n_src, n_tgt);
        let steps = search::align(n_src, n_tgt, &self.shapes(), &mut scorer, &self.options.search);
        FirstPass { scorer, steps, src_units, tgt_units, n_src, n_tgt }
    }

    /// Re-estimates the signals from the first alignment, adds the learned lexicon and
    /// searches again near the first path.
    fn second_pass(&self, mut first: FirstPass, learned: CoverageSignal) -> Alignment {
        first.scorer.refine(&first.beads());
        first.scorer.add(Box::new(learned));
        first.steps = search::realign(
            first.n_src,
            first.n_tgt,
            &self.shapes(),
            &first.steps,
            &mut first.scorer,
            &self.options.search,
        );
        first.into_alignment()
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
        signals.push(Box::new(Length::new(src, tgt, self.options.weights.length_variance)));
        if let Some(paragraphs) = Paragraphs::new(src, tgt) {
            signals.push(Box::new(paragraphs));
        }
        signals
    }
}
