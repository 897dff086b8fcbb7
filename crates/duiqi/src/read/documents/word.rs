//! Word (.docx): the body's paragraphs, headings by their style's outline level, list
//! items, table cells, then footnotes and endnotes; tracked changes accepted (insertions
//! kept, deletions dropped).

use super::xml::{Node, walk};
use super::{Block, Container, Paragraphs};
use crate::document::ParagraphKind;
use std::collections::HashMap;

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let mut container = Container::open(bytes)?;
    let headings = match container.optional_text("word/styles.xml")? {
        Some(styles) => heading_styles(&styles)?,
        None => HashMap::new(),
    };
    let mut blocks = paragraphs(&container.text("word/document.xml")?, &headings, None)?;
    for notes in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(xml) = container.optional_text(notes)? {
            blocks.extend(paragraphs(&xml, &headings, Some(["footnote", "endnote"]))?);
        }
    }
    Ok(blocks)
}

/// The paragraphs of a part. With `notes`, each note element (its separators excepted)
/// becomes one note paragraph.
fn paragraphs(xml: &str, headings: &HashMap<String, u8>, notes: Option<[&str; 2]>) -> Result<Vec<Block>, String> {
    let mut out = Paragraphs::default();
    let mut kind = ParagraphKind::Text;
    let (mut in_text, mut deleted, mut cells, mut skipped_note) = (false, 0, 0, false);
    walk(xml, |node| match node {
        Node::Open { name, .. } => match name.as_str() {
            "p" if cells == 0 && notes.is_none() => kind = ParagraphKind::Text,
            "t" => in_text = true,
            "tab" | "br" | "cr" if deleted == 0 => out.text(" "),
            "del" | "moveFrom" => deleted += 1,
            "tc" => cells += 1,
            "pStyle" => {
                if let Some(&level) = node.attribute("val").and_then(|style| headings.get(style)) {
                    kind = ParagraphKind::Heading(level);
                }
            }
            "outlineLvl" => {
                if let Some(level) = node.attribute("val").and_then(|v| v.parse::<u8>().ok()).filter(|&l| l < 9) {
                    kind = ParagraphKind::Heading(level + 1);
                }
            }
            "numPr" if !matches!(kind, ParagraphKind::Heading(_)) => kind = ParagraphKind::ListItem,
            n if notes.is_some_and(|names| names.contains(&n)) => {
                skipped_note = node.attribute("type").is_some_and(|t| t != "normal");
            }
            _ => {}
        },
        Node::Close { name } => match name.as_str() {
            "t" => in_text = false,
            "del" | "moveFrom" => deleted -= 1,
            "p" if cells > 0 || notes.is_some() => out.text(" "),
            "p" => out.close(kind),
            "tc" => {
                cells -= 1;
                if notes.is_none() {
                    out.close(ParagraphKind::TableCell);
                }
            }
            n if notes.is_some_and(|names| names.contains(&n)) => {
                if skipped_note {
                    out.current.clear();
                }
                out.close(ParagraphKind::Note);
            }
            _ => {}
        },
        Node::Text(text) if in_text && deleted == 0 => out.text(text),
        Node::Text(_) => {}
    })?;
    Ok(out.blocks)
}

/// Style id → heading level, for paragraph styles with an outline level or named
/// "heading N" / "Title" (ids are localised, names are not).
fn heading_styles(xml: &str) -> Result<HashMap<String, u8>, String> {
    let mut levels = HashMap::new();
    let mut style: Option<String> = None;
    walk(xml, |node| match node {
        Node::Open { name, .. } if name == "style" => style = node.attribute("styleId").map(str::to_string),
        Node::Open { name, .. } if name == "name" => {
            let value = node.attribute("val").unwrap_or_default().to_ascii_lowercase();
            let level = match value.strip_prefix("heading ") {
                Some(n) => n.parse::<u8>().ok(),
                None => (value == "title").then_some(1),
            };
            if let (Some(id), Some(level)) = (&style, level) {
                levels.insert(id.clone(), level);
            }
        }
        Node::Open { name, .. } if name == "outlineLvl" => {
            let level = node.attribute("val").and_then(|v| v.parse::<u8>().ok()).filter(|&l| l < 9);
            if let (Some(id), Some(level)) = (&style, level) {
                levels.insert(id.clone(), level + 1);
            }
        }
        Node::Close { name } if name == "style" => style = None,
        _ => {}
    })?;
    Ok(levels)
}
