//! Tab-separated source text, target text and score, one bead per line.

use super::joined;
use crate::document::{Bead, Document};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    // Tabs and every character some reader takes for a line break become spaces.
    let clean =
        |text: String| text.replace(['\t', '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'], " ");
    for bead in alignment {
        let (s, t) = (clean(joined(src, bead.src.clone())), clean(joined(tgt, bead.tgt.clone())));
        writeln!(out, "{s}\t{t}\t{:.4}", bead.score)?;
    }
    Ok(())
}
