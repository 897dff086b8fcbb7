//! Strict and lax precision, recall and F1 of an alignment against a gold one (Sennrich &
//! Volk 2011, as in Vecalign and Bertalign). Agrees figure for figure with
//! `shared/tools/score_align.py`.

use crate::error::{Error, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

/// A bead as written in `.align` files: source and target indices.
pub type IndexBead = (Vec<usize>, Vec<usize>);

/// The six figures of an evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Scores {
    /// Strict precision: output beads identical to a gold bead.
    pub p_strict: f64,
    /// Strict recall.
    pub r_strict: f64,
    /// Strict F1.
    pub f1_strict: f64,
    /// Lax precision: output beads sharing a sentence pair with a gold bead.
    pub p_lax: f64,
    /// Lax recall.
    pub r_lax: f64,
    /// Lax F1.
    pub f1_lax: f64,
}

impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p_strict={:.3} r_strict={:.3} f1_strict={:.3} p_lax={:.3} r_lax={:.3} f1_lax={:.3}",
            self.p_strict, self.r_strict, self.f1_strict, self.p_lax, self.r_lax, self.f1_lax
        )
    }
}

/// Parses `.align` text: one bead per line, `[0,1]:[2]`, blank lines ignored.
pub fn parse_alignment(text: &str, path: &Path) -> Result<Vec<IndexBead>> {
    let mut beads = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |problem: &str| Error::BadAlignmentFile {
            path: path.to_path_buf(),
            line: number + 1,
            problem: problem.to_string(),
        };
        let parts: Vec<&str> = line.split(':').map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() < 2 {
            return Err(bad("missing ':' between source and target"));
        }
        let list = |part: &str| -> Result<Vec<usize>> {
            let inner = part
                .strip_prefix('[')
                .and_then(|p| p.strip_suffix(']'))
                .ok_or_else(|| bad("indices must be in [ ]"))?;
            inner
                .split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|x| x.parse().map_err(|_| bad("not a number")))
                .collect()
        };
        beads.push((list(parts[0])?, list(parts[1])?));
    }
    Ok(beads)
}

/// Reads and parses an `.align` file.
pub fn read_alignment(path: &Path) -> Result<Vec<IndexBead>> {
    let text =
        std::fs::read_to_string(path).map_err(|source| Error::Io { name: path.display().to_string(), source })?;
    parse_alignment(&text, path)
}

/// [true positives, false positives] for strict and lax matching of `test` against `gold`.
fn counts(gold: &[IndexBead], test: &[IndexBead]) -> [usize; 4] {
    let gold: FxHashSet<&IndexBead> = gold.iter().filter(|b| !b.0.is_empty() || !b.1.is_empty()).collect();
    let test: FxHashSet<&IndexBead> = test.iter().filter(|b| !b.0.is_empty() || !b.1.is_empty()).collect();
    let mut src_to_tgt: FxHashMap<usize, FxHashSet<usize>> = FxHashMap::default();
    for (src, tgt) in &gold {
        for s in src {
            src_to_tgt.entry(*s).or_default().extend(tgt.iter().copied());
        }
    }
    let mut c = [0usize; 4];
    for bead in test {
        if gold.contains(bead) {
            c[0] += 1;
            c[2] += 1;
            continue;
        }
        c[1] += 1;
        let overlaps = bead.0.iter().any(|s| src_to_tgt.get(s).is_some_and(|t| bead.1.iter().any(|x| t.contains(x))));
        c[if overlaps { 2 } else { 3 }] += 1;
    }
    c
}

/// Scores (gold, test) pairs of documents together, as one corpus.
pub fn score(pairs: &[(Vec<IndexBead>, Vec<IndexBead>)]) -> Scores {
    let both_sides = |beads: &[IndexBead]| -> Vec<IndexBead> {
        beads.iter().filter(|b| !b.0.is_empty() && !b.1.is_empty()).cloned().collect()
    };
    let (mut p, mut r) = ([0usize; 4], [0usize; 4]);
    for (gold, test) in pairs {
        let cp = counts(gold, test);
        let cr = counts(&both_sides(test), &both_sides(gold));
        for k in 0..4 {
            p[k] += cp[k];
            r[k] += cr[k];
        }
    }
    let ratio = |a: usize, b: usize| {
        if a + b > 0 { a as f64 / (a + b) as f64 } else { 0.0 }
    };
    let f1 = |x: f64, y: f64| {
        if x + y > 0.0 { 2.0 * x * y / (x + y) } else { 0.0 }
    };
    let (ps, pl, rs, rl) = (ratio(p[0], p[1]), ratio(p[2], p[3]), ratio(r[0], r[1]), ratio(r[2], r[3]));
    Scores { p_strict: ps, r_strict: rs, f1_strict: f1(ps, rs), p_lax: pl, r_lax: rl, f1_lax: f1(pl, rl) }
}

/// Merges consecutive test beads that each fall inside one and the same verse, as
/// Bertalign's verse-level evaluation does. `src_verses[i]` is the verse of line i.
pub fn merge_by_verse(test: &[IndexBead], src_verses: &[String], tgt_verses: &[String]) -> Vec<IndexBead> {
    fn single<'v>(indices: &[usize], verses: &'v [String]) -> Option<Option<&'v str>> {
        let mut found: Option<&str> = None;
        for &i in indices {
            let v = verses.get(i).map(String::as_str).unwrap_or("");
            match found {
                Some(f) if f != v => return None,
                _ => found = Some(v),
            }
        }
        Some(found)
    }
    let verse_of = |bead: &IndexBead| -> Option<Option<&str>> {
        let (s, t) = (single(&bead.0, src_verses)?, single(&bead.1, tgt_verses)?);
        match (s, t) {
            (None, None) => Some(None),
            (None, Some(t)) => Some(Some(t)),
            (Some(s), None) => Some(Some(s)),
            (Some(s), Some(t)) if s == t => Some(Some(s)),
            _ => None,
        }
    };
    let mut merged: Vec<IndexBead> = Vec::new();
    let mut last: Option<Option<&str>> = None;
    for bead in test {
        let kind = verse_of(bead);
        if let (Some(k), Some(l)) = (kind, last)
            && k == l
        {
            let previous = merged.last_mut().expect("a previous bead");
            previous.0.extend(&bead.0);
            previous.1.extend(&bead.1);
            last = Some(k);
            continue;
        }
        merged.push(bead.clone());
        last = kind;
    }
    merged
}

/// Evaluates a test file or directory against a gold file or directory (files matched by
/// name, `NNN.align`), optionally restricted to `ids` and merged by verse.
pub fn evaluate_paths(
    gold: &Path,
    test: &Path,
    ids: Option<&[String]>,
    verses: Option<(&[String], &[String])>,
) -> Result<Scores> {
    let files: Vec<(PathBuf, PathBuf)> = if gold.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(gold)
            .map_err(|source| Error::Io { name: gold.display().to_string(), source })?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".align"))
            .filter(|name| ids.is_none_or(|ids| ids.iter().any(|id| name.split('.').next() == Some(id))))
            .collect();
        names.sort();
        let test_dir =
            if test.is_dir() { test.to_path_buf() } else { test.parent().unwrap_or(Path::new(".")).to_path_buf() };
        names.into_iter().map(|n| (gold.join(&n), test_dir.join(&n))).collect()
    } else {
        vec![(gold.to_path_buf(), test.to_path_buf())]
    };
    let mut pairs = Vec::new();
    for (gold_file, test_file) in files {
        let mut test_beads = read_alignment(&test_file)?;
        if let Some((src_verses, tgt_verses)) = verses {
            test_beads = merge_by_verse(&test_beads, src_verses, tgt_verses);
        }
        pairs.push((read_alignment(&gold_file)?, test_beads));
    }
    Ok(score(&pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beads(text: &str) -> Vec<IndexBead> {
        parse_alignment(text, Path::new("t")).unwrap()
    }

    #[test]
    fn perfect_alignment_scores_one() {
        let gold = beads("[0,1]:[0]\n[2]:[1,2]\n[]:[3]\n");
        let s = score(&[(gold.clone(), gold)]);
        assert_eq!((s.f1_strict, s.f1_lax), (1.0, 1.0));
    }

    #[test]
    fn split_bead_is_lax_but_not_strict() {
        let gold = beads("[0]:[0,1]\n");
        let test = beads("[0]:[0]\n[]:[1]\n");
        let s = score(&[(gold, test)]);
        assert_eq!(s.p_strict, 0.0);
        assert_eq!(s.p_lax, 0.5);
        assert_eq!(s.r_lax, 1.0);
    }

    #[test]
    fn verse_merging_joins_beads_inside_one_verse() {
        let verses = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let merged =
            merge_by_verse(&beads("[0]:[0]\n[1]:[1]\n[2]:[2]\n"), &verses(&["a", "a", "b"]), &verses(&["a", "a", "b"]));
        assert_eq!(merged, beads("[0,1]:[0,1]\n[2]:[2]\n"));
    }

    #[test]
    fn malformed_line_is_reported_with_its_number() {
        let err = parse_alignment("[0]:[0]\n[x]:[1]\n", Path::new("f.align")).unwrap_err();
        assert!(err.to_string().contains("f.align:2"));
    }
}
