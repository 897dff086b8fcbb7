//! A side-by-side reader: one self-contained HTML file with the source and each
//! translation in columns, a row per bead so the columns stay level, paragraphs and
//! headings kept (a row that opens a paragraph is set apart; one that continues it runs
//! on), the sentences of a bead lit up together on hover.

use super::escape_xml;
use crate::document::MultiBead;
use crate::document::{Document, ParagraphKind};
use std::io::{self, Write};

const STYLE: &str = "body{margin:0;font:16px/1.6 Georgia,'Noto Serif CJK SC','Songti SC',serif;color:#222;background:#fbfaf7}\
header{padding:.8em 1.5em;border-bottom:1px solid #ddd;font:14px system-ui,sans-serif;color:#555}\
.row{display:grid;grid-template-columns:repeat(var(--columns),1fr);gap:2em;padding:0 1.5em}\
.row.opens{padding-top:.7em}.row>div>*{margin:0}.s{border-radius:3px;transition:background .1s}.s.on{background:#ffe28a}\
.li::before{content:'• ';color:#999}.note{font-size:.85em;color:#555}.cell{display:inline-block;margin-right:1.5em}\
.cue{font-family:system-ui,sans-serif}.cue time{color:#999;font-size:.75em;margin-right:.5em}.unpaired{color:#777}";

const SCRIPT: &str = "document.addEventListener('mouseover',e=>{const s=e.target.closest('.s');\
document.querySelectorAll('.s.on').forEach(x=>x.classList.remove('on'));\
if(s)document.querySelectorAll('.s[data-b=\"'+s.dataset.b+'\"]').forEach(x=>x.classList.add('on'))});";

/// Writes the reader for `rows` of `src` and its `versions`.
pub(crate) fn write(out: &mut dyn Write, rows: &[MultiBead], src: &Document, versions: &[&Document]) -> io::Result<()> {
    let documents: Vec<&Document> = std::iter::once(src).chain(versions.iter().copied()).collect();
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">", src.language_tag())?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out, "<meta name=\"generator\" content=\"duiqi {}\">", env!("CARGO_PKG_VERSION"))?;
    let tags: Vec<&str> = documents.iter().map(|d| d.language_tag()).collect();
    writeln!(out, "<title>duiqi: {}</title>\n<style>{STYLE}</style>\n</head>", tags.join(" · "))?;
    writeln!(out, "<body style=\"--columns:{}\">\n<header>{}</header>\n<main>", documents.len(), tags.join(" · "))?;
    let plain: Vec<bool> = documents.iter().map(|d| !d.sentences.iter().any(|s| s.starts_paragraph)).collect();
    for (k, row) in rows.iter().enumerate() {
        let opens = (0..documents.len()).any(|c| {
            let side = row.side(c);
            !side.is_empty() && (plain[c] || documents[c].sentences[side.start].starts_paragraph)
        });
        writeln!(out, "<div class=\"row{}\" id=\"b{k}\">", if opens { " opens" } else { "" })?;
        for (column, document) in documents.iter().enumerate() {
            write_cell(out, document, row, k, column, plain[column])?;
        }
        writeln!(out, "</div>")?;
    }
    writeln!(out, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>")
}

/// Side `column` (0: the source) of bead `k`: its sentences, each a span naming the bead,
/// in paragraphs (a new one wherever a sentence opens one; every sentence in a text
/// without paragraph marks).
fn write_cell(
    out: &mut dyn Write,
    document: &Document,
    row: &MultiBead,
    k: usize,
    column: usize,
    plain: bool,
) -> io::Result<()> {
    write!(out, "<div lang=\"{}\">", document.language_tag())?;
    let unpaired = (0..row.versions.len() + 1).any(|c| c != column && row.side(c).is_empty());
    let mut open: Option<&str> = None;
    for i in row.side(column) {
        if open.is_none() || plain || document.sentences[i].starts_paragraph {
            if let Some(tag) = open {
                write!(out, "</{tag}>")?;
            }
            let (tag, class, title) = element(document, i);
            write!(out, "<{tag}{class}>{title}")?;
            open = Some(tag);
        }
        let class = if unpaired { "s unpaired" } else { "s" };
        write!(out, "<span class=\"{class}\" data-b=\"{k}\">{}</span> ", escape_xml(&document.sentences[i].text))?;
    }
    if let Some(tag) = open {
        write!(out, "</{tag}>")?;
    }
    writeln!(out, "</div>")
}

/// The element that opens sentence `i`'s paragraph: tag, class attribute and, for a
/// subtitle cue, its timing.
fn element(document: &Document, i: usize) -> (&'static str, &'static str, String) {
    match document.paragraph_of(i).map(|p| p.kind) {
        Some(ParagraphKind::Heading(level)) => {
            (["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1], "", String::new())
        }
        Some(ParagraphKind::ListItem) => ("p", " class=\"li\"", String::new()),
        Some(ParagraphKind::TableCell) => ("p", " class=\"cell\"", String::new()),
        Some(ParagraphKind::Note) => ("p", " class=\"note\"", String::new()),
        Some(ParagraphKind::Cue { start_ms, .. }) => {
            ("p", " class=\"cue\"", format!("<time>{}</time>", clock(start_ms)))
        }
        _ => ("p", "", String::new()),
    }
}

fn clock(ms: u64) -> String {
    format!("{:02}:{:02}:{:02}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60)
}
