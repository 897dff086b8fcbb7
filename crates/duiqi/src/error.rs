//! Errors a user can act on. Every message names the input and says what to do.

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong between reading the inputs and writing the alignment.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened or read.
    Io {
        /// The input as the user named it.
        name: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The input holds no bytes, or only white space.
    Empty {
        /// The input as the user named it.
        name: String,
    },
    /// The input looks like binary data (NUL bytes, control characters).
    Binary {
        /// The input as the user named it.
        name: String,
    },
    /// Bytes that are not valid in the encoding used to read the input.
    Undecodable {
        /// The input as the user named it.
        name: String,
        /// The encoding that was detected or forced.
        encoding: &'static str,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// An encoding label duiqi does not know.
    UnknownEncoding(String),
    /// A language code duiqi does not support.
    UnknownLanguage(String),
    /// The script of the text does not tell its language.
    UndetectedLanguage {
        /// The input as the user named it.
        name: String,
    },
    /// The text is in a language duiqi does not align (yet).
    OtherLanguage {
        /// The input as the user named it.
        name: String,
        /// What it seems to be written in, e.g. "Japanese".
        language: &'static str,
    },
    /// Both inputs are in the same language, so there is nothing to align across.
    SameLanguage {
        /// The source input.
        src: String,
        /// The target input.
        tgt: String,
        /// Their common language code.
        language: &'static str,
    },
    /// The input decoded, but contains no sentence (only punctuation or symbols).
    NoSentences {
        /// The input as the user named it.
        name: String,
    },
    /// A document (Word, EPUB, PDF…) that cannot be read: damaged, locked, or without text.
    Unreadable {
        /// The input as the user named it.
        name: String,
        /// The format it was read as, e.g. "DOCX".
        format: &'static str,
        /// Why, and what to do, e.g. "it is password-protected; save a copy without a password".
        why: String,
    },
    /// An alignment file (for `eval`) has a malformed line.
    BadAlignmentFile {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// An option out of its range, e.g. a maximum bead size of 9.
    InvalidOption {
        /// The option's name as in [`crate::AlignOptions`], e.g. `max_bead`.
        option: &'static str,
        /// The value given.
        value: String,
        /// What it must be, e.g. "between 2 and 8".
        expected: String,
    },
    /// The neural model file cannot be used.
    #[cfg(feature = "model")]
    Model(crate::model::ModelError),
}

#[cfg(feature = "model")]
impl From<crate::model::ModelError> for Error {
    fn from(error: crate::model::ModelError) -> Error {
        Error::Model(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { name, source } => match source.kind() {
                std::io::ErrorKind::NotFound => write!(f, "{name}: cannot read: no such file; check the path"),
                std::io::ErrorKind::PermissionDenied => {
                    write!(f, "{name}: cannot read: permission denied; check the file's permissions")
                }
                std::io::ErrorKind::IsADirectory => write!(f, "{name}: cannot read: it is a directory; give a file"),
                _ => write!(f, "{name}: cannot read: {source}"),
            },
            Error::Empty { name } => write!(f, "{name}: the file is empty; give a text with at least one sentence"),
            Error::Binary { name } => {
                write!(f, "{name}: this looks like binary data, not text; give a plain-text file")
            }
            Error::Undecodable { name, encoding, offset } => write!(
                f,
                "{name}: byte {offset} is not valid {encoding}; convert the file to UTF-8 or name its encoding"
            ),
            Error::UnknownEncoding(label) => {
                write!(f, "unknown encoding '{label}'; use one of utf-8, utf-16le, utf-16be, gb18030, gbk, big5")
            }
            Error::UnknownLanguage(code) => {
                write!(f, "unsupported language '{code}'; use zh or en")
            }
            Error::UndetectedLanguage { name } => {
                write!(f, "{name}: cannot tell the language from the script; name it (zh or en)")
            }
            Error::OtherLanguage { name, language } => write!(
                f,
                "{name}: this looks like {language}, but duiqi aligns Chinese with English; \
                 give the Chinese or English version (or name the language to read it as)"
            ),
            Error::SameLanguage { src, tgt, language } => write!(
                f,
                "{src} and {tgt} are both in '{language}'; give a text and its translation (or name their languages)"
            ),
            Error::NoSentences { name } => {
                write!(f, "{name}: no sentence found (only punctuation or symbols)")
            }
            Error::Unreadable { name, format, why } => write!(f, "{name}: cannot read this {format} file: {why}"),
            Error::BadAlignmentFile { path, line, problem } => {
                write!(f, "{}:{line}: {problem}; expected lines like [0,1]:[2]", path.display())
            }
            Error::InvalidOption { option, value, expected } => {
                write!(f, "{option} must be {expected} (got {value})")
            }
            #[cfg(feature = "model")]
            Error::Model(error) => write!(f, "{error}"),
        }
    }
}

/// No error reports a source: each message already says what went wrong (the operating
/// system's reason included), and reporters that print the chain would repeat it.
impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_no_command_line_flag() {
        let name = || "a.txt".to_string();
        let errors = [
            Error::Undecodable { name: name(), encoding: "UTF-8", offset: 3 },
            Error::UnknownEncoding("klingon".into()),
            Error::UnknownLanguage("tlh".into()),
            Error::UndetectedLanguage { name: name() },
            Error::OtherLanguage { name: name(), language: "Japanese" },
            Error::SameLanguage { src: name(), tgt: name(), language: "en" },
            Error::Unreadable { name: name(), format: "PDF", why: "it has no text layer".into() },
            Error::InvalidOption { option: "max_bead", value: "9".into(), expected: "between 2 and 8".into() },
            #[cfg(feature = "model")]
            Error::Model(crate::model::ModelError::Truncated),
        ];
        for error in errors {
            let message = error.to_string();
            assert!(!message.contains("--"), "{message}");
            assert_eq!(message.lines().count(), 1, "{message}");
        }
    }
}
