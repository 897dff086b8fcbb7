//! The document readers on fixtures made with real tools (`tests/data/documents/README.md`
//! says how): paragraphs, their kinds and texts, notes, tracked changes, cue timings,
//! where each sentence came from, and a clear error for each kind of bad document.

use crate::{aligner, example};
use duiqi::{Document, Error, ParagraphKind, ReadOptions, read_path};
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents").join(name);
    path.to_str().unwrap().to_string()
}

fn read(name: &str) -> Document {
    let document = read_path(&fixture(name), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    check_places(&document);
    document
}

/// Paragraphs cover every sentence once, in order; each span holds its text.
fn check_places(document: &Document) {
    let mut next = 0;
    for paragraph in &document.paragraphs {
        assert_eq!(paragraph.sentences.start, next, "{paragraph:?}");
        next = paragraph.sentences.end;
        for sentence in &document.sentences[paragraph.sentences.clone()] {
            assert!(paragraph.span.start <= sentence.span.start && sentence.span.end <= paragraph.span.end);
            let there: String = document.text[sentence.span.clone()].split_whitespace().collect();
            assert_eq!(there, sentence.text.split_whitespace().collect::<String>());
        }
    }
    assert_eq!(next, document.sentences.len());
}

/// Each paragraph's kind and text.
fn paragraphs(document: &Document) -> Vec<(ParagraphKind, String)> {
    document.paragraphs.iter().map(|p| (p.kind, document.join(p.sentences.clone()))).collect()
}

#[test]
fn structured_documents_give_the_same_paragraphs_and_kinds() {
    use ParagraphKind::*;
    let expected = [
        (Heading(1), "The Lighthouse Keeper's Year"),
        (Text, "The lighthouse on the northern cape was built in 1871. The same family has kept it for three generations."),
        (Text, "Every evening the keeper climbs one hundred and twelve steps to light the lamp. The work is simple, but it must never be forgotten."),
        (Heading(2), "Winter"),
        (Text, "In winter the storms come from the west. Waves break over the lower rocks, and salt covers the windows of the tower."),
        (Text, "The keeper writes every storm into a logbook, with the wind, the height of the sea and the ships that pass."),
        (Text, "A boat brings supplies once a month. When the sea is too rough, the family waits and lives on what is stored in the cellar."),
        (Text, "Three things are always kept ready:"),
        (ListItem, "a spare wick for the lamp"),
        (ListItem, "dry matches in a tin box"),
        (ListItem, "a radio with fresh batteries"),
        (Heading(2), "Summer"),
        (Text, "Summer is calmer. Visitors walk up from the village to see the view and to ask about the old days."),
        (TableCell, "Month"),
        (TableCell, "Ships"),
        (TableCell, "July"),
        (TableCell, "95"),
        (Text, "Most of the ships in the table are fishing boats. Some are yachts on their way to the islands."),
        (Text, "More about lighthouses can be read on the example site."),
        (Text, "When the autumn comes, the keeper paints the railings and gets ready for another winter."),
        (Note, "The oldest logbook in the house was begun in 1903."),
    ]
    .map(|(kind, text)| (kind, text.to_string()));
    for name in ["structure.md", "structure.docx", "structure.odt", "structure.epub", "structure.html"] {
        assert_eq!(paragraphs(&read(name)), expected, "{name}");
    }
}

#[test]
fn a_pdf_loses_its_page_furniture_but_not_its_text() {
    let pdf = read("structure.pdf");
    let texts: Vec<&str> = pdf.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts[0], "The Lighthouse Keeper's Year");
    for sentence in ["Summer is calmer.", "The work is simple, but it must never be forgotten."] {
        assert!(texts.contains(&sentence), "{sentence} in {texts:?}");
    }
    assert!(texts.last().unwrap().ends_with("The oldest logbook in the house was begun in 1903."));
}

#[test]
fn tracked_changes_are_accepted() {
    let texts: Vec<String> = paragraphs(&read("tracked.docx")).into_iter().map(|(_, t)| t).collect();
    assert_eq!(texts, ["The keeper climbed the stairs and lit the great lamp.", "Nothing else changed that night."]);
}

#[test]
fn subtitle_cues_keep_their_timing() {
    for name in ["film.en.srt", "film.en.vtt", "film.zh.srt"] {
        let document = read(name);
        assert_eq!(document.paragraphs.len(), 7, "{name}");
        assert_eq!(document.paragraphs[0].kind, ParagraphKind::Cue { start_ms: 1000, end_ms: 3200 }, "{name}");
        assert_eq!(document.paragraphs[6].kind, ParagraphKind::Cue { start_ms: 18_000, end_ms: 20_500 }, "{name}");
    }
    let zh = read("film.zh.srt");
    assert_eq!(zh.join(zh.paragraphs[6].sentences.clone()), "坐下，趁汤还热吃点东西吧。");
    assert_eq!(zh.join(zh.paragraphs[5].sentences.clone()), "好吧，你总算到家了。", "markup dropped");
}

#[test]
fn the_seed_as_word_epub_and_pdf_aligns_as_the_plain_text_does() {
    let text = |name: &str| read_path(example(name).to_str().unwrap(), &ReadOptions::default()).unwrap();
    let plain = aligner().align(&text("yili/yili.zh.txt"), &text("yili/yili.en.txt"));
    let ranges = |beads: &[duiqi::Bead]| beads.iter().map(|b| (b.src.clone(), b.tgt.clone())).collect::<Vec<_>>();
    for format in ["docx", "epub", "pdf"] {
        let (zh, en) = (read(&format!("yili.zh.{format}")), read(&format!("yili.en.{format}")));
        assert_eq!(ranges(&aligner().align(&zh, &en)), ranges(&plain), "{format}");
    }
}

#[test]
fn bad_documents_say_what_is_wrong() {
    for (name, format, why) in [
        ("corrupt.docx", "DOCX", "damaged"),
        ("locked.docx", "DOCX", "password-protected"),
        ("drm.epub", "EPUB", "DRM"),
        ("scanned.pdf", "PDF", "OCR"),
        ("empty.html", "HTML", "no text"),
    ] {
        let error = read_path(&fixture(name), &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::Unreadable { format: f, .. } if f == format), "{name}: {error}");
        let message = error.to_string();
        assert!(message.contains(why) && message.lines().count() == 1, "{name}: {message}");
    }
}
