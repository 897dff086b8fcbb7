//! TMX 1.4b, the translation-memory exchange format. Every unit has a `<tuv>` for every
//! text, source first; a sentence without counterpart gets an empty `<seg/>` on the other
//! sides, so tools that read a unit's first and second variant (translate-toolkit, CAT
//! tools) see every sentence. Several translations of one source give one unit per row.

use super::{escape_xml, joined};
use crate::document::{Document, MultiBead};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, rows: &[MultiBead], src: &Document, versions: &[&Document]) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        r#"  <header creationtool="duiqi" creationtoolversion="{}" datatype="plaintext" segtype="sentence" adminlang="en" srclang="{}" o-tmf="duiqi"/>"#,
        env!("CARGO_PKG_VERSION"),
        src.language_tag()
    )?;
    let documents: Vec<&Document> = std::iter::once(src).chain(versions.iter().copied()).collect();
    let tags: Vec<&str> = documents.iter().map(|d| d.language_tag()).collect();
    writeln!(out, "  <body>")?;
    for row in rows {
        writeln!(out, "    <tu>")?;
        for (column, document) in documents.iter().enumerate() {
            let text = escape_xml(&joined(document, row.side(column)));
            writeln!(out, r#"      <tuv xml:lang="{}"><seg>{text}</seg></tuv>"#, tags[column])?;
        }
        writeln!(out, "    </tu>")?;
    }
    writeln!(out, "  </body>")?;
    writeln!(out, "</tmx>")
}
