//! One JSON object per line: indices, texts and score of each bead.

use super::joined;
use crate::document::{Bead, Document, MultiBead, ParagraphKind};
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
        let mut object = object;
        // Subtitles: when the bead's sentences are shown.
        for (key, document, range) in [("src_time", src, &bead.src), ("tgt_time", tgt, &bead.tgt)] {
            if let Some(time) = cue_time(document, range.clone()) {
                object[key] = json!(time);
            }
        }
        writeln!(out, "{object}")?;
    }
    Ok(())
}

/// From the first sentence's cue start to the last one's cue end, in milliseconds.
fn cue_time(document: &Document, range: std::ops::Range<usize>) -> Option<[u64; 2]> {
    let cue = |i: usize| match document.paragraph_of(i)?.kind {
        ParagraphKind::Cue { start_ms, end_ms } => Some((start_ms, end_ms)),
        _ => None,
    };
    let (first, last) = (cue(range.start)?, cue(range.end.checked_sub(1)?)?);
    Some([first.0, last.1])
}

/// One object per row: the source and each translation's indices and texts, and scores.
pub(super) fn write_versions(
    out: &mut dyn Write,
    rows: &[MultiBead],
    src: &Document,
    versions: &[&Document],
) -> io::Result<()> {
    for row in rows {
        let object = json!({
            "src": row.src.clone().collect::<Vec<_>>(),
            "src_text": joined(src, row.src.clone()),
            "versions": row.versions.iter().map(|r| r.clone().collect::<Vec<_>>()).collect::<Vec<_>>(),
            "version_texts": versions.iter().zip(&row.versions).map(|(d, r)| joined(d, r.clone())).collect::<Vec<_>>(),
            "scores": row.scores.iter().map(|s| (s * 1e4).round() / 1e4).collect::<Vec<_>>(),
        });
        writeln!(out, "{object}")?;
    }
    Ok(())
}
