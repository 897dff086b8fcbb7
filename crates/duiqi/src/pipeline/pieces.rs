//! Overlong sentences cut into pieces for the scorers, and the beads given back in whole
//! sentences.

use crate::document::{Alignment, Bead, Document, Sentence};
use crate::split::{MAX_SENTENCE_CHARS, cut_overlong};
use std::borrow::Cow;

/// A document as the scorers see it: sentences longer than [`MAX_SENTENCE_CHARS`] cut into
/// pieces (a 100 KB line given with one sentence per line would cost minutes and
/// gigabytes), with where each sentence starts among the pieces.
pub(super) struct Pieces<'a> {
    pub(super) document: Cow<'a, Document>,
    /// `starts[i]` is the first piece of sentence `i`; the last entry is the number of
    /// pieces. `None` when nothing was cut.
    pub(super) starts: Option<Vec<usize>>,
}

impl<'a> Pieces<'a> {
    /// Whether `document` has a sentence to cut.
    pub(super) fn needed(document: &Document) -> bool {
        let overlong = |s: &Sentence| s.text.len() > MAX_SENTENCE_CHARS && s.text.chars().count() > MAX_SENTENCE_CHARS;
        document.sentences.iter().any(overlong)
    }

    pub(super) fn new(document: &'a Document) -> Pieces<'a> {
        if !Pieces::needed(document) {
            return Pieces { document: Cow::Borrowed(document), starts: None };
        }
        let mut sentences = Vec::new();
        let mut starts = Vec::with_capacity(document.sentences.len() + 1);
        for sentence in &document.sentences {
            starts.push(sentences.len());
            let pieces = cut_overlong(&sentence.text, MAX_SENTENCE_CHARS);
            if pieces.is_empty() {
                sentences.push(sentence.clone());
            }
            for (k, piece) in pieces.into_iter().enumerate() {
                let starts_paragraph = sentence.starts_paragraph && k == 0;
                // Pieces are internal: the beads are given back in whole sentences.
                sentences.push(Sentence { text: piece.to_string(), starts_paragraph, span: sentence.span.clone() });
            }
        }
        starts.push(sentences.len());
        let cut = Document { sentences, ..document.clone_without_sentences() };
        Pieces { document: Cow::Owned(cut), starts: Some(starts) }
    }

    /// For each piece boundary, the sentence that starts there (or the end), if any.
    fn sentence_boundaries(&self) -> Option<Vec<Option<usize>>> {
        let starts = self.starts.as_ref()?;
        let mut boundaries = vec![None; starts.last().map_or(0, |&n| n + 1)];
        for (sentence, &piece) in starts.iter().enumerate() {
            boundaries[piece] = Some(sentence);
        }
        Some(boundaries)
    }
}

/// An alignment of pieces as one of the documents' sentences: beads that end inside a
/// sentence are merged with the next until both sides end on a sentence boundary.
pub(super) fn project(alignment: Alignment, src: &Pieces, tgt: &Pieces) -> Alignment {
    if src.starts.is_none() && tgt.starts.is_none() {
        return alignment;
    }
    let identity = |n: usize| (0..=n).map(Some).collect::<Vec<_>>();
    let src_at = src.sentence_boundaries().unwrap_or_else(|| identity(src.document.len()));
    let tgt_at = tgt.sentence_boundaries().unwrap_or_else(|| identity(tgt.document.len()));
    let mut projected = Vec::new();
    let mut open: Option<Bead> = None;
    for bead in alignment {
        let merged = match open.take() {
            Some(o) => {
                Bead { src: o.src.start..bead.src.end, tgt: o.tgt.start..bead.tgt.end, score: o.score + bead.score }
            }
            None => bead,
        };
        match (src_at[merged.src.start], src_at[merged.src.end], tgt_at[merged.tgt.start], tgt_at[merged.tgt.end]) {
            (Some(s0), Some(s1), Some(t0), Some(t1)) => {
                projected.push(Bead { src: s0..s1, tgt: t0..t1, score: merged.score })
            }
            _ => open = Some(merged),
        }
    }
    projected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;

    use crate::document::numbered as document;

    #[test]
    fn beads_of_pieces_are_given_back_in_whole_sentences() {
        let mut src = document(Language::Chinese, 3);
        src.sentences[1].text = "字".repeat(MAX_SENTENCE_CHARS * 2 + 10);
        let tgt = document(Language::English, 3);
        let (src_pieces, tgt_pieces) = (Pieces::new(&src), Pieces::new(&tgt));
        assert_eq!(src_pieces.starts, Some(vec![0, 1, 4, 5]));
        assert!(tgt_pieces.starts.is_none());
        let bead = |s: std::ops::Range<usize>, t: std::ops::Range<usize>| Bead { src: s, tgt: t, score: 1.0 };
        // Piece 1 (the start of sentence 1) goes with target 1, the rest of it with nothing
        // and with target 2 — so sentence 1 takes both targets, and the last bead is 2-0.
        let pieces = vec![bead(0..1, 0..1), bead(1..2, 1..2), bead(2..3, 2..2), bead(3..4, 2..3), bead(4..5, 3..3)];
        let projected = project(pieces, &src_pieces, &tgt_pieces);
        assert_eq!(projected, vec![bead(0..1, 0..1), Bead { src: 1..2, tgt: 1..3, score: 3.0 }, bead(2..3, 3..3)]);
    }
}
