//! The names signal: a Chinese name and its romanisation match with no dictionary entry,
//! through pinyin (盛世才 ↔ Sheng Shicai, 叶文洁 ↔ Ye Wenjie) or common Wade–Giles
//! (毛泽东 ↔ Mao Tse-tung).

use super::KeyInterner;
use super::coverage::{CoverageSignal, Items};
use crate::document::Language;
use crate::features::names::{Syllable, english_name_forms, may_be_a_name, name_forms, syllable};
use crate::normalize::NormalizedDocument;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// Romanised-name overlap between the two sides of a bead (either side may be the
/// Chinese one).
pub fn names(src: &NormalizedDocument, tgt: &NormalizedDocument) -> CoverageSignal {
    CoverageSignal::keyed("names", src, tgt, items)
}

fn items(document: &NormalizedDocument, keys: &mut KeyInterner) -> Items {
    let mut items = Items::default();
    match document.language {
        Language::Chinese => {
            let words = &document.words;
            // Each character's syllable once: a text's names share their characters.
            let names: Vec<&str> = words.vocabulary.iter().map(String::as_str).filter(|w| may_be_a_name(w)).collect();
            let characters: FxHashSet<char> = names.iter().flat_map(|w| w.chars()).collect();
            let syllables: FxHashMap<char, Option<Syllable>> =
                characters.into_par_iter().map(|c| (c, syllable(c))).collect();
            let forms: Vec<Option<Vec<String>>> = words
                .vocabulary
                .par_iter()
                .map(|word| {
                    if !may_be_a_name(word) {
                        return None;
                    }
                    let of_word: Vec<&Syllable> =
                        word.chars().map(|c| syllables[&c].as_ref()).collect::<Option<_>>()?;
                    Some(name_forms(&of_word))
                })
                .collect();
            // By word id: the keys of its name forms, if it is a name.
            let keys_of: Vec<Option<Vec<u32>>> =
                forms.iter().map(|forms| Some(forms.as_ref()?.iter().map(|f| keys.id(f)).collect())).collect();
            for k in 0..document.sentences.len() {
                for name_keys in words.of(k).iter().filter_map(|&w| keys_of[w as usize].as_ref()) {
                    items.push(1.0, name_keys.iter().copied());
                }
                items.end_sentence();
            }
        }
        Language::English => {
            let per_sentence: Vec<Vec<Vec<String>>> =
                document.sentences.par_iter().map(|s| english_name_forms(&s.words().collect::<Vec<_>>())).collect();
            for names in per_sentence {
                for forms in names {
                    items.push(1.0, forms.iter().map(|f| keys.id(f)));
                }
                items.end_sentence();
            }
        }
    }
    items
}
