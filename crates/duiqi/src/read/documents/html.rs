//! HTML (and the XHTML of EPUB books): block elements are paragraphs; headings, list
//! items, table cells and notes keep their kind; scripts, styles, navigation, hidden
//! elements and note markers (the "1" of a note reference, the "↩" back to the text) are
//! dropped. html5ever (through scraper) parses the page as a browser would.

use super::{Block, Paragraphs};
use crate::document::ParagraphKind;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

pub(super) fn read(text: &str) -> Vec<Block> {
    let page = Html::parse_document(text);
    let mut out = Paragraphs::default();
    // The kind of each open block element, innermost last; a skipped subtree's depth.
    let mut kinds = vec![ParagraphKind::Text];
    let mut skipped = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    if skipped > 0 || skips(element) {
                        skipped += 1;
                        continue;
                    }
                    let name = element.name();
                    if name == "br" {
                        out.text(" ");
                    }
                    if let Some(kind) = block_kind(element, *kinds.last().expect("never empty")) {
                        out.close(*kinds.last().expect("never empty"));
                        kinds.push(kind);
                    }
                }
                Node::Text(text) if skipped == 0 => out.text(text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    if skipped > 0 {
                        skipped -= 1;
                        continue;
                    }
                    if block_kind(element, ParagraphKind::Text).is_some() {
                        out.close(kinds.pop().expect("opened"));
                    }
                }
            }
        }
    }
    out.close(ParagraphKind::Text);
    out.blocks
}

/// Elements whose content is not text to align.
fn skips(element: &scraper::node::Element) -> bool {
    let role = element.attr("role").unwrap_or_default();
    let epub_type = element.attr("epub:type").unwrap_or_default();
    matches!(
        element.name(),
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "canvas"
            | "select"
            | "textarea"
            | "button"
    ) || matches!(role, "navigation" | "doc-backlink" | "doc-noteref")
        || epub_type.split_whitespace().any(|t| t == "noteref" || t == "toc")
        || element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
}

/// The kind of paragraph a block element starts (inside `parent`), `None` for inline
/// elements.
fn block_kind(element: &scraper::node::Element, parent: ParagraphKind) -> Option<ParagraphKind> {
    let note = matches!(element.attr("role"), Some("doc-footnote" | "doc-endnote" | "doc-endnotes" | "note"))
        || element.attr("epub:type").is_some_and(|t| {
            t.split_whitespace().any(|t| matches!(t, "footnote" | "endnote" | "endnotes" | "footnotes" | "rearnote"))
        });
    if note {
        return Some(ParagraphKind::Note);
    }
    let name = element.name();
    let inherited = match parent {
        ParagraphKind::Heading(_) => ParagraphKind::Text,
        other => other,
    };
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(ParagraphKind::Heading(name.as_bytes()[1] - b'0')),
        "li" | "dt" | "dd" if parent != ParagraphKind::Note => Some(ParagraphKind::ListItem),
        "td" | "th" => Some(ParagraphKind::TableCell),
        "p" | "div" | "li" | "dt" | "dd" | "blockquote" | "pre" | "section" | "article" | "main" | "aside"
        | "header" | "footer" | "figure" | "figcaption" | "caption" | "address" | "ul" | "ol" | "dl" | "table"
        | "tr" | "body" | "hr" | "center" | "details" | "summary" | "fieldset" | "legend" => Some(inherited),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(html: &str) -> Vec<(ParagraphKind, String)> {
        read(html).into_iter().map(|b| (b.kind, b.text)).collect()
    }

    #[test]
    fn blocks_keep_their_kind_and_chrome_is_dropped() {
        let page = r##"<!doctype html><html><head><title>T</title><style>p{}</style></head><body>
            <nav><a href="/">Home</a></nav><script>var x = 1;</script>
            <h1>The  title</h1><p>First <em>para</em>graph.<br>Next line.</p>
            <ul><li>One</li><li><p>Two</p></li></ul>
            <table><tr><td>A</td><th>B</th></tr></table>
            <p>Text<a role="doc-noteref" href="#fn1"><sup>1</sup></a> goes on.</p>
            <section role="doc-endnotes"><ol><li id="fn1"><p>A note.<a role="doc-backlink" href="#r">↩</a></p></li></ol></section>
            <p hidden>Hidden.</p></body></html>"##;
        use ParagraphKind::*;
        let expected = [
            (Heading(1), "The title"),
            (Text, "First paragraph. Next line."),
            (ListItem, "One"),
            (ListItem, "Two"),
            (TableCell, "A"),
            (TableCell, "B"),
            (Text, "Text goes on."),
            (Note, "A note."),
        ];
        let expected: Vec<(ParagraphKind, String)> = expected.iter().map(|(k, t)| (*k, t.to_string())).collect();
        assert_eq!(kinds_and_texts(page), expected);
    }

    #[test]
    fn chinese_wrapped_in_the_source_has_no_spaces() {
        assert_eq!(kinds_and_texts("<p>中文在源码里\n   换行了。</p>")[0].1, "中文在源码里换行了。");
    }
}
