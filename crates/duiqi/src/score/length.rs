//! The length signal (Gale & Church 1993): a translation's length is roughly proportional
//! to the original's. The ratio is learned from the two texts themselves.

use super::{NO_EVIDENCE, Signal};
use crate::document::Bead;
use crate::normalize::NormalizedDocument;
use crate::search::{MAX_SHAPES, Rows, Shape};
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
    name: &'static str,
    src_prefix: Vec<u32>,
    tgt_prefix: Vec<u32>,
    ratio: f32,
    /// Per source sentence, the ratio around it once a first alignment is known (empty
    /// before): translations are wordier in some passages than in others.
    local_ratios: Vec<f32>,
    variance: f32,
}

impl Length {
    /// Learns the target/source character ratio from the whole texts; `variance` is the
    /// variance of a target length per character of expected length (fitted).
    pub fn new(src: &NormalizedDocument, tgt: &NormalizedDocument, variance: f32) -> Length {
        let lengths = |doc: &NormalizedDocument| doc.sentences.iter().map(|s| s.length as u32).collect::<Vec<u32>>();
        Length::of_counts("length", &lengths(src), &lengths(tgt), variance)
    }

    /// The same model over any per-sentence count that translation roughly preserves
    /// (see [`super::clauses`]), under the signal name `name`.
    pub fn of_counts(name: &'static str, src: &[u32], tgt: &[u32], variance: f32) -> Length {
        let prefix = |counts: &[u32]| -> Vec<u32> {
            std::iter::once(0)
                .chain(counts.iter().scan(0u32, |acc, &c| {
                    *acc += c;
                    Some(*acc)
                }))
                .collect()
        };
        let (src_prefix, tgt_prefix) = (prefix(src), prefix(tgt));
        let ratio = (*tgt_prefix.last().unwrap_or(&1)).max(1) as f32 / (*src_prefix.last().unwrap_or(&1)).max(1) as f32;
        Length { name, src_prefix, tgt_prefix, ratio, local_ratios: Vec::new(), variance }
    }
}

impl Length {
    fn span(&self, prefix: &[u32], range: &Range<usize>) -> f32 {
        (prefix[range.end] - prefix[range.start]) as f32
    }

    fn ratio_at(&self, src_sentence: usize) -> f32 {
        self.local_ratios.get(src_sentence).copied().unwrap_or(self.ratio)
    }

    /// Per source sentence: the length ratio of the [`LOCAL_BEADS`] beads on either side of
    /// its bead, the bead itself left out (so a first pass's mistake does not vouch for
    /// itself).
    fn local_ratios(&self, beads: &[Bead]) -> Vec<f32> {
        let mut sums = vec![(0f32, 0f32)];
        for Bead { src: s, tgt: t, .. } in beads.iter().filter(|b| !b.src.is_empty() && !b.tgt.is_empty()) {
            let &(a, b) = sums.last().unwrap();
            sums.push((a + self.span(&self.src_prefix, s), b + self.span(&self.tgt_prefix, t)));
        }
        let n = sums.len() - 1;
        let mut ratios = vec![self.ratio; self.src_prefix.len() - 1];
        let mut k = 0usize;
        for Bead { src: s, tgt: t, .. } in beads {
            if s.is_empty() || t.is_empty() {
                continue;
            }
            let (from, to) = (k.saturating_sub(LOCAL_BEADS), (k + LOCAL_BEADS + 1).min(n));
            let own = (sums[k + 1].0 - sums[k].0, sums[k + 1].1 - sums[k].1);
            let (src_sum, tgt_sum) = (sums[to].0 - sums[from].0 - own.0, sums[to].1 - sums[from].1 - own.1);
            if src_sum > 0.0 && tgt_sum > 0.0 {
                let ratio = tgt_sum / src_sum;
                for i in s.clone() {
                    ratios[i] = ratio;
                }
            }
            k += 1;
        }
        ratios
    }
}

/// Beads on either side over which the local length ratio is measured: about a
/// paragraph. The King James Version is twice as wordy as the Chinese in the census lists
/// of Numbers as in the surrounding narrative.
const LOCAL_BEADS: usize = 5;

impl Signal for Length {
    fn name(&self) -> &'static str {
        self.name
    }

    /// Re-estimates the model from the first pass's beads. The ratio of the totals is
    /// inflated when one text has material the other lacks (comparable texts); the median
    /// ratio of 1-1 beads is not, and stands where the first pass has nothing to say; the
    /// ratio of the neighbouring beads is used for each sentence. The variance too becomes
    /// what the 1-1 beads show (robustly: the median squared deviation over the median of
    /// chi-squared with one degree of freedom), at least [`MIN_VARIANCE`]: a close
    /// translation is held to its lengths more tightly (the Bible: 1.2), a loose one less
    /// (MAC-Dev chapters: 3 to 12), where the fitted default sits between.
    fn refine(&mut self, beads: &[Bead]) {
        // (first source sentence, source length, target length) of the 1-1 beads.
        let pairs: Vec<(usize, f32, f32)> = beads
            .iter()
            .filter(|b| b.src.len() == 1 && b.tgt.len() == 1)
            .map(|b| (b.src.start, self.span(&self.src_prefix, &b.src), self.span(&self.tgt_prefix, &b.tgt)))
            .filter(|&(_, s, t)| s > 0.0 && t > 0.0)
            .collect();
        if pairs.len() < MIN_BEADS_FOR_RATIO {
            return;
        }
        let mut ratios: Vec<f32> = pairs.iter().map(|&(_, s, t)| t / s).collect();
        self.ratio = median(&mut ratios);
        self.local_ratios = self.local_ratios(beads);
        let mut deviations: Vec<f32> = pairs
            .iter()
            .map(|&(i, s, t)| {
                let expected = s * self.ratio_at(i);
                (t - expected).powi(2) / ((expected + t) / 2.0)
            })
            .collect();
        self.variance = (median(&mut deviations) / CHI2_1_MEDIAN).max(MIN_VARIANCE);
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        Some(self.log_probability(src, tgt))
    }

    /// A row's beads of one height share their source side: its expected target length is
    /// computed once per row. Without branching on how far off each bead is (which the
    /// processor cannot predict), so that the beads of a cell are computed side by side.
    fn similarities_in_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        let mut cells = out.chunks_exact_mut(shapes.len());
        let mut expected = [0f32; MAX_SHAPES];
        let table = &*LN_ERFC;
        for (k, (&lo, &hi)) in rows.lo.iter().zip(rows.hi).enumerate() {
            let i = rows.first + k;
            for (shape, expected) in shapes.iter().zip(&mut expected) {
                *expected = i.checked_sub(shape.src).map_or(0.0, |start| self.expected(start..i));
            }
            for (j, out) in (lo..=hi).zip(&mut cells) {
                for ((shape, &expected), out) in shapes.iter().zip(&expected).zip(out) {
                    *out = shape.starts_at(i, j).map_or(NO_EVIDENCE, |(_, j0)| {
                        self.fit(table, expected, self.span(&self.tgt_prefix, &(j0..j)))
                    });
                }
            }
        }
    }
}

impl Length {
    /// The log-probability of the bead's lengths, mapped to [0, 1].
    fn log_probability(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        self.fit(&LN_ERFC, self.expected(src), self.span(&self.tgt_prefix, &tgt))
    }

    /// The target length expected of a translation of `src`.
    fn expected(&self, src: Range<usize>) -> f32 {
        self.span(&self.src_prefix, &src) * self.ratio_at(src.start)
    }

    /// How likely a target of `tgt_len` translates a source expected at `expected`: the
    /// log-probability (from `table`, [`LN_ERFC`]), mapped to [0, 1].
    #[inline(always)]
    fn fit(&self, table: &Table, expected: f32, tgt_len: f32) -> f32 {
        // x = |delta| / √2, delta the deviation in standard deviations.
        let x_squared = (tgt_len - expected).powi(2) / (self.variance * (expected + tgt_len) + 2.0);
        // Log-probability, as Gale & Church use it: a gross mismatch costs far more than a
        // mild one. Mapped to [0, 1], floor at e^-LOG_FLOOR; ln erfc(x) ≤ −x², so beyond
        // x² = LOG_FLOOR (most beads the search tries) it is the floor.
        let near = 1.0 + table.at(x_squared.min(LOG_FLOOR).sqrt()).max(-LOG_FLOOR) / LOG_FLOOR;
        if x_squared >= LOG_FLOOR { 0.0 } else { near }
    }
}

fn median(values: &mut [f32]) -> f32 {
    let middle = values.len() / 2;
    *values.select_nth_unstable_by(middle, f32::total_cmp).1
}

/// [`ln_erfc`] tabulated over [0, √LOG_FLOOR], beyond which the signal is floored
/// anyway: the search asks for it for every bead it tries, and interpolating (error < 1e-4)
/// is cheaper than a logarithm.
struct Table {
    step: f32,
    values: [f32; TABLE_POINTS + 1],
}

const TABLE_POINTS: usize = 512;

static LN_ERFC: std::sync::LazyLock<Table> = std::sync::LazyLock::new(|| {
    let step = LOG_FLOOR.sqrt() / (TABLE_POINTS - 1) as f32;
    Table { step, values: std::array::from_fn(|k| ln_erfc(k as f32 * step)) }
});

impl Table {
    /// ln erfc(x) for 0 ≤ x ≤ √LOG_FLOOR (clamped beyond).
    #[inline(always)]
    fn at(&self, x: f32) -> f32 {
        let position = (x / self.step).min((TABLE_POINTS - 1) as f32);
        // (A position is never negative: as u32, the conversions take no branch.)
        let k = (position as u32).min(TABLE_POINTS as u32 - 1);
        let fraction = position - k as f32;
        let (low, high) = (self.values[k as usize], self.values[k as usize + 1]);
        low + fraction * (high - low)
    }
}

/// Natural log of the complementary error function for x ≥ 0 (Abramowitz & Stegun
/// 7.1.26, relative error < 1e-6 in erfc): erfc(x) = poly(t)·e^(−x²), so its log needs
/// one logarithm and no exponential (it fills [`LN_ERFC`]).
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
        let sentences = lengths.iter().map(|&length| NormalizedSentence { length, ..Default::default() }).collect();
        NormalizedDocument::new(Language::English, sentences, false)
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
        let beads = crate::document::one_to_one(8);
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
    fn each_passage_is_judged_by_its_own_ratio() {
        // Twelve sentences translated at twice their length, then twelve at four times.
        let src = doc(&[10; 24]);
        let tgt: Vec<usize> = (0..24).map(|i| if i < 12 { 20 } else { 40 }).collect();
        let beads = crate::document::one_to_one(24);
        let mut signal = Length::new(&src, &doc(&tgt), 2.8);
        signal.refine(&beads);
        assert!((signal.ratio_at(2) - 2.0).abs() < 1e-6 && (signal.ratio_at(20) - 4.0).abs() < 1e-6);
        // Two sentences of the wordy passage against one of its translations: too short.
        assert!(signal.similarity(20..22, 20..21).unwrap() < 0.5);
        assert!(signal.similarity(20..21, 20..21).unwrap() > 0.9);
    }

    #[test]
    fn beads_scored_by_rows_agree_with_beads_scored_one_by_one() {
        let src: Vec<usize> = (0..20).map(|i| 5 + i * 7 % 13).collect();
        let tgt: Vec<usize> = (0..20).map(|i| 9 + i * 11 % 17).collect();
        let mut signal = Length::new(&doc(&src), &doc(&tgt), 2.8);
        let shapes: Vec<Shape> = crate::search::shapes(5).into_iter().filter(|s| s.src > 0 && s.tgt > 0).collect();
        let (lo, hi): (Vec<usize>, Vec<usize>) = (2..=20).map(|i| (i / 2, (i + 3).min(20))).unzip();
        let rows = Rows { first: 2, lo: &lo, hi: &hi };
        for refined in [false, true] {
            if refined {
                signal.refine(&crate::document::one_to_one(20));
            }
            let mut together = vec![0.0; rows.cells_count() * shapes.len()];
            signal.similarities_in_rows(rows, &shapes, &mut together);
            for ((i, j), together) in rows.cells().zip(together.chunks_exact(shapes.len())) {
                for (shape, &together) in shapes.iter().zip(together) {
                    let together = crate::score::evidence(together);
                    let alone = shape.starts_at(i, j).and_then(|(i0, j0)| signal.similarity(i0..i, j0..j));
                    assert_eq!(together.map(f32::to_bits), alone.map(f32::to_bits), "{shape:?} at {i}, {j}");
                }
            }
        }
    }

    #[test]
    fn the_table_agrees_with_the_function() {
        for k in 0..1000 {
            let x = k as f32 * LOG_FLOOR.sqrt() / 1000.0;
            assert!((LN_ERFC.at(x) - ln_erfc(x)).abs() < 1e-4, "{x}");
        }
    }

    #[test]
    fn ln_erfc_matches_known_values() {
        assert!(ln_erfc(0.0).abs() < 1e-6);
        assert!((ln_erfc(1.0) - 0.157_299_2f32.ln()).abs() < 1e-4);
        assert!((ln_erfc(3.0) - 2.209_05e-5f32.ln()).abs() < 1e-3);
    }
}
