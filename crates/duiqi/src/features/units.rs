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
    pub sentences: Lists,
    /// Inverse document frequency of each unit.
    pub weights: Vec<f32>,
}

impl Units {
    /// Extracts the units of every sentence (every content word, dictionary or not);
    /// each distinct word is stemmed once, in parallel.
    pub fn new(document: &NormalizedDocument) -> Units {
        let words = &document.words;
        let language = document.language;
        let units_of_word: Vec<Vec<String>> = words
            .vocabulary
            .par_iter()
            .map_init(english_stemmer, |stemmer, word| match language {
                Language::Chinese if !word.is_ascii() => vec![(*word).to_string()],
                _ => content_stems(stemmer, word),
            })
            .collect();
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut vocabulary = Vec::new();
        // By word id: the ids of its units.
        let word_units: Vec<Vec<u32>> = units_of_word
            .iter()
            .map(|units| {
                units
                    .iter()
                    .map(|u| {
                        *ids.entry(u.as_str()).or_insert_with(|| {
                            vocabulary.push(u.clone());
                            vocabulary.len() as u32 - 1
                        })
                    })
                    .collect()
            })
            .collect();
        // A chunk of sentences at a time, flat: one vector per sentence of a book would
        // cost more than its contents.
        let n = document.sentences.len();
        let chunks: Vec<Lists> = (0..n.div_ceil(SENTENCES_PER_TASK))
            .into_par_iter()
            .map(|chunk| {
                let (mut lists, mut units) = (Lists::default(), Vec::new());
                for k in chunk * SENTENCES_PER_TASK..((chunk + 1) * SENTENCES_PER_TASK).min(n) {
                    units.clear();
                    units.extend(words.of(k).iter().flat_map(|&w| word_units[w as usize].iter().copied()));
                    units.sort_unstable();
                    units.dedup();
                    lists.push(units.iter().copied());
                }
                lists
            })
            .collect();
        let sentences = Lists::concat(chunks);
        let weights = unit_idf(&sentences, vocabulary.len());
        Units { language, vocabulary, sentences, weights }
    }
}

impl Units {
    /// These units, leaving empty ones of the same language in their place.
    pub fn take(&mut self) -> Units {
        let empty =
            Units { language: self.language, vocabulary: Vec::new(), sentences: Lists::default(), weights: Vec::new() };
        std::mem::replace(self, empty)
    }
}

/// Lists of numbers end to end (a book has a million sentences: one small vector each
/// cost more than their contents).
#[derive(Clone, Debug, PartialEq)]
pub struct Lists {
    values: Vec<u32>,
    /// Where each list starts in `values`; one more entry marks the end.
    starts: Vec<u32>,
}

impl Default for Lists {
    fn default() -> Self {
        Lists { values: Vec::new(), starts: vec![0] }
    }
}

impl Lists {
    /// Appends a list.
    pub fn push(&mut self, list: impl IntoIterator<Item = u32>) {
        self.values.extend(list);
        self.starts.push(self.values.len() as u32);
    }

    /// Number of lists.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The lists in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u32]> + Clone + '_ {
        self.starts.windows(2).map(|w| &self.values[w[0] as usize..w[1] as usize])
    }
}

impl std::ops::Index<usize> for Lists {
    type Output = [u32];

    fn index(&self, k: usize) -> &[u32] {
        &self.values[self.starts[k] as usize..self.starts[k + 1] as usize]
    }
}

/// Sentences whose units one task collects.
const SENTENCES_PER_TASK: usize = 1024;

impl Lists {
    /// The lists of `parts`, one after the other.
    pub fn concat(parts: Vec<Lists>) -> Lists {
        let mut all = Lists::default();
        all.values.reserve(parts.iter().map(|part| part.values.len()).sum());
        for part in parts {
            let offset = all.values.len() as u32;
            all.starts.extend(part.starts[1..].iter().map(|&start| start + offset));
            all.values.extend(part.values);
        }
        all
    }
}

impl FromIterator<Vec<u32>> for Lists {
    fn from_iter<I: IntoIterator<Item = Vec<u32>>>(lists: I) -> Lists {
        let mut all = Lists::default();
        lists.into_iter().for_each(|list| all.push(list));
        all
    }
}

/// ln(1 + N / df) for every unit id below `units`, counting each sentence once (the
/// sentences' ids are distinct).
fn unit_idf(sentences: &Lists, units: usize) -> Vec<f32> {
    let mut df = vec![0u32; units];
    sentences.iter().flatten().for_each(|&u| df[u as usize] += 1);
    let n = sentences.len() as f32;
    df.into_iter().map(|d| if d == 0 { 0.0 } else { (1.0 + n / d as f32).ln() }).collect()
}

impl Units {
    /// Pools several documents' units into one vocabulary, sentences appended in order
    /// (document k's sentences start at the sum of the earlier documents' lengths), with
    /// inverse document frequencies over all of them: how a batch learns one lexicon.
    pub fn pool<'a>(parts: impl IntoIterator<Item = &'a Units>) -> Units {
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut vocabulary: Vec<String> = Vec::new();
        let mut sentences = Lists::default();
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
            for sentence in part.sentences.iter() {
                sentences.push(sentence.iter().map(|&u| remap[u as usize]));
            }
        }
        let weights = unit_idf(&sentences, vocabulary.len());
        Units { language, vocabulary, sentences, weights }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenated_lists_keep_their_order_and_bounds() {
        let first: Lists = [vec![3, 1], vec![], vec![7]].into_iter().collect();
        let second: Lists = [vec![2], vec![5, 6, 8]].into_iter().collect();
        let all = Lists::concat(vec![first, Lists::default(), second]);
        let lists: Vec<&[u32]> = all.iter().collect();
        assert_eq!(lists, [&[3, 1][..], &[], &[7], &[2], &[5, 6, 8]]);
        assert_eq!((all.len(), &all[4]), (5, &[5, 6, 8][..]));
    }
}
