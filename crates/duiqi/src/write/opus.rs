//! XCES `cesAlign`, the stand-off alignment OPUS distributes: a link file naming two
//! sentence documents (`<s id="1">…</s>`, ids from 1) and, per bead, the ids on each side
//! (`xtargets="1 2;1"`, a side may be empty). OPUS-tools (`opus_read -af`) reads it.

use super::escape_xml;
use crate::document::{Bead, Document};
use std::io::{self, Write};

/// Writes the link file; `from_doc` and `to_doc` are the sentence documents' paths as
/// readers will resolve them (relative to the link file's directory, for `opus_read`).
pub fn write_links(out: &mut dyn Write, alignment: &[Bead], from_doc: &str, to_doc: &str) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="utf-8"?>"#)?;
    writeln!(out, r#"<!DOCTYPE cesAlign PUBLIC "-//CES//DTD XML cesAlign//EN" "">"#)?;
    writeln!(out, r#"<cesAlign version="1.0">"#)?;
    writeln!(out, r#"<linkGrp targType="s" fromDoc="{}" toDoc="{}">"#, escape_xml(from_doc), escape_xml(to_doc))?;
    let ids = |range: &std::ops::Range<usize>| range.clone().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(" ");
    for (k, bead) in alignment.iter().enumerate() {
        // One link per line: opus_read parses line by line.
        writeln!(
            out,
            r#"<link id="SL{}" xtargets="{};{}" certainty="{:.4}" />"#,
            k + 1,
            ids(&bead.src),
            ids(&bead.tgt),
            bead.score
        )?;
    }
    writeln!(out, "</linkGrp>")?;
    writeln!(out, "</cesAlign>")
}

/// Writes a sentence document: each sentence an `<s>` with its 1-based number as id,
/// paragraphs as `<p>`.
pub fn write_sentences(out: &mut dyn Write, document: &Document) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="utf-8"?>"#)?;
    writeln!(out, r#"<document xml:lang="{}">"#, document.language_tag())?;
    let mut open = false;
    for (i, sentence) in document.sentences.iter().enumerate() {
        if sentence.starts_paragraph || i == 0 {
            if open {
                writeln!(out, "</p>")?;
            }
            writeln!(out, "<p>")?;
            open = true;
        }
        writeln!(out, r#"<s id="{}">{}</s>"#, i + 1, escape_xml(&sentence.text))?;
    }
    if open {
        writeln!(out, "</p>")?;
    }
    writeln!(out, "</document>")
}
