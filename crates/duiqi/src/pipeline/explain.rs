//! Why a bead scores what it does: each signal's share, and the words, names and numbers
//! that link its two sides, for a reviewer to trust or doubt it.

use super::{Aligner, LearnedWords, Pieces};
use crate::dictionary::Dictionary;
use crate::document::{Bead, Document, Language};
use crate::features::names::{chinese_name_forms, english_names};
use crate::features::numbers::{Mention, chinese_numbers, english_numbers};
use crate::normalize::english_words::{content_stems, english_stemmer};
use crate::normalize::{NormalizedDocument, NormalizedSentence};
use crate::score::Combined;
use crate::search::BeadScorer;
use std::ops::Range;
use std::sync::Arc;

/// What links a word, name or number of one side of a bead to one of the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum LinkKind {
    /// The same number, year, decade or month (一九四四年 ↔ 1944).
    Number,
    /// A Chinese name and its romanisation (盛世才 ↔ Sheng Shicai).
    Name,
    /// Translations in the bundled dictionary (苏联 ↔ Soviet).
    Dictionary,
    /// Words the aligner learned to pair from the texts themselves (耶和华 ↔ LORD).
    Learned,
}

impl LinkKind {
    /// Its name in reports: "number", "name", "dictionary" or "learned".
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::Number => "number",
            LinkKind::Name => "name",
            LinkKind::Dictionary => "dictionary",
            LinkKind::Learned => "learned",
        }
    }
}

/// Where a linked word is: a sentence and a byte range of its [`crate::Sentence::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Place {
    /// The sentence index in its document.
    pub sentence: usize,
    /// Byte range in the sentence's text.
    pub bytes: Range<usize>,
}

/// A word, name or number of the source side linked to one of the target side.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Link {
    /// What links them.
    pub kind: LinkKind,
    /// Where it is in the source text.
    pub src: Place,
    /// Where it is in the target text.
    pub tgt: Place,
}

/// The scorer of a finished alignment and the pair's normalised texts, kept to explain any
/// bead of the pair (the aligner's own or one a reviewer made).
pub struct Explainer {
    /// `None` when the texts had sentences cut into pieces: scores of whole sentences are
    /// not the scorer's.
    scorer: Option<Combined>,
    src: Words,
    tgt: Words,
    learned: Option<Arc<LearnedWords>>,
}

impl Explainer {
    /// Each signal's share of `bead`'s score (and the merge or unpairing cost), largest
    /// first; empty when the bead cannot be explained.
    pub fn explain(&self, bead: &Bead) -> Vec<(&'static str, f32)> {
        let Some(scorer) = &self.scorer else { return Vec::new() };
        let mut shares = scorer.explain(bead.src.clone(), bead.tgt.clone());
        shares.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        shares
    }

    /// The score `bead` gets.
    pub fn score(&self, bead: &Bead) -> Option<f32> {
        Some(self.scorer.as_ref()?.score(bead.src.clone(), bead.tgt.clone()))
    }

    /// The numbers, names and dictionary or learned words that link the two sides of
    /// `bead`, in source order; each pair of places once, by its strongest kind (number,
    /// name, dictionary, learned).
    pub fn links(&self, bead: &Bead) -> Vec<Link> {
        let (src, tgt) = (self.src.spots(bead.src.clone()), self.tgt.spots(bead.tgt.clone()));
        let mut links = Vec::new();
        for a in &src {
            for b in &tgt {
                if let Some(kind) = self.link(a, b) {
                    links.push(Link { kind, src: a.place.clone(), tgt: b.place.clone() });
                }
            }
        }
        links.sort_by_key(|l| (l.src.sentence, l.src.bytes.start, l.tgt.sentence, l.tgt.bytes.start, l.kind as u8));
        links.dedup_by(|next, kept| next.src == kept.src && next.tgt == kept.tgt);
        links
    }

    fn link(&self, a: &Spot, b: &Spot) -> Option<LinkKind> {
        let shared = |x: &[String], y: &[String]| x.iter().any(|k| y.contains(k));
        let shared_id = |x: &[u32], y: &[u32]| x.iter().any(|k| y.contains(k));
        match (&a.evidence, &b.evidence) {
            (Evidence::Number(x), Evidence::Number(y)) if shared(x, y) => Some(LinkKind::Number),
            (Evidence::Name(x), Evidence::Name(y)) if shared(x, y) => Some(LinkKind::Name),
            (Evidence::Word { concepts: x, .. }, Evidence::Word { concepts: y, .. }) if shared_id(x, y) => {
                Some(LinkKind::Dictionary)
            }
            (Evidence::Word { units, .. }, Evidence::Word { units: theirs, .. }) => {
                let learned = self.learned.as_ref()?;
                units
                    .iter()
                    .filter_map(|u| learned.get(u))
                    .any(|partners| shared(partners, theirs))
                    .then_some(LinkKind::Learned)
            }
            _ => None,
        }
    }
}

/// One side's sentences as the links need them: the text as read and as normalised.
struct Words {
    language: Language,
    texts: Vec<String>,
    normalized: Vec<NormalizedSentence>,
    dictionary: &'static Dictionary,
}

/// Something in a sentence that can link to the other side.
struct Spot {
    place: Place,
    evidence: Evidence,
}

enum Evidence {
    Number(Vec<String>),
    Name(Vec<String>),
    /// A word's units (Chinese word, English stems) and their dictionary concepts.
    Word {
        units: Vec<String>,
        concepts: Vec<u32>,
    },
}

impl Words {
    fn new(document: &Document, normalized: NormalizedDocument, dictionary: &'static Dictionary) -> Words {
        Words {
            language: document.language,
            texts: document.sentences.iter().map(|s| s.text.clone()).collect(),
            normalized: normalized.sentences,
            dictionary,
        }
    }

    /// The numbers, names and words of `sentences`.
    fn spots(&self, sentences: Range<usize>) -> Vec<Spot> {
        let stemmer = english_stemmer();
        let mut spots = Vec::new();
        for i in sentences {
            let (text, normalized) = (&self.texts[i], &self.normalized[i]);
            let place = |bytes: Range<usize>| Place { sentence: i, bytes };
            let numbers = match self.language {
                Language::Chinese => chinese_numbers(text),
                Language::English => english_numbers(text),
            };
            spots.extend(
                numbers
                    .into_iter()
                    .map(|Mention { bytes, forms }| Spot { place: place(bytes), evidence: Evidence::Number(forms) }),
            );
            // Word spans are in the normalised text (Simplified for Chinese); they hold in
            // the text as read when the conversion kept every character's length.
            let Some(spans) = original_spans(text, normalized) else { continue };
            let words: Vec<&str> = normalized.words().collect();
            if self.language == Language::English {
                for (first, forms) in english_names(&words) {
                    for (k, form) in forms.into_iter().enumerate() {
                        let bytes = spans[first].start..spans[first + k].end;
                        spots.push(Spot { place: place(bytes), evidence: Evidence::Name(vec![form]) });
                    }
                }
            }
            for (word, bytes) in words.iter().zip(spans) {
                if self.language == Language::Chinese && !word.is_ascii() {
                    if let Some(forms) = chinese_name_forms(word) {
                        spots.push(Spot { place: place(bytes.clone()), evidence: Evidence::Name(forms) });
                    }
                    let concepts = self.dictionary.chinese_concepts(word);
                    spots.push(Spot {
                        place: place(bytes),
                        evidence: Evidence::Word { units: vec![word.to_string()], concepts },
                    });
                } else {
                    let units = content_stems(&stemmer, word);
                    let concepts = units.iter().filter_map(|u| self.dictionary.concept_id(u)).collect();
                    if !units.is_empty() {
                        spots.push(Spot { place: place(bytes), evidence: Evidence::Word { units, concepts } });
                    }
                }
            }
        }
        spots
    }
}

/// The byte spans of a normalised sentence's words in the sentence as read; `None` when
/// normalising changed the text's length.
fn original_spans(text: &str, normalized: &NormalizedSentence) -> Option<Vec<Range<usize>>> {
    if text.len() != normalized.text.len() {
        return None;
    }
    let spans: Vec<Range<usize>> = normalized.spans.iter().map(|&(a, b)| a as usize..b as usize).collect();
    spans.iter().all(|s| text.is_char_boundary(s.start) && text.is_char_boundary(s.end)).then_some(spans)
}

impl Aligner {
    /// Aligns `src` with `tgt` as [`Aligner::align`] does and keeps the final scorer and
    /// the normalised texts, to explain beads of the pair.
    pub fn explainer(&self, src: &Document, tgt: &Document) -> Explainer {
        if Pieces::needed(src) || Pieces::needed(tgt) {
            let (src_norm, tgt_norm) =
                rayon::join(|| self.normalizer.normalize(src), || self.normalizer.normalize(tgt));
            return Explainer {
                scorer: None,
                src: Words::new(src, src_norm, self.dictionary),
                tgt: Words::new(tgt, tgt_norm, self.dictionary),
                learned: None,
            };
        }
        let pass = self.align_pieces(&[(src, tgt)], true).pop().expect("one pass per pair");
        let (src_norm, tgt_norm) = pass.normalized.expect("kept for explaining");
        Explainer {
            scorer: Some(pass.scorer),
            src: Words::new(src, src_norm, self.dictionary),
            tgt: Words::new(tgt, tgt_norm, self.dictionary),
            learned: pass.learned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LinkKind;
    use crate::document::{Document, Language};
    use crate::pipeline::{AlignOptions, Aligner};

    #[test]
    fn the_shares_add_up_to_the_score() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let zh = Document::from_sentences(Language::Chinese, ["一九四四年，苏联在新疆。", "盛世才走了。", "天黑了。"]);
        let en = Document::from_sentences(
            Language::English,
            ["In 1944 the Soviet Union was in Xinjiang.", "Sheng Shicai left.", "Then he came back.", "It got dark."],
        );
        let alignment = aligner.align(&zh, &en);
        let explainer = aligner.explainer(&zh, &en);
        for bead in &alignment {
            let shares = explainer.explain(bead);
            assert!(!shares.is_empty());
            let total: f32 = shares.iter().map(|s| s.1).sum();
            assert!((total - bead.score).abs() < 1e-3, "{bead:?}: {shares:?}");
            assert!((explainer.score(bead).unwrap() - bead.score).abs() < 1e-3);
        }
        let numbers = explainer.explain(&alignment[0]);
        assert!(numbers.iter().any(|(name, share)| *name == "numbers" && *share > 0.0), "{numbers:?}");
    }

    #[test]
    fn links_name_what_joins_the_two_sides() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let zh = Document::from_sentences(Language::Chinese, ["一九四四年，苏联在新疆。", "盛世才走了。"]);
        let en = Document::from_sentences(
            Language::English,
            ["In 1944 the Soviet Union was in Xinjiang.", "Sheng Shicai left."],
        );
        let explainer = aligner.explainer(&zh, &en);
        let bead = crate::Bead { src: 0..2, tgt: 0..2, score: 0.0 };
        let shown: Vec<(LinkKind, &str, &str)> = explainer
            .links(&bead)
            .iter()
            .map(|l| {
                let zh_text = &zh.sentences[l.src.sentence].text[l.src.bytes.clone()];
                let en_text = &en.sentences[l.tgt.sentence].text[l.tgt.bytes.clone()];
                (l.kind, zh_text, en_text)
            })
            .collect();
        for expected in [
            (LinkKind::Number, "一九四四年", "1944"),
            (LinkKind::Dictionary, "苏联", "Soviet"),
            (LinkKind::Name, "盛世才", "Sheng Shicai"),
        ] {
            assert!(shown.contains(&expected), "{expected:?} not in {shown:?}");
        }
        assert!(!shown.iter().any(|&(_, a, b)| a == "苏联" && b == "Sheng"), "{shown:?}");
    }
}
