//! The comparable units of a document, shared by the word-based signals: Chinese words
//! (Simplified) and English stems, as ids per sentence, with their inverse document
//! frequency, so rare words count and function words barely do.

use crate::document::Language;
use crate::normalize::NormalizedDocument;
use crate::normalize::english_words::{content_stems, english_stemmer};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The comparable units of a document: Chinese words, English stems, as ids per sentence.
pub struct Units {
    /// The language of the document.
    pub language: Language,
    /// The unit strings; a unit's id is its index here.
    pub vocabulary: Vec<String>,
    /// Distinct unit ids of each sentence.
    pub sentences: Vec<Vec<u32>>,
    /// Inverse document frequency of each unit.
    pub weights: Vec<f32>,
}

impl Units {
    /// Extracts the units of every sentence (every content word, dictionary or not);
    /// each distinct word is stemmed once, in parallel.
    pub fn new(document: &NormalizedDocument) -> Units {
        let mut words: Vec<&str> = document.sentences.iter().flat_map(|s| s.words()).collect();
        words.sort_unstable();
        words.dedup();
        let language = document.language;
        let units_of_word: Vec<Vec<String>> = words
            .par_iter()
            .map_init(english_stemmer, |stemmer, word| match language {
                Language::Chinese if !word.is_ascii() => vec![(*word).to_string()],
                _ => content_stems(stemmer, word),
            })
            .collect();
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut vocabulary = Vec::new();
        let word_units: FxHashMap<&str, Vec<u32>> = words
            .iter()
            .zip(&units_of_word)
            .map(|(word, units)| {
                let unit_ids = units
                    .iter()
                    .map(|u| {
                        *ids.entry(u.as_str()).or_insert_with(|| {
                            vocabulary.push(u.clone());
                            vocabulary.len() as u32 - 1
                        })
                    })
                    .collect();
                (*word, unit_ids)
            })
            .collect();
        let sentences: Vec<Vec<u32>> = document
            .sentences
            .par_iter()
            .map(|s| {
                let mut units: Vec<u32> = s.words().flat_map(|w| word_units[w].iter().copied()).collect();
                units.sort_unstable();
                units.dedup();
                units
            })
            .collect();
        let idf =
            inverse_document_frequency(sentences.iter().map(|s| s.iter().map(|&u| vocabulary[u as usize].as_str())));
        let weights = vocabulary.iter().map(|u| idf.get(u.as_str()).copied().unwrap_or(0.0)).collect();
        Units { language, vocabulary, sentences, weights }
    }
}

impl Units {
    /// Pools several documents' units into one vocabulary, sentences appended in order
    /// (document k's sentences start at the sum of the earlier documents' lengths), with
    /// inverse document frequencies over all of them: how a batch learns one lexicon.
    pub fn pool<'a>(parts: impl IntoIterator<Item = &'a Units>) -> Units {
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut vocabulary: Vec<String> = Vec::new();
        let mut sentences = Vec::new();
        let mut language = Language::English;
        for part in parts {
            language = part.language;
            let remap: Vec<u32> = part
                .vocabulary
                .iter()
                .map(|unit| {
                    *ids.entry(unit.clone()).or_insert_with(|| {
                        vocabulary.push(unit.clone());
                        vocabulary.len() as u32 - 1
                    })
                })
                .collect();
            sentences.extend(part.sentences.iter().map(|s| s.iter().map(|&u| remap[u as usize]).collect::<Vec<u32>>()));
        }
        let idf =
            inverse_document_frequency(sentences.iter().map(|s| s.iter().map(|&u| vocabulary[u as usize].as_str())));
        let weights = vocabulary.iter().map(|u| idf.get(u.as_str()).copied().unwrap_or(0.0)).collect();
        Units { language, vocabulary, sentences, weights }
    }
}

/// ln(1 + N / df) for every unit, counting each sentence once.
pub fn inverse_document_frequency<'a>(
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
