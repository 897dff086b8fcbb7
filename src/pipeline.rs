//! The whole pipeline for one document pair: normalise → score → search, with the bundled
//! resources loaded once per [`Aligner`].

use crate::dictionary::Dictionary;
use crate::document::{Alignment, Bead, Document};
use crate::error::{Error, Result};
use crate::normalize::{NormalizedDocument, Normalizer};
use crate::score::learned::{self, Learned};
use crate::score::units::Units;
use crate::score::length::Length;
use crate::score::lexicon::Lexicon;
use crate::score::names::Names;
use crate::score::numbers::Numbers;
use crate::score::paragraphs::Paragraphs;
use crate::score::{Combined, Signal, Weights};
use crate::search::{self, SearchOptions};

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
        let (n_src, n_tgt) = (src.sentences.len(), tgt.sentences.len());
        let (src_units, tgt_units) = rayon::join(|| Units::new(&src), || Units::new(&tgt));
        let signals = self.signals(&src, &tgt, &src_units, &tgt_units);
        drop((src, tgt));
        let mut scorer = Combined::new(signals, self.options.weights.clone(), n_src, n_tgt);
        let shapes = search::shapes(self.options.search.max_bead);
        let mut steps = search::align(n_src, n_tgt, &shapes, &mut scorer, &self.options.search);
        if self.options.passes >= 2 {
            let beads: Vec<_> = steps.iter().map(|s| (s.src.clone(), s.tgt.clone())).collect();
            scorer.refine(&beads);
            let associations = learned::learn(&src_units, &tgt_units, &beads);
            scorer.add(Box::new(Learned::new(&src_units, &tgt_units, &associations)));
            steps = search::realign(n_src, n_tgt, &shapes, &steps, &mut scorer, &self.options.search);
        }
        steps.into_iter().map(|step| Bead { src: step.src, tgt: step.tgt, score: step.score }).collect()
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
            || Lexicon::new(src_units, tgt_units, self.dictionary),
            || rayon::join(|| Names::new(src, tgt), || Numbers::new(src, tgt)),
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
