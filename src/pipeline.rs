//! The whole pipeline for one document pair: normalise → score → search, with the bundled
//! resources loaded once per [`Aligner`].

use crate::dictionary::Dictionary;
use crate::document::{Alignment, Bead, Document};
use crate::error::{Error, Result};
use crate::normalize::{NormalizedDocument, Normalizer};
use crate::score::length::Length;
use crate::score::lexicon::Lexicon;
use crate::score::names::Names;
use crate::score::numbers::Numbers;
use crate::score::paragraphs::Paragraphs;
use crate::score::{Combined, Signal, Weights};
use crate::search::{self, SearchOptions};

/// Everything a user can tune about an alignment run.
#[derive(Clone, Debug, Default)]
pub struct AlignOptions {
    /// The search: largest bead, corridor width.
    pub search: SearchOptions,
    /// Signal weights and structural costs.
    pub weights: Weights,
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
        let mut scorer = {
            let (src_norm, tgt_norm) =
                rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
            self.scorer(&src_norm, &tgt_norm)
        }; // the normalised texts are freed here, before the search
        self.search(&mut scorer, src.len(), tgt.len())
    }

    /// Aligns documents that are already normalised (lets callers reuse normalisation).
    pub fn align_normalized(&self, src: &NormalizedDocument, tgt: &NormalizedDocument) -> Alignment {
        let mut scorer = self.scorer(src, tgt);
        self.search(&mut scorer, src.sentences.len(), tgt.sentences.len())
    }

    fn scorer(&self, src: &NormalizedDocument, tgt: &NormalizedDocument) -> Combined {
        let (n_src, n_tgt) = (src.sentences.len(), tgt.sentences.len());
        Combined::new(self.signals(src, tgt), self.options.weights.clone(), n_src, n_tgt)
    }

    fn search(&self, scorer: &mut Combined, n_src: usize, n_tgt: usize) -> Alignment {
        let shapes = search::shapes(self.options.search.max_bead);
        search::align(n_src, n_tgt, &shapes, scorer, &self.options.search)
            .into_iter()
            .map(|step| Bead { src: step.src, tgt: step.tgt, score: step.score })
            .collect()
    }

    /// The signals for a document pair: add a new signal here and give it a weight.
    fn signals(&self, src: &NormalizedDocument, tgt: &NormalizedDocument) -> Vec<Box<dyn Signal>> {
        let mut signals: Vec<Box<dyn Signal>> = Vec::new();
        let (lexicon, (names, numbers)) =
            rayon::join(|| Lexicon::new(src, tgt, self.dictionary), || (Names::new(src, tgt), Numbers::new(src, tgt)));
        signals.push(Box::new(lexicon));
        signals.push(Box::new(names));
        signals.push(Box::new(numbers));
        signals.push(Box::new(Length::new(src, tgt)));
        if let Some(paragraphs) = Paragraphs::new(src, tgt) {
            signals.push(Box::new(paragraphs));
        }
        signals
    }
}
