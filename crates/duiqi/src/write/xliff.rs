//! XLIFF 2.1, the bilingual exchange format of CAT tools: one `<unit>` per bead, its
//! source and target in one `<segment>`, the score in a note. Valid against the OASIS
//! schema (checked in CI with xmllint).

use super::{escape_xml, joined};
use crate::document::{Bead, Document};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="{}" trgLang="{}">"#,
        src.language_tag(),
        tgt.language_tag()
    )?;
    writeln!(out, r#"  <file id="f1" original="duiqi">"#)?;
    for (k, bead) in alignment.iter().enumerate() {
        let id = k + 1;
        writeln!(out, r#"    <unit id="u{id}">"#)?;
        writeln!(out, r#"      <notes><note category="duiqi-score">{:.4}</note></notes>"#, bead.score)?;
        // A sentence left unpaired has no translation: its segment is still to translate.
        let state = if bead.src.is_empty() || bead.tgt.is_empty() { "initial" } else { "translated" };
        writeln!(out, r#"      <segment id="s{id}" state="{state}">"#)?;
        writeln!(out, "        <source>{}</source>", escape_xml(&joined(src, bead.src.clone())))?;
        if !bead.tgt.is_empty() {
            writeln!(out, "        <target>{}</target>", escape_xml(&joined(tgt, bead.tgt.clone())))?;
        }
        writeln!(out, "      </segment>")?;
        writeln!(out, "    </unit>")?;
    }
    writeln!(out, "  </file>")?;
    writeln!(out, "</xliff>")
}
