//! The paragraph signal: translators keep paragraphs, so beads should start where both
//! sides start a paragraph, and should not swallow a paragraph break on one side only.

use super::Signal;
use crate::normalize::NormalizedDocument;
use std::ops::Range;

/// Agreement of a bead with the paragraph structure of both texts.
pub struct Paragraphs {
    src_starts: Vec<bool>,
    tgt_starts: Vec<bool>,
}

impl Paragraphs {
    /// Builds the signal, or `None` when either text has no paragraph structure.
    pub fn new(src: &NormalizedDocument, tgt: &NormalizedDocument) -> Option<Paragraphs> {
        if !src.has_paragraphs || !tgt.has_paragraphs {
            return None;
        }
        let starts = |doc: &NormalizedDocument| doc.sentences.iter().map(|s| s.starts_paragraph).collect();
        Some(Paragraphs { src_starts: starts(src), tgt_starts: starts(tgt) })
    }
}

impl Signal for Paragraphs {
    fn name(&self) -> &'static str {
        "paragraphs"
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        let inner_break = self.src_starts[src.start + 1..src.end].iter().any(|&b| b)
            || self.tgt_starts[tgt.start + 1..tgt.end].iter().any(|&b| b);
        let agree = self.src_starts[src.start] == self.tgt_starts[tgt.start];
        Some(if inner_break || !agree { 0.0 } else { 1.0 })
    }
}
