//! The learned-lexicon signal: overlap of a bead's two sides under the word associations
//! learned from a first alignment ([`crate::features::associations`]).

use super::coverage::{CoverageSignal, Items, ItemsFrom};
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
    let src_items = ItemsFrom(src_range.len(), |s: usize, items: &mut Items| {
        for (&u, partners) in
            src.sentences[src_range.start + s].iter().filter_map(|u| associations.partners.get(u).map(|p| (u, p)))
        {
            items.push(src.weights[u as usize], partners.iter().map(|&(b, _, _)| b));
        }
    });
    let tgt_items = ItemsFrom(tgt_range.len(), |s: usize, items: &mut Items| {
        for &u in &tgt.sentences[tgt_range.start + s] {
            items.push(tgt.weights[u as usize], [u]);
        }
    });
    CoverageSignal::new("learned", src_items, tgt_items)
}

/// The same signal under a corpus's lexicon ([`CorpusLexicon`]), for one document pair:
/// units are matched by their words, and weighed as over the whole corpus.
pub fn learned_from_corpus(src: &Units, tgt: &Units, lexicon: &CorpusLexicon) -> CoverageSignal {
    let tgt_ids: FxHashMap<&str, u32> =
        tgt.vocabulary.iter().enumerate().map(|(k, u)| (u.as_str(), k as u32)).collect();
    let src_items = ItemsFrom(src.sentences.len(), |s: usize, items: &mut Items| {
        for (weight, words) in
            src.sentences[s].iter().filter_map(|&u| lexicon.partners.get(&src.vocabulary[u as usize]))
        {
            items.push(*weight, words.iter().filter_map(|w| tgt_ids.get(w.as_str()).copied()));
        }
    });
    let tgt_weight = |u: u32| lexicon.tgt_weights.get(&tgt.vocabulary[u as usize]).copied().unwrap_or(0.0);
    let tgt_items = ItemsFrom(tgt.sentences.len(), |s: usize, items: &mut Items| {
        for &u in &tgt.sentences[s] {
            items.push(tgt_weight(u), [u]);
        }
    });
    CoverageSignal::new("learned", src_items, tgt_items)
}
