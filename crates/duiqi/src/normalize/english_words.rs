//! English word handling shared by the build script (which stems CC-CEDICT glosses) and the
//! runtime normaliser (which stems English text), so that both sides meet on the same stems.
//! This file must stay free of crate-internal imports: `build.rs` includes it by path.

use rust_stemmers::{Algorithm, Stemmer};

/// Function words that carry no alignment evidence, plus CC-CEDICT's editorial vocabulary.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "as",
    "into",
    "onto",
    "and",
    "or",
    "but",
    "nor",
    "so",
    "if",
    "than",
    "then",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "do",
    "does",
    "did",
    "done",
    "have",
    "has",
    "had",
    "having",
    "that",
    "which",
    "this",
    "these",
    "those",
    "there",
    "here",
    "it",
    "its",
    "s",
    "t",
    "d",
    "ll",
    "m",
    "re",
    "ve",
    "not",
    "no",
    "up",
    "out",
    "off",
    "over",
    "about",
    "also",
    "very",
    "sth",
    "sb",
    "etc",
    "esp",
    "lit",
    "fig",
    "cl",
    "abbr",
    "classifier",
    "used",
    "variant",
    "e",
    "g",
    "i.e",
    "one's",
    "oneself",
    "something",
    "someone",
    "somebody",
    "certain",
    "particle",
    "kind",
    "pr",
    "coll",
    "sb's",
    "sth's",
];

/// True for words too common or too editorial to count as evidence of translation.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// A Porter2 stemmer for English, the one both glosses and text go through.
pub fn english_stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

/// Lower-cased alphabetic words of `text` (apostrophes split words: "Union's" gives
/// "union", "s").
pub fn lowercase_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).map(|w| w.to_ascii_lowercase())
}

/// Stems of the content words of `text`, in order, stopwords removed.
pub fn content_stems(stemmer: &Stemmer, text: &str) -> Vec<String> {
    lowercase_words(text).filter(|w| w.len() > 1 && !is_stopword(w)).map(|w| stemmer.stem(&w).into_owned()).collect()
}
