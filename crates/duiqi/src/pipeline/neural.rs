//! With a model: the neural pass. The sentences the lexical passes are least sure of are
//! encoded, and the path is searched again near the lexical one with the token signal added.

use super::{Aligner, MAX_E5_BYTES, MIN_NEURAL_BYTES, Pass, Tracker};
use crate::document::{Bead, Document};
use crate::model::muse::MusePooled;
use crate::score::Side;
use crate::score::embeddings::{Embeddings, Runs};
use crate::score::tokens::{TOKEN_LAYERS, Tokens};
use rayon::prelude::*;

/// Sentences longer than this (bytes) are encoded by their beginning only: it says enough
/// to align them, and an unpunctuated megabyte would otherwise cost minutes.
const MAX_ENCODED_BYTES: usize = 1500;

/// Sentences around an unsure bead that are encoded too: the second search may regroup
/// them with it.
const UNSURE_NEIGHBOURHOOD: usize = 1;

/// `text` cut to at most `max` bytes at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Which sentences of each side the encoder should see, at most `budget` bytes of text in
/// all: those of one-sided beads first, then of the beads with the lowest score per
/// sentence, each with its neighbourhood.
fn unsure_sentences(path: &[Bead], src: &Document, tgt: &Document, budget: usize) -> (Vec<bool>, Vec<bool>) {
    let confidence = |s: &Bead| {
        if s.src.is_empty() || s.tgt.is_empty() {
            f32::NEG_INFINITY
        } else {
            s.score / (s.src.len() + s.tgt.len()) as f32
        }
    };
    let mut order: Vec<&Bead> = path.iter().collect();
    order.sort_by(|a, b| confidence(a).total_cmp(&confidence(b)));
    let mark = |encoded: &mut Vec<bool>, range: &std::ops::Range<usize>, doc: &Document| {
        let from = range.start.saturating_sub(UNSURE_NEIGHBOURHOOD);
        let to = (range.end + UNSURE_NEIGHBOURHOOD).min(doc.sentences.len());
        (from..to)
            .filter(|&i| !std::mem::replace(&mut encoded[i], true))
            .map(|i| doc.sentences[i].text.len().min(MAX_ENCODED_BYTES))
            .sum::<usize>()
    };
    let (mut src_encoded, mut tgt_encoded) = (vec![false; src.sentences.len()], vec![false; tgt.sentences.len()]);
    let mut chosen = 0;
    for step in order {
        if chosen >= budget {
            break;
        }
        chosen += mark(&mut src_encoded, &step.src, src) + mark(&mut tgt_encoded, &step.tgt, tgt);
    }
    (src_encoded, tgt_encoded)
}

impl Aligner {
    /// Adds the signals of the encoders this pair uses (see [`MAX_E5_BYTES`]) and
    /// searches again near the lexical path.
    pub(super) fn neural_pass(&self, pass: &mut Pass, src: &Document, tgt: &Document, tracker: &Tracker) {
        let (use_e5, use_muse) = match (self.model.is_some(), self.muse.is_some()) {
            (true, true) if !self.options.both_encoders => {
                let short = src.text_bytes() + tgt.text_bytes() <= MAX_E5_BYTES;
                (short, !short)
            }
            (e5, muse) => (e5, muse),
        };
        let mut added = false;
        if let Some(embeddings) = use_muse.then(|| self.embeddings(src, tgt)).flatten() {
            pass.scorer.add(Box::new(embeddings));
            added = true;
        }
        if let Some(tokens) = use_e5.then(|| self.tokens(src, tgt, &pass.path, tracker)).flatten() {
            pass.scorer.add(Box::new(tokens));
            added = true;
        }
        if added {
            self.realign(pass);
        }
    }

    /// The mUSE signal, when there is the encoder: every sentence of both texts encoded
    /// (it is cheap enough), every run of up to a bead's longest side embedded from them.
    fn embeddings(&self, src: &Document, tgt: &Document) -> Option<Embeddings> {
        let muse = self.muse.as_ref()?;
        let max_run = self.options.search.max_bead - 1;
        let runs = |doc: &Document| {
            let texts: Vec<&str> = doc.sentences.iter().map(|s| clip(&s.text, MAX_ENCODED_BYTES)).collect();
            let pooled = muse.pooled(&texts);
            let embed = |runs: &[(usize, usize)]| -> Vec<Vec<f32>> {
                runs.par_chunks(512)
                    .flat_map_iter(|chunk| {
                        let joined: Vec<MusePooled> =
                            chunk.iter().map(|&(s, l)| MusePooled::join(&pooled[s..s + l])).collect();
                        muse.embed(&joined)
                    })
                    .collect()
            };
            Runs::new(doc.len(), max_run, &embed)
        };
        // One side after the other: each is encoded in parallel batches already, and a
        // book's pooled states are large (6 KB a sentence) while its runs are small.
        let (src_runs, tgt_runs) = (runs(src), runs(tgt));
        Some(Embeddings::new(src_runs, tgt_runs))
    }

    /// The token signal for a document pair, when there is a model: the sentences of the
    /// beads of `path` the lexical passes are least sure of are encoded (see
    /// [`unsure_sentences`]).
    fn tokens(&self, src: &Document, tgt: &Document, path: &[Bead], tracker: &Tracker) -> Option<Tokens> {
        let model = self.model.as_ref()?;
        let budget = ((src.text_bytes() + tgt.text_bytes()) as f64 * f64::from(self.options.neural_share)) as usize;
        let (src_encoded, tgt_encoded) = unsure_sentences(path, src, tgt, budget.max(MIN_NEURAL_BYTES));
        let chosen = src_encoded.iter().chain(&tgt_encoded).filter(|&&e| e).count();
        tracker.add(&tracker.to_encode, chosen);
        let encode = |side: Side, range: std::ops::Range<usize>| {
            let (doc, encoded) = match side {
                Side::Source => (src, &src_encoded),
                Side::Target => (tgt, &tgt_encoded),
            };
            let chosen: Vec<usize> = range.clone().filter(|&i| encoded[i]).collect();
            let texts: Vec<&str> = chosen.iter().map(|&i| clip(&doc.sentences[i].text, MAX_ENCODED_BYTES)).collect();
            let states = match &self.options.encoder_cache {
                Some(dir) => crate::model::token_states_cached(model, &texts, TOKEN_LAYERS, dir),
                None => model.token_states(&texts, TOKEN_LAYERS),
            };
            tracker.add(&tracker.encoded, chosen.len());
            let mut per_sentence = vec![None; range.len()];
            for (i, states) in chosen.into_iter().zip(states) {
                per_sentence[i - range.start] = Some(states);
            }
            per_sentence
        };
        let sizes = |doc: &Document, encoded: &[bool]| -> Vec<usize> {
            (doc.sentences.iter().zip(encoded))
                .map(|(s, &e)| if e { clip(&s.text, MAX_ENCODED_BYTES).len() } else { 0 })
                .collect()
        };
        let sizes = (sizes(src, &src_encoded), sizes(tgt, &tgt_encoded));
        Some(Tokens::new(model.dimension(), (&sizes.0, &sizes.1), path, &encode))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;

    use crate::document::numbered as document;

    #[test]
    fn the_encoder_sees_the_least_confident_beads_first_within_the_budget() {
        let (src, tgt) = (document(Language::Chinese, 6), document(Language::English, 6));
        let step = |i: usize, score: f32| Bead { src: i..i + 1, tgt: i..i + 1, score };
        let steps: Vec<_> = [5.0, 4.0, -1.0, 6.0, 7.0, 8.0].iter().enumerate().map(|(i, &s)| step(i, s)).collect();
        // Each sentence is 12 bytes; bead 2 and its neighbours (1 and 3) cost 3 × 12 bytes
        // on each side, bead 1 then adds sentence 0: over the budget of 80 after two beads.
        let (src_encoded, tgt_encoded) = unsure_sentences(&steps, &src, &tgt, 80);
        assert_eq!(src_encoded, [true, true, true, true, false, false]);
        assert_eq!(tgt_encoded, src_encoded);
        let (src_all, tgt_all) = unsure_sentences(&steps, &src, &tgt, usize::MAX);
        assert!(src_all.iter().chain(&tgt_all).all(|&e| e));
    }
}
