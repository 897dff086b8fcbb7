//! The English side of a glossary: tokens marked with the capitalised phrases (names,
//! titles) they belong to, told apart from words capitalised only by position.

use crate::dictionary::Dictionary;
use crate::document::Document;
use crate::normalize::english_words::{content_stems, english_stemmer, is_stopword};
use rustc_hash::FxHashSet;
use std::ops::Range;

/// Words that are capitalised only because they open a sentence.
#[rustfmt::skip]
const SENTENCE_OPENERS: &[&str] = &[
    "within", "through", "during", "soon", "shortly", "unlike", "between", "after", "before", "when", "while",
    "although", "however", "moreover", "thus", "then", "following", "despite", "since", "until", "among", "as",
    "in", "on", "at", "by", "for", "with", "from", "the", "a", "an", "this", "that", "these", "those", "it", "he",
    "she", "they", "we", "i", "but", "and", "or", "so", "yet", "there", "here", "what", "who", "which", "where",
];

/// An English token of a bead: its sentence, byte range in that sentence, and the
/// capitalised phrase it belongs to.
pub(super) struct Token<'a> {
    pub(super) text: &'a str,
    pub(super) sentence: usize,
    pub(super) bytes: Range<usize>,
    pub(super) phrase: Option<usize>,
    /// Follows the previous token of its sentence across white space only.
    pub(super) after_space: bool,
}

/// Words the text capitalises inside names ("Conference" of "Teheran Conference"), in
/// lower case: where they appear in lower case after a name, they still belong to it.
pub(super) fn name_heads(en: &Document, casing: &Casing) -> FxHashSet<String> {
    let tokens = bead_tokens(en, 0..en.sentences.len(), casing);
    (1..tokens.len())
        .filter(|&k| tokens[k].phrase.is_some() && tokens[k].phrase == tokens[k - 1].phrase)
        .map(|k| tokens[k].text.to_lowercase())
        .collect()
}

/// The tokens a linked token stands for: its whole phrase, or itself.
pub(super) fn token_extent(tokens: &[Token], token: usize) -> Range<usize> {
    match tokens[token].phrase {
        Some(phrase) => {
            let start = (0..=token).rev().take_while(|&t| tokens[t].phrase == Some(phrase)).last().unwrap_or(token);
            let end = (token..tokens.len()).take_while(|&t| tokens[t].phrase == Some(phrase)).last().unwrap_or(token);
            start..end + 1
        }
        None => token..token + 1,
    }
}

/// The text of a run of tokens as written, without a closing possessive ("Union's").
pub(super) fn english_text(en: &Document, tokens: &[Token], range: Range<usize>) -> String {
    let (first, last) = (&tokens[range.start], &tokens[range.end - 1]);
    let text = &en.sentences[first.sentence].text[first.bytes.start..last.bytes.end];
    text.strip_suffix("'s").or_else(|| text.strip_suffix("’s")).unwrap_or(text).to_string()
}

/// Lower-case letters only: how romanisations are compared.
pub(super) fn flatten(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase()
}

/// All capitals, two to five letters: GMD, YNA.
pub(super) fn is_acronym(token: &str) -> bool {
    (2..=5).contains(&token.len()) && token.chars().all(|c| c.is_ascii_uppercase())
}

/// How the English document writes its words: which it capitalises where nothing else
/// would (names) and which it writes in lower case. A word capitalised where any word
/// might be (first of a sentence, or after punctuation: "he said, Don't!") is taken as a
/// name only on that evidence, or when it is no common English word.
pub(super) struct Casing<'a> {
    pub(super) capitalised_inside: FxHashSet<String>,
    pub(super) lower_case: FxHashSet<String>,
    pub(super) dictionary: &'a Dictionary,
    pub(super) stemmer: rust_stemmers::Stemmer,
}

impl Casing<'_> {
    pub(super) fn new<'a>(en: &Document, dictionary: &'a Dictionary) -> Casing<'a> {
        let mut capitalised_inside = FxHashSet::default();
        let mut lower_case = FxHashSet::default();
        for sentence in &en.sentences {
            for (word, may_capitalise) in tokens_with_position(&sentence.text) {
                if word.chars().next().is_some_and(char::is_lowercase) {
                    lower_case.insert(word.to_string());
                } else if !may_capitalise && capitalised(word) {
                    capitalised_inside.insert(word.to_lowercase());
                }
            }
        }
        Casing { capitalised_inside, lower_case, dictionary, stemmer: english_stemmer() }
    }

    /// True when a capitalised word where any word may be capitalised is a name.
    fn opens_name(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        let hyphenated_name = word.contains('-') && word.rsplit('-').all(capitalised);
        let common = || {
            self.lower_case.contains(&lower)
                || SENTENCE_OPENERS.contains(&lower.as_str())
                || content_stems(&self.stemmer, &lower).iter().all(|s| self.dictionary.concept_id(s).is_some())
        };
        self.capitalised_inside.contains(&lower) || hyphenated_name || !common()
    }
}

/// The tokens of a sentence, each with whether any word could be capitalised there: the
/// first, and those after punctuation (quoted speech, lists).
pub(super) fn tokens_with_position(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut previous_end = 0;
    crate::normalize::english_tokens(text).into_iter().map(move |word| {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        let may_capitalise = previous_end == 0 || !text[previous_end..start].chars().all(char::is_whitespace);
        previous_end = start + word.len();
        (word, may_capitalise)
    })
}

/// Written as names are: a capital then lower case (the last part of a hyphenated word
/// too: "Anti-Han", not "Soviet-oriented"), or an acronym; "I" and its contractions are not.
pub(super) fn capitalised(t: &str) -> bool {
    let last_part = t.rsplit('-').next().unwrap_or(t);
    let pronoun = t == "I" || t.starts_with("I'") || t.starts_with("I’");
    (t.chars().next().is_some_and(char::is_uppercase) && t.chars().any(char::is_lowercase) || is_acronym(t))
        && !last_part.chars().next().is_some_and(char::is_lowercase)
        && !pronoun
}

/// Longest run of capitalised words taken as one name; longer runs are cut (titles in
/// capitals, or a list of names without commas, are no single name).
const MAX_PHRASE_TOKENS: usize = 8;

/// The English tokens of a bead's sentences, each marked with its capitalised phrase:
/// "Yili National Army", "Turkish People's Liberation Committee", "Anti-Han". Phrases stop
/// at punctuation and leave out stopwords and first words that are capitalised only
/// because they open the sentence.
pub(super) fn bead_tokens<'a>(en: &'a Document, sentences: Range<usize>, casing: &Casing) -> Vec<Token<'a>> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut phrases = 0;
    for j in sentences {
        let text = en.sentences[j].text.as_str();
        let mut phrase_length = 0;
        for (word, may_capitalise) in tokens_with_position(text) {
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            let joined = (1..MAX_PHRASE_TOKENS).contains(&phrase_length) && !may_capitalise;
            let starts = (!may_capitalise || casing.opens_name(word)) && !is_stopword(&word.to_ascii_lowercase());
            let phrase = if capitalised(word) && (joined || starts) {
                if !joined {
                    phrases += 1;
                }
                Some(phrases)
            } else {
                None
            };
            phrase_length = match phrase {
                Some(_) if joined => phrase_length + 1,
                Some(_) => 1,
                None => 0,
            };
            let bytes = start..start + word.len();
            tokens.push(Token { text: word, sentence: j, bytes, phrase, after_space: !may_capitalise });
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Language;

    fn english(sentences: &[&str]) -> Document {
        Document::from_sentences(Language::English, sentences.iter().copied())
    }

    fn phrases(document: &Document) -> Vec<String> {
        let casing = Casing::new(document, Dictionary::bundled());
        let tokens = bead_tokens(document, 0..document.sentences.len(), &casing);
        let mut found: Vec<String> = Vec::new();
        for k in 0..tokens.len() {
            if tokens[k].phrase.is_some() && (k == 0 || tokens[k - 1].phrase != tokens[k].phrase) {
                found.push(english_text(document, &tokens, token_extent(&tokens, k)));
            }
        }
        found
    }

    #[test]
    fn phrases_are_names_not_capitalised_adjectives_or_openers() {
        let doc = english(&[
            "Soon after, the Soviet-oriented Yili National Army (YNA) was established.",
            "The team leader said, Who's Wang Er?",
            "Standing there, he asked who was standing.",
            "Anti-Han propaganda was carried out under the Soviet Union's Far Eastern policy.",
        ]);
        assert_eq!(phrases(&doc), ["Yili National Army", "YNA", "Wang Er", "Anti-Han", "Soviet Union's Far Eastern"]);
    }
}
