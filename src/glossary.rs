//! A bilingual glossary of a document pair: the names and terms its alignment shows to
//! correspond, with how they were recognised. A product of its own for translators and
//! historians, built after the search from the same evidence the signals use.

use crate::dictionary::Dictionary;
use crate::document::{Bead, Document, Language};
use crate::normalize::english_words::{content_stems, english_stemmer, is_stopword};
use crate::normalize::{NormalizedDocument, NormalizedSentence};
use crate::read::is_han;
use crate::score::learned::{self, Associations};
use crate::score::lexicon::chinese_concepts;
use crate::score::names::{
    TRANSLITERATION_MIN, chinese_acronyms, chinese_name_forms, is_transliteration, pinyin_of,
    transliteration_similarity,
};
use crate::score::units::Units;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::ops::Range;

/// How a pair was recognised, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Romanisation of a Chinese name (pinyin or Wade–Giles).
    Name,
    /// The bundled dictionary.
    Dictionary,
    /// Learned from the aligned texts themselves.
    Learned,
}

impl Kind {
    /// The label written in the output.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Dictionary => "dictionary",
            Kind::Learned => "learned",
        }
    }
}

/// One glossary line.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The Chinese term as written in the text (Traditional stays Traditional).
    pub chinese: String,
    /// The English term as written in the text.
    pub english: String,
    /// Beads in which both appear as a pair.
    pub count: usize,
    /// Share of the Chinese term's beads in which it is rendered this way, in [0, 1].
    pub confidence: f32,
    /// The kinds of evidence that linked them.
    pub kinds: Vec<Kind>,
    /// Chinese sentence indices where the pair occurs.
    pub chinese_sentences: Vec<usize>,
}

/// Options for [`extract`].
#[derive(Clone, Copy, Debug, Default)]
pub struct GlossaryOptions {
    /// Also list pairs whose English is a common (lower-case) word, not only names and
    /// capitalised terms.
    pub all_words: bool,
}

/// Learned pairs enter the glossary only with this Dice coefficient or more.
const GLOSSARY_MIN_DICE: f32 = 0.6;

/// Single characters that never start a term (particles, prepositions, conjunctions).
const FUNCTION_CHARS: &str = "的了在和与並并之是也等及而从從对對把被于於向给給由以为為将將就都又所其着著过過";

/// Words that are capitalised only because they open a sentence.
#[rustfmt::skip]
const SENTENCE_OPENERS: &[&str] = &[
    "within", "through", "during", "soon", "shortly", "unlike", "between", "after", "before", "when", "while",
    "although", "however", "moreover", "thus", "then", "following", "despite", "since", "until", "among", "as",
    "in", "on", "at", "by", "for", "with", "from", "the", "a", "an", "this", "that", "these", "those", "it", "he",
    "she", "they", "we", "i", "but", "and", "or", "so", "yet", "there", "here", "what", "who", "which", "where",
];

/// A renderings of a Chinese term keeps its own line only with at least this share of the
/// term's best-attested rendering's count.
const MIN_SHARE_OF_BEST: f32 = 0.5;

/// Longest span (characters) tried as the transliteration of a name.
const MAX_TRANSLITERATION_CHARS: usize = 6;

/// An English token of a bead: its sentence, byte range in that sentence, and the
/// capitalised phrase it belongs to.
struct Token<'a> {
    text: &'a str,
    sentence: usize,
    bytes: Range<usize>,
    phrase: Option<usize>,
    /// Follows the previous token of its sentence across white space only.
    after_space: bool,
}

/// A Chinese char span linked to an English token, and how. A weak link (a single
/// character's dictionary sense) may extend a term but not found one; a stray one (to a
/// common lower-case word) is no part of any term, but shows the word is translated.
#[derive(Clone, Copy)]
struct Link {
    start: usize,
    end: usize,
    token: usize,
    kind: Kind,
    weak: bool,
    stray: bool,
}

/// One sighting of a pair in a bead.
struct Sighting {
    chinese: String,
    english: String,
    kind: Kind,
    sentence: usize,
}

/// What the pairs of one document are recognised with.
struct Matcher<'a> {
    dictionary: &'a Dictionary,
    associations: Associations,
    zh_unit: FxHashMap<&'a str, u32>,
    en_unit: FxHashMap<&'a str, u32>,
    stemmer: rust_stemmers::Stemmer,
}

/// Finds the glossary of an aligned document pair, given each side's document,
/// normalised form and units; `zh_is_source` says how to read the beads.
pub(crate) fn extract(
    zh: (&Document, &NormalizedDocument, &Units),
    en: (&Document, &NormalizedDocument, &Units),
    zh_is_source: bool,
    alignment: &[Bead],
    dictionary: &Dictionary,
    options: GlossaryOptions,
) -> Vec<Term> {
    let beads = with_unpaired_attached(alignment, zh_is_source);
    let matcher = Matcher {
        dictionary,
        associations: learned::learn(zh.2, en.2, &beads, learned::MAX_CHANCE),
        zh_unit: zh.2.vocabulary.iter().enumerate().map(|(i, u)| (u.as_str(), i as u32)).collect(),
        en_unit: en.2.vocabulary.iter().enumerate().map(|(i, u)| (u.as_str(), i as u32)).collect(),
        stemmer: english_stemmer(),
    };
    let casing = Casing::new(en.0, dictionary);
    let heads = name_heads(en.0, &casing);
    let mut sightings: Vec<Vec<Sighting>> = Vec::new();
    for (zh_range, en_range) in &beads {
        let tokens = bead_tokens(en.0, en_range.clone(), &casing);
        let mut candidates: Vec<(Kind, isize, std::ops::Range<usize>, Sighting)> = Vec::new();
        for i in zh_range.clone() {
            let links = matcher.links(&zh.1.sentences[i], &tokens, &heads, options);
            for (chars, token_range, kind) in terms(&zh.1.sentences[i], &links, &tokens, options) {
                let chinese = original_text(&zh.0.sentences[i].text, &zh.1.sentences[i], chars.clone());
                let english = english_text(en.0, &tokens, token_range.clone());
                candidates.push((
                    kind,
                    -(chars.len() as isize),
                    token_range,
                    Sighting { chinese, english, kind, sentence: i },
                ));
            }
        }
        // Competitive linking: strongest evidence and longest terms first, each English token once.
        candidates.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let mut used = vec![false; tokens.len()];
        let mut kept = Vec::new();
        for (_, _, token_range, sighting) in candidates {
            if used[token_range.clone()].iter().all(|u| !u) {
                used[token_range].iter_mut().for_each(|u| *u = true);
                kept.push(sighting);
            }
        }
        sightings.push(kept);
    }
    aggregate(sightings, &matcher.stemmer)
}

/// Two-sided beads as (Chinese, English) ranges, each one-sided bead merged into a
/// neighbour: a sentence the alignment left unpaired may still name what its neighbours do.
fn with_unpaired_attached(alignment: &[Bead], zh_is_source: bool) -> Vec<(Range<usize>, Range<usize>)> {
    let mut beads: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut pending: Option<(Range<usize>, Range<usize>)> = None;
    for bead in alignment {
        let (z, e) =
            if zh_is_source { (bead.src.clone(), bead.tgt.clone()) } else { (bead.tgt.clone(), bead.src.clone()) };
        let join = |a: &Range<usize>, b: &Range<usize>| {
            if a.is_empty() {
                b.clone()
            } else if b.is_empty() {
                a.clone()
            } else {
                a.start.min(b.start)..a.end.max(b.end)
            }
        };
        let (z, e) = match pending.take() {
            Some((pz, pe)) => (join(&pz, &z), join(&pe, &e)),
            None => (z, e),
        };
        if z.is_empty() || e.is_empty() {
            match beads.last_mut() {
                Some(last) => *last = (join(&last.0, &z), join(&last.1, &e)),
                None => pending = Some((z, e)),
            }
        } else {
            beads.push((z, e));
        }
    }
    beads
}

impl Matcher<'_> {
    /// Links from the words (and transliterated spans) of a Chinese sentence to the bead's
    /// English tokens: names and dictionary words first, then transliterations for the
    /// capitalised tokens left, then learned associations for the words left.
    fn links(
        &self,
        sentence: &NormalizedSentence,
        tokens: &[Token],
        heads: &FxHashSet<String>,
        options: GlossaryOptions,
    ) -> Vec<Link> {
        let words: Vec<ZhWord> = zh_words(sentence)
            .into_iter()
            .filter(|w| !(w.simplified.chars().count() == 1 && FUNCTION_CHARS.contains(w.simplified)))
            .collect();
        let mut links = Vec::new();
        let word_link = |word: &ZhWord, kinds: &[Kind]| {
            let (token, kind) = self.best_token(word.simplified, tokens, kinds)?;
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

    /// The English token a Chinese word translates, strongest kind first; within a kind,
    /// tokens of a capitalised phrase first.
    fn best_token(&self, word: &str, tokens: &[Token], kinds: &[Kind]) -> Option<(usize, Kind)> {
        let names = chinese_name_forms(word).unwrap_or_default();
        let acronyms = chinese_acronyms(word);
        let mut concepts = chinese_concepts(word, self.dictionary);
        if concepts.is_empty() && word.chars().count() == 2 {
            // Two characters unknown together: what each means (三区 → three, district).
            for c in word.chars() {
                concepts.extend(self.dictionary.translations(c.encode_utf8(&mut [0; 4])));
            }
            concepts.sort_unstable();
        }
        let partners: Vec<u32> = self
            .zh_unit
            .get(word)
            .and_then(|u| self.associations.partners.get(u))
            .map(|p| p.iter().filter(|&&(_, dice, _)| dice >= GLOSSARY_MIN_DICE).map(|&(b, _, _)| b).collect())
            .unwrap_or_default();
        let matches = |kind: Kind, token: &Token| -> bool {
            match kind {
                Kind::Name => {
                    let flat = flatten(token.text);
                    names.contains(&flat)
                        || is_acronym(token.text) && acronyms.contains(&flat)
                        || token.text.split('-').any(|part| names.contains(&flatten(part)))
                }
                Kind::Dictionary => content_stems(&self.stemmer, token.text)
                    .iter()
                    .any(|s| self.dictionary.concept_id(s).is_some_and(|c| concepts.binary_search(&c).is_ok())),
                Kind::Learned => content_stems(&self.stemmer, token.text)
                    .iter()
                    .any(|s| self.en_unit.get(s.as_str()).is_some_and(|u| partners.contains(u))),
            }
        };
        // Within a kind, prefer the token whose phrase the word explains most of (三区 →
        // "Three Districts" over "Ashan Districts"), then any phrase, then the first.
        kinds.iter().copied().find_map(|kind| {
            let explained = |k: usize| match tokens[k].phrase {
                Some(_) => 1 + token_extent(tokens, k).filter(|&t| t != k && matches(kind, &tokens[t])).count(),
                None => 0,
            };
            let found: Vec<usize> = (0..tokens.len()).filter(|&k| matches(kind, &tokens[k])).collect();
            let best = found.iter().copied().max_by_key(|&k| (explained(k), std::cmp::Reverse(k)))?;
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
        let linked: BTreeSet<usize> = links.iter().map(|l| l.token).collect();
        for (k, token) in tokens.iter().enumerate() {
            if token.phrase.is_none() || linked.contains(&k) || is_acronym(token.text) {
                continue;
            }
            let mut best: Option<(f32, usize, usize)> = None;
            for start in 0..chars.len() {
                for end in start + 2..=(start + MAX_TRANSLITERATION_CHARS).min(chars.len()) {
                    if taken[start..end].iter().any(|&t| t) {
                        break;
                    }
                    let span: String = chars[start..end].iter().collect();
                    if !is_transliteration(&span) {
                        break;
                    }
                    let Some(pinyin) = pinyin_of(&span) else { break };
                    let similarity = transliteration_similarity(&pinyin, token.text);
                    if similarity >= TRANSLITERATION_MIN && best.is_none_or(|(s, _, _)| similarity > s) {
                        best = Some((similarity, start, end));
                    }
                }
            }
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
fn terms(
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

/// Words the text capitalises inside names ("Conference" of "Teheran Conference"), in
/// lower case: where they appear in lower case after a name, they still belong to it.
fn name_heads(en: &Document, casing: &Casing) -> FxHashSet<String> {
    let tokens = bead_tokens(en, 0..en.sentences.len(), casing);
    (1..tokens.len())
        .filter(|&k| tokens[k].phrase.is_some() && tokens[k].phrase == tokens[k - 1].phrase)
        .map(|k| tokens[k].text.to_lowercase())
        .collect()
}

/// The tokens a linked token stands for: its whole phrase, or itself.
fn token_extent(tokens: &[Token], token: usize) -> Range<usize> {
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
fn english_text(en: &Document, tokens: &[Token], range: Range<usize>) -> String {
    let (first, last) = (&tokens[range.start], &tokens[range.end - 1]);
    let text = &en.sentences[first.sentence].text[first.bytes.start..last.bytes.end];
    text.strip_suffix("'s").or_else(|| text.strip_suffix("’s")).unwrap_or(text).to_string()
}

/// Lower-case letters only: how romanisations are compared.
fn flatten(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase()
}

/// All capitals, two to five letters: GMD, YNA.
fn is_acronym(token: &str) -> bool {
    (2..=5).contains(&token.len()) && token.chars().all(|c| c.is_ascii_uppercase())
}

/// Merges the sightings of every bead into glossary lines: per Chinese term its renderings,
/// variants folded into the best-attested one containing them ("Soviet", "Soviets" into
/// "Soviet Union"); per English rendering only its most frequent Chinese term.
fn aggregate(sightings: Vec<Vec<Sighting>>, stemmer: &rust_stemmers::Stemmer) -> Vec<Term> {
    // (chinese, english) → (kinds, beads, sentences)
    let mut pairs: FxHashMap<(String, String), (BTreeSet<Kind>, usize, BTreeSet<usize>)> = FxHashMap::default();
    let mut term_beads: FxHashMap<String, usize> = FxHashMap::default();
    for bead in &sightings {
        let mut in_bead: BTreeSet<(&str, &str)> = BTreeSet::new();
        for s in bead {
            let entry = pairs.entry((s.chinese.clone(), s.english.clone())).or_default();
            entry.0.insert(s.kind);
            entry.2.insert(s.sentence);
            if in_bead.insert((&s.chinese, &s.english)) {
                entry.1 += 1;
            }
        }
        for chinese in in_bead.iter().map(|(c, _)| *c).collect::<BTreeSet<_>>() {
            *term_beads.entry(chinese.to_string()).or_default() += 1;
        }
    }
    let mut by_term: FxHashMap<String, Vec<Term>> = FxHashMap::default();
    for ((chinese, english), (kinds, count, sentences)) in pairs {
        let term = Term {
            confidence: 0.0,
            chinese: chinese.clone(),
            english,
            count,
            kinds: kinds.into_iter().collect(),
            chinese_sentences: sentences.into_iter().collect(),
        };
        by_term.entry(chinese).or_default().push(term);
    }
    let stems = |text: &str| content_stems(stemmer, text);
    let mut terms: Vec<Term> = Vec::new();
    for (chinese, mut renderings) in by_term {
        renderings.sort_by(|a, b| {
            b.count.cmp(&a.count).then(b.english.len().cmp(&a.english.len())).then(a.english.cmp(&b.english))
        });
        let mut kept: Vec<Term> = Vec::new();
        for rendering in renderings {
            let own = stems(&rendering.english);
            match kept.iter_mut().find(|k| {
                let other = stems(&k.english);
                contains_run(&other, &own) || contains_run(&own, &other)
            }) {
                Some(k) => {
                    k.count += rendering.count;
                    k.kinds.extend(rendering.kinds);
                    k.kinds.sort();
                    k.kinds.dedup();
                    k.chinese_sentences.extend(rendering.chinese_sentences);
                    k.chinese_sentences.sort();
                    k.chinese_sentences.dedup();
                }
                None => kept.push(rendering),
            }
        }
        let best = kept.iter().map(|t| t.count).max().unwrap_or(0);
        let total = term_beads[&chinese].max(1);
        terms.extend(
            kept.into_iter()
                .filter(|t| t.count as f32 >= MIN_SHARE_OF_BEST * best as f32)
                // A learned pair seen once is too weak to list; names and dictionary pairs are not.
                .filter(|t| t.count >= 2 || t.kinds.iter().any(|&k| k != Kind::Learned))
                .map(|t| Term { confidence: (t.count as f32 / total as f32).min(1.0), ..t }),
        );
    }
    // Per English rendering, the Chinese term that gives it most often (新疆 over 新疆省).
    let mut best_for: FxHashMap<String, usize> = FxHashMap::default();
    for t in &terms {
        let best = best_for.entry(t.english.to_lowercase()).or_default();
        *best = (*best).max(t.count);
    }
    terms.retain(|t| t.count >= best_for[&t.english.to_lowercase()]);
    terms.sort_by(|a, b| {
        (a.chinese_sentences[0], &a.chinese, &a.english).cmp(&(b.chinese_sentences[0], &b.chinese, &b.english))
    });
    terms
}

/// True when `needle` occurs as a contiguous run in `haystack` (both non-empty).
fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A Chinese word of a sentence: its simplified form and the char span it covers.
struct ZhWord<'a> {
    simplified: &'a str,
    chars: Range<usize>,
}

/// The words of a Chinese sentence with their character spans.
fn zh_words(sentence: &NormalizedSentence) -> Vec<ZhWord<'_>> {
    sentence
        .spans
        .iter()
        .map(|&(a, b)| {
            let start = sentence.text[..a as usize].chars().count();
            let simplified = &sentence.text[a as usize..b as usize];
            ZhWord { simplified, chars: start..start + simplified.chars().count() }
        })
        .collect()
}

/// The original (possibly Traditional) text of a char span of the normalised sentence;
/// the conversion keeps characters one for one, else the Simplified text is returned.
fn original_text(original: &str, normalized: &NormalizedSentence, chars: Range<usize>) -> String {
    let same_length = original.chars().count() == normalized.text.chars().count();
    let source = if same_length { original } else { normalized.text.as_str() };
    source.chars().skip(chars.start).take(chars.len()).collect()
}

/// How the English document writes its words: which it capitalises where nothing else
/// would (names) and which it writes in lower case. A word capitalised where any word
/// might be (first of a sentence, or after punctuation: "he said, Don't!") is taken as a
/// name only on that evidence, or when it is no common English word.
struct Casing<'a> {
    capitalised_inside: FxHashSet<String>,
    lower_case: FxHashSet<String>,
    dictionary: &'a Dictionary,
    stemmer: rust_stemmers::Stemmer,
}

impl Casing<'_> {
    fn new<'a>(en: &Document, dictionary: &'a Dictionary) -> Casing<'a> {
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
fn tokens_with_position(text: &str) -> impl Iterator<Item = (&str, bool)> {
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
fn capitalised(t: &str) -> bool {
    let last_part = t.rsplit('-').next().unwrap_or(t);
    let pronoun = t == "I" || t.starts_with("I'") || t.starts_with("I’");
    (t.chars().next().is_some_and(char::is_uppercase) && t.chars().any(char::is_lowercase) || is_acronym(t))
        && !last_part.chars().next().is_some_and(char::is_lowercase)
        && !pronoun
}

/// The English tokens of a bead's sentences, each marked with its capitalised phrase:
/// "Yili National Army", "Turkish People's Liberation Committee", "Anti-Han". Phrases stop
/// at punctuation and leave out stopwords and first words that are capitalised only
/// because they open the sentence.
fn bead_tokens<'a>(en: &'a Document, sentences: Range<usize>, casing: &Casing) -> Vec<Token<'a>> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut phrases = 0;
    for j in sentences {
        let text = en.sentences[j].text.as_str();
        let mut in_phrase = false;
        for (word, may_capitalise) in tokens_with_position(text) {
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            let joined = in_phrase && !may_capitalise;
            let starts = (!may_capitalise || casing.opens_name(word)) && !is_stopword(&word.to_ascii_lowercase());
            let phrase = if capitalised(word) && (joined || starts) {
                if !joined {
                    phrases += 1;
                }
                Some(phrases)
            } else {
                None
            };
            in_phrase = phrase.is_some();
            let bytes = start..start + word.len();
            tokens.push(Token { text: word, sentence: j, bytes, phrase, after_space: !may_capitalise });
        }
    }
    tokens
}

/// Writes the glossary as TSV: chinese, english, count, confidence, kinds, sentences.
pub fn write_tsv(out: &mut dyn std::io::Write, terms: &[Term]) -> std::io::Result<()> {
    writeln!(out, "chinese\tenglish\tcount\tconfidence\tkind\tchinese_sentences")?;
    for t in terms {
        let kinds: Vec<&str> = t.kinds.iter().map(|k| k.label()).collect();
        let where_: Vec<String> = t.chinese_sentences.iter().map(usize::to_string).collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{:.2}\t{}\t{}",
            t.chinese,
            t.english,
            t.count,
            t.confidence,
            kinds.join(","),
            where_.join(",")
        )?;
    }
    Ok(())
}

/// Writes the glossary as a JSON array of objects.
pub fn write_json(out: &mut dyn std::io::Write, terms: &[Term]) -> std::io::Result<()> {
    let values: Vec<serde_json::Value> = terms
        .iter()
        .map(|t| {
            serde_json::json!({
                "chinese": t.chinese,
                "english": t.english,
                "count": t.count,
                "confidence": (t.confidence * 100.0).round() / 100.0,
                "kind": t.kinds.iter().map(|k| k.label()).collect::<Vec<_>>(),
                "chinese_sentences": t.chinese_sentences,
            })
        })
        .collect();
    writeln!(out, "{}", serde_json::to_string_pretty(&values).map_err(std::io::Error::other)?)
}

/// True for the language pair the glossary knows: one side Chinese, one English.
pub fn supports(src: Language, tgt: Language) -> bool {
    matches!((src, tgt), (Language::Chinese, Language::English) | (Language::English, Language::Chinese))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Sentence;

    fn english(sentences: &[&str]) -> Document {
        Document {
            language: Language::English,
            sentences: sentences.iter().map(|t| Sentence { text: t.to_string(), starts_paragraph: false }).collect(),
        }
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

    #[test]
    fn variants_fold_into_the_best_attested_rendering() {
        let sighting = |english: &str, sentence: usize| Sighting {
            chinese: "蘇聯".into(),
            english: english.into(),
            kind: Kind::Dictionary,
            sentence,
        };
        let beads = vec![
            vec![sighting("Soviet Union", 0)],
            vec![sighting("Soviet Union", 1)],
            vec![sighting("Soviets", 2)],
            vec![sighting("Soviet Union's Far Eastern", 3)],
            vec![sighting("Moscow", 4)],
        ];
        let terms = aggregate(beads, &english_stemmer());
        assert_eq!(terms.len(), 1, "{terms:#?}");
        assert_eq!((terms[0].english.as_str(), terms[0].count), ("Soviet Union", 4));
        assert_eq!(terms[0].chinese_sentences, [0, 1, 2, 3]);
        assert!((terms[0].confidence - 0.8).abs() < 1e-6);
    }

    #[test]
    fn unpaired_sentences_join_a_neighbouring_bead() {
        let bead = |src: Range<usize>, tgt: Range<usize>| Bead { src, tgt, score: 0.0 };
        let alignment = [bead(0..0, 0..1), bead(0..1, 1..2), bead(1..2, 2..3), bead(2..2, 3..5), bead(2..3, 5..6)];
        assert_eq!(with_unpaired_attached(&alignment, true), [(0..1, 0..2), (1..2, 2..5), (2..3, 5..6)]);
        // English as the source: ranges come back as (Chinese, English).
        assert_eq!(with_unpaired_attached(&alignment[1..3], false), [(1..2, 0..1), (2..3, 1..2)]);
    }
}
