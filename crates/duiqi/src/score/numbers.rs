//! The numbers signal: Arabic and Chinese numerals, years, decades and months compared as
//! values (一九四四年 ↔ 1944, 四十年代 ↔ 1940s, 十一月 ↔ November).

use super::KeyInterner;
use super::coverage::{CoverageSignal, Items};
use crate::document::Language;
use crate::features::numbers::{Mention, chinese_numbers, english_numbers};
use crate::normalize::NormalizedDocument;
use rayon::prelude::*;

/// Overlap of the numbers mentioned on the two sides of a bead (either side may be the
/// Chinese one).
pub fn numbers(src: &NormalizedDocument, tgt: &NormalizedDocument) -> CoverageSignal {
    CoverageSignal::keyed("numbers", src, tgt, items)
}

/// The mentions are found in parallel, their forms given keys in order.
fn items(document: &NormalizedDocument, keys: &mut KeyInterner) -> Items {
    let mentions: Vec<Vec<Mention>> = document
        .sentences
        .par_iter()
        .map(|sentence| match document.language {
            Language::Chinese => chinese_numbers(&sentence.text),
            Language::English => english_numbers(&sentence.text),
        })
        .collect();
    let mut items = Items::default();
    for sentence in mentions {
        for mention in sentence {
            items.push(1.0, mention.forms.iter().map(|f| keys.id(f)));
        }
        items.end_sentence();
    }
    items
}
