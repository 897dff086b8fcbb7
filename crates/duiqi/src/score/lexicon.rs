//! The lexicon signal: Chinese words and English stems meet through the bundled
//! dictionary, weighted by inverse document frequency.

use super::coverage::{CoverageSignal, ItemSource, Items, ItemsFrom};
use crate::dictionary::Dictionary;
use crate::document::Language;
use crate::features::units::Units;
use rayon::prelude::*;

/// Dictionary-based word overlap between the two sides of a bead (either side may be
/// the Chinese one). Concepts the other text never uses are dropped before the items are
/// built, as [`CoverageSignal`] would drop them after: a Chinese word has several concepts,
/// most of them absent from the translation, and a book has millions of words.
pub fn lexicon(src: &Units, tgt: &Units, dictionary: &Dictionary) -> CoverageSignal {
    let (mut src_concepts, mut tgt_concepts) = rayon::join(|| concepts(src, dictionary), || concepts(tgt, dictionary));
    let (src_used, tgt_used) = (used(&src_concepts), used(&tgt_concepts));
    src_concepts.par_iter_mut().for_each(|keys| keys.retain(|key| tgt_used.contains(key)));
    tgt_concepts.par_iter_mut().for_each(|keys| keys.retain(|key| src_used.contains(key)));
    CoverageSignal::new("lexicon", items(src, &src_concepts), items(tgt, &tgt_concepts))
}

/// Each unit's dictionary concepts (empty for a unit no sentence uses); each distinct
/// unit is looked up once, in parallel.
fn concepts(units: &Units, dictionary: &Dictionary) -> Vec<Vec<u32>> {
    let mut in_use = vec![false; units.vocabulary.len()];
    units.sentences.iter().flatten().for_each(|&u| in_use[u as usize] = true);
    units
        .vocabulary
        .par_iter()
        .zip(&in_use)
        .map(|(unit, &in_use)| match units.language {
            _ if !in_use => Vec::new(),
            Language::Chinese if !unit.is_ascii() => dictionary.chinese_concepts(unit),
            _ => dictionary.concept_id(unit).into_iter().collect(),
        })
        .collect()
}

fn used(concepts: &[Vec<u32>]) -> rustc_hash::FxHashSet<u32> {
    concepts.iter().flatten().copied().collect()
}

/// One item per unit of each sentence that has concepts, its keys those concepts.
fn items<'a>(units: &'a Units, concepts: &'a [Vec<u32>]) -> impl ItemSource + 'a {
    ItemsFrom(units.sentences.len(), move |s: usize, items: &mut Items| {
        for &u in units.sentences[s].iter().filter(|&&u| !concepts[u as usize].is_empty()) {
            items.push(units.weights[u as usize], concepts[u as usize].iter().copied());
        }
    })
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
        assert_eq!(Dictionary::bundled().known_parts("哈萨克武装"), ["哈萨克", "武装"]);
        assert!(!Dictionary::bundled().chinese_concepts("哈萨克武装").is_empty());
    }
}
