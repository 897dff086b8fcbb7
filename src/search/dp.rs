//! Dynamic programming over a corridor: the highest-scoring path of beads.

use super::{BeadScorer, Corridor, Shape, Step};
use rayon::prelude::*;

/// Finds the best path from (0, 0) to (n_src, n_tgt) through `corridor` using `shapes`.
/// Bead scores are computed first, rows in parallel; the recurrence itself is sequential.
/// Memory and time are proportional to the corridor's cells times the number of shapes.
pub fn best_path(
    n_src: usize,
    n_tgt: usize,
    shapes: &[Shape],
    corridor: &Corridor,
    scorer: &dyn BeadScorer,
) -> Vec<Step> {
    assert_eq!(corridor.rows(), n_src + 1, "corridor must cover every source position");
    assert!(corridor.hi[n_src] == n_tgt, "corridor must reach the end");
    let offsets: Vec<usize> = std::iter::once(0)
        .chain(corridor.lo.iter().zip(&corridor.hi).scan(0, |acc, (l, h)| {
            *acc += h - l + 1;
            Some(*acc)
        }))
        .collect();
    let bead_scores: Vec<f32> = (0..=n_src)
        .into_par_iter()
        .flat_map_iter(|i| {
            (corridor.lo[i]..=corridor.hi[i]).flat_map(move |j| {
                shapes.iter().map(move |shape| {
                    let reachable = shape.src <= i
                        && shape.tgt <= j
                        && corridor.contains(i - shape.src, j - shape.tgt)
                        && (shape.src, shape.tgt) != (0, 0);
                    if reachable {
                        scorer.score(i - shape.src..i, j - shape.tgt..j)
                    } else {
                        f32::NEG_INFINITY
                    }
                })
            })
        })
        .collect();
    let mut best = vec![f32::NEG_INFINITY; offsets[n_src + 1]];
    let mut back = vec![u8::MAX; offsets[n_src + 1]];
    best[0] = 0.0;
    for i in 0..=n_src {
        for j in corridor.lo[i]..=corridor.hi[i] {
            let cell = offsets[i] + j - corridor.lo[i];
            for (k, shape) in shapes.iter().enumerate() {
                let bead = bead_scores[cell * shapes.len() + k];
                if bead == f32::NEG_INFINITY {
                    continue;
                }
                let (pi, pj) = (i - shape.src, j - shape.tgt);
                let total = best[offsets[pi] + pj - corridor.lo[pi]] + bead;
                if total > best[cell] {
                    best[cell] = total;
                    back[cell] = k as u8;
                }
            }
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n_src, n_tgt);
    while i > 0 || j > 0 {
        let cell = offsets[i] + j - corridor.lo[i];
        let k = back[cell] as usize;
        let shape = shapes[k];
        steps.push(Step { src: i - shape.src..i, tgt: j - shape.tgt..j, score: bead_scores[cell * shapes.len() + k] });
        (i, j) = (i - shape.src, j - shape.tgt);
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use super::*;
    use std::ops::Range;

    /// Scores beads by how well they match a planted alignment.
    struct Planted(Vec<(Range<usize>, Range<usize>)>);

    impl BeadScorer for Planted {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            if self.0.contains(&(src.clone(), tgt.clone())) { 1.0 } else { -1.0 }
        }
        fn coarse<'a>(&'a self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'a> {
            unimplemented!("not used by best_path")
        }
    }

    #[test]
    fn recovers_a_planted_alignment() {
        let planted = vec![(0..1, 0..2), (1..1, 2..3), (1..3, 3..4), (3..4, 4..5), (4..5, 5..5)];
        let steps = best_path(5, 5, &shapes(5), &Corridor::full(5, 5), &Planted(planted.clone()));
        let found: Vec<_> = steps.into_iter().map(|s| (s.src, s.tgt)).collect();
        assert_eq!(found, planted);
    }
}
