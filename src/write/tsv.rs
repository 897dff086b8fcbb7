//! Tab-separated source text, target text and score, one bead per line.

use super::joined;
use crate::document::{Bead, Document};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    let clean = |text: String| text.replace(['\t', '\n', '\r'], " ");
    for bead in alignment {
        let (s, t) = (clean(joined(src, bead.src.clone())), clean(joined(tgt, bead.tgt.clone())));
        writeln!(out, "{s}\t{t}\t{:.4}", bead.score)?;
    }
    Ok(())
}
