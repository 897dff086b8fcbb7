//! What the fuzz targets check, shared with `crates/duiqi/tests/fuzz_seeds.rs`, which runs every input
//! in `fuzz/seeds/` through the same checks on each `cargo test`.

use duiqi::glossary::GlossaryOptions;
use duiqi::split::{split_sentences, split_text};
use duiqi::{Aligner, Error, Format, Language, ReadOptions, check_coverage, read_document, write_alignment};

const ENCODINGS: [Option<&str>; 6] =
    [None, Some("utf-8"), Some("gb18030"), Some("big5"), Some("utf-16le"), Some("utf-16be")];

fn without_space(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Bytes → document, through every decoding path and reader: the first byte picks the
/// encoding (or detection), the language (or detection), running text or one sentence
/// per line, and the name's extension.
pub fn read(data: &[u8]) {
    let Some((&mode, bytes)) = data.split_first() else { return };
    let encoding = ENCODINGS[usize::from(mode) % ENCODINGS.len()]
        .map(|label| duiqi::encoding_for_label(label).expect("a known label"));
    let language = match (mode / 8) % 3 {
        0 => None,
        1 => Some(Language::Chinese),
        _ => Some(Language::English),
    };
    let presplit = mode & 0x80 != 0;
    // The name's extension picks a text reader (the bytes pick zip, PDF, HTML or WebVTT).
    let name = ["fuzz", "fuzz.md", "fuzz.srt", "fuzz.html"][usize::from(mode >> 5) & 3];
    match read_document(bytes, name, &ReadOptions { encoding, language, presplit, ..Default::default() }) {
        Ok(document) => {
            assert!(!document.sentences.is_empty());
            let mut next = 0;
            for paragraph in &document.paragraphs {
                assert_eq!(paragraph.sentences.start, next, "paragraphs cover the sentences in order");
                assert!(!paragraph.sentences.is_empty());
                assert!(document.text.get(paragraph.span.clone()).is_some(), "a paragraph span on the text");
                next = paragraph.sentences.end;
            }
            assert!(document.paragraphs.is_empty() || next == document.sentences.len());
            let mut previous_end = 0;
            for sentence in &document.sentences {
                assert_eq!(sentence.text.trim(), sentence.text, "sentences are trimmed");
                assert!(presplit || !sentence.text.is_empty(), "running text has no empty sentence");
                let there = document.text.get(sentence.span.clone()).expect("a span on character boundaries");
                assert_eq!(without_space(there), without_space(&sentence.text), "the span holds the sentence");
                assert!(sentence.span.start >= previous_end, "spans in order");
                previous_end = sentence.span.end;
            }
        }
        Err(error) => assert!(!error.to_string().is_empty() && !matches!(error, Error::Io { .. })),
    }
}

/// Both sentence splitters: no character lost or added (sentences are the text, cut and
/// trimmed), no empty sentence.
pub fn split(text: &str) {
    for pieces in [split_sentences(text, Language::Chinese), split_sentences(text, Language::English)] {
        assert_eq!(without_space(&pieces.concat()), without_space(text));
        assert!(pieces.iter().all(|p| !p.is_empty() && p.trim() == *p));
    }
    for language in [Language::Chinese, Language::English] {
        let sentences = split_text(text, language);
        let joined: String = sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(without_space(&joined), without_space(text));
    }
}

/// A small pair (Chinese, a 0xFF byte, English; the first byte picks running text or
/// lines, the direction and the glossary's scope): every sentence of both sides in exactly
/// one bead, in order; every output format and the glossary written whole.
pub fn align(aligner: &Aligner, data: &[u8]) {
    let Some((&mode, bytes)) = data.split_first() else { return };
    let cut = bytes.iter().position(|&b| b == 0xFF).unwrap_or(bytes.len() / 2);
    let (zh, en) = (&bytes[..cut], bytes.get(cut + 1..).unwrap_or_default());
    let read = |bytes: &[u8], language| {
        let options = ReadOptions { language: Some(language), presplit: mode & 1 != 0, ..ReadOptions::default() };
        read_document(bytes, "fuzz", &options).ok()
    };
    let (Some(zh), Some(en)) = (read(zh, Language::Chinese), read(en, Language::English)) else { return };
    let (src, tgt) = if mode & 2 != 0 { (&en, &zh) } else { (&zh, &en) };
    let alignment = aligner.align(src, tgt);
    if let Err(problem) = check_coverage(&alignment, src.len(), tgt.len()) {
        panic!("{problem}");
    }
    assert!(alignment.iter().all(|bead| bead.score.is_finite()));
    for format in [Format::Align, Format::Tsv, Format::Jsonl, Format::Tmx] {
        let mut out = Vec::new();
        write_alignment(&mut out, format, &alignment, src, tgt).expect("writing to memory");
        let text = String::from_utf8(out).expect("UTF-8 output");
        let units = match format {
            Format::Tmx => text.matches("<tu>").count(),
            _ => text.lines().count(),
        };
        assert_eq!(units, alignment.len(), "{format:?}: one unit per bead");
        if format == Format::Jsonl {
            let (mut next_src, mut next_tgt) = (0, 0);
            for line in text.lines() {
                let bead: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                for (key, next) in [("src", &mut next_src), ("tgt", &mut next_tgt)] {
                    for index in bead[key].as_array().expect("an index array") {
                        assert_eq!(index.as_u64(), Some(*next as u64));
                        *next += 1;
                    }
                }
            }
            assert_eq!((next_src, next_tgt), (src.len(), tgt.len()));
        }
    }
    let terms = aligner.glossary(src, tgt, &alignment, GlossaryOptions { all_words: mode & 4 != 0 });
    duiqi::glossary::write_tsv(&mut Vec::new(), &terms).expect("writing to memory");
}

/// Bytes → corpus counts or lexicon (what a cluster sends between machines): refused or
/// read; what is read learns, merges and writes back to the same.
pub fn corpus(data: &[u8]) {
    if let Some(counts) = duiqi::CorpusCounts::from_bytes(data) {
        let lexicon = counts.lexicon();
        let again = duiqi::CorpusCounts::from_bytes(&counts.to_bytes()).expect("written counts read back");
        assert!(again.lexicon() == lexicon);
        let mut doubled = counts.clone();
        doubled.merge(&counts);
        assert_eq!(doubled.beads(), 2 * counts.beads());
        doubled.lexicon();
    }
    if let Some(lexicon) = duiqi::CorpusLexicon::from_bytes(data) {
        let written = lexicon.to_bytes();
        assert_eq!(duiqi::CorpusLexicon::from_bytes(&written).map(|l| l.to_bytes()), Some(written));
    }
}
