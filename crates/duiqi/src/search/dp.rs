//! Dynamic programming over a corridor: the highest-scoring path of beads.

use super::{BeadScorer, Corridor, MAX_SHAPES, Rows, Shape};
use crate::document::Bead;
use rayon::prelude::*;

/// Finds the best path from (0, 0) to (n_src, n_tgt) through `corridor` using `shapes`.
/// Memory and time are proportional to the corridor's cells times the number of shapes.
pub fn best_path(
    n_src: usize,
    n_tgt: usize,
    shapes: &[Shape],
    corridor: &Corridor,
    scorer: &dyn BeadScorer,
) -> Vec<Bead> {
    assert_eq!(corridor.rows(), n_src + 1, "corridor must cover every source position");
    assert!(corridor.hi[n_src] == n_tgt, "corridor must reach the end");
    assert!(shapes.len() <= MAX_SHAPES, "at most {MAX_SHAPES} shapes (their indices fit a byte)");
    let offsets: Vec<usize> = std::iter::once(0)
        .chain(corridor.lo.iter().zip(&corridor.hi).scan(0, |acc, (l, h)| {
            *acc += h - l + 1;
            Some(*acc)
        }))
        .collect();
    // Bead scores are computed a chunk of rows at a time (in parallel, a span of rows per
    // task, so that the scorer can share work between neighbouring rows), so that this
    // buffer stays small however long the texts are; the recurrence is sequential.
    const CHUNK_ROWS: usize = 512;
    const SPAN_ROWS: usize = 32;
    let score_span = |first: usize, end: usize| -> Vec<f32> {
        let rows = Rows { first, lo: &corridor.lo[first..end], hi: &corridor.hi[first..end] };
        let mut scores = vec![0f32; rows.cells_count() * shapes.len()];
        scorer.score_rows(rows, shapes, &mut scores);
        let mut rest = scores.as_mut_slice();
        for i in first..end {
            let (lo, hi) = (corridor.lo[i], corridor.hi[i]);
            let (row, tail) = rest.split_at_mut((hi + 1 - lo) * shapes.len());
            for (k, shape) in shapes.iter().enumerate() {
                // The ends of a row whose bead starts inside the corridor form one interval,
                // from_end..=to_end (empty when the bead would start before the grid).
                let (from_end, to_end) = i
                    .checked_sub(shape.src)
                    .map_or((hi + 1, hi), |i0| ((corridor.lo[i0] + shape.tgt).max(lo), corridor.hi[i0] + shape.tgt));
                let outside = (lo..from_end.min(hi + 1)).chain((to_end + 1).max(from_end).max(lo)..=hi);
                for j in outside {
                    row[(j - lo) * shapes.len() + k] = f32::NEG_INFINITY;
                }
            }
            rest = tail;
        }
        scores
    };
    let mut best = vec![f32::NEG_INFINITY; offsets[n_src + 1]];
    let mut back = vec![u8::MAX; offsets[n_src + 1]];
    best[0] = 0.0;
    // While one chunk's recurrence runs, the next chunk is scored (the recurrence is
    // sequential: alone, it would leave the other cores idle).
    let score_chunk = |chunk_start: usize| -> Vec<Vec<f32>> {
        let chunk_end = (chunk_start + CHUNK_ROWS).min(n_src + 1);
        (chunk_start..chunk_end)
            .step_by(SPAN_ROWS)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|first| score_span(first, (first + SPAN_ROWS).min(chunk_end)))
            .collect()
    };
    let mut scored = score_chunk(0);
    for chunk_start in (0..=n_src).step_by(CHUNK_ROWS) {
        let next_start = chunk_start + CHUNK_ROWS;
        let (_, next) = rayon::join(
            || {
                let mut bead_scores = scored.iter().flat_map(|span| span.chunks_exact(shapes.len()));
                for i in chunk_start..(chunk_start + CHUNK_ROWS).min(n_src + 1) {
                    // Per shape, where its beads ending in row i start in `best`, less their
                    // end column (wrapping: a bead that would start before the grid scores
                    // −∞ and is never looked up).
                    let mut starts = [0usize; MAX_SHAPES];
                    for (start, shape) in starts.iter_mut().zip(shapes) {
                        let i0 = i.wrapping_sub(shape.src).min(n_src);
                        *start = offsets[i0].wrapping_sub(corridor.lo[i0]).wrapping_sub(shape.tgt);
                    }
                    for j in corridor.lo[i]..=corridor.hi[i] {
                        let cell = offsets[i] + j - corridor.lo[i];
                        let cell_scores = bead_scores.next().expect("a score per shape and cell");
                        let (mut best_here, mut back_here) = (best[cell], back[cell]);
                        for (k, (&start, &bead)) in starts.iter().zip(cell_scores).enumerate() {
                            if bead == f32::NEG_INFINITY {
                                continue;
                            }
                            let total = best[start.wrapping_add(j)] + bead;
                            if total > best_here {
                                (best_here, back_here) = (total, k as u8);
                            }
                        }
                        (best[cell], back[cell]) = (best_here, back_here);
                    }
                }
            },
            || if next_start <= n_src { score_chunk(next_start) } else { Vec::new() },
        );
        scored = next;
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n_src, n_tgt);
    while i > 0 || j > 0 {
        let cell = offsets[i] + j - corridor.lo[i];
        let k = back[cell] as usize;
        let shape = shapes[k];
        // Scored again rather than kept for every cell: the same score, and 4 bytes a cell.
        let chosen = scorer.score(i - shape.src..i, j - shape.tgt..j);
        if shape.src == 0 || shape.tgt == 0 {
            // A run of unpaired sentences: one step each, sharing the run's score.
            let run = shape.src + shape.tgt;
            let score = chosen / run as f32;
            for back in 0..run {
                let (si, sj) = (i - (shape.src > 0) as usize * back, j - (shape.tgt > 0) as usize * back);
                steps.push(Bead { src: si - shape.src.min(1)..si, tgt: sj - shape.tgt.min(1)..sj, score });
            }
        } else {
            steps.push(Bead { src: i - shape.src..i, tgt: j - shape.tgt..j, score: chosen });
        }
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

    /// Pays for every bead that starts more than two sentences off the diagonal.
    struct OffDiagonal;

    impl BeadScorer for OffDiagonal {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            if src.start.abs_diff(tgt.start) > 2 { 10.0 } else { -1.0 }
        }
        fn coarse<'a>(&'a self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'a> {
            unimplemented!("not used by best_path")
        }
    }

    #[test]
    fn no_bead_starts_outside_the_corridor() {
        // Along the diagonal, half-width 1: cells at most two sentences off it.
        let n = 40;
        let diagonal: Vec<(usize, usize)> = (0..=n).map(|k| (k, k)).collect();
        let corridor = Corridor::around_path(&diagonal, n, n, 1);
        let steps = best_path(n, n, &shapes(5), &corridor, &OffDiagonal);
        for step in &steps {
            assert!(corridor.contains(step.src.start, step.tgt.start), "{step:?} starts outside the corridor");
        }
    }

    /// Prices a run of unpaired sentences below as many lone ones, the way
    /// the combined scorer does.
    struct Additions;

    impl BeadScorer for Additions {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            match (src.len(), tgt.len()) {
                (0, run) | (run, 0) => -1.0 - 0.25 * (run - 1) as f32,
                (1, 1) if (src.start, tgt.start) == (0, 0) || (src.start, tgt.start) == (1, 4) => 1.0,
                _ => -3.0,
            }
        }
        fn coarse<'a>(&'a self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'a> {
            unimplemented!("not used by best_path")
        }
    }

    #[test]
    fn a_run_of_additions_is_listed_one_sentence_at_a_time() {
        // Target sentences 1, 2 and 3 have no counterpart: source 1 pairs with target 4.
        let steps = best_path(2, 5, &shapes(5), &Corridor::full(2, 5), &Additions);
        let found: Vec<_> = steps.iter().map(|s| (s.src.clone(), s.tgt.clone())).collect();
        assert_eq!(found, vec![(0..1, 0..1), (1..1, 1..2), (1..1, 2..3), (1..1, 3..4), (1..2, 4..5)]);
        assert!(steps[1..4].iter().all(|s| (s.score + 1.5 / 3.0).abs() < 1e-6), "the run's score is shared");
    }
}
