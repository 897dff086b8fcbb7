//! Chinese normalisation: Traditional → Simplified (OpenCC), then word segmentation
//! (jieba), so that both scripts meet the Simplified dictionary.

use super::NormalizedSentence;
use crate::script::is_han;
use ferrous_opencc::{OpenCC, config::BuiltinConfig};
use jieba_rs::Jieba;

/// Converts and segments Chinese sentences.
pub struct ChineseNormalizer {
    segmenter: Jieba,
    to_simplified: OpenCC,
}

impl ChineseNormalizer {
    /// Loads the bundled segmentation dictionary and conversion tables.
    pub fn new() -> ChineseNormalizer {
        ChineseNormalizer {
            segmenter: Jieba::new(),
            to_simplified: OpenCC::from_config(BuiltinConfig::T2s).expect("bundled OpenCC tables load"),
        }
    }

    /// Converts one sentence to Simplified and segments it (punctuation and spaces dropped).
    pub fn normalize(&self, text: &str, length: usize, starts_paragraph: bool) -> NormalizedSentence {
        let simplified = if text.chars().any(is_han) { self.to_simplified.convert(text) } else { text.to_string() };
        let words: Vec<&str> = self
            .segmenter
            .cut(&simplified, true)
            .into_iter()
            .map(|token| token.word)
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        NormalizedSentence::new(simplified.clone(), &words, length, starts_paragraph)
    }
}

impl Default for ChineseNormalizer {
    fn default() -> Self {
        ChineseNormalizer::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_becomes_simplified_and_is_segmented() {
        let sentence = ChineseNormalizer::new().normalize("蘇聯勢力控制了新疆。", 10, false);
        assert_eq!(sentence.text, "苏联势力控制了新疆。");
        let words: Vec<String> = sentence.words().map(str::to_string).collect();
        assert!(words.contains(&"苏联".to_string()) && words.contains(&"新疆".to_string()));
        assert!(!words.iter().any(|w| w == "。"));
    }
}
