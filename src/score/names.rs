//! The names signal: a Chinese name and its romanisation match with no dictionary entry,
//! through pinyin (盛世才 ↔ Sheng Shicai, 叶文洁 ↔ Ye Wenjie) or common Wade–Giles
//! (毛泽东 ↔ Mao Tse-tung).

use super::KeyInterner;
use super::coverage::{CoverageSignal, Item};
use crate::document::Language;
use crate::normalize::NormalizedDocument;
use crate::normalize::english_words::is_stopword;
use crate::read::is_han;
use pinyin::ToPinyin;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Romanised-name overlap between the two sides of a bead (either side may be the
/// Chinese one).
pub fn names(src: &NormalizedDocument, tgt: &NormalizedDocument) -> CoverageSignal {
    let mut keys = KeyInterner::default();
    let src_items = items(src, &mut keys);
    let tgt_items = items(tgt, &mut keys);
    CoverageSignal::new("names", src_items, tgt_items)
}

fn items(document: &NormalizedDocument, keys: &mut KeyInterner) -> Vec<Vec<Item>> {
    let per_sentence: Vec<Vec<Vec<String>>> = match document.language {
        Language::Chinese => {
            let mut vocabulary: Vec<&str> = document.sentences.iter().flat_map(|s| s.words()).collect();
            vocabulary.sort_unstable();
            vocabulary.dedup();
            let forms: Vec<Option<Vec<String>>> = vocabulary.par_iter().map(|w| chinese_name_forms(w)).collect();
            let forms_of: FxHashMap<&str, &Option<Vec<String>>> = vocabulary.iter().copied().zip(&forms).collect();
            document.sentences.iter().map(|s| s.words().filter_map(|w| forms_of[w].clone()).collect()).collect()
        }
        Language::English => {
            document.sentences.par_iter().map(|s| english_name_forms(&s.words().collect::<Vec<_>>())).collect()
        }
    };
    per_sentence
        .into_iter()
        .map(|names| {
            names.iter().map(|forms| Item { weight: 1.0, keys: forms.iter().map(|f| keys.id(f)).collect() }).collect()
        })
        .collect()
}

/// Romanisations a Chinese word of two to four characters may appear as in English: the
/// whole name in pinyin and Wade–Giles, and for three-character names the given name alone.
pub fn chinese_name_forms(word: &str) -> Option<Vec<String>> {
    let count = word.chars().count();
    if !(2..=4).contains(&count) || !word.chars().all(is_han) {
        return None;
    }
    let syllables: Vec<String> =
        word.to_pinyin().map(|p| p.map(|p| p.plain().replace(['ü', 'v'], "u"))).collect::<Option<_>>()?;
    let mut forms = vec![syllables.concat(), syllables.iter().map(|s| wade_giles(s)).collect()];
    if count == 3 {
        forms.push(syllables[1..].concat());
        forms.push(syllables[1..].iter().map(|s| wade_giles(s)).collect());
    }
    forms.sort();
    forms.dedup();
    Some(forms)
}

/// Capitalised words, each with its joins to the following capitalised words, so that
/// "Sheng Shicai" offers "sheng", "shengshicai" and "shicai". A sentence-initial word
/// counts only when another capitalised word follows it (otherwise it is just capitalised
/// for the sentence).
pub fn english_name_forms(words: &[&str]) -> Vec<Vec<String>> {
    let capitalised: Vec<bool> =
        words.iter().map(|w| w.chars().next().is_some_and(char::is_uppercase) && w.len() > 1).collect();
    let flat = |w: &str| w.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    let mut names = Vec::new();
    for k in 0..words.len() {
        let followed = capitalised.get(k + 1).copied().unwrap_or(false);
        if !capitalised[k] || is_stopword(&words[k].to_ascii_lowercase()) || (k == 0 && !followed) {
            continue;
        }
        let mut forms = vec![flat(&words[k])];
        let mut joined = forms[0].clone();
        for next in (k + 1..words.len().min(k + 3)).take_while(|&n| capitalised[n]) {
            joined.push_str(&flat(&words[next]));
            forms.push(joined.clone());
        }
        names.push(forms);
    }
    names
}

/// Converts one toneless pinyin syllable to Wade–Giles without apostrophes or umlauts.
pub fn wade_giles(syllable: &str) -> String {
    match syllable {
        "zi" | "ci" => return "tzu".into(),
        "si" => return "ssu".into(),
        "zhi" | "chi" => return "chih".into(),
        "shi" => return "shih".into(),
        "ri" => return "jih".into(),
        "er" => return "erh".into(),
        "you" => return "yu".into(),
        "yan" => return "yen".into(),
        "ye" => return "yeh".into(),
        "yong" => return "yung".into(),
        _ => {}
    }
    let (initial, wg_initial) = [
        ("zh", "ch"),
        ("ch", "ch"),
        ("sh", "sh"),
        ("b", "p"),
        ("p", "p"),
        ("d", "t"),
        ("t", "t"),
        ("g", "k"),
        ("k", "k"),
        ("z", "ts"),
        ("c", "ts"),
        ("s", "s"),
        ("j", "ch"),
        ("q", "ch"),
        ("x", "hs"),
        ("r", "j"),
    ]
    .into_iter()
    .find(|(p, _)| syllable.starts_with(p))
    .unwrap_or(("", ""));
    let final_part = &syllable[initial.len()..];
    let wg_final = match (initial, final_part) {
        ("g" | "k" | "h", "e") => "o".to_string(),
        ("g" | "k" | "h" | "sh", "uo") => "uo".to_string(),
        (_, "uo") if !initial.is_empty() => "o".to_string(),
        (_, "ui") => "uei".to_string(),
        _ => final_part.replace("ong", "ung").replace("ian", "ien").replace("ie", "ieh").replace("ue", "ueh"),
    };
    let wg_initial = if initial.is_empty() { "" } else { wg_initial };
    format!("{wg_initial}{wg_final}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        crate::normalize::english_tokens(text)
    }

    #[test]
    fn pinyin_names_meet_english_names() {
        let zh = chinese_name_forms("盛世才").unwrap();
        let en = english_name_forms(&words("when Sheng Shicai shifted his allegiance"));
        assert!(en.iter().any(|forms| forms.iter().any(|f| zh.contains(f))));
        let zh = chinese_name_forms("叶文洁").unwrap();
        assert!(zh.contains(&"yewenjie".to_string()) && zh.contains(&"wenjie".to_string()));
    }

    #[test]
    fn wade_giles_forms() {
        let mao = chinese_name_forms("毛泽东").unwrap();
        assert!(mao.contains(&"maotsetung".to_string()), "{mao:?}");
        assert_eq!(wade_giles("xiong"), "hsiung");
        assert_eq!(wade_giles("guo"), "kuo");
        assert_eq!(wade_giles("qing"), "ching");
    }

    #[test]
    fn sentence_initial_capital_alone_is_not_a_name() {
        assert!(english_name_forms(&words("Within the region")).is_empty());
        assert_eq!(english_name_forms(&words("Chen Qingyang caught me"))[0], ["chen", "chenqingyang"]);
    }
}
