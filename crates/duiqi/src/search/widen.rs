//! Where a path found in a narrow corridor runs along the corridor's edge, the better path
//! may lie outside: search those stretches again in a wider corridor, between two beads of
//! the path on either side, and splice the result in. The score of the path never falls,
//! since each wider corridor holds the stretch it replaces.

use super::{BeadScorer, Corridor, Rows, Shape, best_path};
use crate::document::Bead;
use rayon::prelude::*;
use std::ops::Range;

/// Widens around every stretch of `path` (found in `corridor`) that touches its edge,
/// doubling the width from `width` up to `max_width` until the stretch stays inside.
pub fn widen_where_pinched(
    path: Vec<Bead>,
    corridor: &Corridor,
    n_tgt: usize,
    shapes: &[Shape],
    scorer: &dyn BeadScorer,
    width: usize,
    max_width: usize,
) -> Vec<Bead> {
    let stretches = pinched_stretches(&path, corridor, n_tgt, width);
    if stretches.is_empty() || width >= max_width {
        return path;
    }
    let vertices = vertices(&path);
    let replacements: Vec<Vec<Bead>> = stretches
        .par_iter()
        .map(|steps| {
            let (i0, j0) = vertices[steps.start];
            let local: Vec<(usize, usize)> =
                vertices[steps.start..=steps.end].iter().map(|&(i, j)| (i - i0, j - j0)).collect();
            let (rows, columns) = local[local.len() - 1];
            let window = Window { scorer, src_start: i0, tgt_start: j0 };
            let mut width = width * 2;
            loop {
                let wider = Corridor::around_path(&local, rows, columns, width);
                let found = best_path(rows, columns, shapes, &wider, &window);
                if width >= max_width || pinched_stretches(&found, &wider, columns, width).is_empty() {
                    return found
                        .into_iter()
                        .map(|b| Bead {
                            src: b.src.start + i0..b.src.end + i0,
                            tgt: b.tgt.start + j0..b.tgt.end + j0,
                            score: b.score,
                        })
                        .collect();
                }
                width *= 2;
            }
        })
        .collect();
    let mut spliced = Vec::with_capacity(path.len());
    let mut next = 0;
    for (steps, replacement) in stretches.iter().zip(replacements) {
        spliced.extend_from_slice(&path[next..steps.start]);
        spliced.extend(replacement);
        next = steps.end;
    }
    spliced.extend_from_slice(&path[next..]);
    spliced
}

/// The path's vertices: (0, 0) and the end of every step.
fn vertices(path: &[Bead]) -> Vec<(usize, usize)> {
    std::iter::once((0, 0)).chain(path.iter().map(|b| (b.src.end, b.tgt.end))).collect()
}

/// Ranges of steps of `path` to search again: each runs from a bead boundary at least
/// `pad` source sentences before a vertex on the corridor's edge to one as far after it.
fn pinched_stretches(path: &[Bead], corridor: &Corridor, n_tgt: usize, pad: usize) -> Vec<Range<usize>> {
    let vertices = vertices(path);
    let on_edge = |&(i, j): &(usize, usize)| {
        (corridor.lo[i] > 0 && j <= corridor.lo[i] + 1) || (corridor.hi[i] < n_tgt && j + 1 >= corridor.hi[i])
    };
    // A vertex between two unpaired steps may be inside one run of additions: not a boundary.
    let paired = |step: usize| path.get(step).is_some_and(|b| !b.src.is_empty() && !b.tgt.is_empty());
    let boundary = |k: usize| k == 0 || k == path.len() || paired(k - 1) || paired(k);
    let mut stretches: Vec<Range<usize>> = Vec::new();
    for (k, vertex) in vertices.iter().enumerate() {
        if !on_edge(vertex) {
            continue;
        }
        let row = vertex.0;
        let mut start = k;
        while start > 0 && (vertices[start].0 + pad > row || !boundary(start)) {
            start -= 1;
        }
        let mut end = k;
        while end < path.len() && (vertices[end].0 < row + pad || !boundary(end)) {
            end += 1;
        }
        match stretches.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => stretches.push(start..end),
        }
    }
    stretches
}

/// A scorer seen from (`src_start`, `tgt_start`): the sub-grid of a stretch.
struct Window<'a> {
    scorer: &'a dyn BeadScorer,
    src_start: usize,
    tgt_start: usize,
}

impl BeadScorer for Window<'_> {
    fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
        let (i, j) = (self.src_start, self.tgt_start);
        self.scorer.score(src.start + i..src.end + i, tgt.start + j..tgt.end + j)
    }

    fn score_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        let shift = |bounds: &[usize]| -> Vec<usize> { bounds.iter().map(|j| j + self.tgt_start).collect() };
        let (lo, hi) = (shift(rows.lo), shift(rows.hi));
        self.scorer.score_rows(Rows { first: rows.first + self.src_start, lo: &lo, hi: &hi }, shapes, out);
    }

    fn coarse<'b>(&'b self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'b> {
        unreachable!("a window is searched at the finest level only")
    }
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use super::*;

    /// Source i is target i up to `JUMP`, then target i + `ADDED`: the target adds `ADDED`
    /// sentences there, which a straight corridor of half-width 2 cannot follow.
    struct Shifted;
    const JUMP: usize = 100;
    const ADDED: usize = 12;
    const N: usize = 200;

    impl BeadScorer for Shifted {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            let planted = |i: usize| if i < JUMP { i } else { i + ADDED };
            match (src.len(), tgt.len()) {
                (0, n) if tgt.start >= JUMP && tgt.end <= JUMP + ADDED => -0.1 * n as f32,
                (1, 1) if tgt.start == planted(src.start) => 2.0,
                _ => -3.0,
            }
        }
        fn coarse<'a>(&'a self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'a> {
            unimplemented!("not used when widening")
        }
    }

    /// A corridor of half-width `width` around the straight line from (0, 0) to the end.
    fn straight(n_src: usize, n_tgt: usize, width: usize) -> Corridor {
        let line: Vec<(usize, usize)> = (0..=n_src).map(|i| (i, i * n_tgt / n_src)).collect();
        Corridor::around_path(&line, n_src, n_tgt, width)
    }

    fn total(path: &[Bead]) -> f32 {
        path.iter().map(|b| b.score).sum()
    }

    /// Every sentence of both sides exactly once, in order.
    fn covers(path: &[Bead], n_src: usize, n_tgt: usize) -> bool {
        let ends = path
            .iter()
            .try_fold((0, 0), |(i, j), b| (b.src.start == i && b.tgt.start == j).then_some((b.src.end, b.tgt.end)));
        ends == Some((n_src, n_tgt))
    }

    #[test]
    fn a_path_pinched_against_the_edge_is_followed_outside_it() {
        let (n_src, n_tgt) = (N, N + ADDED);
        let corridor = straight(n_src, n_tgt, 2);
        let narrow = best_path(n_src, n_tgt, &shapes(5), &corridor, &Shifted);
        let widened = widen_where_pinched(narrow.clone(), &corridor, n_tgt, &shapes(5), &Shifted, 2, 16);
        assert!(covers(&widened, n_src, n_tgt));
        let planted = |b: &Bead| match b.src.len() {
            1 => b.tgt.start == if b.src.start < JUMP { b.src.start } else { b.src.start + ADDED },
            _ => b.src.is_empty() && (JUMP..JUMP + ADDED).contains(&b.tgt.start),
        };
        assert!(!narrow.iter().all(planted), "the narrow corridor cannot hold the planted path");
        assert!(widened.iter().all(planted), "{widened:?}");
        assert!(total(&widened) > total(&narrow));
    }

    /// Scores from a hash of the bead: a rugged landscape with no structure to lean on.
    struct Noise(u64);

    impl BeadScorer for Noise {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            let key = [src.start, src.end, tgt.start, tgt.end]
                .iter()
                .fold(self.0, |h, &x| (h ^ x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let paired = !src.is_empty() && !tgt.is_empty();
            (key >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - if paired { 0.5 } else { 1.5 }
        }
        fn coarse<'a>(&'a self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'a> {
            unimplemented!("not used when widening")
        }
    }

    proptest::proptest! {
        #[test]
        fn widening_keeps_every_sentence_once_and_never_lowers_the_score(
            seed: u64, n_src in 1usize..80, n_tgt in 1usize..80, width in 1usize..4,
        ) {
            let corridor = straight(n_src, n_tgt, width);
            let scorer = Noise(seed);
            let narrow = best_path(n_src, n_tgt, &shapes(5), &corridor, &scorer);
            let widened = widen_where_pinched(narrow.clone(), &corridor, n_tgt, &shapes(5), &scorer, width, width * 4);
            proptest::prop_assert!(covers(&widened, n_src, n_tgt));
            proptest::prop_assert!(total(&widened) >= total(&narrow) - 1e-3, "{} < {}", total(&widened), total(&narrow));
        }
    }
}
