//! The scores of the sets the repository holds, as recorded in
//! `tests/data/expected_scores.tsv` (lexical default, no model). A change that moves one
//! updates the file in the same commit, so every change of quality is seen and reported.

use super::examples::{genesis_scores, seed_scores};
use super::realtext::strict_f1_of;

/// Every set's (name, strict F1, lax F1 or NaN when the set has none).
fn measured() -> Vec<(&'static str, f64, f64)> {
    let mut sets = Vec::new();
    for (name, scores) in [("yili", seed_scores(true)), ("genesis", genesis_scores())] {
        sets.push((name, scores.f1_strict, scores.f1_lax));
    }
    for name in ["analects", "pride", "kuangren"] {
        sets.push((name, strict_f1_of(name), f64::NAN));
    }
    sets
}

#[test]
fn the_repository_sets_score_as_recorded() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/expected_scores.tsv");
    let recorded: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("#") && !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let measured: Vec<String> = measured()
        .into_iter()
        .map(|(name, strict, lax)| {
            let lax = if lax.is_nan() { "-".to_string() } else { format!("{lax:.3}") };
            format!("{name}\t{strict:.3}\t{lax}")
        })
        .collect();
    assert_eq!(recorded, measured, "scores moved; if on purpose, put these lines in {}", path.display());
}
