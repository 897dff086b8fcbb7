//! The lexicon signal: Chinese words and English stems meet through the bundled
//! dictionary, weighted by inverse document frequency.

use super::coverage::{CoverageSignal, Items};
use crate::dictionary::Dictionary;
use crate::document::Language;
use crate::features::units::Units;
use rayon::prelude::*;

/// Dictionary-based word overlap between the two sides of a bead (either side may be
/// the Chinese one).
pub fn lexicon(src: &Units, tgt: &Units, dictionary: &Dictionary) -> CoverageSignal {
    CoverageSignal::new("lexicon", items(src, dictionary), items(tgt, dictionary))
}

/// One item per unit of each sentence, its keys the unit's dictionary concepts; each
/// distinct unit is looked up once, in parallel.
fn items(units: &Units, dictionary: &Dictionary) -> Items {
    let concepts: Vec<Vec<u32>> = units
        .vocabulary
        .par_iter()
        .map(|unit| match units.language {
            Language::Chinese if !unit.is_ascii() => dictionary.chinese_concepts(unit),
            _ => dictionary.concept_id(unit).into_iter().collect(),
        })
        .collect();
    Items::build(units.sentences.len(), |s, items| {
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
