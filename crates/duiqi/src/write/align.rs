//! The `[src]:[tgt]` line format shared with Vecalign, Bertalign and the scorer.

use crate::document::Bead;
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead]) -> io::Result<()> {
    for bead in alignment {
        writeln!(out, "{}:{}", list(bead.src.clone()), list(bead.tgt.clone()))?;
    }
    Ok(())
}

fn list(range: std::ops::Range<usize>) -> String {
    let items: Vec<String> = range.map(|i| i.to_string()).collect();
    format!("[{}]", items.join(","))
}
