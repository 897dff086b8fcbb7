//! A bilingual glossary of a document pair: the names and terms its alignment shows to
//! correspond, with how they were recognised. A product of its own for translators and
//! historians, built after the search from the same evidence the signals use.

mod chinese;
mod english;

use crate::dictionary::Dictionary;
use crate::document::{Bead, Document, Language};
use crate::features::associations;
use crate::features::numbers::{chinese_numbers, english_numbers};
use crate::features::units::Units;
use crate::normalize::NormalizedDocument;
use crate::normalize::english_words::{content_stems, english_stemmer};
use chinese::{Matcher, OriginalText, terms};
use english::{Casing, bead_tokens, english_text, name_heads};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;
use std::ops::Range;

/// How a pair was recognised, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "lowercase"))]
pub enum Kind {
    /// Romanisation of a Chinese name (pinyin or Wade–Giles), or its transliteration.
    Name,
    /// The same number, year, decade or month (listed with `all_words` only).
    Number,
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
            Kind::Number => "number",
            Kind::Dictionary => "dictionary",
            Kind::Learned => "learned",
        }
    }
}

/// One glossary line.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// Options for [`crate::Aligner::glossary`].
#[derive(Clone, Copy, Debug, Default)]
pub struct GlossaryOptions {
    /// Also list pairs whose English is a common (lower-case) word or a number, not only
    /// names and capitalised terms.
    pub all_words: bool,
}

/// A rendering of a Chinese term keeps its own line only with at least this share of the
/// term's best-attested rendering's count.
const MIN_SHARE_OF_BEST: f32 = 0.5;

/// One sighting of a pair in a bead.
struct Sighting {
    chinese: String,
    english: String,
    kind: Kind,
    sentence: usize,
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
        associations: associations::learn(zh.2, en.2, &beads, associations::MAX_CHANCE),
        zh_unit: zh.2.vocabulary.iter().enumerate().map(|(i, u)| (u.as_str(), i as u32)).collect(),
        en_unit: en.2.vocabulary.iter().enumerate().map(|(i, u)| (u.as_str(), i as u32)).collect(),
        stemmer: english_stemmer(),
    };
    let casing = Casing::new(en.0, dictionary);
    let heads = name_heads(en.0, &casing);
    let sightings: Vec<Vec<Sighting>> = beads
        .par_iter()
        .map(|Bead { src: zh_range, tgt: en_range, .. }| {
            let tokens = bead_tokens(en.0, en_range.clone(), &casing);
            let keys = matcher.token_keys(&tokens);
            let mut candidates: Vec<(Kind, isize, Range<usize>, Sighting)> = Vec::new();
            for i in zh_range.clone() {
                let links = matcher.links(&zh.1.sentences[i], &tokens, &keys, &heads, options);
                let original = OriginalText::new(&zh.0.sentences[i].text, &zh.1.sentences[i]);
                for (chars, token_range, kind) in terms(&zh.1.sentences[i], &links, &tokens, options) {
                    let chinese = original.slice(chars.clone());
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
            candidates.sort_by_key(|c| (c.0, c.1));
            let mut used = vec![false; tokens.len()];
            let mut kept = Vec::new();
            for (_, _, token_range, sighting) in candidates {
                if used[token_range.clone()].iter().all(|u| !u) {
                    used[token_range].iter_mut().for_each(|u| *u = true);
                    kept.push(sighting);
                }
            }
            if options.all_words {
                let numbers = number_sightings(zh.0, en.0, zh_range.clone(), en_range.clone());
                kept.extend(
                    numbers.into_iter().filter(|n| kept.iter().all(|k| k.english != n.english)).collect::<Vec<_>>(),
                );
            }
            kept
        })
        .collect();
    aggregate(sightings, &matcher.stemmer)
}

/// The numbers a bead's two sides share, as written on each (一九四四年 ↔ 1944), each
/// English mention used once.
fn number_sightings(zh: &Document, en: &Document, zh_range: Range<usize>, en_range: Range<usize>) -> Vec<Sighting> {
    // English mentions as written, and by form the ones not yet used.
    let mut english: Vec<Option<String>> = Vec::new();
    let mut by_form: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for j in en_range {
        let text = &en.sentences[j].text;
        for mention in english_numbers(text) {
            for form in mention.forms {
                by_form.entry(form).or_default().push(english.len());
            }
            english.push(Some(text[mention.bytes].to_string()));
        }
    }
    let mut found = Vec::new();
    for i in zh_range {
        let text = &zh.sentences[i].text;
        for mention in chinese_numbers(text) {
            let first_unused = mention
                .forms
                .iter()
                .filter_map(|f| by_form.get(f))
                .flat_map(|ks| ks.iter().copied().find(|&k| english[k].is_some()))
                .min();
            if let Some(written) = first_unused.and_then(|k| english[k].take()) {
                let chinese = text[mention.bytes].to_string();
                found.push(Sighting { chinese, english: written, kind: Kind::Number, sentence: i });
            }
        }
    }
    found
}

/// Two-sided beads with the Chinese as `src` and the English as `tgt`, each one-sided bead
/// merged into a neighbour: a sentence the alignment left unpaired may still name what its
/// neighbours do.
fn with_unpaired_attached(alignment: &[Bead], zh_is_source: bool) -> Vec<Bead> {
    let mut beads: Vec<Bead> = Vec::new();
    let mut pending: Option<(Range<usize>, Range<usize>, f32)> = None;
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
        let (z, e, score) = match pending.take() {
            Some((pz, pe, ps)) => (join(&pz, &z), join(&pe, &e), ps + bead.score),
            None => (z, e, bead.score),
        };
        if z.is_empty() || e.is_empty() {
            match beads.last_mut() {
                Some(last) => {
                    *last = Bead { src: join(&last.src, &z), tgt: join(&last.tgt, &e), score: last.score + score }
                }
                None => pending = Some((z, e, score)),
            }
        } else {
            beads.push(Bead { src: z, tgt: e, score });
        }
    }
    beads
}

/// Merges the sightings of every bead into glossary lines: per Chinese term its renderings,
/// variants folded into the best-attested one containing them ("Soviet", "Soviets" into
/// "Soviet Union"); per English rendering only its most frequent Chinese term.
fn aggregate(sightings: Vec<Vec<Sighting>>, stemmer: &rust_stemmers::Stemmer) -> Vec<Term> {
    // (chinese, english) → (kinds, beads, sentences)
    type Evidence = (BTreeSet<Kind>, usize, BTreeSet<usize>);
    let mut pairs: FxHashMap<(String, String), Evidence> = FxHashMap::default();
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
pub(crate) fn supports(src: Language, tgt: Language) -> bool {
    matches!((src, tgt), (Language::Chinese, Language::English) | (Language::English, Language::Chinese))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn numbers_pair_as_written() {
        let document = |language: Language, text: &str| Document::from_sentences(language, [text]);
        let zh = document(Language::Chinese, "一九四四年十一月，伊寧事件爆發，三人被捕。");
        let en = document(Language::English, "In November 1944 the Yili Rebellion erupted.");
        let found: Vec<(String, String)> =
            number_sightings(&zh, &en, 0..1, 0..1).into_iter().map(|s| (s.chinese, s.english)).collect();
        assert_eq!(found, [("一九四四年".into(), "1944".into()), ("十一月".into(), "November".into())]);
    }

    #[test]
    fn unpaired_sentences_join_a_neighbouring_bead() {
        let bead = |src: Range<usize>, tgt: Range<usize>| Bead { src, tgt, score: 0.0 };
        let alignment = [bead(0..0, 0..1), bead(0..1, 1..2), bead(1..2, 2..3), bead(2..2, 3..5), bead(2..3, 5..6)];
        let ranges = |beads: Vec<Bead>| beads.into_iter().map(|b| (b.src, b.tgt)).collect::<Vec<_>>();
        assert_eq!(ranges(with_unpaired_attached(&alignment, true)), [(0..1, 0..2), (1..2, 2..5), (2..3, 5..6)]);
        // English as the source: ranges come back as (Chinese, English).
        assert_eq!(ranges(with_unpaired_attached(&alignment[1..3], false)), [(1..2, 0..1), (2..3, 1..2)]);
    }
}
