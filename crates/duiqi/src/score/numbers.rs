//! The numbers signal: Arabic and Chinese numerals, years, decades and months compared as
//! values (一九四四年 ↔ 1944, 四十年代 ↔ 1940s, 十一月 ↔ November).

use super::KeyInterner;
use super::coverage::{CoverageSignal, Item};
use crate::document::Language;
use crate::features::numbers::{chinese_numbers, english_numbers};
use crate::normalize::NormalizedDocument;

/// Overlap of the numbers mentioned on the two sides of a bead (either side may be the
/// Chinese one).
pub fn numbers(src: &NormalizedDocument, tgt: &NormalizedDocument) -> CoverageSignal {
    CoverageSignal::keyed("numbers", src, tgt, items)
}

fn items(document: &NormalizedDocument, keys: &mut KeyInterner) -> Vec<Vec<Item>> {
    document
        .sentences
        .iter()
        .map(|sentence| {
            let mentions = match document.language {
                Language::Chinese => chinese_numbers(&sentence.text),
                Language::English => english_numbers(&sentence.text),
            };
            mentions
                .into_iter()
                .map(|mention| Item { weight: 1.0, keys: mention.forms.iter().map(|f| keys.id(f)).collect() })
                .collect()
        })
        .collect()
}
