//! Chinese normalisation: Traditional → Simplified (OpenCC), then word segmentation
//! (jieba), so that both scripts meet the Simplified dictionary.

use crate::read::is_han;
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

    /// Returns the Simplified text and its words (punctuation and spaces dropped).
    pub fn normalize(&self, text: &str) -> (String, Vec<String>) {
        let simplified = if text.chars().any(is_han) { self.to_simplified.convert(text) } else { text.to_string() };
        let words = self
            .segmenter
            .cut(&simplified, true)
            .into_iter()
            .map(|token| token.word)
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .map(str::to_string)
            .collect();
        (simplified, words)
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
        let (text, words) = ChineseNormalizer::new().normalize("蘇聯勢力控制了新疆。");
        assert_eq!(text, "苏联势力控制了新疆。");
        assert!(words.contains(&"苏联".to_string()) && words.contains(&"新疆".to_string()));
        assert!(!words.iter().any(|w| w == "。"));
    }
}
