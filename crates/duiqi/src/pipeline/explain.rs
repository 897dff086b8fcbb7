//! Why a bead scores what it does: each signal's share, for a reviewer to trust or doubt it.

use super::{Aligner, Pieces};
use crate::document::{Bead, Document};
use crate::score::Combined;
use crate::search::BeadScorer;

/// The scorer of a finished alignment, kept to explain any bead of the pair (the aligner's
/// own or one a reviewer made).
pub struct Explainer {
    /// `None` when the texts had sentences cut into pieces: scores of whole sentences are
    /// not the scorer's.
    scorer: Option<Combined>,
}

impl Explainer {
    /// Each signal's share of `bead`'s score (and the merge or unpairing cost), largest
    /// first; empty when the bead cannot be explained.
    pub fn explain(&self, bead: &Bead) -> Vec<(&'static str, f32)> {
        let Some(scorer) = &self.scorer else { return Vec::new() };
        let mut shares = scorer.explain(bead.src.clone(), bead.tgt.clone());
        shares.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        shares
    }

    /// The score `bead` gets.
    pub fn score(&self, bead: &Bead) -> Option<f32> {
        Some(self.scorer.as_ref()?.score(bead.src.clone(), bead.tgt.clone()))
    }
}

impl Aligner {
    /// Aligns `src` with `tgt` as [`Aligner::align`] does and keeps the final scorer, to
    /// explain beads of the pair.
    pub fn explainer(&self, src: &Document, tgt: &Document) -> Explainer {
        if Pieces::needed(src) || Pieces::needed(tgt) {
            return Explainer { scorer: None };
        }
        let pass = self.align_pieces(&[(src, tgt)], false).pop().expect("one pass per pair");
        Explainer { scorer: Some(pass.scorer) }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{Document, Language};
    use crate::pipeline::{AlignOptions, Aligner};

    #[test]
    fn the_shares_add_up_to_the_score() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let zh = Document::from_sentences(Language::Chinese, ["一九四四年，苏联在新疆。", "盛世才走了。", "天黑了。"]);
        let en = Document::from_sentences(
            Language::English,
            ["In 1944 the Soviet Union was in Xinjiang.", "Sheng Shicai left.", "Then he came back.", "It got dark."],
        );
        let alignment = aligner.align(&zh, &en);
        let explainer = aligner.explainer(&zh, &en);
        for bead in &alignment {
            let shares = explainer.explain(bead);
            assert!(!shares.is_empty());
            let total: f32 = shares.iter().map(|s| s.1).sum();
            assert!((total - bead.score).abs() < 1e-3, "{bead:?}: {shares:?}");
            assert!((explainer.score(bead).unwrap() - bead.score).abs() < 1e-3);
        }
        let numbers = explainer.explain(&alignment[0]);
        assert!(numbers.iter().any(|(name, share)| *name == "numbers" && *share > 0.0), "{numbers:?}");
    }
}
