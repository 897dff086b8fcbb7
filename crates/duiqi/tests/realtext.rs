//! Real-book typography, end to end: public-domain passages and their translations (curly
//! quotes, em dashes, full-width punctuation, 「」, NBSP, CRLF, a BOM, footnote markers and
//! notes, section numerals, Traditional and Simplified), aligned by hand in
//! `tests/data/realtext/NAME.gold.tsv`. Gold beads are compared by their text, so the test
//! judges the alignment whatever the sentence splitter makes of the passage.

use super::aligner;
use duiqi::{Alignment, Document, Format, ReadOptions, check_coverage, read_path, write_alignment};
use std::collections::HashSet;
use std::path::PathBuf;

fn realtext(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/realtext").join(file)
}

/// A bead as the text of its two sides, white space removed.
type TextBead = (String, String);

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn gold(name: &str) -> Vec<TextBead> {
    std::fs::read_to_string(realtext(&format!("{name}.gold.tsv")))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let (zh, en) = line.split_once('\t').expect("a tab in every gold line");
            (squeeze(zh), squeeze(en))
        })
        .collect()
}

fn text_beads(alignment: &Alignment, zh: &Document, en: &Document) -> Vec<TextBead> {
    let side = |doc: &Document, range: std::ops::Range<usize>| {
        squeeze(&doc.sentences[range].iter().map(|s| s.text.as_str()).collect::<String>())
    };
    alignment.iter().map(|b| (side(zh, b.src.clone()), side(en, b.tgt.clone()))).collect()
}

/// Strict F1 of `test` against `gold`, beads compared whole (one-sided beads included).
fn strict_f1(gold: &[TextBead], test: &[TextBead]) -> f64 {
    let gold: HashSet<&TextBead> = gold.iter().collect();
    let right = test.iter().filter(|b| gold.contains(b)).count() as f64;
    let (precision, recall) = (right / test.len() as f64, right / gold.len() as f64);
    if right == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) }
}

/// Aligns one passage; checks the gold against the files and every sentence once in order
/// in every format; returns the strict F1 (see `tests/data/expected_scores.tsv`).
pub fn strict_f1_of(name: &str) -> f64 {
    let options = ReadOptions::default();
    let zh = read_path(realtext(&format!("{name}.zh.txt")).to_str().unwrap(), &options).unwrap();
    let en = read_path(realtext(&format!("{name}.en.txt")).to_str().unwrap(), &options).unwrap();
    let gold = gold(name);
    let all = |side: fn(&TextBead) -> &String| gold.iter().map(side).cloned().collect::<String>();
    let whole = |doc: &Document| squeeze(&doc.sentences.iter().map(|s| s.text.as_str()).collect::<String>());
    assert_eq!(all(|b| &b.0), whole(&zh), "{name}: the gold's Chinese is the file's");
    assert_eq!(all(|b| &b.1), whole(&en), "{name}: the gold's English is the file's");

    let alignment = aligner().align(&zh, &en);
    check_coverage(&alignment, zh.len(), en.len()).unwrap();
    for format in [Format::Align, Format::Tsv, Format::Jsonl, Format::Tmx] {
        let mut out = Vec::new();
        write_alignment(&mut out, format, &alignment, &zh, &en).unwrap();
        let text = String::from_utf8(out).unwrap();
        if format == Format::Jsonl {
            let beads: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            let indices = |key: &str| beads.iter().flat_map(|b| b[key].as_array().unwrap().clone()).collect::<Vec<_>>();
            assert_eq!(indices("src"), (0..zh.len()).map(serde_json::Value::from).collect::<Vec<_>>());
            assert_eq!(indices("tgt"), (0..en.len()).map(serde_json::Value::from).collect::<Vec<_>>());
            let texts: String = beads.iter().map(|b| b["src_text"].as_str().unwrap()).collect();
            assert_eq!(squeeze(&texts), whole(&zh));
        }
    }
    strict_f1(&gold, &text_beads(&alignment, &zh, &en))
}
