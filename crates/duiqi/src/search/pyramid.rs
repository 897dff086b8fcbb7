//! Coarse-to-fine search: align blocks of sentences, then refine in a corridor around the
//! block path, level by level, so the work stays linear in the length of the texts.

use super::widen::widen_where_pinched;
use super::{BeadScorer, Corridor, Shape, best_path};
use crate::document::Bead;

/// Knobs of the search.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// Largest m + n of an m-n bead (2 to [`super::MAX_BEAD`]).
    pub max_bead: usize,
    /// Inputs with at most this many grid cells are searched in full, without a pyramid.
    pub full_search_cells: usize,
    /// Half-width, in sentences, of the corridor of the final level (half of it when
    /// re-aligning); widened, up to four times, wherever the path runs along its edge.
    pub corridor_width: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { max_bead: 5, full_search_cells: 400_000, corridor_width: 8 }
    }
}

/// How many times its first width a corridor may grow where the path runs along its edge.
const MAX_WIDENING: usize = 4;

/// Sentences per block grow by this factor from one level to the next.
const LEVEL_FACTOR: usize = 4;
/// Sentences per block of the finest level, below the first LEVEL_FACTOR: the closer the
/// block path, the narrower the sentences' corridor can be (with blocks of four, a long
/// genealogy drifted out of a corridor of half-width 8; docs/experiments.md).
const FINEST_BLOCK: usize = 2;
/// The top level has at most this many blocks per side and is searched in full.
const TOP_BLOCKS: usize = 300;
/// Corridor half-width, in blocks, at the intermediate levels. A block of the level above
/// spans LEVEL_FACTOR blocks of this one, so the path found there is only known to within
/// that many: the corridor must be wider (long name lists drifted outside a narrower one;
/// docs/experiments.md).
const BLOCK_WIDTH: usize = 3 * LEVEL_FACTOR;

/// Aligns `n_src` with `n_tgt` sentences: the best path of beads of `shapes` under `scorer`.
pub fn align(
    n_src: usize,
    n_tgt: usize,
    shapes: &[Shape],
    scorer: &mut dyn BeadScorer,
    options: &SearchOptions,
) -> Vec<Bead> {
    let vertices = |scorer: &dyn BeadScorer| coarse_path(n_src, n_tgt, scorer);
    search(n_src, n_tgt, shapes, scorer, options, options.corridor_width, vertices)
}

/// Searches again in a corridor around a `previous` path, after the scorer has learned
/// more: cheaper than a new search, since the first path is close (half the usual width,
/// widened where the new path presses on its edge).
pub fn realign(
    n_src: usize,
    n_tgt: usize,
    shapes: &[Shape],
    previous: &[Bead],
    scorer: &mut dyn BeadScorer,
    options: &SearchOptions,
) -> Vec<Bead> {
    let vertices =
        |_: &dyn BeadScorer| std::iter::once((0, 0)).chain(previous.iter().map(|s| (s.src.end, s.tgt.end))).collect();
    search(n_src, n_tgt, shapes, scorer, options, options.corridor_width.div_ceil(2), vertices)
}

/// The final search: the whole grid when it is small, else a corridor of `width` around
/// the path `vertices` gives, widened where the path runs along its edge.
fn search(
    n_src: usize,
    n_tgt: usize,
    shapes: &[Shape],
    scorer: &mut dyn BeadScorer,
    options: &SearchOptions,
    width: usize,
    vertices: impl FnOnce(&dyn BeadScorer) -> Vec<(usize, usize)>,
) -> Vec<Bead> {
    let reach = shapes.iter().map(|s| s.src.max(s.tgt)).max().unwrap_or(1);
    let corridor = if (n_src + 1) * (n_tgt + 1) <= options.full_search_cells {
        Corridor::full(n_src, n_tgt)
    } else {
        Corridor::around_path(&vertices(scorer), n_src, n_tgt, width)
    };
    scorer.prepare(&corridor, reach);
    let path = best_path(n_src, n_tgt, shapes, &corridor, scorer);
    widen_where_pinched(path, &corridor, n_tgt, shapes, scorer, width, width * MAX_WIDENING)
}

/// The path vertices (in sentence positions) found by the block levels.
fn coarse_path(n_src: usize, n_tgt: usize, scorer: &dyn BeadScorer) -> Vec<(usize, usize)> {
    let block_shapes = [
        Shape { src: 1, tgt: 0 },
        Shape { src: 0, tgt: 1 },
        Shape { src: 1, tgt: 1 },
        Shape { src: 1, tgt: 2 },
        Shape { src: 2, tgt: 1 },
    ];
    // Block counts per level, finest first: n/2, n/4, n/16, ... until at most TOP_BLOCKS.
    let longest = n_src.max(n_tgt);
    let mut counts = Vec::new();
    for size in
        std::iter::once(FINEST_BLOCK).chain(std::iter::successors(Some(LEVEL_FACTOR), |s| Some(s * LEVEL_FACTOR)))
    {
        let blocks = longest.div_ceil(size).max(1);
        counts.push(blocks);
        if blocks <= TOP_BLOCKS {
            break;
        }
    }
    let mut vertices: Option<Vec<(usize, usize)>> = None;
    for &blocks in counts.iter().rev() {
        let src_bounds = proportional_bounds(n_src, blocks);
        let tgt_bounds = proportional_bounds(n_tgt, blocks);
        let corridor = match &vertices {
            None => Corridor::full(blocks, blocks),
            Some(points) => {
                let in_blocks: Vec<(usize, usize)> = points
                    .iter()
                    .map(|&(i, j)| (nearest_block(&src_bounds, i), nearest_block(&tgt_bounds, j)))
                    .collect();
                Corridor::around_path(&in_blocks, blocks, blocks, BLOCK_WIDTH)
            }
        };
        let mut block_scorer = scorer.coarse(&src_bounds, &tgt_bounds);
        block_scorer.prepare(&corridor, 2);
        let steps = best_path(blocks, blocks, &block_shapes, &corridor, block_scorer.as_ref());
        let mut points = vec![(0, 0)];
        points.extend(steps.iter().map(|s| (src_bounds[s.src.end], tgt_bounds[s.tgt.end])));
        vertices = Some(points);
    }
    vertices.expect("at least one level")
}

/// `blocks + 1` boundaries cutting `n` items into `blocks` nearly equal runs (some may be
/// empty when n < blocks).
fn proportional_bounds(n: usize, blocks: usize) -> Vec<usize> {
    (0..=blocks).map(|b| (b * n + blocks / 2) / blocks).map(|x| x.min(n)).collect()
}

/// The block boundary index nearest to sentence position `position`.
fn nearest_block(bounds: &[usize], position: usize) -> usize {
    let k = bounds.partition_point(|&b| b < position);
    if k == 0 {
        0
    } else if k == bounds.len() || position - bounds[k - 1] < bounds[k] - position {
        k - 1
    } else {
        k
    }
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use super::*;
    use std::ops::Range;

    /// Sentence i of the source matches target 2i and 2i+1; any other pairing scores badly.
    struct Doubling;

    impl BeadScorer for Doubling {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            if src.is_empty() || tgt.is_empty() {
                return -1.0;
            }
            let expected = src.start * 2..src.end * 2;
            if expected == tgt { 3.0 } else { -2.0 }
        }
        fn coarse<'a>(&'a self, src_bounds: &[usize], tgt_bounds: &[usize]) -> Box<dyn BeadScorer + 'a> {
            let (s, t) = (src_bounds.to_vec(), tgt_bounds.to_vec());
            Box::new(Blocks(s, t))
        }
    }

    struct Blocks(Vec<usize>, Vec<usize>);

    impl BeadScorer for Blocks {
        fn score(&self, src: Range<usize>, tgt: Range<usize>) -> f32 {
            if src.is_empty() || tgt.is_empty() {
                return -1.0;
            }
            let (a, b) = (self.0[src.start] * 2, self.0[src.end] * 2);
            let (c, d) = (self.1[tgt.start], self.1[tgt.end]);
            let overlap = b.min(d).saturating_sub(a.max(c)) as f32;
            overlap / ((b - a).max(d - c).max(1) as f32)
        }
        fn coarse<'a>(&'a self, _: &[usize], _: &[usize]) -> Box<dyn BeadScorer + 'a> {
            unimplemented!()
        }
    }

    #[test]
    fn pyramid_finds_the_path_on_long_inputs() {
        let n = 3000;
        let options = SearchOptions { full_search_cells: 1000, ..SearchOptions::default() };
        let steps = align(n, 2 * n, &shapes(5), &mut Doubling, &options);
        assert_eq!(steps.len(), n);
        assert!(steps.iter().all(|s| s.tgt == (s.src.start * 2..s.src.end * 2)));
    }

    #[test]
    fn bounds_are_proportional() {
        assert_eq!(proportional_bounds(10, 4), [0, 3, 5, 8, 10]);
        assert_eq!(nearest_block(&[0, 3, 5, 8, 10], 7), 3);
    }
}
