//! The bundled Chinese–English dictionary (CC-CEDICT, CC BY-SA 4.0, by MDBG and
//! contributors), compiled by `build.rs` into static tables so start-up costs milliseconds.
//! Headwords are Simplified; each maps to the Porter2 stems of its English glosses
//! ("concepts"), the same stems [`crate::normalize`] produces for English text.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

static WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/words.txt"));
static CONCEPTS: &str = include_str!(concat!(env!("OUT_DIR"), "/concepts.txt"));
static LINKS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/links.bin"));

/// A Chinese → English-stem dictionary.
pub struct Dictionary {
    words: FxHashMap<&'static str, u32>,
    concepts: FxHashMap<&'static str, u32>,
    longest_word_chars: usize,
}

impl Dictionary {
    /// The bundled CC-CEDICT, loaded once per process.
    pub fn bundled() -> &'static Dictionary {
        static BUNDLED: OnceLock<Dictionary> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            let words: FxHashMap<&str, u32> = WORDS.lines().enumerate().map(|(i, w)| (w, i as u32)).collect();
            let concepts = CONCEPTS.lines().enumerate().map(|(i, c)| (c, i as u32)).collect();
            let longest_word_chars = words.keys().map(|w| w.chars().count()).max().unwrap_or(1);
            Dictionary { words, concepts, longest_word_chars }
        })
    }

    /// The concept ids (English stems) a Simplified word translates to; empty if unknown.
    pub fn translations(&self, word: &str) -> impl Iterator<Item = u32> + '_ {
        let range = match self.words.get(word) {
            Some(&index) => read_u32(index as usize)..read_u32(index as usize + 1),
            None => 0..0,
        };
        let ids_start = self.words.len() + 1;
        range.map(move |k| read_u32(ids_start + k as usize))
    }

    /// True when `word` is a headword.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    /// The concept id of an English stem, if any dictionary gloss uses it.
    pub fn concept_id(&self, stem: &str) -> Option<u32> {
        self.concepts.get(stem).copied()
    }

    /// Length of the longest headword, in characters (bounds sub-word lookups).
    pub fn longest_word_chars(&self) -> usize {
        self.longest_word_chars
    }

    /// A Chinese word's concepts; a word unknown to the dictionary takes those of its longest
    /// known parts (so 哈萨克武装 still finds 哈萨克 and 武装).
    pub(crate) fn chinese_concepts(&self, word: &str) -> Vec<u32> {
        let mut concepts: Vec<u32> = self.translations(word).collect();
        if concepts.is_empty() {
            for part in self.known_parts(word) {
                concepts.extend(self.translations(part));
            }
        }
        concepts.sort_unstable();
        concepts.dedup();
        concepts
    }

    /// Greedy longest-match split of `word` into multi-character dictionary words.
    pub(crate) fn known_parts<'a>(&self, word: &'a str) -> Vec<&'a str> {
        let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).chain(std::iter::once(word.len())).collect();
        let mut parts = Vec::new();
        let mut start = 0;
        while start + 1 < bounds.len() {
            let longest = (start + 2..bounds.len().min(start + 1 + self.longest_word_chars()))
                .rev()
                .map(|end| &word[bounds[start]..bounds[end]])
                .find(|part| self.contains(part));
            match longest {
                Some(part) => {
                    start += part.chars().count();
                    parts.push(part);
                }
                None => start += 1,
            }
        }
        parts
    }
}

fn read_u32(index: usize) -> u32 {
    let bytes = &LINKS[index * 4..index * 4 + 4];
    u32::from_le_bytes(bytes.try_into().expect("4 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::english_words::english_stemmer;

    fn translates(word: &str, english: &str) -> bool {
        let dictionary = Dictionary::bundled();
        let stem = english_stemmer().stem(&english.to_lowercase()).into_owned();
        let id = dictionary.concept_id(&stem);
        id.is_some() && dictionary.translations(word).any(|c| Some(c) == id)
    }

    #[test]
    fn bundled_dictionary_translates_common_words() {
        assert!(translates("苏联", "Soviet"));
        assert!(translates("友谊", "friendship"));
        assert!(translates("十一月", "November"));
        assert!(translates("陈", "Chen"), "surname glosses become names");
        assert!(!Dictionary::bundled().contains("盛世才"));
    }
}
