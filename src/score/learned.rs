//! The learned-lexicon signal: word associations recovered from the texts themselves.
//! After a first alignment, words that keep landing in the same beads (Dice coefficient
//! over the beads) are taken as translations, so 耶和华 ↔ "LORD" or 阿勒泰 ↔ "Ashan" count
//! even though no dictionary links them (Hunalign's align–learn–realign idea).

use super::coverage::{CoverageSignal, Item};
use super::units::Units;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Source unit → target units it was learned to translate, with Dice scores and counts.
#[derive(Default)]
pub struct Associations {
    /// Per source unit id: (target unit id, Dice, beads seen together).
    pub partners: FxHashMap<u32, Vec<(u32, f32, u32)>>,
}

/// Learning thresholds: pairs must co-occur in this many beads, with this Dice at least,
/// and each source unit keeps this many partners (more only when tied).
const MIN_COUNT: u32 = 2;
const MIN_DICE: f32 = 0.3;
const MAX_PARTNERS: usize = 3;

/// Learns associations from aligned beads (both sides non-empty). Works one source unit
/// at a time over the beads that contain it, so memory stays proportional to the beads,
/// not to all the word pairs they hold.
pub fn learn(src: &Units, tgt: &Units, beads: &[(Range<usize>, Range<usize>)]) -> Associations {
    let bead_units = |units: &Units, sentences: &Range<usize>| -> Vec<u32> {
        let mut ids: Vec<u32> = sentences.clone().flat_map(|i| units.sentences[i].iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let beads: Vec<(Vec<u32>, Vec<u32>)> = beads
        .par_iter()
        .filter(|(s, t)| !s.is_empty() && !t.is_empty())
        .map(|(s, t)| (bead_units(src, s), bead_units(tgt, t)))
        .collect();
    let mut beads_with: Vec<Vec<u32>> = vec![Vec::new(); src.vocabulary.len()];
    let mut tgt_count = vec![0u32; tgt.vocabulary.len()];
    for (k, (s, t)) in beads.iter().enumerate() {
        for &a in s {
            beads_with[a as usize].push(k as u32);
        }
        for &b in t {
            tgt_count[b as usize] += 1;
        }
    }
    let partners: Vec<(u32, Vec<(u32, f32, u32)>)> = beads_with
        .par_iter()
        .enumerate()
        .filter(|(a, with)| with.len() as u32 >= MIN_COUNT && src.weights[*a] > 0.0)
        .filter_map(|(a, with)| {
            let mut together: FxHashMap<u32, u32> = FxHashMap::default();
            for &k in with {
                for &b in &beads[k as usize].1 {
                    *together.entry(b).or_default() += 1;
                }
            }
            let mut found: Vec<(u32, f32, u32)> = together
                .into_iter()
                .filter(|&(_, n)| n >= MIN_COUNT)
                .map(|(b, n)| (b, 2.0 * n as f32 / (with.len() as u32 + tgt_count[b as usize]) as f32, n))
                .filter(|&(_, dice, _)| dice >= MIN_DICE)
                .collect();
            found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            // Keep MAX_PARTNERS, plus any tied with the last kept: no arbitrary cut.
            if let Some(&(_, cutoff, _)) = found.get(MAX_PARTNERS - 1) {
                found.retain(|&(_, dice, _)| dice >= cutoff);
            }
            (!found.is_empty()).then_some((a as u32, found))
        })
        .collect();
    Associations { partners: partners.into_iter().collect() }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn units(sentences: &[&[&str]]) -> Units {
        let mut vocabulary: Vec<String> = Vec::new();
        let ids = sentences
            .iter()
            .map(|s| {
                s.iter()
                    .map(|w| match vocabulary.iter().position(|v| v == w) {
                        Some(p) => p as u32,
                        None => {
                            vocabulary.push(w.to_string());
                            vocabulary.len() as u32 - 1
                        }
                    })
                    .collect()
            })
            .collect();
        let weights = vec![1.0; vocabulary.len()];
        Units { language: crate::document::Language::English, vocabulary, sentences: ids, weights }
    }

    #[test]
    fn repeated_cooccurrence_is_learned_and_chance_is_not() {
        let zh = units(&[&["阿勒泰", "地区"], &["阿勒泰", "武装"], &["阿勒泰", "三区"], &["地区"]]);
        let en = units(&[&["ashan", "region"], &["ashan", "forc"], &["ashan", "district"], &["region"]]);
        let beads: Vec<(Range<usize>, Range<usize>)> = (0..4).map(|i| (i..i + 1, i..i + 1)).collect();
        let learned = learn(&zh, &en, &beads);
        let altai = zh.vocabulary.iter().position(|v| v == "阿勒泰").unwrap() as u32;
        let ashan = en.vocabulary.iter().position(|v| v == "ashan").unwrap() as u32;
        assert_eq!(learned.partners[&altai][0].0, ashan);
        assert!((learned.partners[&altai][0].1 - 1.0).abs() < 1e-6);
        let armed = zh.vocabulary.iter().position(|v| v == "武装").unwrap() as u32;
        assert!(!learned.partners.contains_key(&armed), "seen together once: not enough evidence");
    }
}
