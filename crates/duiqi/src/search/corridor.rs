//! The part of the (source × target) grid a search may visit.

/// For each source position `i` in `0..=n_src`, the target positions `lo[i]..=hi[i]` the
/// path may pass through. Both bounds never decrease, so the corridor is a monotone band.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corridor {
    /// Lowest allowed target position per source position.
    pub lo: Vec<usize>,
    /// Highest allowed target position per source position.
    pub hi: Vec<usize>,
}

impl Corridor {
    /// The whole grid: quadratic, for small inputs only.
    pub fn full(n_src: usize, n_tgt: usize) -> Corridor {
        Corridor { lo: vec![0; n_src + 1], hi: vec![n_tgt; n_src + 1] }
    }

    /// A band of half-width `width` around a monotone path given by its vertices (which
    /// must start at (0, 0) and end at (n_src, n_tgt)). Every cell of the rectangle
    /// spanned by two consecutive vertices is inside, so any bead of the path fits.
    pub fn around_path(vertices: &[(usize, usize)], n_src: usize, n_tgt: usize, width: usize) -> Corridor {
        let mut lo = vec![usize::MAX; n_src + 1];
        let mut hi = vec![0; n_src + 1];
        for pair in vertices.windows(2) {
            let ((i0, j0), (i1, j1)) = (pair[0], pair[1]);
            for i in i0..=i1.min(n_src) {
                lo[i] = lo[i].min(j0);
                hi[i] = hi[i].max(j1);
            }
        }
        for i in 0..=n_src {
            let (l, h) = if lo[i] == usize::MAX { (0, n_tgt) } else { (lo[i], hi[i]) };
            lo[i] = l.saturating_sub(width);
            hi[i] = (h + width).min(n_tgt);
        }
        let mut corridor = Corridor { lo, hi };
        corridor.make_passable(n_tgt);
        corridor
    }

    /// Enforces what the search needs: monotone bounds, (0, 0) and the end inside, and
    /// every row reachable from the one before.
    fn make_passable(&mut self, n_tgt: usize) {
        let n = self.lo.len();
        self.lo[0] = 0;
        self.hi[n - 1] = n_tgt;
        for i in 1..n {
            self.hi[i] = self.hi[i].max(self.hi[i - 1]);
        }
        for i in (0..n - 1).rev() {
            self.lo[i] = self.lo[i].min(self.lo[i + 1]);
        }
        for i in 1..n {
            self.lo[i] = self.lo[i].max(self.lo[i - 1]).min(self.hi[i - 1] + 1).min(self.hi[i]);
        }
    }

    /// Number of source positions covered, n_src + 1.
    pub fn rows(&self) -> usize {
        self.lo.len()
    }

    /// Number of grid cells inside: the work a search over this corridor does.
    #[cfg(test)]
    pub fn cells(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(l, h)| h - l + 1).sum()
    }

    /// Whether cell (i, j) is inside.
    #[cfg(test)]
    pub fn contains(&self, i: usize, j: usize) -> bool {
        i < self.lo.len() && self.lo[i] <= j && j <= self.hi[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_around_a_diagonal_is_linear_in_size() {
        let n = 1000;
        let vertices: Vec<(usize, usize)> = (0..=n).map(|i| (i, i)).collect();
        let corridor = Corridor::around_path(&vertices, n, n, 3);
        assert!(corridor.cells() <= (n + 1) * 9);
        assert!(corridor.contains(0, 0) && corridor.contains(n, n) && corridor.contains(500, 503));
        assert!(!corridor.contains(500, 520));
    }

    #[test]
    fn rows_stay_reachable_after_a_jump() {
        let corridor = Corridor::around_path(&[(0, 0), (2, 2), (3, 40), (5, 42)], 5, 42, 0);
        for i in 1..corridor.rows() {
            assert!(corridor.lo[i] <= corridor.hi[i - 1] + 1);
            assert!(corridor.lo[i] >= corridor.lo[i - 1] && corridor.hi[i] >= corridor.hi[i - 1]);
        }
    }
}
