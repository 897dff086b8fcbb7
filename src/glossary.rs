//! A bilingual glossary of a document pair: the names and terms its alignment shows to
//! correspond, with how they were recognised. A product of its own for translators and
//! historians, built after the search from the same evidence the signals use.

use crate::dictionary::Dictionary;
use crate::document::{Bead, Document, Language};
use crate::normalize::english_words::{content_stems, english_stemmer};
use crate::normalize::{NormalizedDocument, NormalizedSentence};
use crate::score::learned::{self, Associations};
use crate::score::lexicon::chinese_concepts;
use crate::score::names::chinese_name_forms;
use crate::score::units::Units;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;

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

/// A Chinese word of a sentence: its simplified form and the char span it covers.
struct ZhWord<'a> {
    simplified: &'a str,
    chars: std::ops::Range<usize>,
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
    let beads: Vec<_> = alignment
        .iter()
        .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
        .map(|b| if zh_is_source { (b.src.clone(), b.tgt.clone()) } else { (b.tgt.clone(), b.src.clone()) })
        .collect();
    let associations: Associations = learned::learn(zh.2, en.2, &beads);
    let zh_unit: FxHashMap<&str, u32> =
        zh.2.vocabulary.iter().enumerate().map(|(i, u)| (u.as_str(), i as u32)).collect();
    let en_unit: FxHashMap<&str, u32> =
        en.2.vocabulary.iter().enumerate().map(|(i, u)| (u.as_str(), i as u32)).collect();
    let stemmer = english_stemmer();

    // (chinese, english) → (kinds, beads, sentences); and beads per Chinese term.
    let mut pairs: FxHashMap<(String, String), (BTreeSet<Kind>, usize, BTreeSet<usize>)> = FxHashMap::default();
    let mut term_beads: FxHashMap<String, usize> = FxHashMap::default();
    for (zh_range, en_range) in &beads {
        let en_tokens: Vec<(&str, usize)> = en_range
            .clone()
            .flat_map(|j| crate::normalize::english_tokens(&en.0.sentences[j].text).into_iter().map(move |t| (t, j)))
            .collect();
        let phrases = capitalised_runs(&en_tokens, |j| en.0.sentences[j].text.as_str());
        // Candidates of this bead: (kind, -length, chinese, english, sentence).
        let mut candidates: Vec<(Kind, isize, String, String, usize)> = Vec::new();
        for i in zh_range.clone() {
            let words = zh_words(&zh.1.sentences[i]);
            // For each word: the English token it matched, how, and whether it may start a term.
            let mut matches: Vec<Option<(usize, Kind, bool)>> = Vec::with_capacity(words.len());
            for word in &words {
                let names = chinese_name_forms(word.simplified).unwrap_or_default();
                let concepts = chinese_concepts(word.simplified, dictionary);
                let partners = zh_unit.get(word.simplified).and_then(|u| associations.partners.get(u));
                let single = word.simplified.chars().count() == 1;
                let partners: Vec<u32> = partners
                    .map(|p| p.iter().filter(|&&(_, dice, _)| dice >= GLOSSARY_MIN_DICE).map(|&(b, _, _)| b).collect())
                    .unwrap_or_default();
                let matches_token = |kind: Kind, token: &str, k: usize| -> bool {
                    match kind {
                        Kind::Name => {
                            let flat: String = token
                                .chars()
                                .filter(char::is_ascii_alphabetic)
                                .collect::<String>()
                                .to_ascii_lowercase();
                            let phrase_flat = phrases[k].as_ref().map(|(_, f)| f.as_str()).unwrap_or("");
                            names.contains(&flat) || names.iter().any(|n| n == phrase_flat)
                        }
                        Kind::Dictionary => content_stems(&stemmer, token)
                            .iter()
                            .any(|s| dictionary.concept_id(s).is_some_and(|c| concepts.binary_search(&c).is_ok())),
                        Kind::Learned => content_stems(&stemmer, token)
                            .iter()
                            .any(|s| en_unit.get(s.as_str()).is_some_and(|u| partners.contains(u))),
                    }
                };
                let found = if single && FUNCTION_CHARS.contains(word.simplified) {
                    None
                } else {
                    // Strongest kind first; within a kind, tokens of a capitalised phrase first.
                    [Kind::Name, Kind::Dictionary, Kind::Learned].into_iter().find_map(|kind| {
                        let mut tokens =
                            en_tokens.iter().enumerate().filter(|(k, (token, _))| matches_token(kind, token, *k));
                        let (first, mut rest) = (tokens.next(), tokens);
                        let best = match first {
                            Some((k, _)) if phrases[k].is_none() => rest.find(|(k, _)| phrases[*k].is_some()).or(first),
                            other => other,
                        };
                        best.map(|(k, _)| (k, kind, !single || kind == Kind::Name))
                    })
                };
                matches.push(found);
            }
            // Consecutive words that map into the same English phrase form one term.
            let mut w = 0;
            while w < words.len() {
                let Some((k, kind, true)) = matches[w] else {
                    w += 1;
                    continue;
                };
                let phrase = phrases[k].as_ref().map(|(p, _)| p.clone());
                let mut end = w + 1;
                let mut best = kind;
                while let (Some(p), Some(Some((k2, kind2, _)))) = (&phrase, matches.get(end)) {
                    if phrases[*k2].as_ref().map(|(q, _)| q) != Some(p) {
                        break;
                    }
                    best = best.min(*kind2);
                    end += 1;
                }
                let english = match phrase {
                    Some(p) => Some(p),
                    None if options.all_words => Some(en_tokens[k].0.to_string()),
                    None => None,
                };
                if let Some(english) = english {
                    let span = words[w].chars.start..words[end - 1].chars.end;
                    let chinese = original_text(&zh.0.sentences[i].text, &zh.1.sentences[i], span.clone());
                    candidates.push((best, -(span.len() as isize), chinese, english, i));
                }
                w = end;
            }
        }
        // Competitive linking: strongest evidence first, each English phrase used once.
        candidates.sort();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let mut seen_in_bead: BTreeSet<(String, String)> = BTreeSet::new();
        for (kind, _, chinese, english, i) in candidates {
            if !taken.insert(english.clone()) {
                continue;
            }
            let key = (chinese, english);
            if seen_in_bead.insert(key.clone()) {
                let entry = pairs.entry(key).or_default();
                entry.0.insert(kind);
                entry.1 += 1;
                entry.2.insert(i);
            }
        }
        let terms_in_bead: BTreeSet<&String> = seen_in_bead.iter().map(|(c, _)| c).collect();
        for chinese in terms_in_bead {
            *term_beads.entry(chinese.clone()).or_default() += 1;
        }
    }
    let mut terms: Vec<Term> = pairs
        .into_iter()
        .map(|((chinese, english), (kinds, count, sentences))| Term {
            confidence: count as f32 / term_beads[&chinese].max(1) as f32,
            chinese,
            english,
            count,
            kinds: kinds.into_iter().collect(),
            chinese_sentences: sentences.into_iter().collect(),
        })
        // A learned pair seen once is too weak to list; names and dictionary pairs are not.
        .filter(|t| t.count >= 2 || t.kinds.iter().any(|&k| k != Kind::Learned))
        .collect();
    // Keep, per Chinese term, the renderings that are not dominated by a better one.
    terms.sort_by(|a, b| a.chinese.cmp(&b.chinese).then(b.count.cmp(&a.count)).then(a.english.cmp(&b.english)));
    let mut best_count: FxHashMap<String, usize> = FxHashMap::default();
    terms.retain(|t| {
        let best = *best_count.entry(t.chinese.clone()).or_insert(t.count);
        t.count * 2 >= best
    });
    terms.sort_by(|a, b| a.chinese_sentences[0].cmp(&b.chinese_sentences[0]).then(a.chinese.cmp(&b.chinese)));
    terms
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
fn original_text(original: &str, normalized: &NormalizedSentence, chars: std::ops::Range<usize>) -> String {
    let same_length = original.chars().count() == normalized.text.chars().count();
    let source = if same_length { original } else { normalized.text.as_str() };
    source.chars().skip(chars.start).take(chars.len()).collect()
}

/// For each English token, the capitalised run it belongs to (as written, and flattened
/// to lower-case letters), if any: "Yili National Army", "Turkish People's Liberation
/// Committee", "Anti-Han". Runs stop at punctuation and leave out sentence openers.
fn capitalised_runs<'a>(
    tokens: &[(&'a str, usize)],
    text_of: impl Fn(usize) -> &'a str,
) -> Vec<Option<(String, String)>> {
    let capitalised = |t: &str| {
        t.chars().next().is_some_and(char::is_uppercase) && t.chars().any(char::is_lowercase)
            || t.len() > 1 && t.chars().all(|c| c.is_ascii_uppercase())
    };
    let offset = |k: usize| tokens[k].0.as_ptr() as usize - text_of(tokens[k].1).as_ptr() as usize;
    let sentence_start = |k: usize| k == 0 || tokens[k - 1].1 != tokens[k].1;
    let joined = |k: usize| {
        let (text, end) = (text_of(tokens[k].1), offset(k - 1) + tokens[k - 1].0.len());
        tokens[k - 1].1 == tokens[k].1 && text[end..offset(k)].chars().all(char::is_whitespace)
    };
    let starts_run = |k: usize| {
        let lower = tokens[k].0.to_ascii_lowercase();
        capitalised(tokens[k].0)
            && !(sentence_start(k) && SENTENCE_OPENERS.contains(&lower.as_str()))
            && !crate::normalize::english_words::is_stopword(&lower)
    };
    let mut runs = vec![None; tokens.len()];
    let mut k = 0;
    while k < tokens.len() {
        if !starts_run(k) {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < tokens.len() && joined(end) && capitalised(tokens[end].0) {
            end += 1;
        }
        let words: Vec<&str> = tokens[k..end].iter().map(|(t, _)| *t).collect();
        let phrase = words.join(" ");
        let flat: String = phrase.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
        for run in runs.iter_mut().take(end).skip(k) {
            *run = Some((phrase.clone(), flat.clone()));
        }
        k = end;
    }
    runs
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
