//! Tab-separated source text, target text and score, one bead per line.

use super::joined;
use crate::document::{Bead, Document, MultiBead};
use std::io::{self, Write};

/// Tabs and every character some reader takes for a line break become spaces.
fn clean(text: String) -> String {
    text.replace(['\t', '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'], " ")
}

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    for bead in alignment {
        let (s, t) = (clean(joined(src, bead.src.clone())), clean(joined(tgt, bead.tgt.clone())));
        writeln!(out, "{s}\t{t}\t{:.4}", bead.score)?;
    }
    Ok(())
}

/// The source, each translation, then each translation's score, tab-separated.
pub(super) fn write_versions(
    out: &mut dyn Write,
    rows: &[MultiBead],
    src: &Document,
    versions: &[&Document],
) -> io::Result<()> {
    for row in rows {
        let mut fields = vec![clean(joined(src, row.src.clone()))];
        fields.extend(versions.iter().zip(&row.versions).map(|(d, r)| clean(joined(d, r.clone()))));
        fields.extend(row.scores.iter().map(|s| format!("{s:.4}")));
        writeln!(out, "{}", fields.join("\t"))?;
    }
    Ok(())
}
