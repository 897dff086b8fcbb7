//! PDF with a text layer (pdf-extract reads the pages): running headers and footers and
//! page numbers dropped, lines joined into paragraphs, words hyphenated at line ends
//! mended, spaces between Chinese characters removed. A PDF without text (a scan) gets a
//! message saying it needs OCR.

use super::{Block, collapse};
use crate::document::ParagraphKind;
use std::collections::HashMap;

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Block>, String> {
    // pdf-extract panics on some malformed files: a damaged PDF must not take duiqi down.
    let pages = std::panic::catch_unwind(|| page_texts(bytes))
        .map_err(|_| "it is damaged (the PDF reader gave up on it)".to_string())?
        .map_err(|e| match e.to_string() {
            why if why.to_lowercase().contains("encrypt") || why.to_lowercase().contains("password") => {
                "it is password-protected; save a copy without a password".to_string()
            }
            why => format!("it is damaged ({why})"),
        })?;
    if pages.iter().all(|page| !page.chars().any(char::is_alphanumeric)) {
        return Err("it has no text layer (a scanned PDF?); run OCR on it first, e.g. with ocrmypdf".into());
    }
    let pages: Vec<Vec<&str>> = pages.iter().map(|p| p.lines().map(str::trim).collect()).collect();
    let running = running_lines(&pages);
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    for page in &pages {
        let edge = edges(page);
        let body: Vec<&str> = page
            .iter()
            .copied()
            .enumerate()
            .filter(|&(i, line)| !(edge[i] && (running.contains(&shape(line)) || is_page_number(line))))
            .map(|(_, line)| line)
            .collect();
        let typical = typical_width(&body);
        for (i, line) in body.iter().enumerate() {
            if line.is_empty() {
                close(&mut paragraph, &mut blocks);
                continue;
            }
            join_line(&mut paragraph, line);
            // A short line ending a sentence ends its paragraph.
            let next_is_text = body.get(i + 1).is_some_and(|l| !l.is_empty());
            if next_is_text && ends_sentence(line) && width(line) * 10 < typical * 8 {
                close(&mut paragraph, &mut blocks);
            }
        }
        // A paragraph runs on across a page break unless the page ends a sentence.
        if body.iter().rev().find(|l| !l.is_empty()).is_none_or(|l| ends_sentence(l)) {
            close(&mut paragraph, &mut blocks);
        }
    }
    close(&mut paragraph, &mut blocks);
    Ok(blocks)
}

/// The text of every page, pages read in parallel (each page parses its fonts again,
/// which makes a long PDF slow; pdf-extract's own loop reads them one after another).
fn page_texts(bytes: &[u8]) -> Result<Vec<String>, pdf_extract::OutputError> {
    use rayon::prelude::*;
    let mut document = pdf_extract::Document::load_mem(bytes)?;
    if document.is_encrypted() {
        document.decrypt("")?;
    }
    let pages = document.get_pages().len() as u32;
    (1..=pages)
        .into_par_iter()
        .map(|page| {
            let mut text = String::new();
            pdf_extract::output_doc_page(&document, &mut pdf_extract::PlainTextOutput::new(&mut text), page)?;
            Ok(text)
        })
        .collect()
}

fn close(paragraph: &mut String, blocks: &mut Vec<Block>) {
    let text = collapse(&std::mem::take(paragraph));
    if !text.is_empty() {
        blocks.push(Block { kind: ParagraphKind::Text, text });
    }
}

/// Adds a line to a paragraph: a word hyphenated across the break is mended, Chinese
/// runs on without a space (see [`collapse`]), other text takes a space.
fn join_line(paragraph: &mut String, line: &str) {
    let broken_at_hyphen = paragraph.ends_with('-') && paragraph.chars().rev().nth(1).is_some_and(char::is_alphabetic);
    if broken_at_hyphen && line.chars().next().is_some_and(char::is_lowercase) {
        paragraph.pop(); // a word hyphenated by the layout
    } else if !paragraph.is_empty() && !broken_at_hyphen {
        paragraph.push(' '); // (a compound's own hyphen joins without a space)
    }
    paragraph.push_str(line);
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', '）', ')', '」', '』'])
        .ends_with(['.', '!', '?', ':', '。', '！', '？', '：', '…'])
}

/// A line's width in columns: a Chinese character counts two.
fn width(line: &str) -> usize {
    line.chars().map(|c| if super::is_cjk(c) { 2 } else { 1 }).sum()
}

/// The width of a full line on the page (the 80th percentile, so short lines do not count).
fn typical_width(lines: &[&str]) -> usize {
    let mut widths: Vec<usize> = lines.iter().filter(|l| !l.is_empty()).map(|l| width(l)).collect();
    widths.sort_unstable();
    widths.get(widths.len() * 4 / 5).copied().unwrap_or(0)
}

/// For each line of a page, whether it is among the first or last two lines of text.
fn edges(page: &[&str]) -> Vec<bool> {
    let text: Vec<usize> = (0..page.len()).filter(|&k| !page[k].is_empty()).collect();
    let mut edge = vec![false; page.len()];
    for (position, &k) in text.iter().enumerate() {
        edge[k] = position < 2 || position + 2 >= text.len();
    }
    edge
}

/// A line with its digits blurred: "Page 3 of 10" and "Page 4 of 10" have one shape.
fn shape(line: &str) -> String {
    line.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Shapes of lines at a page's top or bottom on at least half the pages (and two):
/// running headers and footers.
fn running_lines(pages: &[Vec<&str>]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let edge = edges(page);
        let mut seen: Vec<String> = (0..page.len()).filter(|&i| edge[i]).map(|i| shape(page[i])).collect();
        seen.sort();
        seen.dedup();
        for line in seen.into_iter().filter(|l| !l.is_empty()) {
            *counts.entry(line).or_default() += 1;
        }
    }
    let needed = (pages.len() / 2).max(2);
    counts.into_iter().filter(|&(_, n)| n >= needed).map(|(line, _)| line).collect()
}

/// "12", "- 12 -", "xiv", "Page 12", "12 / 40", "第 12 页".
fn is_page_number(line: &str) -> bool {
    let core: String = line
        .to_lowercase()
        .replace("page", "")
        .replace(['第', '页', '頁', '-', '–', '—', '/', '|', ' '], "")
        .replace("of", "");
    !core.is_empty()
        && (core.chars().all(|c| c.is_ascii_digit()) || core.chars().all(|c| "ivxlc".contains(c)) && core.len() <= 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_and_running_lines() {
        assert!(is_page_number("- 12 -") && is_page_number("xiv") && is_page_number("Page 3 of 10"));
        assert!(is_page_number("第 3 页") && !is_page_number("In 1944 they rose."));
        let pages = vec![vec!["The Journal", "text one", "1"], vec!["The Journal", "text two", "2"]];
        let running = running_lines(&pages);
        assert!(running.contains(&"The Journal".to_string()) && running.contains(&"#".to_string()), "{running:?}");
        assert!(!running.iter().any(|l| l.starts_with("text")));
    }

    #[test]
    fn lines_join_into_paragraphs() {
        let mut paragraph = String::from("a hyphen-");
        join_line(&mut paragraph, "ated word");
        assert_eq!(paragraph, "a hyphenated word");
        join_line(&mut paragraph, "Next-");
        join_line(&mut paragraph, "Door");
        assert_eq!(paragraph, "a hyphenated word Next-Door");
    }
}
