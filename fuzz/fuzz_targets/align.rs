//! Alignment of small arbitrary pairs, with the coverage invariant (see `checks::align`).
#![no_main]

#[allow(dead_code)] // each target uses one of the checks
#[path = "../checks.rs"]
mod checks;

use duiqi::{AlignOptions, Aligner};
use std::sync::OnceLock;

fn aligner() -> &'static Aligner {
    static ALIGNER: OnceLock<Aligner> = OnceLock::new();
    ALIGNER.get_or_init(|| Aligner::new(AlignOptions::default()).expect("default options are valid"))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::align(aligner(), data));
