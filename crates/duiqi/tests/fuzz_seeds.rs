//! Every input in `fuzz/seeds/TARGET/` (the starting points of the fuzz targets, and each
//! input that ever made one fail) through the fuzz targets' own checks, on every test run.

use super::{aligner, checks};
use std::path::PathBuf;

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files.into_iter().map(|path| (path.clone(), std::fs::read(path).unwrap())).collect()
}

#[test]
fn read_seeds() {
    for (_, data) in seeds("read") {
        checks::read(&data);
    }
}

#[test]
fn split_seeds() {
    for (path, data) in seeds("split") {
        // libFuzzer hands the target only inputs that are UTF-8.
        let text = std::str::from_utf8(&data).unwrap_or_else(|_| panic!("{} is not UTF-8", path.display()));
        checks::split(text);
    }
}

#[test]
fn align_seeds() {
    for (_, data) in seeds("align") {
        checks::align(aligner(), &data);
    }
}

#[test]
fn corpus_seeds() {
    for (_, data) in seeds("corpus") {
        checks::corpus(&data);
    }
}
