//! Links from the words of a Chinese sentence to the English tokens of its bead, and the
//! terms they form: by romanisation, transliteration, dictionary and learned associations.

use super::GlossaryOptions;
use super::Kind;
use super::english::{Token, flatten, is_acronym, token_extent};
use crate::dictionary::Dictionary;
use crate::features::associations::Associations;
use crate::features::names::{
    TRANSLITERATION_MIN, chinese_acronyms, chinese_name_forms, is_transliteration_char, letters, phonetic_similarity,
    pinyin_of,
};
use crate::normalize::NormalizedSentence;
use crate::normalize::english_words::content_stems;
use crate::script::is_han;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::ops::Range;

/// Learned pairs enter the glossary only with this Dice coefficient or more.
const GLOSSARY_MIN_DICE: f32 = 0.6;

/// Single characters that never start a term (particles, prepositions, conjunctions).
const FUNCTION_CHARS: &str = "的了在和与並并之是也等及而从從对對把被于於向给給由以为為将將就都又所其着著过過";

/// Longest span (characters) tried as the transliteration of a name.
const MAX_TRANSLITERATION_CHARS: usize = 6;

/// A Chinese char span linked to an English token, and how. A weak link (a single
/// character's dictionary sense) may extend a term but not found one; a stray one (to a
/// common lower-case word) is no part of any term, but shows the word is translated.
#[derive(Clone, Copy)]
pub(super) struct Link {
    start: usize,
    end: usize,
    token: usize,
    kind: Kind,
    weak: bool,
    stray: bool,
}

/// A bead's English tokens by flattened form (and hyphenated parts), dictionary concept
/// and learned unit.
#[derive(Default)]
pub(super) struct TokenKeys {
    by_flat: FxHashMap<String, Vec<usize>>,
    by_concept: FxHashMap<u32, Vec<usize>>,
    by_unit: FxHashMap<u32, Vec<usize>>,
}

/// Tokens of a bead a word is weighed against at most, in order.
const MAX_CANDIDATE_TOKENS: usize = 64;

/// Work (candidate spans × tokens) above which a sentence is not searched for
/// transliterations: a bead that large is no running text a name search could serve.
const MAX_TRANSLITERATION_WORK: usize = 200_000;

/// What the pairs of one document are recognised with.
pub(super) struct Matcher<'a> {
    pub(super) dictionary: &'a Dictionary,
    pub(super) associations: Associations,
    pub(super) zh_unit: FxHashMap<&'a str, u32>,
    pub(super) en_unit: FxHashMap<&'a str, u32>,
    pub(super) stemmer: rust_stemmers::Stemmer,
}

impl Matcher<'_> {
    /// Links from the words (and transliterated spans) of a Chinese sentence to the bead's
    /// English tokens: names and dictionary words first, then transliterations for the
    /// capitalised tokens left, then learned associations for the words left.
    pub(super) fn links(
        &self,
        sentence: &NormalizedSentence,
        tokens: &[Token],
        keys: &TokenKeys,
        heads: &FxHashSet<String>,
        options: GlossaryOptions,
    ) -> Vec<Link> {
        let words: Vec<ZhWord> = zh_words(sentence)
            .into_iter()
            .filter(|w| !(w.simplified.chars().count() == 1 && FUNCTION_CHARS.contains(w.simplified)))
            .collect();
        let mut links = Vec::new();
        let word_link = |word: &ZhWord, kinds: &[Kind]| {
            let (token, kind) = self.best_token(word.simplified, tokens, keys, kinds)?;
            // Lower-case words join a term only as the head of a name ("Yalta conference").
            let lower = tokens[token].phrase.is_none() && !heads.contains(&tokens[token].text.to_lowercase());
            let stray = lower && !options.all_words;
            let weak = word.simplified.chars().count() == 1 && kind != Kind::Name;
            if weak && kind == Kind::Learned {
                return None; // a single character's co-occurrences are too noisy
            }
            Some(Link { start: word.chars.start, end: word.chars.end, token, kind, weak, stray })
        };
        links.extend(words.iter().filter_map(|w| word_link(w, &[Kind::Name, Kind::Dictionary])));
        self.add_transliterations(sentence, tokens, &mut links);
        let taken: BTreeSet<usize> = links.iter().flat_map(|l| l.start..l.end).collect();
        let free: Vec<&ZhWord> = words.iter().filter(|w| w.chars.clone().all(|c| !taken.contains(&c))).collect();
        links.extend(free.into_iter().filter_map(|w| word_link(w, &[Kind::Learned])));
        links.sort_by_key(|l| l.start);
        links
    }

    /// The bead's tokens indexed by what may match them, so that a word finds its tokens
    /// without comparing itself with each (a bead may hold a whole unpunctuated book).
    pub(super) fn token_keys(&self, tokens: &[Token]) -> TokenKeys {
        let mut keys = TokenKeys::default();
        for (k, token) in tokens.iter().enumerate() {
            let mut flats: Vec<String> = token.text.split('-').map(flatten).collect();
            flats.push(flatten(token.text));
            flats.sort_unstable();
            flats.dedup();
            for flat in flats {
                keys.by_flat.entry(flat).or_default().push(k);
            }
            for stem in content_stems(&self.stemmer, token.text) {
                if let Some(concept) = self.dictionary.concept_id(&stem) {
                    keys.by_concept.entry(concept).or_default().push(k);
                }
                if let Some(&unit) = self.en_unit.get(stem.as_str()) {
                    keys.by_unit.entry(unit).or_default().push(k);
                }
            }
        }
        keys
    }

    /// The English token a Chinese word translates, strongest kind first.
    fn best_token(&self, word: &str, tokens: &[Token], keys: &TokenKeys, kinds: &[Kind]) -> Option<(usize, Kind)> {
        let by_flat = |key: &String| keys.by_flat.get(key).into_iter().flatten().copied();
        let matching = |kind: Kind| -> FxHashSet<usize> {
            match kind {
                Kind::Name => {
                    let names = chinese_name_forms(word).unwrap_or_default();
                    let acronyms = chinese_acronyms(word);
                    let by_name = names.iter().flat_map(by_flat);
                    let by_acronym = acronyms.iter().flat_map(by_flat).filter(|&k| is_acronym(tokens[k].text));
                    by_name.chain(by_acronym).collect()
                }
                Kind::Dictionary => {
                    let mut concepts = self.dictionary.chinese_concepts(word);
                    if concepts.is_empty() && word.chars().count() == 2 {
                        // Two characters unknown together: what each means (三区 → three, district).
                        for c in word.chars() {
                            concepts.extend(self.dictionary.translations(c.encode_utf8(&mut [0; 4])));
                        }
                    }
                    concepts.iter().flat_map(|c| keys.by_concept.get(c).into_iter().flatten().copied()).collect()
                }
                Kind::Learned => self
                    .zh_unit
                    .get(word)
                    .and_then(|u| self.associations.partners.get(u))
                    .into_iter()
                    .flatten()
                    .filter(|&&(_, dice, _)| dice >= GLOSSARY_MIN_DICE)
                    .flat_map(|(unit, _, _)| keys.by_unit.get(unit).into_iter().flatten().copied())
                    .collect(),
                Kind::Number => FxHashSet::default(), // numbers are paired by value, see `number_sightings`
            }
        };
        // Within a kind, prefer the token whose phrase the word explains most of (三区 →
        // "Three Districts" over "Ashan Districts"), then any phrase, then the first.
        kinds.iter().copied().find_map(|kind| {
            let found = matching(kind);
            let explained = |k: usize| match tokens[k].phrase {
                Some(_) => 1 + token_extent(tokens, k).filter(|t| *t != k && found.contains(t)).count(),
                None => 0,
            };
            // The first few sightings suffice (a bead may repeat a name thousands of times).
            let mut found_in_order: Vec<usize> = found.iter().copied().collect();
            found_in_order.sort_unstable();
            found_in_order.truncate(MAX_CANDIDATE_TOKENS);
            let best = found_in_order.into_iter().max_by_key(|&k| (explained(k), std::cmp::Reverse(k)))?;
            Some((best, kind))
        })
    }

    /// Links capitalised tokens no word matched to the span of transliteration characters
    /// that sounds most like them (雅尔达 ↔ Yalta, even where segmentation split it).
    fn add_transliterations(&self, sentence: &NormalizedSentence, tokens: &[Token], links: &mut Vec<Link>) {
        let chars: Vec<char> = sentence.text.chars().collect();
        let mut taken = vec![false; chars.len()];
        for link in links.iter() {
            taken[link.start..link.end].iter_mut().for_each(|t| *t = true);
        }
        // Every free span of transliteration characters, with its pinyin, once.
        let mut spans: Vec<(usize, usize, Vec<u8>)> = Vec::new();
        for start in 0..chars.len() {
            let end_max = (start + MAX_TRANSLITERATION_CHARS).min(chars.len());
            let run = (start..end_max).take_while(|&c| !taken[c] && is_transliteration_char(chars[c])).count();
            for end in start + 2..=start + run {
                let span: String = chars[start..end].iter().collect();
                if let Some(pinyin) = pinyin_of(&span) {
                    spans.push((start, end, letters(&pinyin)));
                }
            }
        }
        let linked: BTreeSet<usize> = links.iter().map(|l| l.token).collect();
        let wanted: Vec<usize> = (0..tokens.len())
            .filter(|&k| tokens[k].phrase.is_some() && !linked.contains(&k) && !is_acronym(tokens[k].text))
            .collect();
        if spans.len().saturating_mul(wanted.len()) > MAX_TRANSLITERATION_WORK {
            return;
        }
        for k in wanted {
            let name = letters(tokens[k].text);
            let best = spans
                .iter()
                .filter(|(start, end, _)| !taken[*start..*end].iter().any(|&t| t))
                .map(|(start, end, pinyin)| (phonetic_similarity(pinyin, &name), *start, *end))
                .filter(|&(similarity, _, _)| similarity >= TRANSLITERATION_MIN)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            if let Some((_, start, end)) = best {
                taken[start..end].iter_mut().for_each(|t| *t = true);
                links.push(Link { start, end, token: k, kind: Kind::Name, weak: false, stray: false });
            }
        }
    }
}

/// Groups a sentence's links into terms: Chinese spans (char range) linked to runs of
/// English tokens, with the strongest kind among their links. Consecutive links (at most
/// one character apart) join while their tokens stay in one phrase or next to it
/// ("雅尔达会议" ↔ "Yalta conference"); a phrase with tokens left unlinked takes in as
/// many unlinked words before the span ("突厥" for "Turkish").
pub(super) fn terms(
    sentence: &NormalizedSentence,
    links: &[Link],
    tokens: &[Token],
    options: GlossaryOptions,
) -> Vec<(Range<usize>, Range<usize>, Kind)> {
    let chars: Vec<char> = sentence.text.chars().collect();
    let joins_gap =
        |a: usize, b: usize| b <= a + 1 && chars[a..b].iter().all(|&c| is_han(c) && !FUNCTION_CHARS.contains(c));
    let words = zh_words(sentence);
    let linked_chars: BTreeSet<usize> = links.iter().flat_map(|l| l.start..l.end).collect();
    let links: Vec<Link> = links.iter().filter(|l| !l.stray).copied().collect();
    let mut found = Vec::new();
    let mut k = 0;
    while k < links.len() {
        let first = links[k];
        let mut all_weak = first.weak;
        let mut span = first.start..first.end;
        let mut english = token_extent(tokens, first.token);
        let mut kind = first.kind;
        let mut linked: BTreeSet<usize> = BTreeSet::from([first.token]);
        k += 1;
        while let Some(next) = links.get(k) {
            let next_extent = token_extent(tokens, next.token);
            let same_sentence = tokens[next.token].sentence == tokens[first.token].sentence;
            let touches = next_extent.start <= english.end && english.start <= next_extent.end && {
                // Next to each other only across white space ("Yalta conference", not "Moscow) Treaty").
                let (a, b) = if next_extent.start >= english.end {
                    (english.end - 1, next_extent.start)
                } else {
                    (next_extent.end - 1, english.start)
                };
                a + 1 != b || tokens[b].after_space
            };
            if next.start < span.end || !joins_gap(span.end, next.start) || !same_sentence || !touches {
                break;
            }
            span.end = next.end;
            english = english.start.min(next_extent.start)..english.end.max(next_extent.end);
            kind = kind.min(next.kind);
            all_weak &= next.weak;
            linked.insert(next.token);
            k += 1;
        }
        let capitalised = english.clone().any(|t| tokens[t].phrase.is_some());
        if all_weak || !capitalised && !options.all_words {
            continue;
        }
        // Unlinked tokens before the first linked one of a long name (three words or more,
        // "Turkish People's Liberation Committee"): take in that many Chinese words.
        let unlinked_before = match english.len() {
            3.. => english.clone().take_while(|t| !linked.contains(t)).count(),
            _ => 0,
        };
        for _ in 0..unlinked_before {
            let Some(word) = words.iter().rev().find(|w| w.chars.end == span.start) else { break };
            let free = word.chars.clone().all(|c| !linked_chars.contains(&c) && is_han(chars[c]));
            if !free || word.simplified.chars().next().is_some_and(|c| FUNCTION_CHARS.contains(c)) {
                break;
            }
            span.start = word.chars.start;
        }
        found.push((span, english, kind));
    }
    found
}

/// A Chinese word of a sentence: its simplified form and the char span it covers.
pub(super) struct ZhWord<'a> {
    pub(super) simplified: &'a str,
    pub(super) chars: Range<usize>,
}

/// The words of a Chinese sentence with their character spans.
pub(super) fn zh_words(sentence: &NormalizedSentence) -> Vec<ZhWord<'_>> {
    // Spans are in order: count characters from the previous one (a long sentence is not
    // counted again for every word).
    let (mut byte, mut char) = (0, 0);
    sentence
        .spans
        .iter()
        .map(|&(a, b)| {
            char += sentence.text[byte..a as usize].chars().count();
            byte = a as usize;
            let simplified = &sentence.text[a as usize..b as usize];
            ZhWord { simplified, chars: char..char + simplified.chars().count() }
        })
        .collect()
}

/// A sentence's original (possibly Traditional) text, sliced by the character spans of its
/// normalised form: the conversion keeps characters one for one, else the Simplified text
/// is used.
pub(super) struct OriginalText<'a> {
    source: &'a str,
    /// Byte offset of each character, and the end.
    bytes: Vec<usize>,
}

impl<'a> OriginalText<'a> {
    pub(super) fn new(original: &'a str, normalized: &'a NormalizedSentence) -> OriginalText<'a> {
        let same_length = original.chars().count() == normalized.text.chars().count();
        let source = if same_length { original } else { normalized.text.as_str() };
        let bytes = source.char_indices().map(|(i, _)| i).chain(std::iter::once(source.len())).collect();
        OriginalText { source, bytes }
    }

    pub(super) fn slice(&self, chars: Range<usize>) -> String {
        let end = |c: usize| self.bytes[c.min(self.bytes.len() - 1)];
        self.source[end(chars.start)..end(chars.end)].to_string()
    }
}
