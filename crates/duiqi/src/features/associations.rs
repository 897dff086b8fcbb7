//! Word associations learned from the texts themselves: after a first alignment, words
//! that keep landing in the same beads (Dice over the beads, kept only when that would
//! happen by chance less than 5 % of the time: Fisher's exact test) are taken as
//! translations, so 耶和华 ↔ "LORD" or 阿勒泰 ↔ "Ashan" count though no dictionary links
//! them (Hunalign's align–learn–realign idea).

use super::units::Units;
use crate::document::Bead;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// A source unit's learned partners: (target unit id, Dice, beads seen together).
pub type Partners = Vec<(u32, f32, u32)>;

/// Source unit → target units it was learned to translate, with Dice scores and counts.
#[derive(Default)]
pub struct Associations {
    /// Per source unit id: (target unit id, Dice, beads seen together).
    pub partners: FxHashMap<u32, Partners>,
}

/// Learning thresholds: pairs must co-occur in this many beads, with this Dice at least,
/// and each source unit keeps this many partners (more only when tied).
pub(crate) const MIN_COUNT: u32 = 2;
const MIN_DICE: f32 = 0.3;
const MAX_PARTNERS: usize = 3;

/// Learns associations from aligned beads (both sides non-empty) that co-occur more often
/// than chance would make them with probability `max_chance` (see [`MAX_CHANCE`]).
/// Works one source unit at a time over the beads that contain it, so memory stays
/// proportional to the beads, not to all the word pairs they hold.
pub fn learn(src: &Units, tgt: &Units, beads: &[Bead], max_chance: f64) -> Associations {
    let bead_units = |units: &Units, sentences: &Range<usize>| -> Vec<u32> {
        let mut ids: Vec<u32> = sentences.clone().flat_map(|i| units.sentences[i].iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut beads: Vec<(Vec<u32>, Vec<u32>)> = beads
        .par_iter()
        .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
        .map(|b| (bead_units(src, &b.src), bead_units(tgt, &b.tgt)))
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
    // Each bead's target units, the most frequent first: a source unit in `with` beads
    // meets only those frequent enough for the Dice it needs (see [`min_partner_count`]).
    beads.par_iter_mut().for_each(|(_, t)| t.sort_unstable_by_key(|&b| (std::cmp::Reverse(tgt_count[b as usize]), b)));
    let chance = Chance::new(beads.len() as u64, max_chance);
    // Co-occurrences are counted in an array over the target vocabulary, one per thread,
    // reset through the list of units touched (a hash map per source unit cost twice as much).
    let partners: Vec<(u32, Partners)> = beads_with
        .par_iter()
        .enumerate()
        .filter(|(a, with)| with.len() as u32 >= MIN_COUNT && src.weights[*a] > 0.0)
        .map_init(
            || (vec![0u32; tgt.vocabulary.len()], Vec::new()),
            |(counts, touched), (a, with)| {
                let min_count = min_partner_count(with.len() as u32);
                for &k in with {
                    for &b in beads[k as usize].1.iter().take_while(|&&b| tgt_count[b as usize] >= min_count) {
                        if counts[b as usize] == 0 {
                            touched.push(b);
                        }
                        counts[b as usize] += 1;
                    }
                }
                let together = touched.iter().map(|&b| (b, std::mem::take(&mut counts[b as usize])));
                let found = select_partners(with.len() as u32, together, |b| tgt_count[b as usize], &chance);
                touched.clear();
                (!found.is_empty()).then_some((a as u32, found))
            },
        )
        .flatten()
        .collect();
    Associations { partners: partners.into_iter().collect() }
}

/// The fewest beads a target unit must be in to reach [`MIN_DICE`] with a source unit in
/// `with` beads, less a margin for rounding: meeting in n ≤ t of them, their Dice is at most
/// 2t / (with + t), under 0.29 when 171 t < 29 with.
fn min_partner_count(with: u32) -> u32 {
    const _: () = assert!(MIN_DICE > 0.29);
    (u64::from(with) * 29).div_ceil(171) as u32
}

/// The partners of a source unit found in `with` beads, given the target units it met
/// there (`together`: target unit, beads together) and each target unit's bead count:
/// those met in [`MIN_COUNT`] beads or more, more often than chance would make them and
/// with a Dice of [`MIN_DICE`] or more, the best [`MAX_PARTNERS`] (ties with the last kept).
pub(crate) fn select_partners(
    with: u32,
    together: impl IntoIterator<Item = (u32, u32)>,
    tgt_count: impl Fn(u32) -> u32,
    chance: &Chance,
) -> Partners {
    // Dice first: most pairs fall short of it, and the test of chance takes logarithms.
    let mut found: Partners = together
        .into_iter()
        .filter(|&(_, n)| n >= MIN_COUNT)
        .map(|(b, n)| (b, 2.0 * n as f32 / (with + tgt_count(b)) as f32, n))
        .filter(|&(b, dice, n)| dice >= MIN_DICE && chance.unlikely(n, with, tgt_count(b)))
        .collect();
    found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    if let Some(&(_, cutoff, _)) = found.get(MAX_PARTNERS - 1) {
        found.retain(|&(_, dice, _)| dice >= cutoff);
    }
    found
}

/// Co-occurrences rarer than this by chance are taken as
/// associations (one-sided Fisher exact test, the usual 5 % level). Counts alone would
/// learn from coincidences in short texts: two words each in 2 of 5 beads meet in both by
/// chance once in 10 documents, and such "associations" then vouch for any bead holding
/// them.
pub const MAX_CHANCE: f64 = 0.05;

/// Hypergeometric tail probabilities over a fixed number of beads.
pub(crate) struct Chance {
    beads: u64,
    ln_max_chance: f64,
}

/// ln n!: summed up to [`TABULATED`], Stirling's series beyond (its error there is below
/// 1e-25), so a corpus of any size needs no table of its size.
fn ln_factorial(n: u64) -> f64 {
    const TABULATED: usize = 1024;
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut sum = 0.0;
        std::iter::once(0.0)
            .chain((1..TABULATED).map(|k| {
                sum += (k as f64).ln();
                sum
            }))
            .collect()
    });
    if let Some(&value) = table.get(n as usize) {
        return value;
    }
    let n = n as f64;
    let series = 1.0 / (12.0 * n) - 1.0 / (360.0 * n.powi(3)) + 1.0 / (1260.0 * n.powi(5));
    n * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI * n).ln() + series
}

impl Chance {
    pub(crate) fn new(beads: u64, max_chance: f64) -> Chance {
        Chance { beads, ln_max_chance: max_chance.ln() }
    }

    fn ln_choose(n: u64, k: u64) -> f64 {
        ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
    }

    /// True when words in `a` and `b` of the beads meeting in `together` or more of them
    /// is rarer than the maximum chance for unrelated words. The tail is bounded by its first
    /// term over one minus the ratio of consecutive terms (which only falls), so the test
    /// costs O(1). Counts that cannot be (more together than apart) are never unlikely.
    fn unlikely(&self, together: u32, a: u32, b: u32) -> bool {
        let (total, together, a, b) = (self.beads, u64::from(together), u64::from(a), u64::from(b));
        if together > a.min(b) || a + b > total + together {
            return false;
        }
        let (k, rest) = (together as f64, (total + together - a - b) as f64);
        let ratio = (a as f64 - k) * (b as f64 - k) / ((k + 1.0) * (rest + 1.0));
        if ratio >= 1.0 {
            return false;
        }
        let first =
            Chance::ln_choose(a, together) + Chance::ln_choose(total - a, b - together) - Chance::ln_choose(total, b);
        first - (1.0 - ratio).ln() < self.ln_max_chance
    }
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

    /// `pairs` bitext sentences, bead per sentence pair, with filler words elsewhere.
    fn bitext(pairs: usize, with_name: &[usize]) -> (Units, Units, Vec<Bead>) {
        let fill_zh: Vec<String> = (0..pairs).map(|i| format!("词{i}")).collect();
        let fill_en: Vec<String> = (0..pairs).map(|i| format!("word{i}")).collect();
        let zh: Vec<Vec<&str>> = (0..pairs)
            .map(|i| {
                if with_name.contains(&i) { vec!["阿勒泰", fill_zh[i].as_str()] } else { vec![fill_zh[i].as_str()] }
            })
            .collect();
        let en: Vec<Vec<&str>> = (0..pairs)
            .map(
                |i| if with_name.contains(&i) { vec!["ashan", fill_en[i].as_str()] } else { vec![fill_en[i].as_str()] },
            )
            .collect();
        let zh: Vec<&[&str]> = zh.iter().map(Vec::as_slice).collect();
        let en: Vec<&[&str]> = en.iter().map(Vec::as_slice).collect();
        (units(&zh), units(&en), crate::document::one_to_one(pairs))
    }

    fn partner(learned: &Associations, zh: &Units, en: &Units) -> Option<(u32, f32)> {
        let altai = zh.vocabulary.iter().position(|v| v == "阿勒泰")? as u32;
        let ashan = en.vocabulary.iter().position(|v| v == "ashan")? as u32;
        learned.partners.get(&altai)?.iter().find(|p| p.0 == ashan).map(|p| (p.0, p.1))
    }

    #[test]
    fn a_target_unit_below_the_minimum_count_never_reaches_the_dice() {
        for with in 1..3000u32 {
            let below = min_partner_count(with).saturating_sub(1);
            for t in 1..=below {
                // The highest Dice it could have: meeting in all its t beads.
                let dice = 2.0 * t as f32 / (with + t) as f32;
                assert!(dice < MIN_DICE, "with {with}, t {t}: {dice}");
            }
        }
        assert!(min_partner_count(10_000) < 10_000 / 5, "the bound prunes frequent units' partners");
    }

    #[test]
    fn repeated_cooccurrence_is_learned_and_single_meetings_are_not() {
        let (zh, en, beads) = bitext(20, &[0, 5, 9]);
        let learned = learn(&zh, &en, &beads, MAX_CHANCE);
        let (_, dice) = partner(&learned, &zh, &en).expect("3 of 20 beads together is no chance");
        assert!((dice - 1.0).abs() < 1e-6);
        let filler = zh.vocabulary.iter().position(|v| v == "词0").unwrap() as u32;
        assert!(!learned.partners.contains_key(&filler), "seen together once: not enough evidence");
    }

    #[test]
    fn coincidences_of_short_texts_are_not_learned() {
        // Together in both of their 2 beads: 1 chance in 10 among 5 beads, 1 in 1,770 among 60.
        let (zh, en, beads) = bitext(5, &[1, 3]);
        assert!(partner(&learn(&zh, &en, &beads, MAX_CHANCE), &zh, &en).is_none());
        assert!(partner(&learn(&zh, &en, &beads, 0.2), &zh, &en).is_some());
        let (zh, en, beads) = bitext(60, &[2, 7]);
        assert!(partner(&learn(&zh, &en, &beads, MAX_CHANCE), &zh, &en).is_some());
    }

    #[test]
    fn stirling_continues_the_summed_table() {
        let mut sum: f64 = (1..1024).map(|k| (k as f64).ln()).sum();
        for n in 1024..5000u64 {
            sum += (n as f64).ln();
            assert!((ln_factorial(n) - sum).abs() < 1e-9 * sum, "{n}: {} against {sum}", ln_factorial(n));
        }
        assert!(!Chance::new(10, 0.05).unlikely(5, 3, 9), "more together than apart is not a count");
        assert!(!Chance::new(10, 0.05).unlikely(2, 9, 9), "more beads than there are");
    }

    #[test]
    fn chance_bound_is_close_above_the_exact_tail() {
        // Exact hypergeometric tail P(X >= k) by direct summation.
        fn exact(total: u32, a: u32, b: u32, k: u32) -> f64 {
            let choose = |n: u32, r: u32| (0..r).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64);
            (k..=a.min(b)).map(|x| choose(a, x) * choose(total - a, b - x) / choose(total, b)).sum()
        }
        for &(total, a, b, k) in &[(11, 2, 2, 2), (50, 5, 6, 3), (200, 10, 12, 4), (30, 3, 3, 3)] {
            let p = exact(total, a, b, k);
            assert!(Chance::new(total as u64, p * 1.5).unlikely(k, a, b), "{total} {a} {b} {k}: {p}");
            assert!(!Chance::new(total as u64, p * 0.99).unlikely(k, a, b), "{total} {a} {b} {k}: {p}");
        }
    }
}
