//! The learned-lexicon signal: overlap of a bead's two sides under the word associations
//! learned from a first alignment ([`crate::features::associations`]).

use super::coverage::{CoverageSignal, Item};
use crate::features::associations::Associations;
use crate::features::corpus::CorpusLexicon;
use crate::features::units::Units;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Overlap of a bead's two sides under the learned associations, for the sentences
/// `src_range` of `src` and `tgt_range` of `tgt` (whole documents, or one document of a
/// pooled batch): source items carry their learned partners as keys, target items their
/// own unit ids.
pub fn learned(
    src: &Units,
    src_range: Range<usize>,
    tgt: &Units,
    tgt_range: Range<usize>,
    associations: &Associations,
) -> CoverageSignal {
    let src_items = src.sentences[src_range]
        .iter()
        .map(|units| {
            units
                .iter()
                .filter_map(|u| associations.partners.get(u).map(|p| (u, p)))
                .map(|(&u, partners)| Item {
                    weight: src.weights[u as usize],
                    keys: partners.iter().map(|&(b, _, _)| b).collect(),
                })
                .collect()
        })
        .collect();
    let tgt_items = tgt.sentences[tgt_range]
        .iter()
        .map(|units| units.iter().map(|&u| Item { weight: tgt.weights[u as usize], keys: vec![u] }).collect())
        .collect();
    CoverageSignal::new("learned", src_items, tgt_items)
}

/// The same signal under a corpus's lexicon ([`CorpusLexicon`]), for one document pair:
/// units are matched by their words, and weighed as over the whole corpus.
pub fn learned_from_corpus(src: &Units, tgt: &Units, lexicon: &CorpusLexicon) -> CoverageSignal {
    let tgt_ids: FxHashMap<&str, u32> =
        tgt.vocabulary.iter().enumerate().map(|(k, u)| (u.as_str(), k as u32)).collect();
    let src_items = src
        .sentences
        .iter()
        .map(|units| {
            units
                .iter()
                .filter_map(|&u| lexicon.partners.get(&src.vocabulary[u as usize]))
                .map(|(weight, words)| Item {
                    weight: *weight,
                    keys: words.iter().filter_map(|w| tgt_ids.get(w.as_str()).copied()).collect(),
                })
                .collect()
        })
        .collect();
    let tgt_weight = |u: u32| lexicon.tgt_weights.get(&tgt.vocabulary[u as usize]).copied().unwrap_or(0.0);
    let tgt_items = tgt
        .sentences
        .iter()
        .map(|units| units.iter().map(|&u| Item { weight: tgt_weight(u), keys: vec![u] }).collect())
        .collect();
    CoverageSignal::new("learned", src_items, tgt_items)
}
