//! # duiqi (对齐, "align")
//!
//! Sentence alignment of a text and its translation, Chinese–English first. The pipeline
//! is one module per stage:
//!
//! | stage | module | what it does |
//! |---|---|---|
//! | read | [`read`] | bytes → text (UTF-8/16, GB18030, Big5) → language |
//! | split | [`split`] | text → paragraphs → sentences (Chinese, English) |
//! | normalise | [`normalize`] | Traditional → Simplified, segmentation, stemming |
//! | score | [`score`] | independent signals combined into one bead score |
//! | search | [`search`] | best monotonic bead path, coarse-to-fine, linear time |
//! | write | [`write`] | `.align`, TSV, JSONL, TMX |
//!
//! [`eval`] scores an alignment against a gold one; [`glossary`] lists the names and terms
//! an alignment pairs.
//!
//! ```
//! use duiqi::{read_document, Aligner, AlignOptions, ReadOptions};
//!
//! let zh = read_document("我没走掉。陈清扬把我拽住了。".as_bytes(), "zh", &ReadOptions::default()).unwrap();
//! let en = read_document(b"I did not leave. Chen Qingyang caught me.", "en", &ReadOptions::default()).unwrap();
//! let aligner = Aligner::new(AlignOptions::default()).unwrap();
//! let beads = aligner.align(&zh, &en);
//! assert_eq!(beads.len(), 2);
//! assert_eq!((beads[1].src.clone(), beads[1].tgt.clone()), (1..2, 1..2));
//! ```
#![deny(missing_docs)]

pub mod dictionary;
pub mod document;
pub mod error;
pub mod eval;
pub mod glossary;
pub mod model;
pub mod normalize;
mod pipeline;
pub mod read;
pub mod score;
pub mod search;
pub mod split;
pub mod write;

pub use document::{Alignment, Bead, Document, Language, Sentence, check_coverage};
pub use error::{Error, Result};
pub use pipeline::{AlignOptions, Aligner, MIN_NEURAL_BYTES, Progress, ProgressObserver};
pub use read::{ReadOptions, check_pair, read_document, read_path};
pub use write::{Format, write_alignment};
