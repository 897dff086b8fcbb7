//! Corpus counts and lexicons from arbitrary bytes (see `checks::corpus`).
#![no_main]

#[allow(dead_code)] // each target uses one of the checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::corpus(data));
