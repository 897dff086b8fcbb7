//! Both sentence splitters on arbitrary text (see `checks::split`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::split(text));
