//! Invariants that must hold for any input: every sentence of both sides appears exactly
//! once, in order, whatever the texts.

use super::aligner;
use duiqi::{Document, Language, Sentence, check_coverage};
use proptest::prelude::*;

fn document(language: Language, texts: Vec<String>) -> Document {
    Document {
        language,
        sentences: texts.into_iter().map(|text| Sentence { text, starts_paragraph: false }).collect(),
        guessed_encoding: None,
    }
}

fn chinese_sentence() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof!["[苏联新疆伊犁我你他的了是在有人大中国年月日一二三四五十]", "[0-9]{1,4}"],
        0..20,
    )
    .prop_map(|parts| parts.concat() + "。")
}

fn english_sentence() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof!["[A-Z][a-z]{1,8}", "[a-z]{1,8}", "[0-9]{1,4}"], 0..15)
        .prop_map(|words| words.join(" ") + ".")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_sentence_appears_once_in_order(
        zh in proptest::collection::vec(chinese_sentence(), 0..40),
        en in proptest::collection::vec(english_sentence(), 0..40),
        zh_first in any::<bool>(),
    ) {
        let (zh, en) = (document(Language::Chinese, zh), document(Language::English, en));
        let (src, tgt) = if zh_first { (&zh, &en) } else { (&en, &zh) };
        let alignment = aligner().align(src, tgt);
        prop_assert!(check_coverage(&alignment, src.len(), tgt.len()).is_ok(), "{:?}", check_coverage(&alignment, src.len(), tgt.len()));
        prop_assert!(alignment.iter().all(|b| b.score.is_finite()));
    }
}

#[test]
fn long_inputs_use_the_pyramid_and_keep_every_sentence() {
    // Large enough that the coarse-to-fine search (not the full grid) is used.
    let zh: Vec<String> = (0..1500).map(|i| format!("第{}章里苏联和新疆的故事。", i % 97)).collect();
    let en: Vec<String> =
        (0..1800).map(|i| format!("Chapter {} tells of the Soviet Union and Xinjiang.", i % 89)).collect();
    let (zh, en) = (document(Language::Chinese, zh), document(Language::English, en));
    let alignment = aligner().align(&zh, &en);
    check_coverage(&alignment, zh.len(), en.len()).unwrap();
}
