//! Stage 6, write: an alignment in the formats translation tools read. One file per format.

mod align;
mod jsonl;
mod tmx;
mod tsv;

use crate::document::{Bead, Document};
use std::io::{self, Write};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `[0,1]:[2]` per line, 0-based, as Vecalign and Bertalign write.
    Align,
    /// source text, target text, score; tab-separated.
    Tsv,
    /// One JSON object per bead: indices, texts, score.
    Jsonl,
    /// TMX 1.4b translation memory.
    Tmx,
}

impl Format {
    /// Parses a format name as given on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "align" => Some(Format::Align),
            "tsv" => Some(Format::Tsv),
            "jsonl" | "json" => Some(Format::Jsonl),
            "tmx" => Some(Format::Tmx),
            _ => None,
        }
    }
}

/// Writes `alignment` of `src` with `tgt` to `out` in `format`.
pub fn write_alignment(
    out: &mut dyn Write,
    format: Format,
    alignment: &[Bead],
    src: &Document,
    tgt: &Document,
) -> io::Result<()> {
    match format {
        Format::Align => align::write(out, alignment),
        Format::Tsv => tsv::write(out, alignment, src, tgt),
        Format::Jsonl => jsonl::write(out, alignment, src, tgt),
        Format::Tmx => tmx::write(out, alignment, src, tgt),
    }
}

/// The text of a bead side: sentences joined as the language writes them.
fn joined(document: &Document, range: std::ops::Range<usize>) -> String {
    document.join(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;

    pub(super) fn sample() -> (Vec<Bead>, Document, Document) {
        let doc = |language, texts: &[&str]| Document::from_sentences(language, texts.iter().copied());
        let src = doc(Language::Chinese, &["第一句。", "第二<句>&。"]);
        let tgt = doc(Language::English, &["First.", "Second \"tab\there\".", "Extra."]);
        let beads = vec![Bead { src: 0..2, tgt: 0..2, score: 1.5 }, Bead { src: 2..2, tgt: 2..3, score: -0.3 }];
        (beads, src, tgt)
    }

    fn render(format: Format) -> String {
        let (beads, src, tgt) = sample();
        let mut out = Vec::new();
        write_alignment(&mut out, format, &beads, &src, &tgt).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn align_format() {
        assert_eq!(render(Format::Align), "[0,1]:[0,1]\n[]:[2]\n");
    }

    #[test]
    fn tsv_format_has_no_stray_tabs() {
        let text = render(Format::Tsv);
        assert!(text.lines().all(|l| l.matches('\t').count() == 2), "{text}");
        assert!(text.starts_with("第一句。第二<句>&。\tFirst. Second \"tab here\".\t1.5"));
    }

    #[test]
    fn jsonl_lines_parse() {
        for line in render(Format::Jsonl).lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(value["src"].is_array() && value["tgt_text"].is_string());
        }
    }

    #[test]
    fn tmx_is_escaped_and_labelled() {
        let text = render(Format::Tmx);
        assert!(text.contains("srclang=\"zh\"") && text.contains("xml:lang=\"en\""));
        let (beads, mut src, tgt) = sample();
        src.sentences[0].text = "這是第一句。".into();
        let mut out = Vec::new();
        write_alignment(&mut out, Format::Tmx, &beads, &src, &tgt).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("srclang=\"zh-TW\"") && text.contains("<tuv xml:lang=\"zh-TW\">"), "{text}");
        assert!(text.contains("第二&lt;句&gt;&amp;。"));
        assert_eq!(text.matches("<tu>").count(), 2);
        assert_eq!(text.matches("<tuv ").count(), 4, "both variants in every unit: {text}");
        assert!(text.contains("<tuv xml:lang=\"zh-TW\"><seg></seg></tuv>"), "{text}");
    }
}
