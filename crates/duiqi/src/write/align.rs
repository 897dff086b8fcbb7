//! The `[src]:[tgt]` line format shared with Vecalign, Bertalign and the scorer; with
//! several translations, `[src]:[first]:[second]…`.

use crate::document::{Bead, MultiBead};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead]) -> io::Result<()> {
    for bead in alignment {
        writeln!(out, "{}:{}", list(bead.src.clone()), list(bead.tgt.clone()))?;
    }
    Ok(())
}

pub(super) fn write_versions(out: &mut dyn Write, rows: &[MultiBead]) -> io::Result<()> {
    for row in rows {
        let sides: Vec<String> = (0..=row.versions.len()).map(|c| list(row.side(c))).collect();
        writeln!(out, "{}", sides.join(":"))?;
    }
    Ok(())
}

fn list(range: std::ops::Range<usize>) -> String {
    let items: Vec<String> = range.map(|i| i.to_string()).collect();
    format!("[{}]", items.join(","))
}
