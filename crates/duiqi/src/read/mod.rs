//! Stage 1, read: bytes → decoded text, or a document's paragraphs ([`documents`]) →
//! language → sentences ([`crate::split`]).

#[cfg(feature = "documents")]
mod documents;
mod encoding;
mod format;
mod language;

pub use format::InputFormat;

pub use encoding::{Decoded, decode, encoding_for_label};
pub use language::{detect_language, other_language};

use crate::document::{Document, Language, Paragraph, ParagraphKind, Sentence};
use crate::error::{Error, Result};
use encoding_rs::Encoding;

/// How to read one input.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Use this encoding instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Use this language instead of detecting it from the script.
    pub language: Option<Language>,
    /// The input has one sentence per line, to be taken exactly as given (plain text only).
    pub presplit: bool,
    /// Read the input as this format instead of telling it from the name and the bytes.
    pub format: Option<InputFormat>,
}

/// A paragraph as a reader extracts it, before it is split into sentences.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Block {
    pub kind: ParagraphKind,
    pub text: String,
}

/// Reads a document from raw bytes; `name` is how messages refer to the input, and its
/// extension helps tell the format (see [`InputFormat::detect`]).
pub fn read_document(bytes: &[u8], name: &str, options: &ReadOptions) -> Result<Document> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { name: name.to_string() });
    }
    let format = options.format.unwrap_or_else(|| InputFormat::detect(bytes, name));
    if format == InputFormat::Text {
        return read_text(bytes, name, options);
    }
    #[cfg(feature = "documents")]
    {
        let (blocks, guessed) = documents::extract(format, bytes, name, options.encoding)?;
        from_blocks(blocks, guessed, name, options.language)
    }
    #[cfg(not(feature = "documents"))]
    Err(Error::Unreadable {
        name: name.to_string(),
        format: format.name(),
        why: "this build of duiqi reads plain text only (built without the documents feature)".into(),
    })
}

fn read_text(bytes: &[u8], name: &str, options: &ReadOptions) -> Result<Document> {
    let Decoded { text, guessed } = decode(bytes, options.encoding, name)?;
    if text.trim().is_empty() {
        return Err(Error::Empty { name: name.to_string() });
    }
    let language = language_of(&text, name, options.language)?;
    let sentences =
        if options.presplit { crate::split::presplit_lines(&text) } else { crate::split::split_text(&text, language) };
    let paragraphs = if options.presplit { Vec::new() } else { paragraphs_of(&sentences) };
    check_sentences(&sentences, name)?;
    Ok(Document { language, text, sentences, paragraphs, guessed_encoding: guessed.map(Encoding::name) })
}

/// A document of the paragraphs a reader extracted: their texts joined by blank lines,
/// each split into sentences.
#[cfg_attr(not(feature = "documents"), allow(dead_code))]
fn from_blocks(
    blocks: Vec<Block>,
    guessed: Option<&'static Encoding>,
    name: &str,
    language: Option<Language>,
) -> Result<Document> {
    let blocks: Vec<Block> = blocks.into_iter().filter(|b| b.text.chars().any(char::is_alphanumeric)).collect();
    if blocks.is_empty() {
        return Err(Error::NoSentences { name: name.to_string() });
    }
    let text = blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n");
    let language = language_of(&text, name, language)?;
    let (mut sentences, mut paragraphs) = (Vec::new(), Vec::new());
    let mut at = 0;
    for block in &blocks {
        let first = sentences.len();
        for sentence in crate::split::split_text(&block.text, language) {
            let span = sentence.span.start + at..sentence.span.end + at;
            sentences.push(Sentence { span, starts_paragraph: sentences.len() == first, ..sentence });
        }
        let span = at..at + block.text.len();
        paragraphs.push(Paragraph { kind: block.kind, span, sentences: first..sentences.len() });
        at += block.text.len() + 2;
    }
    check_sentences(&sentences, name)?;
    Ok(Document { language, text, sentences, paragraphs, guessed_encoding: guessed.map(Encoding::name) })
}

fn language_of(text: &str, name: &str, given: Option<Language>) -> Result<Language> {
    match given {
        Some(language) => Ok(language),
        None => detect_language(text).ok_or_else(|| match other_language(text) {
            Some(language) => Error::OtherLanguage { name: name.to_string(), language },
            None => Error::UndetectedLanguage { name: name.to_string() },
        }),
    }
}

fn check_sentences(sentences: &[Sentence], name: &str) -> Result<()> {
    if sentences.iter().all(|s| !s.text.chars().any(char::is_alphanumeric)) {
        return Err(Error::NoSentences { name: name.to_string() });
    }
    Ok(())
}

/// The paragraphs of running text: each starts at a sentence marked as starting one.
fn paragraphs_of(sentences: &[Sentence]) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    for (i, sentence) in sentences.iter().enumerate() {
        match paragraphs.last_mut() {
            Some(last) if !sentence.starts_paragraph => {
                last.sentences.end = i + 1;
                last.span.end = sentence.span.end;
            }
            _ => paragraphs.push(Paragraph {
                kind: ParagraphKind::Text,
                span: sentence.span.clone(),
                sentences: i..i + 1,
            }),
        }
    }
    paragraphs
}

/// Checks that a source and its target are in different languages: there is nothing to
/// align across otherwise.
pub fn check_pair(src: &Document, tgt: &Document, src_name: &str, tgt_name: &str) -> Result<()> {
    if src.language == tgt.language {
        return Err(Error::SameLanguage { src: src_name.into(), tgt: tgt_name.into(), language: src.language.code() });
    }
    Ok(())
}

/// Reads a file, or standard input for `-`.
pub fn read_path(path: &str, options: &ReadOptions) -> Result<Document> {
    let bytes = if path == "-" {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buffer)
            .map_err(|source| Error::Io { name: "<stdin>".into(), source })?;
        buffer
    } else {
        std::fs::read(path).map_err(|source| Error::Io { name: path.to_string(), source })?
    };
    let name = if path == "-" { "<stdin>" } else { path };
    read_document(&bytes, name, options)
}
