//! Paragraphs first: where both texts carry paragraphs, align the paragraphs, then the
//! sentences within each aligned group of paragraphs (as Hunalign and LF Aligner do with
//! `<p>`), so a long book cannot drift across paragraph boundaries. The groups of every
//! pair are aligned together, so the lexicon is still learned from the whole text.

use super::Aligner;
use crate::document::{Alignment, Bead, Document};
use std::ops::Range;

impl Aligner {
    /// Aligns the paragraphs of `src` and `tgt` ([`Document::paragraphs`]): beads of
    /// paragraph indices. A text without paragraph marks counts as one paragraph.
    pub fn align_paragraphs(&self, src: &Document, tgt: &Document) -> Alignment {
        self.align(&src.paragraph_document(), &tgt.paragraph_document())
    }

    /// Aligns each pair paragraphs first (see the module); a pair where either text has
    /// fewer than two paragraphs is aligned as usual.
    pub(super) fn align_paragraphs_first(&self, pairs: &[(&Document, &Document)]) -> Vec<Alignment> {
        let structured = |(s, t): &(&Document, &Document)| s.paragraphs.len() > 1 && t.paragraphs.len() > 1;
        // Every pair's stretches (sentence ranges of aligned paragraph groups), in order.
        let stretches: Vec<Vec<(Range<usize>, Range<usize>)>> = pairs
            .iter()
            .map(|pair| match structured(pair) {
                true => self.align_paragraphs(pair.0, pair.1).iter().map(|b| sentences_of(pair, b)).collect(),
                false => vec![(0..pair.0.len(), 0..pair.1.len())],
            })
            .collect();
        let parts: Vec<(Document, Document)> = pairs
            .iter()
            .zip(&stretches)
            .flat_map(|((s, t), list)| list.iter().map(|(a, b)| (part(s, a.clone()), part(t, b.clone()))))
            .collect();
        let refs: Vec<(&Document, &Document)> = parts.iter().map(|(s, t)| (s, t)).collect();
        let mut aligned = self.align_sentences(&refs).into_iter();
        stretches
            .iter()
            .map(|list| {
                list.iter()
                    .flat_map(|(s, t)| {
                        let beads = aligned.next().expect("one alignment per stretch");
                        let (s0, t0) = (s.start, t.start);
                        beads.into_iter().map(move |b| Bead {
                            src: b.src.start + s0..b.src.end + s0,
                            tgt: b.tgt.start + t0..b.tgt.end + t0,
                            score: b.score,
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

/// The sentences of a bead of paragraphs.
fn sentences_of((src, tgt): &(&Document, &Document), bead: &Bead) -> (Range<usize>, Range<usize>) {
    let range = |document: &Document, paragraphs: &Range<usize>| match (paragraphs.is_empty(), paragraphs.start) {
        (true, at) => {
            let position = document.paragraphs.get(at).map_or(document.len(), |p| p.sentences.start);
            position..position
        }
        (false, first) => {
            document.paragraphs[first].sentences.start..document.paragraphs[paragraphs.end - 1].sentences.end
        }
    };
    (range(src, &bead.src), range(tgt, &bead.tgt))
}

/// The sentences `range` of `document` as a document of their own, their paragraph starts
/// kept.
fn part(document: &Document, range: Range<usize>) -> Document {
    Document { sentences: document.sentences[range].to_vec(), ..document.clone_without_sentences() }
}
