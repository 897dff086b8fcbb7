//! Chinese normalisation: Traditional → Simplified (OpenCC's tables), then word segmentation
//! (jieba), so that both scripts meet the Simplified dictionary.

use super::simplified::ToSimplified;
use crate::script::is_han;
use fst::Streamer;
use fst::raw::{CompiledAddr, Fst, Output};
use jieba_rs::Jieba;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// jieba's dictionary (MIT) as an FST of word → id, compiled by `build.rs`.
static DICTIONARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba.fst"));
/// The frequency of each word, by id (u32, little-endian).
static FREQUENCIES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba-frequencies.bin"));
/// The sum of the dictionary's frequencies, which jieba's route probabilities divide by.
const TOTAL_FREQUENCY: u64 = include!(concat!(env!("OUT_DIR"), "/jieba-total.rs"));
/// Stands for the words a text does not contain, so the frequencies still add up to the
/// total: jieba never looks it up, since a full-width comma never falls in a word block.
const REST_OF_DICTIONARY: &str = "，";

/// Segmenting with the whole dictionary pays off once this many documents share it.
const DOCUMENTS_BEFORE_WHOLE_DICTIONARY: usize = 8;

/// Converts Chinese to Simplified and finds a segmenter for each document.
pub struct ChineseNormalizer {
    to_simplified: ToSimplified,
    documents: AtomicUsize,
    whole_dictionary: OnceLock<Segmenter>,
}

impl ChineseNormalizer {
    /// Loads the bundled conversion tables.
    pub fn new() -> ChineseNormalizer {
        ChineseNormalizer {
            to_simplified: ToSimplified::new(),
            documents: AtomicUsize::new(0),
            whole_dictionary: OnceLock::new(),
        }
    }

    /// The sentence in Simplified characters.
    pub fn simplify(&self, text: &str) -> String {
        if text.chars().any(is_han) { self.to_simplified.convert(text) } else { text.to_string() }
    }

    /// A segmenter for one document's (simplified) sentences: one holding only their words
    /// for the first few documents, then the whole dictionary, loaded once and shared.
    pub fn segmenter(&self, texts: &[String]) -> Cow<'_, Segmenter> {
        if self.documents.fetch_add(1, Ordering::Relaxed) < DOCUMENTS_BEFORE_WHOLE_DICTIONARY {
            Cow::Owned(Segmenter::for_texts(texts))
        } else {
            Cow::Borrowed(self.whole_dictionary.get_or_init(Segmenter::whole_dictionary))
        }
    }
}

impl Default for ChineseNormalizer {
    fn default() -> Self {
        ChineseNormalizer::new()
    }
}

/// jieba holding the dictionary words some given texts contain. jieba's cut reads the
/// dictionary only through the frequencies of words found in the text and their total, so it
/// cuts those texts exactly as with the whole dictionary, which takes ~90 ms to load.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// A segmenter that cuts exactly `texts`.
    pub fn for_texts(texts: &[String]) -> Segmenter {
        let dictionary = dictionary();
        let found = texts
            .par_iter()
            .fold(
                || FoundWords::new(dictionary.len()),
                |mut found, text| {
                    found.add_all_in(&dictionary, text);
                    found
                },
            )
            .reduce(
                || FoundWords::new(dictionary.len()),
                |mut a, b| {
                    b.words.into_iter().for_each(|(id, word)| a.add(id, word));
                    a
                },
            );
        Segmenter::of_words(|add| found.words.into_iter().for_each(|(id, word)| add(word, frequency(id))))
    }

    /// A segmenter for any text. Built inside a `OnceLock` while rayon runs, so it must not
    /// use rayon itself (a thread waiting on it could be handed its own initialisation).
    pub fn whole_dictionary() -> Segmenter {
        let dictionary = dictionary();
        Segmenter::of_words(|add| {
            let mut stream = dictionary.stream();
            while let Some((word, id)) = stream.next() {
                add(std::str::from_utf8(word).expect("build.rs writes UTF-8 words"), frequency(id.value() as usize));
            }
        })
    }

    /// jieba holding the words `fill` adds (with their frequencies) and the rest of the
    /// total frequency.
    fn of_words(fill: impl FnOnce(&mut dyn FnMut(&str, u64))) -> Segmenter {
        let mut jieba = Jieba::empty();
        let mut found_frequency = 0;
        fill(&mut |word, frequency| {
            jieba.add_word(word, Some(frequency as usize), None);
            found_frequency += frequency;
        });
        jieba.add_word(REST_OF_DICTIONARY, Some((TOTAL_FREQUENCY - found_frequency) as usize), None);
        Segmenter { jieba }
    }

    /// The words of `text` (punctuation and spaces dropped).
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|token| token.word)
            .filter(|w| w.chars().any(is_letter_or_digit))
            .collect()
    }
}

/// `char::is_alphanumeric`, without its table search for the common ideographs (all of
/// them letters).
fn is_letter_or_digit(c: char) -> bool {
    COMMON_IDEOGRAPHS.contains(&c) || c.is_alphanumeric()
}

/// The CJK Unified Ideographs block, every code point assigned since Unicode 14.
const COMMON_IDEOGRAPHS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

fn dictionary() -> Fst<&'static [u8]> {
    Fst::new(DICTIONARY).expect("the compiled jieba dictionary is a valid FST")
}

fn frequency(id: usize) -> u64 {
    let bytes = FREQUENCIES[4 * id..4 * id + 4].try_into().expect("four bytes");
    u64::from(u32::from_le_bytes(bytes))
}

/// Distinct dictionary words found in some texts, with their ids.
struct FoundWords<'t> {
    seen: Vec<u64>,
    words: Vec<(usize, &'t str)>,
    /// Where the dictionary is after each character seen, and after each pair of
    /// characters (the steps over their UTF-8 bytes, taken once: most words a text holds
    /// are one or two characters long).
    after_first: FxHashMap<char, Option<State>>,
    after_pair: FxHashMap<(char, char), Option<State>>,
}

impl<'t> FoundWords<'t> {
    fn new(dictionary_words: usize) -> FoundWords<'t> {
        FoundWords {
            seen: vec![0; dictionary_words.div_ceil(64)],
            words: Vec::new(),
            after_first: FxHashMap::default(),
            after_pair: FxHashMap::default(),
        }
    }

    fn add(&mut self, id: usize, word: &'t str) {
        let (slot, bit) = (id / 64, 1u64 << (id % 64));
        if self.seen[slot] & bit == 0 {
            self.seen[slot] |= bit;
            self.words.push((id, word));
        }
    }

    /// Adds every dictionary word that occurs in `text`.
    fn add_all_in(&mut self, dictionary: &Fst<&[u8]>, text: &'t str) {
        let bytes = text.as_bytes();
        for (start, c) in text.char_indices() {
            // jieba looks words up only in runs of ideographs, letters, digits and +#&._%-
            // (this keeps a superset of those characters; ideographs, most of them, first:
            // telling a letter of any script is a table search).
            if !is_han(c) && !c.is_alphanumeric() && !"+#&._%-".contains(c) {
                continue;
            }
            let root = (dictionary.root().addr(), Output::zero());
            let Some((addr, output, single)) = cached(&mut self.after_first, c, || step_over(dictionary, root, c))
            else {
                continue;
            };
            let first_end = start + c.len_utf8();
            if let Some(id) = single {
                self.add(id, &text[start..first_end]);
            }
            let Some(second) = text[first_end..].chars().next() else { continue };
            let after_second = || step_over(dictionary, (addr, output), second);
            let Some((addr, output, pair)) = cached(&mut self.after_pair, (c, second), after_second) else {
                continue;
            };
            let second_end = first_end + second.len_utf8();
            if let Some(id) = pair {
                self.add(id, &text[start..second_end]);
            }
            let (mut node, mut output) = (dictionary.node(addr), output);
            for (length, &byte) in bytes[second_end..].iter().enumerate() {
                let Some(k) = node.find_input(byte) else { break };
                let transition = node.transition(k);
                output = output.cat(transition.out);
                node = dictionary.node(transition.addr);
                if node.is_final() {
                    // A whole UTF-8 word matched from a character boundary ends on one.
                    let id = output.cat(node.final_output()).value() as usize;
                    self.add(id, &text[start..second_end + length + 1]);
                }
            }
        }
    }
}

/// Where a walk through the dictionary stands: node, output so far, and the id of the word
/// spelled so far if it is one.
type State = (CompiledAddr, Output, Option<usize>);

/// The state `cache` holds for `key`, found by `step` the first time.
fn cached<K: std::hash::Hash + Eq>(
    cache: &mut FxHashMap<K, Option<State>>,
    key: K,
    step: impl FnOnce() -> Option<State>,
) -> Option<State> {
    *cache.entry(key).or_insert_with(step)
}

/// The dictionary's state after the character `c`, from node `addr` with `output` so far;
/// `None` when no word continues with `c`.
fn step_over(dictionary: &Fst<&[u8]>, (addr, mut output): (CompiledAddr, Output), c: char) -> Option<State> {
    let mut node = dictionary.node(addr);
    for &byte in c.encode_utf8(&mut [0; 4]).as_bytes() {
        let transition = node.transition(node.find_input(byte)?);
        output = output.cat(transition.out);
        node = dictionary.node(transition.addr);
    }
    let word = node.is_final().then(|| output.cat(node.final_output()).value() as usize);
    Some((node.addr(), output, word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_ideographs_are_letters() {
        let mut ideographs = COMMON_IDEOGRAPHS;
        assert!(ideographs.all(char::is_alphanumeric));
        assert!(is_letter_or_digit('a') && is_letter_or_digit('〇') && !is_letter_or_digit('，'));
    }

    #[test]
    fn traditional_becomes_simplified_and_is_segmented() {
        let text = ChineseNormalizer::new().simplify("蘇聯勢力控制了新疆。");
        assert_eq!(text, "苏联势力控制了新疆。");
        let texts = [text];
        let words = Segmenter::for_texts(&texts).words(&texts[0]);
        assert_eq!(words, ["苏联", "势力", "控制", "了", "新疆"]);
    }

    /// jieba with its whole dictionary as jieba loads it, which the segmenter must match.
    fn jiebas_own() -> &'static Segmenter {
        static OWN: OnceLock<Segmenter> = OnceLock::new();
        OWN.get_or_init(|| Segmenter { jieba: Jieba::new() })
    }

    #[test]
    fn cuts_the_bundled_examples_as_the_whole_dictionary_does() {
        let texts: Vec<String> = [
            include_str!("../../../../data/examples/genesis/genesis.zh"),
            include_str!("../../../../data/examples/yili/yili.zh"),
        ]
        .iter()
        .flat_map(|text| text.lines())
        .map(str::to_string)
        .collect();
        let (for_texts, whole) = (Segmenter::for_texts(&texts), Segmenter::whole_dictionary());
        for text in &texts {
            assert_eq!(for_texts.words(text), jiebas_own().words(text), "{text}");
            assert_eq!(whole.words(text), jiebas_own().words(text), "{text}");
        }
    }

    proptest::proptest! {
        /// Random mixtures of common characters, letters, digits and punctuation (where
        /// dictionary words, unknown runs for the HMM and block edges meet), with rarer
        /// ideographs, full-width forms and any other character now and then, cut alike.
        #[test]
        fn cuts_any_text_as_the_whole_dictionary_does(
            text in "([的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感 ,，。、a-zA-Z0-9.%+#&_-]|[㐀䶵豈𠀀𪚲ＴＶ１·　\r\n]|\\PC){0,40}"
        ) {
            let texts = [text];
            proptest::prop_assert_eq!(Segmenter::for_texts(&texts).words(&texts[0]), jiebas_own().words(&texts[0]));
        }
    }
}
