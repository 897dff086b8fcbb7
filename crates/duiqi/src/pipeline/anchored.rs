//! Alignment through fixed beads: a reviewer's confirmed beads stay exactly as they are,
//! and each stretch between two of them is aligned on its own.

use super::Aligner;
use crate::document::{Alignment, Bead, Document};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::ops::Range;

impl Aligner {
    /// Aligns `src` with `tgt` so that the path passes through `anchors` (beads in order,
    /// neither overlapping nor empty), kept as given; every stretch between two anchors
    /// (and before the first, after the last) is aligned as [`Aligner::align`] aligns it
    /// alone. The result covers every sentence once, in order.
    pub fn align_anchored(&self, src: &Document, tgt: &Document, anchors: &[Bead]) -> Result<Alignment> {
        let gaps = gaps(anchors, src.len(), tgt.len())?;
        let stretches: Vec<Alignment> = gaps
            .par_iter()
            .map(|(s, t)| {
                let beads = self.align(&part(src, s.clone()), &part(tgt, t.clone()));
                beads
                    .into_iter()
                    .map(|b| Bead {
                        src: b.src.start + s.start..b.src.end + s.start,
                        tgt: b.tgt.start + t.start..b.tgt.end + t.start,
                        score: b.score,
                    })
                    .collect()
            })
            .collect();
        let mut alignment = Vec::with_capacity(anchors.len() + stretches.iter().map(Vec::len).sum::<usize>());
        for (k, stretch) in stretches.into_iter().enumerate() {
            alignment.extend(stretch);
            alignment.extend(anchors.get(k).cloned());
        }
        Ok(alignment)
    }
}

/// The stretches between the anchors, as (source, target) ranges: one more than there are
/// anchors; an error when the anchors are not in order, overlap, are empty or run past the
/// texts.
fn gaps(anchors: &[Bead], n_src: usize, n_tgt: usize) -> Result<Vec<(Range<usize>, Range<usize>)>> {
    let mut gaps = Vec::with_capacity(anchors.len() + 1);
    let (mut src_at, mut tgt_at) = (0, 0);
    for (k, anchor) in anchors.iter().enumerate() {
        let fits = anchor.src.start >= src_at
            && anchor.tgt.start >= tgt_at
            && anchor.src.start <= anchor.src.end
            && anchor.tgt.start <= anchor.tgt.end
            && anchor.src.end <= n_src
            && anchor.tgt.end <= n_tgt
            && !(anchor.src.is_empty() && anchor.tgt.is_empty());
        if !fits {
            return Err(Error::InvalidOption {
                option: "anchors",
                value: format!("anchor {k} ({:?}, {:?})", anchor.src, anchor.tgt),
                expected: "non-empty beads in order, within the texts, none overlapping".into(),
            });
        }
        gaps.push((src_at..anchor.src.start, tgt_at..anchor.tgt.start));
        (src_at, tgt_at) = (anchor.src.end, anchor.tgt.end);
    }
    gaps.push((src_at..n_src, tgt_at..n_tgt));
    Ok(gaps)
}

/// The sentences `range` of `document` as a document of their own (an internal one: its
/// sentences' spans still point into the whole text, which it does not hold).
fn part(document: &Document, range: Range<usize>) -> Document {
    Document { sentences: document.sentences[range].to_vec(), ..document.clone_without_sentences() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Language, check_coverage};
    use crate::pipeline::AlignOptions;

    fn texts() -> (Document, Document) {
        let zh = ["第一章。", "天很冷。", "他走了很远的路。", "他累了。", "他回家了。", "天黑了。", "他睡了。"];
        let en = [
            "Chapter one.",
            "It was cold.",
            "He walked a long way and was tired.",
            "He went home.",
            "It got dark.",
            "He slept.",
        ];
        (Document::from_sentences(Language::Chinese, zh), Document::from_sentences(Language::English, en))
    }

    #[test]
    fn anchors_stay_and_each_stretch_is_aligned_alone() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let (zh, en) = texts();
        let anchors = vec![Bead { src: 2..4, tgt: 2..3, score: 9.0 }, Bead { src: 5..6, tgt: 4..5, score: 7.0 }];
        let alignment = aligner.align_anchored(&zh, &en, &anchors).unwrap();
        check_coverage(&alignment, zh.len(), en.len()).unwrap();
        for anchor in &anchors {
            assert!(alignment.contains(anchor), "{anchor:?} kept in {alignment:?}");
        }
        // Between the anchors: the same beads as aligning that stretch alone.
        let alone = |s: Range<usize>, t: Range<usize>| {
            let doc = |d: &Document, r: Range<usize>| {
                Document::from_sentences(d.language, d.sentences[r].iter().map(|x| x.text.clone()))
            };
            aligner
                .align(&doc(&zh, s.clone()), &doc(&en, t.clone()))
                .into_iter()
                .map(move |b| (b.src.start + s.start..b.src.end + s.start, b.tgt.start + t.start..b.tgt.end + t.start))
        };
        let expected: Vec<_> = alone(0..2, 0..2)
            .chain([(2..4, 2..3)])
            .chain(alone(4..5, 3..4))
            .chain([(5..6, 4..5)])
            .chain(alone(6..7, 5..6))
            .collect();
        let got: Vec<_> = alignment.iter().map(|b| (b.src.clone(), b.tgt.clone())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn without_anchors_it_is_the_plain_alignment() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let (zh, en) = texts();
        assert_eq!(aligner.align_anchored(&zh, &en, &[]).unwrap(), aligner.align(&zh, &en));
    }

    #[test]
    fn anchors_out_of_order_overlapping_or_out_of_range_are_refused() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let (zh, en) = texts();
        let bead = |s: Range<usize>, t: Range<usize>| Bead { src: s, tgt: t, score: 0.0 };
        for anchors in [
            vec![bead(3..4, 3..4), bead(1..2, 1..2)],
            vec![bead(1..3, 1..2), bead(2..4, 2..3)],
            vec![bead(6..8, 5..6)],
            vec![bead(2..2, 3..3)],
        ] {
            let error = aligner.align_anchored(&zh, &en, &anchors).unwrap_err();
            assert!(error.to_string().starts_with("anchors must be"), "{error}");
        }
    }
}
