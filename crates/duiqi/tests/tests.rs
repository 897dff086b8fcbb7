//! Integration tests, built into one binary: a module per topic.

/// The fuzz targets' checks, run on their seeds and by the property tests.
#[allow(dead_code)]
#[path = "../../../fuzz/checks.rs"]
mod checks;
mod corpus;
#[cfg(feature = "documents")]
mod documents;
mod examples;
mod fuzz_seeds;
#[cfg(feature = "model")]
mod model;
mod properties;
mod realtext;
mod scores;

use std::path::PathBuf;
use std::sync::OnceLock;

/// Path of a file under `data/examples/`.
pub fn example(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/examples").join(relative)
}

/// One aligner for all tests: loading the bundled resources takes a moment.
pub fn aligner() -> &'static duiqi::Aligner {
    static ALIGNER: OnceLock<duiqi::Aligner> = OnceLock::new();
    ALIGNER.get_or_init(|| duiqi::Aligner::new(duiqi::AlignOptions::default()).expect("default options are valid"))
}
