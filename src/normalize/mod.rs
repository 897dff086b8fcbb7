//! Stage 3, normalise: sentences → comparable word lists. Chinese is converted to
//! Simplified and segmented ([`chinese`]); English is tokenised keeping case, since
//! capitals mark names ([`english_words`] holds the stemming both sides share).

pub mod chinese;
pub mod english_words;

use crate::document::{Document, Language};
use rayon::prelude::*;

/// A sentence reduced to what the scorers compare.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NormalizedSentence {
    /// Simplified text for Chinese; the original text for English.
    pub text: String,
    /// Words in order: Chinese words from the segmenter (Simplified); English words with
    /// their case and digits kept; punctuation dropped.
    pub words: Vec<String>,
    /// Characters that count for length: all but white space.
    pub length: usize,
    /// Whether the sentence opens a paragraph (copied from the document).
    pub starts_paragraph: bool,
}

/// A document after normalisation, ready for scoring.
#[derive(Clone, Debug)]
pub struct NormalizedDocument {
    /// The language of the sentences.
    pub language: Language,
    /// One entry per input sentence, same order.
    pub sentences: Vec<NormalizedSentence>,
    /// Whether paragraph marks carry information (see [`Document::has_paragraphs`]).
    pub has_paragraphs: bool,
}

/// Normalises documents of any supported language; holds the segmenter and converter,
/// which are expensive to build, so build one and reuse it.
pub struct Normalizer {
    chinese: chinese::ChineseNormalizer,
}

impl Normalizer {
    /// Builds the normaliser with the bundled segmentation and conversion tables.
    pub fn new() -> Normalizer {
        Normalizer { chinese: chinese::ChineseNormalizer::new() }
    }

    /// Normalises every sentence of `document`, in parallel.
    pub fn normalize(&self, document: &Document) -> NormalizedDocument {
        let sentences = document
            .sentences
            .par_iter()
            .map(|sentence| {
                let (text, words) = match document.language {
                    Language::Chinese => self.chinese.normalize(&sentence.text),
                    Language::English => (sentence.text.clone(), english_tokens(&sentence.text)),
                };
                let length = sentence.text.chars().filter(|c| !c.is_whitespace()).count();
                NormalizedSentence { text, words, length, starts_paragraph: sentence.starts_paragraph }
            })
            .collect();
        NormalizedDocument { language: document.language, sentences, has_paragraphs: document.has_paragraphs() }
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

/// English tokens: runs of letters and digits, with inner hyphens and apostrophes kept
/// ("Sino-Soviet", "Union's", "1940s").
pub fn english_tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut current = String::new();
    for (k, &c) in chars.iter().enumerate() {
        let joins_word = matches!(c, '-' | '\'' | '’')
            && k > 0
            && chars[k - 1].is_alphanumeric()
            && chars.get(k + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || joins_word {
            current.push(if c == '’' { '\'' } else { c });
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_tokens_keep_case_and_inner_hyphens() {
        assert_eq!(
            english_tokens("The Sino-Soviet treaty (1945), Soviet Union's \"policy\"."),
            ["The", "Sino-Soviet", "treaty", "1945", "Soviet", "Union's", "policy"]
        );
    }
}
