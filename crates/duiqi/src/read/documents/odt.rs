//! OpenDocument text (.odt): the body's paragraphs and headings (with their outline level),
//! list items, table cells, then the notes; tracked changes accepted (the deletions kept
//! in `text:tracked-changes` are dropped), annotations dropped.

use super::xml::{Node, walk};
use super::{Block, Container, Paragraphs};
use crate::document::ParagraphKind;

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let mut container = Container::open(bytes)?;
    body(&container.text("content.xml")?)
}

fn body(xml: &str) -> Result<Vec<Block>, String> {
    let mut out = Paragraphs::default();
    let mut notes = Paragraphs::default();
    // Depths of the elements that change how text is read.
    let (mut skipped, mut in_note, mut cells, mut items) = (0, 0, 0, 0);
    let mut heading: Option<u8> = None;
    walk(xml, |node| match node {
        Node::Open { name, .. } => match name.as_str() {
            "tracked-changes" | "annotation" | "note-citation" => skipped += 1,
            "note-body" => in_note += 1,
            "table-cell" => cells += 1,
            "list-item" => items += 1,
            "h" if in_note == 0 => {
                heading = Some(node.attribute("outline-level").and_then(|l| l.parse().ok()).unwrap_or(1));
            }
            "s" if skipped == 0 => {
                let count = node.attribute("c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1).min(100);
                let target = if in_note > 0 { &mut notes } else { &mut out };
                target.text(&" ".repeat(count));
            }
            "tab" | "line-break" if skipped == 0 => (if in_note > 0 { &mut notes } else { &mut out }).text(" "),
            _ => {}
        },
        Node::Close { name } => match name.as_str() {
            "tracked-changes" | "annotation" | "note-citation" => skipped -= 1,
            "note-body" => {
                in_note -= 1;
                notes.close(ParagraphKind::Note);
            }
            "p" | "h" if in_note > 0 => notes.text(" "),
            "p" | "h" if cells > 0 => out.text(" "),
            "p" | "h" => {
                let kind = match heading.take() {
                    Some(level) => ParagraphKind::Heading(level),
                    None if items > 0 => ParagraphKind::ListItem,
                    None => ParagraphKind::Text,
                };
                out.close(kind);
            }
            "table-cell" => {
                cells -= 1;
                if cells == 0 {
                    out.close(ParagraphKind::TableCell);
                }
            }
            "list-item" => items -= 1,
            _ => {}
        },
        Node::Text(text) if skipped == 0 => (if in_note > 0 { &mut notes } else { &mut out }).text(text),
        Node::Text(_) => {}
    })?;
    out.blocks.extend(notes.blocks);
    Ok(out.blocks)
}
