//! Stage 3, normalise: sentences → comparable word lists. Chinese is converted to
//! Simplified and segmented ([`chinese`]); English is tokenised keeping case, since
//! capitals mark names ([`english_words`] holds the stemming both sides share).

pub mod chinese;
pub mod english_words;
mod simplified;

use crate::document::{Document, Language};
use rayon::prelude::*;

/// A sentence reduced to what the scorers compare.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NormalizedSentence {
    /// Simplified text for Chinese; the original text for English.
    pub text: String,
    /// Words in order, as byte spans of `text` (see [`NormalizedSentence::words`]); spans
    /// keep a long text to a few bytes per word.
    pub spans: Vec<(u32, u32)>,
    /// Characters that count for length: all but white space.
    pub length: usize,
    /// Whether the sentence opens a paragraph (copied from the document).
    pub starts_paragraph: bool,
}

impl NormalizedSentence {
    /// Builds a sentence from its text and words, in order; a word that is a slice of
    /// `text` is placed where it lies, a copy at its next occurrence.
    pub fn new(text: &str, words: &[&str], length: usize, starts_paragraph: bool) -> NormalizedSentence {
        let mut spans = Vec::with_capacity(words.len());
        let mut from = 0;
        for word in words {
            let slice_at = (word.as_ptr() as usize)
                .checked_sub(text.as_ptr() as usize)
                .filter(|&at| at >= from && at + word.len() <= text.len());
            if let Some(start) = slice_at.or_else(|| text[from..].find(word).map(|at| from + at)) {
                spans.push((start as u32, (start + word.len()) as u32));
                from = start + word.len();
            }
        }
        NormalizedSentence { text: text.to_string(), spans, length, starts_paragraph }
    }

    /// Words in order: Chinese words from the segmenter (Simplified); English words with
    /// their case and digits kept; punctuation dropped.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans.iter().map(|&(a, b)| &self.text[a as usize..b as usize])
    }
}

/// A document after normalisation, ready for scoring.
#[derive(Clone, Debug)]
pub struct NormalizedDocument {
    /// The language of the sentences.
    pub language: Language,
    /// One entry per input sentence, same order.
    pub sentences: Vec<NormalizedSentence>,
    /// Whether paragraph marks carry information (see [`Document::has_paragraphs`]).
    pub has_paragraphs: bool,
    /// The sentences' words as ids.
    pub words: Words,
}

impl NormalizedDocument {
    /// A document of `sentences`, their words given ids.
    pub fn new(language: Language, sentences: Vec<NormalizedSentence>, has_paragraphs: bool) -> NormalizedDocument {
        let words = Words::new(&sentences);
        NormalizedDocument { language, sentences, has_paragraphs, words }
    }
}

/// The distinct words of a document, sorted (a stable order for ids), and each sentence's
/// words as their ids: the word-based signals look each distinct word up once, not once per
/// occurrence.
#[derive(Clone, Debug, Default)]
pub struct Words {
    /// The distinct words; a word's id is its index here.
    pub vocabulary: Vec<String>,
    /// Every sentence's word ids end to end, and where each sentence's start (one more
    /// marks the end).
    ids: Vec<u32>,
    starts: Vec<u32>,
}

impl Words {
    /// One pass numbers the words as they first occur; the numbers are then mapped to
    /// ranks in sorted order.
    fn new(sentences: &[NormalizedSentence]) -> Words {
        let mut first_seen: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        let mut ids = Vec::with_capacity(sentences.iter().map(|s| s.spans.len()).sum());
        let mut starts = Vec::with_capacity(sentences.len() + 1);
        starts.push(0);
        for sentence in sentences {
            for word in sentence.words() {
                let next = first_seen.len() as u32;
                ids.push(*first_seen.entry(word).or_insert(next));
            }
            starts.push(ids.len() as u32);
        }
        let mut by_word: Vec<(&str, u32)> = first_seen.into_iter().collect();
        by_word.sort_unstable();
        let mut rank = vec![0; by_word.len()];
        for (k, &(_, first)) in by_word.iter().enumerate() {
            rank[first as usize] = k as u32;
        }
        ids.iter_mut().for_each(|id| *id = rank[*id as usize]);
        let vocabulary = by_word.into_iter().map(|(word, _)| word.to_string()).collect();
        Words { vocabulary, ids, starts }
    }

    /// The ids of sentence `k`'s words, in order.
    pub fn of(&self, k: usize) -> &[u32] {
        &self.ids[self.starts[k] as usize..self.starts[k + 1] as usize]
    }
}

/// Normalises documents of any supported language; holds the Traditional → Simplified
/// converter and, once it has seen a batch's first documents, the whole segmentation
/// dictionary, so build one and reuse it.
pub struct Normalizer {
    chinese: chinese::ChineseNormalizer,
}

impl Normalizer {
    /// Builds the normaliser with the bundled conversion tables.
    pub fn new() -> Normalizer {
        Normalizer { chinese: chinese::ChineseNormalizer::new() }
    }

    /// Normalises every sentence of `document`, in parallel.
    pub fn normalize(&self, document: &Document) -> NormalizedDocument {
        let originals = &document.sentences;
        let length = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count();
        let sentences = match document.language {
            Language::Chinese => {
                let simplified: Vec<String> = originals.par_iter().map(|s| self.chinese.simplify(&s.text)).collect();
                let segmenter = self.chinese.segmenter(&simplified);
                simplified
                    .par_iter()
                    .zip(originals)
                    .map(|(text, original)| {
                        let words = segmenter.words(text);
                        NormalizedSentence::new(text, &words, length(&original.text), original.starts_paragraph)
                    })
                    .collect()
            }
            Language::English => originals
                .par_iter()
                .map(|original| {
                    let words = english_tokens(&original.text);
                    NormalizedSentence::new(&original.text, &words, length(&original.text), original.starts_paragraph)
                })
                .collect(),
        };
        NormalizedDocument::new(document.language, sentences, document.has_paragraphs())
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

/// Marks the sentences that lie wholly in brackets, alone or as a run of up to
/// [`MAX_NOTE_SENTENCES`] ("（西弗人来对扫罗说，…吗？", "那时大卫作这训诲诗。", "用丝弦的乐器。）"):
/// editorial notes and headings that translations often leave out or add.
pub fn bracketed_sentences<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<bool> {
    const PAIRS: [(char, char); 5] = [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】'), ('〔', '〕')];
    let texts: Vec<&str> = texts.into_iter().map(|t| t.trim().trim_end_matches(['.', '。'])).collect();
    let mut notes = vec![false; texts.len()];
    for start in 0..texts.len() {
        let Some(&(open, close)) = PAIRS.iter().find(|(open, _)| texts[start].starts_with(*open)) else {
            continue;
        };
        let ends = start..texts.len().min(start + MAX_NOTE_SENTENCES);
        if let Some(end) = ends.into_iter().find(|&end| closes_at_end(&texts[start..=end], open, close)) {
            notes[start..=end].iter_mut().for_each(|n| *n = true);
        }
    }
    notes
}

/// Longest run of sentences taken as one bracketed note.
pub const MAX_NOTE_SENTENCES: usize = 5;

/// True when the bracket opened at the start of the first text closes exactly at the end
/// of the last.
fn closes_at_end(texts: &[&str], open: char, close: char) -> bool {
    let all: Vec<char> = texts.iter().flat_map(|t| t.chars()).collect();
    let mut depth = 0i32;
    for (k, &c) in all.iter().enumerate() {
        depth += (c == open) as i32 - (c == close) as i32;
        if depth == 0 {
            return k == all.len() - 1;
        }
    }
    false
}

/// English tokens: runs of letters and digits, with inner hyphens and apostrophes kept
/// ("Sino-Soviet", "Union's", "1940s").
pub fn english_tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    // The current token's start, and a hyphen or apostrophe just after a letter of it,
    // which joins only if a letter follows.
    let (mut start, mut joiner): (Option<usize>, Option<usize>) = (None, None);
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            joiner = None;
        } else if let Some(s) = start {
            if joiner.is_none() && matches!(c, '-' | '\'' | '’') {
                joiner = Some(at);
            } else {
                tokens.push(&text[s..joiner.unwrap_or(at)]);
                (start, joiner) = (None, None);
            }
        }
    }
    if let Some(s) = start {
        tokens.push(&text[s..joiner.unwrap_or(text.len())]);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_notes_alone_or_across_sentences() {
        let texts = [
            "（大卫的诗。）",
            "神阿，求你救我。",
            "（西弗人来对扫罗说，大卫岂不是在我们那里藏身吗？",
            "那时大卫作这训诲诗，交与伶长。",
            "用丝弦的乐器。）",
            "(He said so) and left.",
            "(Now Hebron was built seven years before Zoan.)",
            "（未完",
        ];
        let notes = bracketed_sentences(texts);
        assert_eq!(notes, [true, false, true, true, true, false, true, false]);
    }

    #[test]
    fn a_word_is_placed_where_it_lies_and_a_copy_at_its_next_occurrence() {
        let text = "cat concatenate cat";
        let slices = NormalizedSentence::new(text, &[&text[0..3], &text[16..19]], 17, false);
        assert_eq!(slices.spans, [(0, 3), (16, 19)]);
        let (cat, tenant) = (String::from("cat"), String::from("ten"));
        let copies = NormalizedSentence::new(text, &[&cat, &cat, &tenant], 17, false);
        assert_eq!(copies.spans, [(0, 3), (7, 10)], "no 'ten' after the second 'cat'");
        assert_eq!(copies.words().collect::<Vec<_>>(), ["cat", "cat"]);
    }

    #[test]
    fn each_word_has_one_id_in_sorted_order() {
        let document = Document::from_sentences(Language::English, ["the cat and the dog", "a dog", "", "cat"]);
        let words = Normalizer::new().normalize(&document).words;
        assert_eq!(words.vocabulary, ["a", "and", "cat", "dog", "the"]);
        let sentences: Vec<&[u32]> = (0..4).map(|k| words.of(k)).collect();
        assert_eq!(sentences, [&[4, 2, 1, 4, 3][..], &[0, 3], &[], &[2]]);
    }

    #[test]
    fn english_tokens_keep_case_and_inner_hyphens() {
        assert_eq!(
            english_tokens("The Sino-Soviet treaty (1945), Soviet Union’s \"policy\"."),
            ["The", "Sino-Soviet", "treaty", "1945", "Soviet", "Union’s", "policy"]
        );
        // A hyphen or apostrophe joins only between two letters.
        assert_eq!(english_tokens("a--b x- -y rock'n'roll '90s o'"), ["a", "b", "x", "y", "rock'n'roll", "90s", "o"]);
    }
}
