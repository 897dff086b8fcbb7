//! The length signal (Gale & Church 1993): a translation's length is roughly proportional
//! to the original's. The ratio is learned from the two texts themselves.

use super::Signal;
use crate::normalize::NormalizedDocument;
use std::ops::Range;

/// The ratio is re-estimated from a first alignment only with this many 1-1 beads.
const MIN_BEADS_FOR_RATIO: usize = 5;

/// Median of the chi-squared distribution with one degree of freedom.
const CHI2_1_MEDIAN: f32 = 0.455;

/// The least variance re-estimated from a text: a handful of beads that happen to agree
/// must not make the model intolerant.
const MIN_VARIANCE: f32 = 1.0;

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

impl Length {
    fn span(&self, prefix: &[u32], range: &Range<usize>) -> f32 {
        (prefix[range.end] - prefix[range.start]) as f32
    }
}

impl Signal for Length {
    fn name(&self) -> &'static str {
        "length"
    }

    /// Re-estimates the model from the first pass's 1-1 beads. The ratio of the totals is
    /// inflated when one text has material the other lacks (comparable texts); the median
    /// ratio of 1-1 beads is not. The variance too becomes what the beads show (robustly:
    /// the median squared deviation over the median of chi-squared with one degree of
    /// freedom), at least [`MIN_VARIANCE`]: a close translation is held to its lengths more
    /// tightly (the Bible: 1.2; Bible 006 0.951 → 0.958 strict F1), a loose one less
    /// (MAC-Dev chapters: 3 to 12), where the fitted default sits between.
    fn refine(&mut self, beads: &[(Range<usize>, Range<usize>)]) {
        let pairs: Vec<(f32, f32)> = beads
            .iter()
            .filter(|(s, t)| s.len() == 1 && t.len() == 1)
            .map(|(s, t)| (self.span(&self.src_prefix, s), self.span(&self.tgt_prefix, t)))
            .filter(|&(s, t)| s > 0.0 && t > 0.0)
            .collect();
        if pairs.len() < MIN_BEADS_FOR_RATIO {
            return;
        }
        let mut ratios: Vec<f32> = pairs.iter().map(|&(s, t)| t / s).collect();
        self.ratio = median(&mut ratios);
        let mut deviations: Vec<f32> = pairs
            .iter()
            .map(|&(s, t)| {
                let expected = s * self.ratio;
                (t - expected).powi(2) / ((expected + t) / 2.0)
            })
            .collect();
        self.variance = (median(&mut deviations) / CHI2_1_MEDIAN).max(MIN_VARIANCE);
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        let (src_len, tgt_len) = (self.span(&self.src_prefix, &src), self.span(&self.tgt_prefix, &tgt));
        let expected = src_len * self.ratio;
        let delta = (tgt_len - expected) / (self.variance * (expected + tgt_len) / 2.0 + 1.0).sqrt();
        // Log-probability, as Gale & Church use it: a gross mismatch costs far more than a
        // mild one. Mapped to [0, 1], floor at e^-LOG_FLOOR.
        Some(1.0 + ln_erfc(delta.abs() / std::f32::consts::SQRT_2).max(-LOG_FLOOR) / LOG_FLOOR)
    }
}

fn median(values: &mut [f32]) -> f32 {
    let middle = values.len() / 2;
    *values.select_nth_unstable_by(middle, f32::total_cmp).1
}

/// Natural log of the complementary error function for x ≥ 0 (Abramowitz & Stegun
/// 7.1.26, relative error < 1e-6 in erfc): erfc(x) = poly(t)·e^(−x²), so its log needs
/// one logarithm and no exponential (this runs for every bead the search considers).
fn ln_erfc(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t * (0.254_829_6 + t * (-0.284_496_7 + t * (1.421_413_8 + t * (-1.453_152 + t * 1.061_405_4))));
    poly.ln() - x * x
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
    fn refining_learns_ratio_and_spread_from_the_beads() {
        let beads: Vec<(Range<usize>, Range<usize>)> = (0..8).map(|i| (i..i + 1, i..i + 1)).collect();
        let src = doc(&[10, 20, 30, 40, 50, 60, 70, 80]);
        // A close translation: exactly twice as long. The variance falls to its floor.
        let mut close = Length::new(&src, &doc(&[20, 40, 60, 80, 100, 120, 140, 160]), 2.8);
        close.refine(&beads);
        assert!((close.ratio - 2.0).abs() < 1e-6 && close.variance == MIN_VARIANCE);
        // A loose one: lengths wander around the ratio. The variance grows.
        let mut loose = Length::new(&src, &doc(&[35, 22, 90, 50, 160, 80, 200, 110]), 2.8);
        loose.refine(&beads);
        assert!(loose.variance > 2.8, "{}", loose.variance);
        // So a bead three times too long is all but ruled out by the first, not the second.
        let (strict, tolerant) = (close.similarity(0..1, 0..2).unwrap(), loose.similarity(0..1, 0..2).unwrap());
        assert!(strict < 0.3 && tolerant > strict + 0.2, "{strict} {tolerant}");
    }

    #[test]
    fn ln_erfc_matches_known_values() {
        assert!(ln_erfc(0.0).abs() < 1e-6);
        assert!((ln_erfc(1.0) - 0.157_299_2f32.ln()).abs() < 1e-4);
        assert!((ln_erfc(3.0) - 2.209_05e-5f32.ln()).abs() < 1e-3);
    }
}
