//! What a user can tune about an alignment run.

use crate::error::{Error, Result};
use crate::score::Weights;
use crate::search::{self, SearchOptions};

/// Document pairs up to this many bytes of text are encoded whole, whatever the share
/// (a chapter of a novel and its translation: MAC-Dev's are 30 to 70 KB).
pub const MIN_NEURAL_BYTES: usize = 300_000;

/// With both encoders loaded and [`AlignOptions::both_encoders`] off, pairs of up to this
/// many bytes of text use e5 and longer ones mUSE: e5 is the more accurate on short, loosely
/// translated texts and costs under ~20 s there, while on a book mUSE is as accurate and
/// five to eight times faster (figures: docs/experiments.md).
pub const MAX_E5_BYTES: usize = 200_000;

/// Everything a user can tune about an alignment run.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    /// The search: largest bead, corridor width.
    pub search: SearchOptions,
    /// Signal weights and structural costs without a model.
    pub weights: Weights,
    /// The same with a model (used in every pass: see [`Weights::with_model`]).
    pub model_weights: Weights,
    /// 1: align with the bundled resources only; 2: then learn word associations from that
    /// alignment and realign with them (the default); each further pass learns again from
    /// the previous one (no gain measured: docs/experiments.md).
    pub passes: usize,
    /// With a model: the share of a document pair's text (both sides together) that is
    /// encoded, the sentences of the least confident beads of the lexical passes first;
    /// pairs of up to [`MIN_NEURAL_BYTES`] are encoded whole. The encoder is most of the
    /// time (≈ 10 KB of text a second on two AVX2 cores, 18–27 KB with AVX512-BF16), so
    /// the share trades accuracy for time on long texts; the default, 0.7, keeps a 1 MB
    /// text within a minute (figures: docs/experiments.md).
    pub neural_share: f32,
    /// With a model: a directory where token states are kept between runs, so that runs
    /// over the same texts (fitting weights) encode each sentence once. `None`: no cache.
    pub encoder_cache: Option<std::path::PathBuf>,
    /// Align the paragraphs first, then the sentences within each aligned group of
    /// paragraphs (for texts that both carry paragraphs: documents, or plain text with
    /// blank lines).
    pub paragraphs_first: bool,
    /// With both encoders loaded: use both on every pair, instead of e5 on pairs up to
    /// [`MAX_E5_BYTES`] and mUSE on longer ones.
    pub both_encoders: bool,
}

impl AlignOptions {
    /// Checks that every option is in its range.
    pub fn validate(&self) -> Result<()> {
        let invalid = |option, value: String, expected: &str| {
            Err(Error::InvalidOption { option, value, expected: expected.to_string() })
        };
        if !(2..=search::MAX_BEAD).contains(&self.search.max_bead) {
            let expected = format!("between 2 and {}", search::MAX_BEAD);
            return invalid("max_bead", self.search.max_bead.to_string(), &expected);
        }
        if self.passes == 0 {
            return invalid("passes", "0".into(), "at least 1");
        }
        if !(0.0..=1.0).contains(&self.neural_share) {
            return invalid("neural_share", self.neural_share.to_string(), "between 0 and 1");
        }
        Ok(())
    }
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            search: SearchOptions::default(),
            weights: Weights::default(),
            model_weights: Weights::with_model(),
            passes: 2,
            neural_share: 0.7,
            encoder_cache: None,
            paragraphs_first: false,
            both_encoders: false,
        }
    }
}
