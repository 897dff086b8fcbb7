//! Which reader an input needs: told from its first bytes (containers, PDF, HTML, WebVTT),
//! then from its name's extension; plain text otherwise.

#[cfg(feature = "documents")]
use std::io::Read;

/// The formats duiqi reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// Plain text: paragraphs separated by blank lines.
    Text,
    /// Word (Office Open XML) documents.
    Docx,
    /// OpenDocument text (LibreOffice).
    Odt,
    /// EPUB books (2 and 3).
    Epub,
    /// Web pages.
    Html,
    /// Markdown (CommonMark with tables and footnotes).
    Markdown,
    /// SubRip subtitles.
    Srt,
    /// WebVTT subtitles.
    Vtt,
    /// PDF with a text layer.
    Pdf,
}

impl InputFormat {
    /// Every format, for messages and help.
    pub const ALL: [InputFormat; 9] = [
        InputFormat::Text,
        InputFormat::Docx,
        InputFormat::Odt,
        InputFormat::Epub,
        InputFormat::Html,
        InputFormat::Markdown,
        InputFormat::Srt,
        InputFormat::Vtt,
        InputFormat::Pdf,
    ];

    /// Its name on the command line and in messages ("docx", "pdf"…).
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Docx => "docx",
            InputFormat::Odt => "odt",
            InputFormat::Epub => "epub",
            InputFormat::Html => "html",
            InputFormat::Markdown => "md",
            InputFormat::Srt => "srt",
            InputFormat::Vtt => "vtt",
            InputFormat::Pdf => "pdf",
        }
    }

    /// Parses a format name or file extension (`txt`, `htm`, `markdown` included).
    pub fn from_name(name: &str) -> Option<InputFormat> {
        match name.to_ascii_lowercase().trim_start_matches('.') {
            "text" | "txt" => Some(InputFormat::Text),
            "docx" => Some(InputFormat::Docx),
            "odt" => Some(InputFormat::Odt),
            "epub" => Some(InputFormat::Epub),
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "md" | "markdown" => Some(InputFormat::Markdown),
            "srt" => Some(InputFormat::Srt),
            "vtt" => Some(InputFormat::Vtt),
            "pdf" => Some(InputFormat::Pdf),
            _ => None,
        }
    }

    /// The format of `bytes` read from `name`: the bytes decide when they tell (a zip's
    /// contents, `%PDF`, an HTML or WebVTT start, an OLE container for a locked Office
    /// file), else the extension; plain text when neither does.
    pub fn detect(bytes: &[u8], name: &str) -> InputFormat {
        let extension =
            std::path::Path::new(name).extension().and_then(|e| e.to_str()).and_then(InputFormat::from_name);
        if bytes.starts_with(b"PK\x03\x04") {
            return zip_format(bytes).or(extension).unwrap_or(InputFormat::Docx);
        }
        if bytes.starts_with(b"%PDF-") {
            return InputFormat::Pdf;
        }
        // Password-protected Office files are OLE containers, whatever their extension.
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return extension.filter(|e| *e != InputFormat::Text).unwrap_or(InputFormat::Docx);
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("WEBVTT") {
            return InputFormat::Vtt;
        }
        let lower = head.to_ascii_lowercase();
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return InputFormat::Html;
        }
        extension.unwrap_or(InputFormat::Text)
    }
}

/// The format of a zip container, from its `mimetype` entry or the files it holds.
fn zip_format(bytes: &[u8]) -> Option<InputFormat> {
    #[cfg(feature = "documents")]
    {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        let mut mimetype = String::new();
        if let Ok(mut entry) = archive.by_name("mimetype") {
            let _ = entry.by_ref().take(200).read_to_string(&mut mimetype);
        }
        match mimetype.trim() {
            "application/epub+zip" => return Some(InputFormat::Epub),
            "application/vnd.oasis.opendocument.text" => return Some(InputFormat::Odt),
            _ => {}
        }
        let has = |name: &str| archive.index_for_name(name).is_some();
        if has("word/document.xml") {
            Some(InputFormat::Docx)
        } else if has("META-INF/container.xml") {
            Some(InputFormat::Epub)
        } else if has("content.xml") {
            Some(InputFormat::Odt)
        } else {
            None
        }
    }
    #[cfg(not(feature = "documents"))]
    {
        let _ = bytes;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions() {
        for format in InputFormat::ALL {
            assert_eq!(InputFormat::from_name(format.name()), Some(format));
        }
        assert_eq!(InputFormat::from_name("HTM"), Some(InputFormat::Html));
        assert_eq!(InputFormat::from_name("doc"), None);
    }

    #[test]
    fn bytes_decide_before_the_extension() {
        assert_eq!(InputFormat::detect(b"%PDF-1.7\n...", "book.txt"), InputFormat::Pdf);
        assert_eq!(InputFormat::detect(b"\xef\xbb\xbfWEBVTT\n\n", "a.txt"), InputFormat::Vtt);
        assert_eq!(InputFormat::detect(b"  <!DOCTYPE html><p>x", "a"), InputFormat::Html);
        assert_eq!(InputFormat::detect(b"# Title\n\ntext", "a.md"), InputFormat::Markdown);
        assert_eq!(InputFormat::detect("第一句。".as_bytes(), "a.zh"), InputFormat::Text);
        assert_eq!(InputFormat::detect(b"1\n00:00:01,000 --> 00:00:02,000\nHi.\n", "a.srt"), InputFormat::Srt);
    }
}
