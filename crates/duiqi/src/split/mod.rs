//! Stage 2, split: text → paragraphs → sentences, one splitter per language
//! (`chinese.rs`, `english.rs`).

mod chinese;
mod english;

use crate::document::{Language, Sentence};
use std::ops::Range;

/// Sentences longer than this (in characters) are cut at the last space or comma before
/// the limit, so that a 10 MB line without punctuation still aligns in bounded memory.
pub const MAX_SENTENCE_CHARS: usize = 2000;

/// Splits one paragraph into sentences, by the rules of `language`: slices of it, trimmed.
pub fn split_sentences(paragraph: &str, language: Language) -> Vec<&str> {
    match language {
        Language::Chinese => chinese::split_sentences(paragraph),
        Language::English => english::split_sentences(paragraph),
    }
}

/// Splits running text into sentences. Paragraphs (blank lines; in Chinese also single line
/// breaks, since Chinese text is not hard-wrapped) are marked on their first sentence.
/// English lines within a paragraph are joined with single spaces.
pub fn split_text(text: &str, language: Language) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for paragraph in paragraphs(text, language) {
        let pieces = split_sentences(paragraph, language);
        let mut first = true;
        for piece in pieces.iter().flat_map(|p| cut_overlong(p, MAX_SENTENCE_CHARS)) {
            let sentence_text = match language {
                Language::Chinese => piece.to_string(),
                Language::English => piece.split_whitespace().collect::<Vec<_>>().join(" "),
            };
            sentences.push(Sentence { text: sentence_text, starts_paragraph: first, span: span_in(text, piece) });
            first = false;
        }
    }
    sentences
}

/// One sentence per line, exactly as given (a final newline does not add an empty line).
/// Lines are never merged, cut or dropped, so sentence indices equal 0-based line numbers
/// (the aligner cuts overlong sentences internally and reports whole lines).
pub fn presplit_lines(text: &str) -> Vec<Sentence> {
    lines(text)
        .map(|line| {
            let line = line.trim();
            Sentence { text: line.to_string(), starts_paragraph: false, span: span_in(text, line) }
        })
        .collect()
}

/// Where `part`, a slice of `whole`, lies in it.
fn span_in(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// Lines of `text` (ended by LF, CRLF or CR), without their ends.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let break_len = if rest[end..].starts_with("\r\n") { 2 } else { usize::from(end < rest.len()) };
        rest = &rest[end + break_len..];
        Some(line)
    })
}

/// The paragraphs of `text`, as trimmed slices of it: in Chinese each non-blank line; in
/// English each run of non-blank lines.
fn paragraphs(text: &str, language: Language) -> Vec<&str> {
    let non_blank = lines(text).map(str::trim).filter(|line| !line.is_empty());
    match language {
        Language::Chinese => non_blank.collect(),
        Language::English => {
            let mut paragraphs: Vec<&str> = Vec::new();
            let mut open: Option<(usize, usize)> = None;
            for line in lines(text) {
                let line = line.trim();
                match (line.is_empty(), open) {
                    (true, Some((start, end))) => {
                        paragraphs.push(&text[start..end]);
                        open = None;
                    }
                    (true, None) => {}
                    (false, _) => {
                        let span = span_in(text, line);
                        open = Some((open.map_or(span.start, |(start, _)| start), span.end));
                    }
                }
            }
            if let Some((start, end)) = open {
                paragraphs.push(&text[start..end]);
            }
            paragraphs
        }
    }
}

/// Cuts `text` into pieces of at most `limit` characters, preferring to cut after white
/// space or a comma; returns the trimmed, non-empty pieces.
pub(crate) fn cut_overlong(text: &str, limit: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while let Some((hard_end, _)) = rest.char_indices().nth(limit) {
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
        let spans: Vec<Range<usize>> = sentences.iter().map(|s| s.span.clone()).collect();
        assert_eq!(spans, [0..1, 3..3, 4..5]);
        let old_mac: Vec<String> = presplit_lines("第一句。\r第二句。\r").into_iter().map(|s| s.text).collect();
        assert_eq!(old_mac, ["第一句。", "第二句。"]);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "One line\r\ncontinues.  Two.\r\n\r\n  Three.\r第一句。\r\n第二句。";
        for language in [Language::English, Language::Chinese] {
            for sentence in split_text(text, language) {
                let there = &text[sentence.span.clone()];
                let squeeze = |t: &str| t.split_whitespace().collect::<String>();
                assert_eq!(squeeze(there), squeeze(&sentence.text), "{language:?}");
            }
        }
        let english: Vec<String> = split_text(text, Language::English).into_iter().map(|s| s.text).collect();
        assert_eq!(english, ["One line continues.", "Two.", "Three.", "第一句。 第二句。"]);
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
