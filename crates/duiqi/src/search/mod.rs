//! Stage 5, search: the best monotonic sequence of beads, given only a [`BeadScorer`].
//! The search never knows which signals exist.
//!
//! Cost grows linearly with length: a coarse-to-fine pyramid ([`pyramid`]) aligns blocks
//! of sentences first, and each finer level searches only a corridor ([`Corridor`])
//! around the path found one level up; the final path is searched again, in a wider
//! corridor, wherever it runs along the edge of its own ([`widen`]).

mod corridor;
mod dp;
mod pyramid;
mod widen;

pub use corridor::Corridor;
pub use dp::best_path;
pub use pyramid::{SearchOptions, align, realign};

use std::ops::Range;

/// The size of a bead: how many source and target sentences it groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Source sentences in the bead.
    pub src: usize,
    /// Target sentences in the bead.
    pub tgt: usize,
}

/// The largest m + n of an m-n bead a search may be asked for: larger beads are rare in
/// real translations and would multiply the cells scored.
pub const MAX_BEAD: usize = 8;

/// The most shapes [`shapes`] gives (for [`MAX_BEAD`]): runs of 1 to MAX_BEAD − 1 unpaired
/// sentences on either side, and every m-n with m + n ≤ MAX_BEAD.
pub const MAX_SHAPES: usize = 2 * (MAX_BEAD - 1) + MAX_BEAD * (MAX_BEAD - 1) / 2;

impl Shape {
    /// Where a bead of this shape ending at (`i`, `j`) starts, unless before the grid.
    pub fn starts_at(&self, i: usize, j: usize) -> Option<(usize, usize)> {
        Some((i.checked_sub(self.src)?, j.checked_sub(self.tgt)?))
    }
}

/// Consecutive rows of a corridor, as the search hands them to a scorer: row `first + k`
/// holds the cells (first + k, j) for j in `lo[k]..=hi[k]`.
#[derive(Clone, Copy, Debug)]
pub struct Rows<'a> {
    /// The first row's source position.
    pub first: usize,
    /// Per row, its lowest target position.
    pub lo: &'a [usize],
    /// Per row, its highest target position.
    pub hi: &'a [usize],
}

impl Rows<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.lo.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.lo.is_empty()
    }

    /// Number of cells in all rows.
    pub fn cells_count(&self) -> usize {
        self.lo.iter().zip(self.hi).map(|(l, h)| h + 1 - l).sum()
    }

    /// Every cell (i, j), row after row.
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.len()).flat_map(move |k| (self.lo[k]..=self.hi[k]).map(move |j| (self.first + k, j)))
    }
}

/// The allowed bead shapes: every m-n with m, n ≥ 1 and m + n ≤ `max_total`, and runs of
/// 1 to `max_total` − 1 unpaired sentences on either side (0-k, k-0), so that a scorer can
/// price a run of additions below as many lone ones.
pub fn shapes(max_total: usize) -> Vec<Shape> {
    let mut shapes = vec![Shape { src: 1, tgt: 0 }, Shape { src: 0, tgt: 1 }];
    for run in 2..max_total {
        shapes.push(Shape { src: run, tgt: 0 });
        shapes.push(Shape { src: 0, tgt: run });
    }
    for total in 2..=max_total {
        for src in 1..total {
            shapes.push(Shape { src, tgt: total - src });
        }
    }
    shapes
}

/// What the search asks of the scoring side.
pub trait BeadScorer: Sync {
    /// Called before a search over `corridor`, so the scorer can precompute what it will
    /// be asked; `reach` is the largest number of sentences a bead takes from either side.
    fn prepare(&mut self, _corridor: &Corridor, _reach: usize) {}

    /// The score of grouping `src` with `tgt`; with one side empty, of leaving the run of
    /// sentences on the other side unpaired. Higher is better; the search maximises the
    /// sum over beads.
    fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32;

    /// The scores of the beads of `shapes` ending at every cell of `rows`, cell after cell
    /// and `shapes.len()` per cell, into `out`: what the search asks, so that a scorer can
    /// share the work of beads that overlap. A bead that would start before the grid scores
    /// −∞; one that starts outside the corridor may score anything (the search skips it).
    fn score_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        for ((i, j), out) in rows.cells().zip(out.chunks_exact_mut(shapes.len())) {
            for (shape, out) in shapes.iter().zip(out) {
                *out = match shape.starts_at(i, j) {
                    Some((i0, j0)) => self.score(i0..i, j0..j),
                    None => f32::NEG_INFINITY,
                };
            }
        }
    }

    /// A cheaper scorer over blocks of consecutive sentences, for the coarse levels: block
    /// `b` covers sentences `bounds[b]..bounds[b + 1]` on each side.
    fn coarse<'a>(&'a self, src_bounds: &[usize], tgt_bounds: &[usize]) -> Box<dyn BeadScorer + 'a>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_up_to_five() {
        let all = shapes(5);
        assert_eq!(all.len(), 2 + 1 + 2 + 3 + 4 + 3 * 2);
        assert!(all.contains(&Shape { src: 1, tgt: 4 }) && all.contains(&Shape { src: 3, tgt: 2 }));
        assert!(all.contains(&Shape { src: 0, tgt: 4 }) && all.contains(&Shape { src: 4, tgt: 0 }));
        assert!(!all.contains(&Shape { src: 3, tgt: 3 }) && !all.contains(&Shape { src: 0, tgt: 5 }));
        assert_eq!(shapes(MAX_BEAD).len(), MAX_SHAPES);
    }
}
