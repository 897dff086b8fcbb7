//! One JSON object per line: indices, texts and score of each bead.

use super::joined;
use crate::document::{Bead, Document};
use serde_json::json;
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    for bead in alignment {
        let object = json!({
            "src": bead.src.clone().collect::<Vec<_>>(),
            "tgt": bead.tgt.clone().collect::<Vec<_>>(),
            "src_text": joined(src, bead.src.clone()),
            "tgt_text": joined(tgt, bead.tgt.clone()),
            "score": (bead.score * 1e4).round() / 1e4,
        });
        writeln!(out, "{object}")?;
    }
    Ok(())
}
