//! Stage 1, read: bytes → decoded text → language → sentences ([`crate::split`]).

mod encoding;
mod language;

pub use encoding::{Decoded, decode, encoding_for_label};
pub use language::{detect_language, other_language};

use crate::document::{Document, Language};
use crate::error::{Error, Result};
use encoding_rs::Encoding;

/// How to read one input.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Use this encoding instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Use this language instead of detecting it from the script.
    pub language: Option<Language>,
    /// The input has one sentence per line, to be taken exactly as given.
    pub presplit: bool,
}

/// Reads a document from raw bytes; `name` is how messages refer to the input.
pub fn read_document(bytes: &[u8], name: &str, options: &ReadOptions) -> Result<Document> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { name: name.to_string() });
    }
    let Decoded { text, guessed } = decode(bytes, options.encoding, name)?;
    if text.trim().is_empty() {
        return Err(Error::Empty { name: name.to_string() });
    }
    let language = match options.language {
        Some(language) => language,
        None => detect_language(&text).ok_or_else(|| match other_language(&text) {
            Some(language) => Error::OtherLanguage { name: name.to_string(), language },
            None => Error::UndetectedLanguage { name: name.to_string() },
        })?,
    };
    let sentences =
        if options.presplit { crate::split::presplit_lines(&text) } else { crate::split::split_text(&text, language) };
    if sentences.iter().all(|s| !s.text.chars().any(char::is_alphanumeric)) {
        return Err(Error::NoSentences { name: name.to_string() });
    }
    Ok(Document { language, text, sentences, guessed_encoding: guessed.map(Encoding::name) })
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
