//! The length signal (Gale & Church 1993): a translation's length is roughly proportional
//! to the original's. The ratio is learned from the two texts themselves.

use super::Signal;
use crate::normalize::NormalizedDocument;
use std::ops::Range;


/// Log-probabilities below -LOG_FLOOR all count as impossible.
const LOG_FLOOR: f32 = 8.0;

/// Log-probability that two spans' lengths come from a translation pair, in [0, 1].
pub struct Length {
    src_prefix: Vec<u32>,
    tgt_prefix: Vec<u32>,
    ratio: f32,
    variance: f32,
}

impl Length {
    /// Learns the target/source character ratio from the whole texts; `variance` is the
    /// variance of a target length per character of expected length (fitted).
    pub fn new(src: &NormalizedDocument, tgt: &NormalizedDocument, variance: f32) -> Length {
        let prefix = |doc: &NormalizedDocument| -> Vec<u32> {
            std::iter::once(0)
                .chain(doc.sentences.iter().scan(0u32, |acc, s| {
                    *acc += s.length as u32;
                    Some(*acc)
                }))
                .collect()
        };
        let (src_prefix, tgt_prefix) = (prefix(src), prefix(tgt));
        let ratio = (*tgt_prefix.last().unwrap_or(&1)).max(1) as f32 / (*src_prefix.last().unwrap_or(&1)).max(1) as f32;
        Length { src_prefix, tgt_prefix, ratio, variance }
    }
}

impl Signal for Length {
    fn name(&self) -> &'static str {
        "length"
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        let src_len = (self.src_prefix[src.end] - self.src_prefix[src.start]) as f32;
        let tgt_len = (self.tgt_prefix[tgt.end] - self.tgt_prefix[tgt.start]) as f32;
        let expected = src_len * self.ratio;
        let delta = (tgt_len - expected) / (self.variance * (expected + tgt_len) / 2.0 + 1.0).sqrt();
        // Log-probability, as Gale & Church use it: a gross mismatch costs far more than a
        // mild one. Mapped to [0, 1], floor at e^-LOG_FLOOR.
        let p = erfc(delta.abs() / std::f32::consts::SQRT_2);
        Some(1.0 + p.max(f32::MIN_POSITIVE).ln().max(-LOG_FLOOR) / LOG_FLOOR)
    }
}

/// Complementary error function (Abramowitz & Stegun 7.1.26, error < 1.5e-7).
fn erfc(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t * (0.254_829_6 + t * (-0.284_496_7 + t * (1.421_413_8 + t * (-1.453_152 + t * 1.061_405_4))));
    poly * (-x * x).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;
    use crate::normalize::NormalizedSentence;

    fn doc(lengths: &[usize]) -> NormalizedDocument {
        NormalizedDocument {
            language: Language::English,
            has_paragraphs: false,
            sentences: lengths.iter().map(|&length| NormalizedSentence { length, ..Default::default() }).collect(),
        }
    }

    #[test]
    fn proportional_lengths_score_high() {
        let signal = Length::new(&doc(&[10, 20, 30]), &doc(&[30, 60, 90]), 5.6);
        assert!(signal.similarity(1..2, 1..2).unwrap() > 0.9);
        assert!(signal.similarity(0..1, 2..3).unwrap() < 0.3);
        assert_eq!(signal.similarity(0..1, 0..3).unwrap(), 0.0, "a tenfold mismatch is impossible");
        assert!(signal.similarity(0..2, 0..2).unwrap() > signal.similarity(0..1, 0..2).unwrap());
    }

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-6);
        assert!((erfc(1.0) - 0.157_299_2).abs() < 1e-5);
    }
}
