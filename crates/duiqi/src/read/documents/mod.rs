//! Readers of documents: each turns a file into its paragraphs ([`Block`]s) in reading
//! order, headings, list items, table cells, notes and cues as paragraphs of their own.
//! Containers and markup are parsed by crates (zip, quick-xml, html5ever through scraper,
//! pulldown-cmark, pdf-extract); what no crate does is here.

mod epub;
mod html;
mod markdown;
mod odt;
mod pdf;
mod subtitles;
mod word;
mod xml;

use super::{Block, InputFormat, decode};
use crate::document::ParagraphKind;
use crate::error::{Error, Result};
use encoding_rs::Encoding;
use std::io::Read;

/// The paragraphs of a document in `format` (and the encoding guessed for a text format).
pub(crate) fn extract(
    format: InputFormat,
    bytes: &[u8],
    name: &str,
    encoding: Option<&'static Encoding>,
) -> Result<(Vec<Block>, Option<&'static Encoding>)> {
    let unreadable = |why: String| Error::Unreadable { name: name.to_string(), format: label(format), why };
    let from_text = |read: fn(&str) -> Vec<Block>| -> Result<(Vec<Block>, Option<&'static Encoding>)> {
        let decoded = decode(bytes, encoding, name)?;
        Ok((read(&decoded.text), decoded.guessed))
    };
    let (blocks, guessed) = match format {
        InputFormat::Docx => (word::read(bytes).map_err(unreadable)?, None),
        InputFormat::Odt => (odt::read(bytes).map_err(unreadable)?, None),
        InputFormat::Epub => (epub::read(bytes).map_err(unreadable)?, None),
        InputFormat::Pdf => (pdf::read(bytes).map_err(unreadable)?, None),
        InputFormat::Html => from_text(html::read)?,
        InputFormat::Markdown => from_text(markdown::read)?,
        InputFormat::Srt | InputFormat::Vtt => from_text(subtitles::read)?,
        InputFormat::Text => unreachable!("plain text is read without a document reader"),
    };
    if blocks.iter().all(|b| !b.text.chars().any(char::is_alphanumeric)) {
        return Err(unreadable("it holds no text".into()));
    }
    Ok((blocks, guessed))
}

/// The format's name in messages.
fn label(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Docx => "DOCX",
        InputFormat::Odt => "ODT",
        InputFormat::Epub => "EPUB",
        InputFormat::Pdf => "PDF",
        InputFormat::Html => "HTML",
        InputFormat::Markdown => "Markdown",
        InputFormat::Srt => "SRT",
        InputFormat::Vtt => "WebVTT",
        InputFormat::Text => "text",
    }
}

/// Collects paragraphs: text is added to the paragraph being read, which is closed with
/// its kind; white space is collapsed as a browser would.
#[derive(Default)]
struct Paragraphs {
    blocks: Vec<Block>,
    current: String,
}

impl Paragraphs {
    fn text(&mut self, text: &str) {
        self.current.push_str(text);
    }

    /// Ends the paragraph being read (nothing when it holds only white space).
    fn close(&mut self, kind: ParagraphKind) {
        let text = collapse(&std::mem::take(&mut self.current));
        if !text.is_empty() {
            self.blocks.push(Block { kind, text });
        }
    }
}

/// `text` with every run of white space made one space, trimmed; none is left between two
/// Chinese characters (a line break in the source or the layout, not a word space).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let joins = out.chars().next_back().is_some_and(is_cjk) && word.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Han characters and CJK punctuation: written without spaces between them.
fn is_cjk(c: char) -> bool {
    crate::script::is_han(c) || ('\u{3000}'..='\u{303f}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Entries above this are refused: a document's XML is a few megabytes, a zip bomb is not.
const MAX_ENTRY_BYTES: u64 = 256 << 20;

/// A zip container, with messages a user can act on.
struct Container(zip::ZipArchive<std::io::Cursor<Vec<u8>>>);

impl Container {
    fn open(bytes: &[u8]) -> Result<Container, String> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err("it is password-protected (or an old .doc); save a copy as .docx without a password".into());
        }
        zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec()))
            .map(Container)
            .map_err(|e| format!("it is damaged (not a complete zip archive: {e})"))
    }

    fn has(&self, name: &str) -> bool {
        self.0.index_for_name(name).is_some()
    }

    /// The entry `name` as text; an error when it is missing or unreadable.
    fn text(&mut self, name: &str) -> Result<String, String> {
        let entry = self.0.by_name(name).map_err(|_| format!("it has no {name}; is it really this format?"))?;
        let mut text = String::new();
        entry
            .take(MAX_ENTRY_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| format!("{name} cannot be read ({e}); the file is damaged"))?;
        Ok(text)
    }

    /// The entry `name` as text, or `None` when there is none.
    fn optional_text(&mut self, name: &str) -> Result<Option<String>, String> {
        if self.has(name) { self.text(name).map(Some) } else { Ok(None) }
    }
}
