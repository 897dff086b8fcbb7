//! Corpora that fit neither one memory nor one machine: the lexicon a batch learns from all
//! its pairs at once is learned instead from counts gathered pair by pair and merged (a
//! map-reduce), then every pair is aligned again with it. The result equals
//! [`Aligner::align_batch`] over all the pairs.

use super::pieces::Pieces;
use super::{Aligner, Learning, on_pieces};
use crate::document::{Alignment, Document};
use crate::features::corpus::{CorpusCounts, CorpusLexicon};

impl Aligner {
    /// The counts a corpus's lexicon is learned from, for some of its pairs: each pair
    /// aligned with the bundled resources and then once with each of `lexicons` (what the
    /// earlier rounds learned; none in the first). Merge the counts of every pair
    /// ([`CorpusCounts::merge`]), learn from them ([`CorpusCounts::lexicon`]), and repeat
    /// with that lexicon added until there are [`AlignOptions::passes`](crate::AlignOptions::passes)
    /// − 1 lexicons (one with the default two passes); then
    /// [`Aligner::align_with_lexicons`].
    pub fn corpus_counts(&self, pairs: &[(&Document, &Document)], lexicons: &[CorpusLexicon]) -> CorpusCounts {
        let cut: Vec<(Pieces, Pieces)> = pairs.iter().map(|(s, t)| (Pieces::new(s), Pieces::new(t))).collect();
        let documents: Vec<(&Document, &Document)> = cut.iter().map(|(s, t)| (&*s.document, &*t.document)).collect();
        let mut counts = CorpusCounts::default();
        for pass in self.lexical_passes(&documents, Learning::Corpus(lexicons), false) {
            counts.add(&pass.src_units, &pass.tgt_units, &pass.path);
        }
        counts
    }

    /// Aligns pairs of a corpus with the lexicons learned from all of it (see
    /// [`Aligner::corpus_counts`]), then with the neural model when there is one.
    pub fn align_with_lexicons(&self, pairs: &[(&Document, &Document)], lexicons: &[CorpusLexicon]) -> Vec<Alignment> {
        on_pieces(pairs, |documents| {
            let passes = self.lexical_passes(documents, Learning::Corpus(lexicons), false);
            self.neural_passes(passes, documents)
        })
    }
}
