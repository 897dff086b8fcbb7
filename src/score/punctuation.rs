//! The punctuation signal: translators keep questions as questions, exclamations as
//! exclamations and quoted speech quoted. On MAC-Dev's gold beads, 72 % of the Chinese
//! questions face an English question, against 2 % of the other beads; exclamations 76 %
//! against 7 %; quotations 96 % against 6 %.

use super::Signal;
use crate::document::Language;
use crate::normalize::NormalizedDocument;
use std::ops::Range;

/// The kinds of marks compared: question, exclamation, quotation.
const KINDS: usize = 3;

/// Which kinds of marks a sentence contains.
fn marks(text: &str, language: Language) -> [bool; KINDS] {
    match language {
        Language::Chinese => [
            text.contains(['？', '?']),
            text.contains(['！', '!']),
            text.contains(['「', '」', '『', '』', '“', '”', '"']),
        ],
        Language::English => [text.contains('?'), text.contains('!'), has_english_quote(text)],
    }
}

/// Double quotes, or a single quote that opens (before a letter, not after one) or closes
/// (after sentence punctuation, before a space): "don't" and "boys'" are not quotes.
fn has_english_quote(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(k, &c)| match c {
        '"' | '“' | '”' => true,
        '\'' | '‘' | '’' => {
            let before = k.checked_sub(1).map(|b| chars[b]);
            let after = chars.get(k + 1).copied();
            let opens = !before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphabetic);
            let closes = before.is_some_and(|b| ".,!?;:-—".contains(b)) && after.is_none_or(char::is_whitespace);
            opens || closes
        }
        _ => false,
    })
}

/// Agreement of the questions and exclamations on the two sides of a bead.
pub struct Punctuation {
    /// Per kind, per side: how many sentences before each position contain the kind's mark.
    src_prefix: Vec<Vec<u32>>,
    tgt_prefix: Vec<Vec<u32>>,
}

impl Punctuation {
    /// Counts the marks of each side in its own language's punctuation.
    pub fn new(src: &NormalizedDocument, tgt: &NormalizedDocument) -> Punctuation {
        Punctuation { src_prefix: prefixes(src), tgt_prefix: prefixes(tgt) }
    }
}

fn prefixes(document: &NormalizedDocument) -> Vec<Vec<u32>> {
    let per_sentence: Vec<[bool; KINDS]> =
        document.sentences.iter().map(|s| marks(&s.text, document.language)).collect();
    (0..KINDS)
        .map(|kind| {
            std::iter::once(0)
                .chain(per_sentence.iter().scan(0, |count, found| {
                    *count += found[kind] as u32;
                    Some(*count)
                }))
                .collect()
        })
        .collect()
}

impl Signal for Punctuation {
    fn name(&self) -> &'static str {
        "punctuation"
    }

    /// Per kind, the sentences with its mark on each side: shared over all (a weighted
    /// Jaccard); `None` when neither side asks, exclaims or quotes.
    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        let (mut shared, mut all) = (0, 0);
        for (s, t) in self.src_prefix.iter().zip(&self.tgt_prefix) {
            let (a, b) = (s[src.end] - s[src.start], t[tgt.end] - t[tgt.start]);
            shared += a.min(b);
            all += a.max(b);
        }
        (all > 0).then(|| shared as f32 / all as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::NormalizedSentence;

    fn doc(language: Language, texts: &[&str]) -> NormalizedDocument {
        let sentences =
            texts.iter().map(|t| NormalizedSentence { text: t.to_string(), ..Default::default() }).collect();
        NormalizedDocument { language, has_paragraphs: false, sentences }
    }

    #[test]
    fn questions_match_questions_and_plain_sentences_say_nothing() {
        let zh = doc(Language::Chinese, &["你去哪儿？", "我回家。", "快走！"]);
        let en = doc(Language::English, &["Where are you going?", "Home.", "Go!"]);
        let signal = Punctuation::new(&zh, &en);
        assert_eq!(signal.similarity(0..1, 0..1), Some(1.0));
        assert_eq!(signal.similarity(1..2, 1..2), None);
        assert_eq!(signal.similarity(0..1, 1..2), Some(0.0), "a question against a statement");
        assert_eq!(signal.similarity(0..1, 2..3), Some(0.0), "a question against an exclamation");
        assert_eq!(signal.similarity(0..2, 0..3), Some(0.5));
    }

    #[test]
    fn quotation_marks_are_told_from_apostrophes() {
        assert!(has_english_quote("'Home,' he said."));
        assert!(has_english_quote("He said, \"Home.\""));
        assert!(has_english_quote("he said: ‘Go.’"));
        assert!(!has_english_quote("I don't know the boys' names."));
        assert_eq!(marks("他说：「走吧。」", Language::Chinese), [false, false, true]);
    }
}
