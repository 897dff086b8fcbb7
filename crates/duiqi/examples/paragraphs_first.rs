//! Paragraphs first against sentences only, on a text given one sentence per line with a
//! label per line (e.g. the Bible's `Gen:1:2` verse files): lines whose labels share all
//! but the last field (a chapter) form a paragraph. Writes both alignments as `.align`.
//!
//! cargo run --release --example paragraphs_first -- SRC TGT SRC.labels TGT.labels OUT_DIR

use duiqi::{AlignOptions, Aligner, Document, Format, Language, Paragraph, ParagraphKind, write_alignment};

fn document(lines: &str, labels: &str) -> Document {
    let sentences: Vec<&str> = lines.lines().collect();
    let chapter = |label: &str| label.rsplit_once(':').map_or(label.to_string(), |(c, _)| c.to_string());
    let chapters: Vec<String> = labels.lines().map(chapter).collect();
    let language = if sentences.iter().take(50).any(|s| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))) {
        Language::Chinese
    } else {
        Language::English
    };
    let mut document = Document::from_sentences(language, sentences.iter().copied());
    for i in 0..document.len() {
        let starts = i == 0 || chapters.get(i) != chapters.get(i - 1);
        document.sentences[i].starts_paragraph = starts;
        if starts {
            let span = document.sentences[i].span.clone();
            document.paragraphs.push(Paragraph { kind: ParagraphKind::Text, span, sentences: i..i + 1 });
        } else if let Some(last) = document.paragraphs.last_mut() {
            last.sentences.end = i + 1;
            last.span.end = document.sentences[i].span.end;
        }
    }
    document
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |k: usize| std::fs::read_to_string(&args[k]);
    let (src, tgt) = (document(&read(0)?, &read(2)?), document(&read(1)?, &read(3)?));
    eprintln!("{} and {} paragraphs", src.paragraphs.len(), tgt.paragraphs.len());
    for (name, first) in [("sentences", false), ("paragraphs-first", true)] {
        let aligner = Aligner::new(AlignOptions { paragraphs_first: first, ..AlignOptions::default() })?;
        let started = std::time::Instant::now();
        let alignment = aligner.align(&src, &tgt);
        eprintln!("{name}: {:.2} s", started.elapsed().as_secs_f64());
        let mut out = std::fs::File::create(format!("{}/{name}.align", args[4]))?;
        write_alignment(&mut out, Format::Align, &alignment, &src, &tgt)?;
    }
    Ok(())
}
