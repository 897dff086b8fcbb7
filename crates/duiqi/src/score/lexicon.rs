//! The lexicon signal: Chinese words and English stems meet through the bundled
//! dictionary, weighted by inverse document frequency.

use super::coverage::{CoverageSignal, Item};
use super::units::Units;
use crate::dictionary::Dictionary;
use crate::document::Language;
use rayon::prelude::*;

/// Dictionary-based word overlap between the two sides of a bead (either side may be
/// the Chinese one).
pub fn lexicon(src: &Units, tgt: &Units, dictionary: &Dictionary) -> CoverageSignal {
    CoverageSignal::new("lexicon", items(src, dictionary), items(tgt, dictionary))
}

/// One item per unit of each sentence, its keys the unit's dictionary concepts; each
/// distinct unit is looked up once, in parallel.
fn items(units: &Units, dictionary: &Dictionary) -> Vec<Vec<Item>> {
    let concepts: Vec<Vec<u32>> = units
        .vocabulary
        .par_iter()
        .map(|unit| match units.language {
            Language::Chinese if !unit.is_ascii() => chinese_concepts(unit, dictionary),
            _ => dictionary.concept_id(unit).into_iter().collect(),
        })
        .collect();
    units
        .sentences
        .par_iter()
        .map(|sentence| {
            sentence
                .iter()
                .filter(|&&u| !concepts[u as usize].is_empty())
                .map(|&u| Item { weight: units.weights[u as usize], keys: concepts[u as usize].clone() })
                .collect()
        })
        .collect()
}

/// A Chinese word's concepts; a word unknown to the dictionary takes those of its longest
/// known parts (so 哈萨克武装 still finds 哈萨克 and 武装).
pub(crate) fn chinese_concepts(word: &str, dictionary: &Dictionary) -> Vec<u32> {
    let mut concepts: Vec<u32> = dictionary.translations(word).collect();
    if concepts.is_empty() {
        for part in known_parts(word, dictionary) {
            concepts.extend(dictionary.translations(part));
        }
    }
    concepts.sort_unstable();
    concepts.dedup();
    concepts
}

/// Greedy longest-match split of `word` into multi-character dictionary words.
fn known_parts<'a>(word: &'a str, dictionary: &Dictionary) -> Vec<&'a str> {
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).chain(std::iter::once(word.len())).collect();
    let mut parts = Vec::new();
    let mut start = 0;
    while start + 1 < bounds.len() {
        let longest = (start + 2..bounds.len().min(start + 1 + dictionary.longest_word_chars()))
            .rev()
            .map(|end| &word[bounds[start]..bounds[end]])
            .find(|part| dictionary.contains(part));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;
    use crate::score::Signal;

    fn doc(language: Language, sentences: &[&str]) -> crate::normalize::NormalizedDocument {
        let normalizer = crate::normalize::Normalizer::new();
        let document = crate::document::Document::from_sentences(language, sentences.iter().copied());
        normalizer.normalize(&document)
    }

    #[test]
    fn translation_scores_above_unrelated_sentence() {
        let zh = doc(Language::Chinese, &["苏联势力控制了新疆。"]);
        let en = doc(
            Language::English,
            &["Soviet influence dominated events in Xinjiang.", "She admitted she had been wrong to slap me."],
        );
        let lexicon = lexicon(&Units::new(&zh), &Units::new(&en), Dictionary::bundled());
        let right = lexicon.similarity(0..1, 0..1).unwrap();
        let wrong = lexicon.similarity(0..1, 1..2).unwrap_or(0.0);
        assert!(right > 0.5 && wrong < 0.2, "right {right}, wrong {wrong}");
    }

    #[test]
    fn unknown_compound_falls_back_to_parts() {
        assert_eq!(known_parts("哈萨克武装", Dictionary::bundled()), ["哈萨克", "武装"]);
        assert!(!chinese_concepts("哈萨克武装", Dictionary::bundled()).is_empty());
    }
}
