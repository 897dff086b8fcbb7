//! The names signal: a Chinese name and its romanisation match with no dictionary entry,
//! through pinyin (盛世才 ↔ Sheng Shicai, 叶文洁 ↔ Ye Wenjie) or common Wade–Giles
//! (毛泽东 ↔ Mao Tse-tung).

use super::KeyInterner;
use super::coverage::{CoverageSignal, Item};
use crate::document::Language;
use crate::features::names::{chinese_name_forms, english_name_forms};
use crate::normalize::NormalizedDocument;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Romanised-name overlap between the two sides of a bead (either side may be the
/// Chinese one).
pub fn names(src: &NormalizedDocument, tgt: &NormalizedDocument) -> CoverageSignal {
    CoverageSignal::keyed("names", src, tgt, items)
}

fn items(document: &NormalizedDocument, keys: &mut KeyInterner) -> Vec<Vec<Item>> {
    let item = |forms: &[String], keys: &mut KeyInterner| Item {
        weight: 1.0,
        keys: forms.iter().map(|f| keys.id(f)).collect(),
    };
    match document.language {
        Language::Chinese => {
            let vocabulary = document.vocabulary();
            let forms: Vec<Option<Vec<String>>> = vocabulary.par_iter().map(|w| chinese_name_forms(w)).collect();
            let item_of: FxHashMap<&str, Item> = vocabulary
                .iter()
                .zip(&forms)
                .filter_map(|(word, forms)| Some((*word, item(forms.as_ref()?, keys))))
                .collect();
            document.sentences.iter().map(|s| s.words().filter_map(|w| item_of.get(w).cloned()).collect()).collect()
        }
        Language::English => {
            let per_sentence: Vec<Vec<Vec<String>>> =
                document.sentences.par_iter().map(|s| english_name_forms(&s.words().collect::<Vec<_>>())).collect();
            per_sentence.iter().map(|names| names.iter().map(|forms| item(forms, keys)).collect()).collect()
        }
    }
}
