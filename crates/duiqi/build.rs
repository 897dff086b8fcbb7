//! Compiles the bundled CC-CEDICT into a compact lexicon at build time, so that start-up
//! only slices static tables: `words.txt` (simplified headwords, sorted), `concepts.txt`
//! (English stems) and `links.bin` (per word: u32 start offsets into u32 concept ids).
//! It also compiles jieba's segmentation dictionary into an FST (`jieba.fst`, word → id)
//! and `jieba-frequencies.bin`, so segmenting a text never loads all 349,045 words.

#[path = "src/normalize/english_words.rs"]
mod english_words;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

/// Glosses that point elsewhere instead of translating.
const SKIPPED_GLOSS_PREFIXES: &[&str] = &[
    "variant of",
    "old variant of",
    "archaic variant of",
    "japanese variant of",
    "see ",
    "see also",
    "cl:",
    "used in ",
    "abbr. for",
    "erhua variant",
    "also written",
    "also pr.",
    "pr. ",
    "(old) variant",
    "(archaic) variant",
    "(bound form) variant",
    "same as",
];
const MAX_CONCEPTS_PER_WORD: usize = 24;

fn main() {
    compile_lexicon();
    compile_segmentation_dictionary();
}

/// jieba's dictionary (`word frequency` lines) as an FST map of word → id (its rank), the
/// frequencies by id (u32 LE), and the sum of all frequencies (which jieba's route
/// probabilities divide by) as a Rust expression, `jieba-total.rs`.
fn compile_segmentation_dictionary() {
    let source = "data/lexicon/jieba-dict.txt.gz";
    println!("cargo:rerun-if-changed={source}");
    let file = std::fs::File::open(source).expect("data/lexicon/jieba-dict.txt.gz is missing");
    let mut entries: BTreeMap<String, u32> = BTreeMap::new();
    let mut total = 0u64;
    for line in BufReader::new(flate2::read::GzDecoder::new(file)).lines() {
        let line = line.expect("the jieba dictionary is not valid UTF-8");
        let mut fields = line.split_ascii_whitespace();
        let Some(word) = fields.next() else { continue };
        // The segmenter relies on these: each word once, with its frequency.
        let frequency = fields.next().and_then(|f| f.parse().ok());
        let frequency: u32 = frequency.unwrap_or_else(|| panic!("jieba dictionary: {word} has no u32 frequency"));
        total += u64::from(frequency);
        assert!(entries.insert(word.to_string(), frequency).is_none(), "jieba dictionary: {word} twice");
    }
    // The segmenter's stand-in for the words a text does not contain.
    assert!(!entries.contains_key("，"), "jieba dictionary: the placeholder ， is a word");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let ids = entries.keys().enumerate().map(|(id, word)| (word, id as u64));
    let map = fst::Map::from_iter(ids).expect("sorted distinct words build an FST");
    std::fs::write(out.join("jieba.fst"), map.as_fst().as_bytes()).unwrap();
    let frequencies: Vec<u8> = entries.values().flat_map(|f| f.to_le_bytes()).collect();
    std::fs::write(out.join("jieba-frequencies.bin"), frequencies).unwrap();
    std::fs::write(out.join("jieba-total.rs"), format!("{total}")).unwrap();
}

/// CC-CEDICT as the lexicon's three tables.
fn compile_lexicon() {
    let source = "data/lexicon/cedict.txt.gz";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=src/normalize/english_words.rs");
    let file = std::fs::File::open(source).expect("data/lexicon/cedict.txt.gz is missing");
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let stemmer = english_words::english_stemmer();

    let mut lexicon: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in reader.lines() {
        let line = line.expect("CC-CEDICT is not valid UTF-8");
        if line.starts_with('#') {
            continue;
        }
        let Some((simplified, glosses)) = parse_entry(&line) else {
            continue;
        };
        if simplified.is_ascii() {
            continue;
        }
        let stems = lexicon.entry(simplified.to_string()).or_default();
        for gloss in glosses.split('/').filter(|g| !g.is_empty()) {
            for stem in gloss_stems(&stemmer, gloss) {
                if stems.len() < MAX_CONCEPTS_PER_WORD {
                    stems.insert(stem);
                }
            }
        }
    }
    lexicon.retain(|_, stems| !stems.is_empty());

    let concepts: BTreeSet<&String> = lexicon.values().flatten().collect();
    let concept_id: BTreeMap<&String, u32> = concepts.iter().enumerate().map(|(i, c)| (*c, i as u32)).collect();

    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut words = Vec::new();
    let mut links = Vec::new();
    let mut ids = Vec::new();
    for (word, stems) in &lexicon {
        writeln!(words, "{word}").unwrap();
        links.extend_from_slice(&(ids.len() as u32).to_le_bytes());
        ids.extend(stems.iter().map(|s| concept_id[s]));
    }
    links.extend_from_slice(&(ids.len() as u32).to_le_bytes());
    for id in ids {
        links.extend_from_slice(&id.to_le_bytes());
    }
    let concept_text: String = concepts.iter().map(|c| format!("{c}\n")).collect();
    std::fs::write(out.join("words.txt"), words).unwrap();
    std::fs::write(out.join("concepts.txt"), concept_text).unwrap();
    std::fs::write(out.join("links.bin"), links).unwrap();
}

/// `Trad Simp [pin1 yin1] /gloss/gloss/` → (Simp, "gloss/gloss/").
fn parse_entry(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.splitn(3, ' ');
    let _traditional = parts.next()?;
    let simplified = parts.next()?;
    let rest = parts.next()?;
    let glosses = &rest[rest.find("] /")? + 3..];
    Some((simplified, glosses))
}

/// The English stems one gloss contributes: editorial parts removed, "surname X" kept as X.
fn gloss_stems(stemmer: &rust_stemmers::Stemmer, gloss: &str) -> Vec<String> {
    let lower = gloss.trim().to_ascii_lowercase();
    if SKIPPED_GLOSS_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return Vec::new();
    }
    let mut text = String::with_capacity(gloss.len());
    let mut depth = 0i32;
    for c in gloss.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ if depth <= 0 => text.push(c),
            _ => {}
        }
    }
    let text = text.trim_start_matches("surname ");
    english_words::content_stems(stemmer, text)
}
