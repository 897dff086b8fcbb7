//! The values that flow through the pipeline: documents of sentences, and the beads that
//! align them.

use std::ops::Range;

/// The languages duiqi knows how to split and normalise. Adding a language means adding a
/// variant here, a splitter in `split/` and a normaliser in `normalize/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "lowercase"))]
pub enum Language {
    /// Chinese, Traditional or Simplified (compared in Simplified).
    Chinese,
    /// English.
    English,
}

impl Language {
    /// The language's code (see [`Document::language_tag`] for the tag of a text).
    pub fn code(self) -> &'static str {
        match self {
            Language::Chinese => "zh",
            Language::English => "en",
        }
    }

    /// Parses a user-supplied code, or says it is not one duiqi supports.
    pub fn parse(code: &str) -> crate::Result<Language> {
        Language::from_code(code).ok_or_else(|| crate::Error::UnknownLanguage(code.to_string()))
    }

    /// Parses a user-supplied code such as `zh`, `zh-TW`, `cmn`, `en-GB`.
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" | "cmn" | "chi" | "zho" | "chinese" => Some(Language::Chinese),
            "en" | "eng" | "english" => Some(Language::English),
            _ => None,
        }
    }
}

/// One sentence as it appears in the input, with the structure around it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Sentence {
    /// The sentence text, exactly as read (after decoding), trimmed of surrounding space.
    pub text: String,
    /// True when this sentence opens a paragraph: a strong hint that a bead starts here.
    pub starts_paragraph: bool,
    /// Where the sentence is in [`Document::text`] (byte offsets), from its first to its
    /// last character; the text there may differ from `text` in white space (English
    /// lines are joined with single spaces).
    pub span: Range<usize>,
}

/// What a paragraph of a document is: the structure readers keep from Word, EPUB, HTML,
/// Markdown and subtitle files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ParagraphKind {
    /// Running text.
    Text,
    /// A heading of this level (1 is the highest).
    Heading(u8),
    /// An item of a list.
    ListItem,
    /// A table cell.
    TableCell,
    /// A footnote or endnote (Word and OpenDocument notes come after the body).
    Note,
    /// A subtitle cue, shown from `start_ms` to `end_ms`.
    Cue {
        /// When it appears, in milliseconds.
        start_ms: u64,
        /// When it disappears, in milliseconds.
        end_ms: u64,
    },
}

/// A paragraph of a document: where it is in the text and which sentences it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Paragraph {
    /// Text, heading, list item, table cell, note or cue.
    pub kind: ParagraphKind,
    /// Byte range in [`Document::text`].
    pub span: Range<usize>,
    /// Its sentences (indices in [`Document::sentences`]).
    pub sentences: Range<usize>,
}

/// A text split into sentences, in one language.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Document {
    /// The language the sentences are in.
    pub language: Language,
    /// The text the sentences were read from (decoded, without a BOM).
    pub text: String,
    /// The sentences, in reading order.
    pub sentences: Vec<Sentence>,
    /// The paragraphs the sentences were read from, in order, covering every sentence
    /// (one paragraph per blank-line block of plain text; empty when the text has no
    /// paragraphs, as one sentence per line).
    pub paragraphs: Vec<Paragraph>,
    /// The legacy encoding (GB18030, Big5) the text was read in, when that was guessed
    /// from its bytes rather than given, marked by a BOM or UTF-8.
    pub guessed_encoding: Option<&'static str>,
}

impl Document {
    /// A document of the given sentences, one per line of its text (as `--presplit`
    /// reads a file).
    pub fn from_sentences<S: Into<String>>(language: Language, sentences: impl IntoIterator<Item = S>) -> Document {
        let mut text = String::new();
        let mut list = Vec::new();
        for sentence in sentences {
            if !list.is_empty() {
                text.push('\n');
            }
            let sentence = sentence.into();
            let span = text.len()..text.len() + sentence.len();
            text.push_str(&sentence);
            list.push(Sentence { text: sentence, starts_paragraph: false, span });
        }
        Document { language, text, sentences: list, paragraphs: Vec::new(), guessed_encoding: None }
    }

    /// The sentences `range` as one text, joined as the language writes them (no space
    /// between Chinese sentences, one between English ones).
    pub fn join(&self, range: Range<usize>) -> String {
        let separator = match self.language {
            Language::Chinese => "",
            Language::English => " ",
        };
        self.sentences[range].iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(separator)
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// True for a document without sentences.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// The language tag translation tools expect for this text (TMX `xml:lang`): `en`,
    /// and for Chinese `zh-TW` (Traditional characters), `zh-CN` (Simplified) or `zh`
    /// when the sentences do not tell.
    pub fn language_tag(&self) -> &'static str {
        match self.language {
            Language::English => "en",
            Language::Chinese => {
                let sample: String = self.sentences.iter().take(2000).map(|s| s.text.as_str()).collect();
                match crate::script::is_traditional(&sample) {
                    Some(true) => "zh-TW",
                    Some(false) => "zh-CN",
                    None => "zh",
                }
            }
        }
    }

    /// The same document with no sentences: its language and how it was read.
    pub(crate) fn clone_without_sentences(&self) -> Document {
        Document {
            language: self.language,
            text: String::new(),
            sentences: Vec::new(),
            paragraphs: Vec::new(),
            guessed_encoding: self.guessed_encoding,
        }
    }

    /// The paragraph holding sentence `index`, if the document has paragraphs.
    pub fn paragraph_of(&self, index: usize) -> Option<&Paragraph> {
        let at = self.paragraphs.partition_point(|p| p.sentences.end <= index);
        self.paragraphs.get(at).filter(|p| p.sentences.contains(&index))
    }

    /// Whether paragraph marks carry information: more than one paragraph, fewer
    /// paragraphs than sentences.
    pub fn has_paragraphs(&self) -> bool {
        let paragraphs = self.sentences.iter().filter(|s| s.starts_paragraph).count();
        paragraphs > 1 && paragraphs < self.sentences.len()
    }
}

/// One unit of the alignment: consecutive source sentences that correspond to consecutive
/// target sentences. Either side may be empty (a sentence with no counterpart).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bead {
    /// Source sentence indices.
    pub src: Range<usize>,
    /// Target sentence indices.
    pub tgt: Range<usize>,
    /// How strongly the signals support this bead; higher is better, comparable only within
    /// one run.
    pub score: f32,
}

/// A document of `n` sentences "sentence 000", "sentence 001"… (for tests).
#[cfg(test)]
pub(crate) fn numbered(language: Language, n: usize) -> Document {
    Document::from_sentences(language, (0..n).map(|i| format!("sentence {i:03}")))
}

/// `n` one-to-one beads, sentence i with sentence i (for tests).
#[cfg(test)]
pub(crate) fn one_to_one(n: usize) -> Vec<Bead> {
    (0..n).map(|i| Bead { src: i..i + 1, tgt: i..i + 1, score: 0.0 }).collect()
}

/// A complete alignment: beads in order, covering every sentence of both sides exactly once.
pub type Alignment = Vec<Bead>;

/// Checks the invariant every alignment must keep: each sentence of both sides appears
/// exactly once, in order. Returns a description of the first violation.
pub fn check_coverage(alignment: &[Bead], n_src: usize, n_tgt: usize) -> Result<(), String> {
    let (mut next_src, mut next_tgt) = (0, 0);
    for (k, bead) in alignment.iter().enumerate() {
        if bead.src.start != next_src || bead.tgt.start != next_tgt {
            return Err(format!(
                "bead {k} starts at ({}, {}), expected ({next_src}, {next_tgt})",
                bead.src.start, bead.tgt.start
            ));
        }
        if bead.src.is_empty() && bead.tgt.is_empty() {
            return Err(format!("bead {k} is empty"));
        }
        next_src = bead.src.end;
        next_tgt = bead.tgt.end;
    }
    if next_src != n_src || next_tgt != n_tgt {
        return Err(format!("alignment ends at ({next_src}, {next_tgt}), expected ({n_src}, {n_tgt})"));
    }
    Ok(())
}

#[cfg(all(test, feature = "serde"))]
mod serde_tests {
    use super::*;

    #[test]
    fn beads_and_sentences_round_trip_through_json() {
        let document = Document::from_sentences(Language::Chinese, ["第一句。", "第二句。"]);
        let bead = Bead { src: 0..2, tgt: 0..1, score: 1.5 };
        let json = serde_json::to_string(&bead).unwrap();
        assert_eq!(json, r#"{"src":{"start":0,"end":2},"tgt":{"start":0,"end":1},"score":1.5}"#);
        assert_eq!(serde_json::from_str::<Bead>(&json).unwrap(), bead);
        let sentence = serde_json::to_string(&document.sentences[1]).unwrap();
        assert_eq!(serde_json::from_str::<Sentence>(&sentence).unwrap(), document.sentences[1]);
        assert!(serde_json::to_string(&document).unwrap().contains(r#""language":"chinese""#));
    }
}
