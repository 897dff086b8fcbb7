//! Invariants that must hold for any input: every sentence of both sides appears exactly
//! once, in order, whatever the texts.

use super::aligner;
use duiqi::{Document, Language, check_coverage};
use proptest::prelude::*;

fn document(language: Language, texts: Vec<String>) -> Document {
    Document::from_sentences(language, texts)
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

/// Text from every corner of Unicode: any character of any plane, mixed with what real
/// books and odd files hold (combining marks, right-to-left script and marks, full-width
/// forms, control characters, CR, line and paragraph separators, curly quotes, CJK, words).
fn any_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "[\u{0300}-\u{036F}\u{0483}-\u{0489}\u{20D0}-\u{20FF}]",
        "[\u{05D0}-\u{05EA}\u{0627}-\u{064A}\u{200E}\u{200F}\u{202A}-\u{202E}]{1,6}",
        "[\u{FF01}-\u{FF5E}\u{3000}-\u{303F}]",
        "[\u{0000}-\u{001F}\u{007F}-\u{009F}]",
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        "[\u{2028}\u{2029}\u{00A0}\u{2009}\u{200B}\u{FEFF}]",
        "[“”‘’「」『』—–…·.!?。！？,，;；:：()（）\"']",
        "[苏联新疆伊犁我你他的了是在有人大中國年月日一二三]{1,8}",
        "[A-Za-z]{1,9}",
        "[0-9]{1,4}",
        Just(" ".to_string()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn splitting_and_reading_any_text_keeps_every_character(text in any_text(), mode in any::<u8>()) {
        super::checks::split(&text);
        super::checks::read(&[&[mode], text.as_bytes()].concat());
        let lines = duiqi::split::presplit_lines(&text);
        let breaks = text.matches("\r\n").count() + text.matches(['\r', '\n']).count() - 2 * text.matches("\r\n").count();
        let unterminated = !text.is_empty() && !text.ends_with(['\r', '\n']);
        prop_assert_eq!(lines.len(), breaks + usize::from(unterminated));
    }

    #[test]
    fn any_text_reads_aligns_and_writes_whole(zh in any_text(), en in any_text(), presplit in any::<bool>()) {
        let read = |text: &str, language| {
            let options = duiqi::ReadOptions { language: Some(language), presplit, ..Default::default() };
            duiqi::read_document(text.as_bytes(), "text", &options)
        };
        let (zh_doc, en_doc) = (read(&zh, Language::Chinese), read(&en, Language::English));
        // Reading may refuse a text (control characters look binary), never panic; what it
        // refuses is aligned all the same from the splitter's sentences.
        let document = |read: duiqi::Result<Document>, text: &str, language| {
            read.unwrap_or_else(|_| Document {
                language,
                text: text.to_string(),
                sentences: duiqi::split::split_text(text, language),
                paragraphs: Vec::new(),
                guessed_encoding: None,
            })
        };
        let (zh, en) = (document(zh_doc, &zh, Language::Chinese), document(en_doc, &en, Language::English));
        let alignment = aligner().align(&zh, &en);
        prop_assert!(check_coverage(&alignment, zh.len(), en.len()).is_ok());
        for format in [duiqi::Format::Align, duiqi::Format::Tsv, duiqi::Format::Jsonl, duiqi::Format::Tmx] {
            let mut out = Vec::new();
            duiqi::write_alignment(&mut out, format, &alignment, &zh, &en).unwrap();
            let text = String::from_utf8(out).unwrap();
            let units = if format == duiqi::Format::Tmx { text.matches("<tu>").count() } else { text.lines().count() };
            prop_assert_eq!(units, alignment.len(), "{:?}", format);
        }
        let terms = aligner().glossary(&zh, &en, &alignment, duiqi::glossary::GlossaryOptions { all_words: true });
        duiqi::glossary::write_tsv(&mut Vec::new(), &terms).unwrap();
    }
}
