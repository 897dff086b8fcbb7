//! The learned-lexicon signal: overlap of a bead's two sides under the word associations
//! learned from a first alignment ([`crate::features::associations`]).

use super::coverage::{CoverageSignal, Item};
use crate::features::associations::Associations;
use crate::features::units::Units;
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
