//! The lexicon signal: Chinese words and English stems meet through the bundled
//! dictionary; matches are weighted by inverse document frequency, so rare words count
//! and function words barely do.

use super::coverage::{CoverageIndex, Item};
use super::{Side, Signal};
use crate::dictionary::Dictionary;
use crate::document::Language;
use crate::normalize::NormalizedDocument;
use crate::normalize::english_words::{content_stems, english_stemmer, is_stopword};
use crate::search::Corridor;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Dictionary-based word overlap between the two sides of a bead.
pub struct Lexicon {
    index: CoverageIndex,
}

impl Lexicon {
    /// Builds the signal for a document pair (either side may be the Chinese one).
    pub fn new(src: &NormalizedDocument, tgt: &NormalizedDocument, dictionary: &Dictionary) -> Lexicon {
        Lexicon { index: CoverageIndex::new(items(src, dictionary), items(tgt, dictionary)) }
    }
}

impl Signal for Lexicon {
    fn name(&self) -> &'static str {
        "lexicon"
    }

    fn prepare(&mut self, corridor: &Corridor, reach: usize) {
        self.index.prepare(corridor, reach);
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        self.index.coverage(src, tgt).f1()
    }

    fn sketch(&self, side: Side, sentence: usize, out: &mut Vec<(u32, f32)>) {
        self.index.sketch(side == Side::Source, sentence, out);
    }
}

/// One item per distinct word of each sentence, its keys the dictionary concepts. Each
/// distinct word is looked up (and stemmed) once, in parallel.
fn items(document: &NormalizedDocument, dictionary: &Dictionary) -> Vec<Vec<Item>> {
    let mut vocabulary: Vec<&str> = document.sentences.iter().flat_map(|s| s.words()).collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let language = document.language;
    let lookups: Vec<Vec<(String, Vec<u32>)>> = vocabulary
        .par_iter()
        .map_init(english_stemmer, |stemmer, word| match language {
            Language::Chinese if !word.is_ascii() => chinese_units(word, dictionary),
            _ => english_units(word, stemmer, dictionary),
        })
        .collect();
    let units_of: FxHashMap<&str, &Vec<(String, Vec<u32>)>> = vocabulary.iter().copied().zip(&lookups).collect();
    let units: Vec<Vec<&(String, Vec<u32>)>> = document
        .sentences
        .par_iter()
        .map(|sentence| {
            let mut units: Vec<&(String, Vec<u32>)> = Vec::new();
            for unit in sentence.words().flat_map(|w| units_of[w].iter()) {
                if !units.iter().any(|u| u.0 == unit.0) {
                    units.push(unit);
                }
            }
            units
        })
        .collect();
    let weights = inverse_document_frequency(units.iter().map(|s| s.iter().map(|u| u.0.as_str())));
    units
        .par_iter()
        .map(|sentence| sentence.iter().map(|(unit, keys)| Item { weight: weights[unit.as_str()], keys: keys.clone() }).collect())
        .collect()
}

/// A Chinese word's concepts; a word unknown to the dictionary falls back to its longest
/// known parts (so 哈萨克武装 still finds 哈萨克 and 武装).
fn chinese_units(word: &str, dictionary: &Dictionary) -> Vec<(String, Vec<u32>)> {
    let translations = |w: &str| -> Vec<u32> {
        let mut keys: Vec<u32> = dictionary.translations(w).collect();
        keys.sort_unstable();
        keys
    };
    let whole = translations(word);
    if !whole.is_empty() {
        return vec![(word.to_string(), whole)];
    }
    let chars: Vec<char> = word.chars().collect();
    let mut units = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let longest = (start + 1..=chars.len().min(start + dictionary.longest_word_chars()))
            .rev()
            .map(|end| chars[start..end].iter().collect::<String>())
            .find(|part| part.chars().count() > 1 && dictionary.contains(part));
        match longest {
            Some(part) => {
                start += part.chars().count();
                let keys = translations(&part);
                units.push((part, keys));
            }
            None => start += 1,
        }
    }
    units
}

/// An English word's stems that the dictionary knows ("Sino-Soviet" gives two).
fn english_units(word: &str, stemmer: &rust_stemmers::Stemmer, dictionary: &Dictionary) -> Vec<(String, Vec<u32>)> {
    if is_stopword(&word.to_ascii_lowercase()) {
        return Vec::new();
    }
    content_stems(stemmer, word)
        .into_iter()
        .filter_map(|stem| dictionary.concept_id(&stem).map(|id| (stem, vec![id])))
        .collect()
}

/// ln(1 + N / df) for every unit, counting each sentence once.
pub(crate) fn inverse_document_frequency<'a>(
    sentences: impl Iterator<Item = impl Iterator<Item = &'a str>>,
) -> FxHashMap<&'a str, f32> {
    let mut df: FxHashMap<&str, f32> = FxHashMap::default();
    let mut n = 0f32;
    for sentence in sentences {
        n += 1.0;
        for unit in sentence {
            *df.entry(unit).or_default() += 1.0;
        }
    }
    df.values_mut().for_each(|d| *d = (1.0 + n / *d).ln());
    df
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;
    use crate::normalize::{NormalizedSentence, english_tokens};

    fn doc(language: Language, sentences: &[&str]) -> NormalizedDocument {
        let normalizer = crate::normalize::Normalizer::new();
        let document = crate::document::Document {
            language,
            sentences: sentences
                .iter()
                .map(|t| crate::document::Sentence { text: t.to_string(), starts_paragraph: false })
                .collect(),
        };
        normalizer.normalize(&document)
    }

    #[test]
    fn translation_scores_above_unrelated_sentence() {
        let zh = doc(Language::Chinese, &["苏联势力控制了新疆。"]);
        let en = doc(
            Language::English,
            &["Soviet influence dominated events in Xinjiang.", "She admitted she had been wrong to slap me."],
        );
        let lexicon = Lexicon::new(&zh, &en, Dictionary::bundled());
        let right = lexicon.similarity(0..1, 0..1).unwrap();
        let wrong = lexicon.similarity(0..1, 1..2).unwrap_or(0.0);
        assert!(right > 0.5 && wrong < 0.2, "right {right}, wrong {wrong}");
    }

    #[test]
    fn unknown_compound_falls_back_to_parts() {
        let units = chinese_units("哈萨克武装", Dictionary::bundled());
        let parts: Vec<&str> = units.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(parts, ["哈萨克", "武装"]);
    }
}
