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

    /// Bytes of text in all sentences.
    pub fn text_bytes(&self) -> usize {
        self.sentences.iter().map(|s| s.text.len()).sum()
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

    /// The document whose sentences are this one's paragraphs (one for a text without
    /// paragraph marks): what [`crate::Aligner::align_paragraphs`] aligns and its beads
    /// index.
    pub fn paragraph_document(&self) -> Document {
        let sentence = |text: String, span: Range<usize>| Sentence { text, starts_paragraph: true, span };
        let sentences = if self.paragraphs.is_empty() {
            vec![sentence(self.join(0..self.len()), 0..self.text.len())]
        } else {
            self.paragraphs.iter().map(|p| sentence(self.join(p.sentences.clone()), p.span.clone())).collect()
        };
        Document { sentences, ..self.clone_without_sentences() }
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

/// One row of a source aligned with several translations: source sentences and, for each
/// translation, the sentences that render them (any side may be empty).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MultiBead {
    /// Source sentence indices.
    pub src: Range<usize>,
    /// Sentence indices in each translation, in the order the translations were given.
    pub versions: Vec<Range<usize>>,
    /// The summed bead scores behind each translation's range.
    pub scores: Vec<f32>,
}

impl MultiBead {
    /// Side `column`: 0 is the source, 1 the first translation, and so on.
    pub fn side(&self, column: usize) -> Range<usize> {
        if column == 0 { self.src.clone() } else { self.versions[column - 1].clone() }
    }

    /// Merges alignments of one source (of `n_src` sentences) with several translations:
    /// a row ends where every alignment has a bead boundary in the source, so each row is
    /// the smallest run of source sentences every translation renders as a whole. A
    /// translation's sentences with no source counterpart join the row they fall in.
    pub fn merge(n_src: usize, alignments: &[Alignment]) -> Vec<MultiBead> {
        // Source positions where every alignment starts a bead (and the end).
        let mut cuts: Vec<usize> = (0..n_src).collect();
        for alignment in alignments {
            let starts: std::collections::HashSet<usize> =
                alignment.iter().filter(|b| !b.src.is_empty()).map(|b| b.src.start).collect();
            cuts.retain(|p| *p == 0 || starts.contains(p));
        }
        cuts.push(n_src);
        cuts.dedup();
        let row_of = |position: usize| {
            cuts.partition_point(|&c| c <= position).saturating_sub(1).min(cuts.len().saturating_sub(2))
        };
        let mut rows: Vec<MultiBead> =
            cuts.windows(2).map(|w| MultiBead { src: w[0]..w[1], versions: Vec::new(), scores: Vec::new() }).collect();
        if rows.is_empty() {
            rows.push(MultiBead { src: 0..0, versions: Vec::new(), scores: Vec::new() });
        }
        for alignment in alignments {
            let mut ranges: Vec<Option<Range<usize>>> = vec![None; rows.len()];
            let mut scores = vec![0.0; rows.len()];
            for bead in alignment {
                let row = row_of(bead.src.start);
                let range = ranges[row].get_or_insert(bead.tgt.clone());
                (range.start, range.end) = (range.start.min(bead.tgt.start), range.end.max(bead.tgt.end));
                scores[row] += bead.score;
            }
            // A row this translation has nothing for sits where the previous one ended.
            let mut at = 0;
            for (row, range) in rows.iter_mut().zip(ranges) {
                let range = range.unwrap_or(at..at);
                at = range.end;
                row.versions.push(range);
            }
            for (row, score) in rows.iter_mut().zip(scores) {
                row.scores.push(score);
            }
        }
        rows
    }

    /// The rows of a single alignment.
    pub fn from_alignment(alignment: &[Bead]) -> Vec<MultiBead> {
        alignment
            .iter()
            .map(|b| MultiBead { src: b.src.clone(), versions: vec![b.tgt.clone()], scores: vec![b.score] })
            .collect()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(src: Range<usize>, tgt: Range<usize>) -> Bead {
        Bead { src, tgt, score: 1.0 }
    }

    #[test]
    fn rows_of_several_translations_end_where_every_alignment_has_a_boundary() {
        // Source of 4 sentences. Version A: 0|1-2|3 with an added sentence at the end;
        // version B: 0-1|2|3.
        let a = vec![bead(0..1, 0..1), bead(1..3, 1..2), bead(3..4, 2..3), bead(4..4, 3..4)];
        let b = vec![bead(0..2, 0..1), bead(2..3, 1..3), bead(3..4, 3..4)];
        let rows = MultiBead::merge(4, &[a, b]);
        let shown: Vec<_> = rows.iter().map(|r| (r.src.clone(), r.versions.clone())).collect();
        assert_eq!(shown, [(0..3, vec![0..2, 0..3]), (3..4, vec![2..4, 3..4])]);
        assert_eq!(rows[0].scores, [2.0, 2.0]);
        // Every sentence of every text once, in order.
        for column in 0..3 {
            let mut next = 0;
            for row in &rows {
                assert_eq!(row.side(column).start, next);
                next = row.side(column).end;
            }
        }
    }
}
