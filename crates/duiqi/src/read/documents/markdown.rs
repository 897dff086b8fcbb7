//! Markdown (CommonMark with tables and footnotes, through pulldown-cmark): paragraphs,
//! headings, list items and table cells in order, footnotes at the end; code blocks,
//! raw HTML and front matter dropped.

use super::{Block, Paragraphs};
use crate::document::ParagraphKind;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub(super) fn read(text: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let (mut out, mut notes) = (Paragraphs::default(), Paragraphs::default());
    // Open containers that give a paragraph its kind, innermost last.
    let mut kinds: Vec<ParagraphKind> = Vec::new();
    let (mut in_note, mut skipped) = (0, 0);
    for event in Parser::new_ext(text, options) {
        let target = if in_note > 0 { &mut notes } else { &mut out };
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) | Tag::Image { .. }) => {
                skipped += 1
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) | TagEnd::Image) => {
                skipped -= 1
            }
            Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
            Event::End(TagEnd::FootnoteDefinition) => {
                in_note -= 1;
                notes.close(ParagraphKind::Note);
            }
            Event::Start(Tag::Heading { level, .. }) => kinds.push(ParagraphKind::Heading(level as u8)),
            Event::Start(Tag::Item) => kinds.push(ParagraphKind::ListItem),
            Event::Start(Tag::TableCell) => kinds.push(ParagraphKind::TableCell),
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                let kind = kinds.pop().unwrap_or(ParagraphKind::Text);
                target.close(kind);
            }
            Event::End(TagEnd::Paragraph) if in_note > 0 => notes.text(" "),
            Event::End(TagEnd::Paragraph) => out.close(kinds.last().copied().unwrap_or(ParagraphKind::Text)),
            // A paragraph inside a list item closes the item's text before a nested list.
            Event::Start(Tag::List(_)) if in_note == 0 => {
                out.close(kinds.last().copied().unwrap_or(ParagraphKind::Text))
            }
            Event::Text(text) | Event::Code(text) if skipped == 0 => target.text(&text),
            Event::SoftBreak | Event::HardBreak if skipped == 0 => target.text(" "),
            _ => {}
        }
    }
    out.close(ParagraphKind::Text);
    out.blocks.extend(notes.blocks);
    out.blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParagraphKind::*;

    #[test]
    fn markdown_structure() {
        let text = "---\ntitle: x\n---\n# Title\n\nSome *emphasis* and a [link](https://example.org).[^1]\nSecond line.\n\n- one\n- two\n  - nested\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n```\n\n[^1]: The note.\n";
        let blocks: Vec<(ParagraphKind, String)> = read(text).into_iter().map(|b| (b.kind, b.text)).collect();
        let expected = [
            (Heading(1), "Title"),
            (Text, "Some emphasis and a link. Second line."),
            (ListItem, "one"),
            (ListItem, "two"),
            (ListItem, "nested"),
            (TableCell, "a"),
            (TableCell, "b"),
            (TableCell, "c"),
            (TableCell, "d"),
            (Note, "The note."),
        ];
        assert_eq!(blocks, expected.map(|(k, t)| (k, t.to_string())));
    }
}
