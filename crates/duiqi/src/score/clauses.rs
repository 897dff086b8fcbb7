//! The clauses signal: translators keep a sentence's clauses, so the number of clause
//! marks (commas, semicolons, colons, sentence ends) on the two sides of a bead is roughly
//! proportional, as its length is. It tells apart beads that length alone cannot: a short
//! closing sentence ("我是耶和华。") belongs with the English sentence that ends in
//! ": I am the LORD", whose clauses it accounts for.

use super::length::Length;
use crate::document::Language;
use crate::normalize::NormalizedDocument;
use rayon::prelude::*;

/// A Gale–Church model over clause counts, ratio and spread learned from the texts like
/// the length signal's.
pub fn clauses(src: &NormalizedDocument, tgt: &NormalizedDocument, variance: f32) -> Length {
    Length::of_counts("clauses", &counts(src), &counts(tgt), variance)
}

/// Per sentence: one plus its clause marks before the last character.
fn counts(document: &NormalizedDocument) -> Vec<u32> {
    let is_mark = match document.language {
        Language::Chinese => |c: char| matches!(c, '，' | '；' | '：' | '、' | ',' | ';' | ':' | '。' | '！' | '？'),
        Language::English => |c: char| matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '—'),
    };
    document
        .sentences
        .par_iter()
        .map(|sentence| {
            let text = sentence.text.trim_end_matches(|c: char| is_mark(c) || !c.is_alphanumeric());
            1 + text.chars().filter(|&c| is_mark(c)).count() as u32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::NormalizedSentence;
    use crate::score::Signal;

    fn doc(language: Language, texts: &[&str]) -> NormalizedDocument {
        let sentences =
            texts.iter().map(|t| NormalizedSentence { text: t.to_string(), ..Default::default() }).collect();
        NormalizedDocument::new(language, sentences, false)
    }

    #[test]
    fn counts_clause_marks_but_not_the_final_one() {
        let zh =
            doc(Language::Chinese, &["我是耶和华。", "他们的先祖是我在列邦人眼前，从埃及地领出来的，为要作他们的神。"]);
        let en = doc(Language::English, &["I am the LORD.", "Nay, my sons; it is no good report.”", "Amen"]);
        assert_eq!(counts(&zh), vec![1, 3]);
        assert_eq!(counts(&en), vec![1, 3, 1]);
    }

    #[test]
    fn a_closing_sentence_goes_where_its_clause_is() {
        // The English ends in ": I am the LORD"; the Chinese says it in a sentence of its own.
        let en = doc(
            Language::English,
            &[
                "I will remember the covenant, whom I brought forth, that I might be their God: I am the LORD.",
                "These are the statutes which the LORD made.",
            ],
        );
        let zh = doc(
            Language::Chinese,
            &[
                "我要记念我与他们先祖所立的约。",
                "他们的先祖是我领出来的，从埃及地，为要作他们的神。",
                "我是耶和华。",
                "这些律例是耶和华立的。",
            ],
        );
        let signal = clauses(&en, &zh, 1.0);
        let score = |beads: &[(std::ops::Range<usize>, std::ops::Range<usize>)]| -> f32 {
            beads.iter().map(|(s, t)| signal.similarity(s.clone(), t.clone()).unwrap()).sum()
        };
        let with_it = score(&[(0..1, 0..3), (1..2, 3..4)]);
        let without_it = score(&[(0..1, 0..2), (1..2, 2..4)]);
        assert!(with_it > without_it, "{with_it} {without_it}");
    }
}
