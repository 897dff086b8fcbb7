//! # duiqi (对齐, "align")
//!
//! Sentence alignment of a text and its translation, Chinese–English first, offline on a
//! CPU. Internally one module per pipeline stage: read → split → normalise → score →
//! search → write; the API is the facade below.
//!
//! | to | use |
//! |---|---|
//! | read a text | [`read_path`], [`read_document`] with [`ReadOptions`] → [`Document`] of [`Sentence`]s (each with its byte [`Sentence::span`] in [`Document::text`]); [`check_pair`]; [`encoding_for_label`] |
//! | align | [`Aligner`] built from [`AlignOptions`] ([`AlignOptions::validate`], [`SearchOptions`], [`Weights`], [`MAX_BEAD`]); [`Aligner::align`], [`Aligner::align_batch`], [`Aligner::align_with_glossary`]; [`Aligner::with_model`] ([`model`]), [`Aligner::with_progress`] ([`Progress`]) |
//! | the result | [`Alignment`]: [`Bead`]s covering every sentence once, in order ([`check_coverage`]) |
//! | write | [`write_alignment`] in a [`Format`]; the glossary's [`glossary::write_tsv`], [`glossary::write_json`] |
//! | names and terms | [`Aligner::glossary`] → [`glossary::Term`]s |
//! | evaluate | [`eval`]: strict and lax P/R/F1 against a gold alignment |
//! | split only | [`split::split_text`], [`split::presplit_lines`], [`split::split_sentences`] |
//!
//! Every error is an [`Error`], whose message names the input and what to do.
//!
//! ```
//! use duiqi::{read_document, write_alignment, Aligner, AlignOptions, Format, ReadOptions};
//!
//! let options = ReadOptions::default();
//! let zh = read_document("我没走掉。陈清扬把我拽住了。".as_bytes(), "zh", &options)?;
//! let en = read_document(b"I did not leave. Chen Qingyang caught me.", "en", &options)?;
//! let aligner = Aligner::new(AlignOptions::default())?;
//! let beads = aligner.align(&zh, &en);
//! assert_eq!(beads.len(), 2);
//! assert_eq!((beads[1].src.clone(), beads[1].tgt.clone()), (1..2, 1..2));
//! assert_eq!(&zh.text[zh.sentences[1].span.clone()], "陈清扬把我拽住了。");
//! let mut tsv = Vec::new();
//! write_alignment(&mut tsv, Format::Tsv, &beads, &zh, &en)?;
//! assert!(String::from_utf8(tsv).unwrap().starts_with("我没走掉。\tI did not leave.\t"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod dictionary;
mod document;
mod error;
pub mod eval;
mod features;
pub mod glossary;
#[cfg(feature = "model")]
pub mod model;
mod normalize;
mod pipeline;
mod read;
mod score;
mod script;
mod search;
pub mod split;
mod write;

pub use document::MultiBead;
pub use document::{Alignment, Bead, Document, Language, Paragraph, ParagraphKind, Sentence, check_coverage};
pub use error::{Error, Result};
pub use pipeline::{
    AlignOptions, Aligner, Explainer, Link, LinkKind, MAX_E5_BYTES, MIN_NEURAL_BYTES, Place, Progress, ProgressObserver,
};
/// Corpora on a cluster: counts that merge, the lexicon they teach, records in and rows out.
pub mod corpus {
    pub use crate::features::corpus::{CorpusCounts, CorpusLexicon};
    pub use crate::pipeline::corpus::{Record, RecordRow};
}
pub use corpus::{CorpusCounts, CorpusLexicon};
pub use read::{InputFormat, ReadOptions, check_pair, encoding_for_label, read_document, read_path};
pub use score::Weights;
pub use search::{MAX_BEAD, SearchOptions};
pub use write::{Format, opus, write_alignment, write_versions};

/// The stages one by one, for the benchmarks (`benches/stages.rs`, `--features
/// internals`); not part of the API.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::normalize::NormalizedDocument;
    pub use crate::score::Combined;
    pub use crate::search::{BeadScorer, Corridor, Rows, shapes};
    use crate::{Aligner, Bead, Document};

    /// Normalisation: Traditional → Simplified, segmentation, stemming.
    pub fn normalize(aligner: &Aligner, document: &Document) -> NormalizedDocument {
        aligner.normalize(document)
    }

    /// Scoring's set-up: every signal's tables for a pair.
    pub fn scorer(aligner: &Aligner, src: &NormalizedDocument, tgt: &NormalizedDocument) -> Combined {
        aligner.first_scorer(src, tgt)
    }

    /// The search, scoring the beads it visits.
    pub fn search(aligner: &Aligner, scorer: &mut Combined, n_src: usize, n_tgt: usize) -> Vec<Bead> {
        aligner.first_search(scorer, n_src, n_tgt)
    }
}
