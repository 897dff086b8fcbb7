//! What the review crate's tests share: the aligner and the seed abstract as a project.
#![allow(dead_code)] // each test binary uses part of it

use duiqi::{AlignOptions, Aligner, ReadOptions, read_path};
use duiqi_review::{Project, Side};
use std::path::PathBuf;
use std::sync::OnceLock;

/// One aligner for a test binary: loading the bundled resources takes a moment.
pub fn aligner() -> &'static Aligner {
    static ALIGNER: OnceLock<Aligner> = OnceLock::new();
    ALIGNER.get_or_init(|| Aligner::new(AlignOptions::default()).unwrap())
}

/// The seed abstract (data/examples/yili) aligned, as a new project.
pub fn seed() -> Project {
    let example = |name: &str| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/yili").join(name);
        let path = path.to_str().unwrap().to_string();
        (read_path(&path, &ReadOptions::default()).unwrap(), path)
    };
    let ((zh, zh_name), (en, en_name)) = (example("yili.zh.txt"), example("yili.en.txt"));
    let alignment = aligner().align(&zh, &en);
    Project::new(Side::new(&zh_name, zh), Side::new(&en_name, en), alignment)
}
