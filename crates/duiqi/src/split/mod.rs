//! Stage 2, split: text → paragraphs → sentences, one splitter per language
//! ([`chinese`], [`english`]).

pub mod chinese;
pub mod english;

use crate::document::{Language, Sentence};

/// Sentences longer than this (in characters) are cut at the last space or comma before
/// the limit, so that a 10 MB line without punctuation still aligns in bounded memory.
pub const MAX_SENTENCE_CHARS: usize = 2000;

/// Splits running text into sentences. Paragraphs (blank lines; in Chinese also single line
/// breaks, since Chinese text is not hard-wrapped) are marked on their first sentence.
pub fn split_text(text: &str, language: Language) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for paragraph in paragraphs(text, language) {
        let pieces = match language {
            Language::Chinese => chinese::split_sentences(&paragraph),
            Language::English => english::split_sentences(&paragraph),
        };
        let mut first = true;
        for piece in pieces.iter().flat_map(|p| cut_overlong(p, MAX_SENTENCE_CHARS)) {
            sentences.push(Sentence { text: piece.to_string(), starts_paragraph: first });
            first = false;
        }
    }
    sentences
}

/// One sentence per line, exactly as given (a final newline does not add an empty line).
/// Lines are never merged, cut or dropped, so sentence indices equal 0-based line numbers
/// (the aligner cuts overlong sentences internally and reports whole lines).
pub fn presplit_lines(text: &str) -> Vec<Sentence> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line).trim())
        .map(|line| Sentence { text: line.to_string(), starts_paragraph: false })
        .collect()
}

fn paragraphs(text: &str, language: Language) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    match language {
        Language::Chinese => text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        Language::English => text
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect(),
    }
}

/// Cuts `text` into pieces of at most `limit` characters, preferring to cut after white
/// space or a comma; returns the trimmed, non-empty pieces.
pub fn cut_overlong(text: &str, limit: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > limit {
        let hard_end = rest.char_indices().nth(limit).map(|(i, _)| i).unwrap_or(rest.len());
        let soft_end = rest[..hard_end]
            .char_indices()
            .filter(|&(_, c)| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .filter(|&end| end > hard_end / 2)
            .unwrap_or(hard_end);
        let piece = rest[..soft_end].trim();
        if !piece.is_empty() {
            pieces.push(piece);
        }
        rest = rest[soft_end..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

/// Closing quotes and brackets that belong to the sentence they follow.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(c, '」' | '』' | '”' | '’' | '）' | ')' | '》' | '〉' | '】' | ']' | '"' | '\'' | '»')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_lines_are_paragraphs() {
        let sentences = split_text("第一句。第二句。\n第三句。", Language::Chinese);
        let marks: Vec<bool> = sentences.iter().map(|s| s.starts_paragraph).collect();
        assert_eq!(marks, [true, false, true]);
    }

    #[test]
    fn english_paragraphs_need_blank_lines() {
        let sentences = split_text("One line\ncontinues. Two.\n\nThree.", Language::English);
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["One line continues.", "Two.", "Three."]);
        assert!(sentences[2].starts_paragraph && !sentences[1].starts_paragraph);
    }

    #[test]
    fn presplit_keeps_line_numbers() {
        let sentences = presplit_lines("a\r\n\nb\n");
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["a", "", "b"]);
    }

    #[test]
    fn overlong_text_is_cut_without_losing_characters() {
        let line = "word ".repeat(1000);
        let pieces = cut_overlong(&line, 300);
        assert!(pieces.iter().all(|p| p.chars().count() <= 300));
        assert_eq!(pieces.join(" "), line.trim());
        let unbroken = "字".repeat(1000);
        let pieces = cut_overlong(&unbroken, 300);
        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces.concat(), unbroken);
    }
}
