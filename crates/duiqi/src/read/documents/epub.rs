//! EPUB (2 and 3): the spine's XHTML documents in reading order, read as HTML (so notes
//! marked `epub:type="footnote"` are notes). A book whose text is encrypted (DRM) is
//! refused with a message; fonts obfuscated as the standard allows are not DRM.

use super::xml::{Node, walk};
use super::{Block, Container, html};
use std::collections::HashMap;

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let mut container = Container::open(bytes)?;
    let package = rootfile(&container.text("META-INF/container.xml")?)?;
    let encrypted = encrypted_files(&container.optional_text("META-INF/encryption.xml")?.unwrap_or_default())?;
    if container.has("META-INF/rights.xml") || encrypted.iter().any(|f| !is_font(f)) {
        return Err("it is protected by DRM (its text is encrypted); duiqi can read only DRM-free books".into());
    }
    let opf = container.text(&package)?;
    let base = package.rsplit_once('/').map(|(dir, _)| format!("{dir}/")).unwrap_or_default();
    let mut blocks = Vec::new();
    for href in spine(&opf)? {
        let path = resolve(&base, &href);
        let text = container.text(&path)?;
        blocks.extend(html::read(&text));
    }
    Ok(blocks)
}

/// The package document's path, from `META-INF/container.xml`.
fn rootfile(xml: &str) -> Result<String, String> {
    let mut path = None;
    walk(xml, |node| {
        if let Node::Open { name, .. } = node
            && name == "rootfile"
            && path.is_none()
        {
            path = node.attribute("full-path").map(str::to_string);
        }
    })?;
    path.ok_or_else(|| "its container.xml names no package document; the book is damaged".to_string())
}

/// The spine's documents (hrefs relative to the package document), in reading order;
/// non-linear items (pop-ups, answers) come after the linear ones, as readers show them.
fn spine(opf: &str) -> Result<Vec<String>, String> {
    let mut manifest: HashMap<String, (String, String)> = HashMap::new();
    let mut order: Vec<(String, bool)> = Vec::new();
    walk(opf, |node| match node {
        Node::Open { name, .. } if name == "item" => {
            if let (Some(id), Some(href)) = (node.attribute("id"), node.attribute("href")) {
                let media = node.attribute("media-type").unwrap_or_default().to_string();
                manifest.insert(id.to_string(), (href.to_string(), media));
            }
        }
        Node::Open { name, .. } if name == "itemref" => {
            if let Some(id) = node.attribute("idref") {
                order.push((id.to_string(), node.attribute("linear") != Some("no")));
            }
        }
        _ => {}
    })?;
    let (linear, rest): (Vec<_>, Vec<_>) = order.into_iter().partition(|(_, linear)| *linear);
    let documents: Vec<String> = linear
        .into_iter()
        .chain(rest)
        .filter_map(|(id, _)| manifest.get(&id))
        .filter(|(_, media)| media.contains("html") || media.is_empty())
        .map(|(href, _)| href.clone())
        .collect();
    if documents.is_empty() {
        return Err("its spine lists no document; the book is damaged".into());
    }
    Ok(documents)
}

/// The files `META-INF/encryption.xml` says are encrypted.
fn encrypted_files(xml: &str) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    if !xml.is_empty() {
        walk(xml, |node| {
            if let Node::Open { name, .. } = node
                && name == "CipherReference"
                && let Some(uri) = node.attribute("URI")
            {
                files.push(uri.to_string());
            }
        })?;
    }
    Ok(files)
}

fn is_font(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".ttf", ".otf", ".woff", ".woff2"].iter().any(|e| lower.ends_with(e))
}

/// `href` (percent-encoded, relative to the directory `base`) as a path in the zip.
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    for part in format!("{base}{}", percent_decode(href)).split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part.to_string()),
        }
    }
    parts.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_against_the_package() {
        assert_eq!(resolve("OEBPS/", "Text/ch%201.xhtml#top"), "OEBPS/Text/ch 1.xhtml");
        assert_eq!(resolve("OEBPS/Text/", "../ch.xhtml"), "OEBPS/ch.xhtml");
        assert_eq!(resolve("", "ch.xhtml"), "ch.xhtml");
    }
}
