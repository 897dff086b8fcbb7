//! Stage 6, write: an alignment in the formats translation tools read. One file per format.

mod align;
#[cfg(feature = "documents")]
mod html;
mod jsonl;
pub mod opus;
mod tmx;
mod tsv;
mod xliff;
#[cfg(feature = "documents")]
mod xlsx;

use crate::document::{Bead, Document, MultiBead};
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
    /// XLIFF 2.1 bilingual file, for CAT tools.
    Xliff,
    /// Excel workbook: a row per bead, a "confirmed" column to fill in (LF Aligner's layout).
    #[cfg(feature = "documents")]
    Xlsx,
    /// A side-by-side reader: one HTML file to read the texts in parallel.
    #[cfg(feature = "documents")]
    Html,
}

impl Format {
    /// Parses a format name as given on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "align" => Some(Format::Align),
            "tsv" => Some(Format::Tsv),
            "jsonl" | "json" => Some(Format::Jsonl),
            "tmx" => Some(Format::Tmx),
            "xliff" | "xlf" => Some(Format::Xliff),
            #[cfg(feature = "documents")]
            "xlsx" => Some(Format::Xlsx),
            #[cfg(feature = "documents")]
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The names [`Format::from_name`] takes, for messages.
    pub fn names() -> &'static str {
        if cfg!(feature = "documents") {
            "align, tsv, jsonl, tmx, xliff, xlsx or html"
        } else {
            "align, tsv, jsonl, tmx or xliff"
        }
    }

    /// Whether the format holds several translations of one source
    /// ([`write_versions`]).
    pub fn takes_versions(self) -> bool {
        match self {
            Format::Align | Format::Tsv | Format::Jsonl | Format::Tmx => true,
            #[cfg(feature = "documents")]
            Format::Html => true,
            _ => false,
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
        Format::Tmx => tmx::write(out, &MultiBead::from_alignment(alignment), src, &[tgt]),
        Format::Xliff => xliff::write(out, alignment, src, tgt),
        #[cfg(feature = "documents")]
        Format::Xlsx => xlsx::write(out, alignment, src, tgt),
        #[cfg(feature = "documents")]
        Format::Html => html::write(out, &MultiBead::from_alignment(alignment), src, &[tgt]),
    }
}

/// Writes a source aligned with several translations (`rows` from
/// [`crate::Aligner::align_versions`]) in `format`: `[src]:[first]:[second]` lines, TMX
/// with a variant per text, TSV with a column per text, JSONL, or the HTML reader with a
/// column per text. Other formats hold one translation: an `InvalidInput` error.
pub fn write_versions(
    out: &mut dyn Write,
    format: Format,
    rows: &[MultiBead],
    src: &Document,
    versions: &[&Document],
) -> io::Result<()> {
    match format {
        Format::Align => align::write_versions(out, rows),
        Format::Tmx => tmx::write(out, rows, src, versions),
        Format::Tsv => tsv::write_versions(out, rows, src, versions),
        Format::Jsonl => jsonl::write_versions(out, rows, src, versions),
        #[cfg(feature = "documents")]
        Format::Html => html::write(out, rows, src, versions),
        _ => Err(io::Error::new(io::ErrorKind::InvalidInput, "this format holds one translation")),
    }
}

/// Escapes XML markup and drops characters XML 1.0 forbids.
fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => escaped.push(c),
        }
    }
    escaped
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

    #[test]
    fn xliff_has_a_unit_per_bead_and_an_added_sentence_left_to_translate() {
        let text = render(Format::Xliff);
        assert!(text.contains(r#"version="2.1" srcLang="zh" trgLang="en""#), "{text}");
        assert_eq!(text.matches("<unit ").count(), 2);
        assert!(text.contains(r#"state="initial">"#) && text.contains("<source></source>"), "{text}");
        assert!(text.contains("第二&lt;句&gt;&amp;。"));
    }

    #[test]
    fn cesalign_links_count_sentences_from_one() {
        let (beads, src, _) = sample();
        let mut out = Vec::new();
        opus::write_links(&mut out, &beads, "zh.xml", "en.xml").unwrap();
        let links = String::from_utf8(out).unwrap();
        assert!(links.contains(r#"xtargets="1 2;1 2""#) && links.contains(r#"xtargets=";3""#), "{links}");
        assert!(links.lines().filter(|l| l.starts_with("<link ")).count() == 2, "one link per line");
        let mut out = Vec::new();
        opus::write_sentences(&mut out, &src).unwrap();
        assert!(String::from_utf8(out).unwrap().contains(r#"<s id="2">第二&lt;句&gt;&amp;。</s>"#));
    }

    #[cfg(feature = "documents")]
    #[test]
    fn the_reader_shows_every_sentence_once_in_bead_rows() {
        let text = render(Format::Html);
        assert_eq!(text.matches(r#"class="row"#).count(), 2);
        assert_eq!(text.matches("<span class=\"s").count(), 5, "every sentence of both texts");
        assert!(text.contains(r#"class="s unpaired" data-b="1">Extra.</span>"#), "{text}");
    }

    #[test]
    fn one_translation_formats_refuse_several() {
        let (beads, src, tgt) = sample();
        let rows = MultiBead::merge(src.len(), &[beads.clone(), beads]);
        let mut out = Vec::new();
        assert!(write_versions(&mut out, Format::Xliff, &rows, &src, &[&tgt, &tgt]).is_err());
        write_versions(&mut out, Format::Tsv, &rows, &src, &[&tgt, &tgt]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().all(|l| l.split('\t').count() == 5), "{text}");
    }
}
