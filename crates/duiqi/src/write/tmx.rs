//! TMX 1.4b, the translation-memory exchange format. Every unit has both `<tuv>`s, source
//! first; a sentence without counterpart gets an empty `<seg/>` on the other side, so tools
//! that read a unit's first and second variant (translate-toolkit, CAT tools) see every
//! sentence.

use super::joined;
use crate::document::{Bead, Document};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        r#"  <header creationtool="duiqi" creationtoolversion="{}" datatype="plaintext" segtype="sentence" adminlang="en" srclang="{}" o-tmf="duiqi"/>"#,
        env!("CARGO_PKG_VERSION"),
        src.language_tag()
    )?;
    let tags = (src.language_tag(), tgt.language_tag());
    writeln!(out, "  <body>")?;
    for bead in alignment {
        writeln!(out, "    <tu>")?;
        for (document, range, tag) in [(src, &bead.src, tags.0), (tgt, &bead.tgt, tags.1)] {
            let text = escape(&joined(document, range.clone()));
            writeln!(out, r#"      <tuv xml:lang="{tag}"><seg>{text}</seg></tuv>"#)?;
        }
        writeln!(out, "    </tu>")?;
    }
    writeln!(out, "  </body>")?;
    writeln!(out, "</tmx>")
}

/// Escapes XML markup and drops characters XML 1.0 forbids.
fn escape(text: &str) -> String {
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
