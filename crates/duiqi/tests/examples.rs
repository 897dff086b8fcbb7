//! End-to-end quality on the texts kept in the repository.

use super::{aligner, example};
use duiqi::eval::{IndexBead, Scores, merge_by_verse, parse_alignment, read_alignment, score};
use duiqi::{Bead, ReadOptions, read_path};
use std::path::Path;

fn as_index_beads(alignment: &[Bead]) -> Vec<IndexBead> {
    alignment.iter().map(|b| (b.src.clone().collect(), b.tgt.clone().collect())).collect()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn seed_abstract_splits_into_the_gold_sentences() {
    for (raw, split) in [("yili/yili.zh.txt", "yili/yili.zh"), ("yili/yili.en.txt", "yili/yili.en")] {
        let document = read_path(example(raw).to_str().unwrap(), &ReadOptions::default()).unwrap();
        let sentences: Vec<String> = document.sentences.into_iter().map(|s| s.text).collect();
        assert_eq!(sentences, lines(&example(split)), "{raw}");
    }
}

/// The seed abstract's scores against its gold, read as lines or as running text.
pub fn seed_scores(presplit: bool) -> Scores {
    let gold = read_alignment(&example("yili/yili.align")).unwrap();
    let (zh, en) = if presplit { ("yili/yili.zh", "yili/yili.en") } else { ("yili/yili.zh.txt", "yili/yili.en.txt") };
    let options = ReadOptions { presplit, ..ReadOptions::default() };
    let src = read_path(example(zh).to_str().unwrap(), &options).unwrap();
    let tgt = read_path(example(en).to_str().unwrap(), &options).unwrap();
    let alignment = aligner().align(&src, &tgt);
    duiqi::check_coverage(&alignment, src.len(), tgt.len()).unwrap();
    score(&[(gold, as_index_beads(&alignment))])
}

/// Genesis 1–5 (KJV × CUV) against its verse-level gold.
pub fn genesis_scores() -> Scores {
    let options = ReadOptions { presplit: true, ..ReadOptions::default() };
    let en = read_path(example("genesis/genesis.en").to_str().unwrap(), &options).unwrap();
    let zh = read_path(example("genesis/genesis.zh").to_str().unwrap(), &options).unwrap();
    let alignment = aligner().align(&en, &zh);
    duiqi::check_coverage(&alignment, en.len(), zh.len()).unwrap();
    let merged = merge_by_verse(
        &as_index_beads(&alignment),
        &lines(&example("genesis/genesis.en.verse")),
        &lines(&example("genesis/genesis.zh.verse")),
    );
    let gold = read_alignment(&example("genesis/genesis.align")).unwrap();
    score(&[(gold, merged)])
}

#[test]
fn seed_abstract_aligns_raw_and_presplit_alike() {
    assert_eq!(seed_scores(true), seed_scores(false));
}

#[test]
fn a_passage_the_other_text_lacks_comes_out_unpaired() {
    // Three verses of Genesis 4 (Cain's punishment) put into the English of Genesis 1–2, at
    // a bead boundary: a translation with an added passage.
    let options = ReadOptions { presplit: true, ..ReadOptions::default() };
    let mut english = lines(&example("genesis/genesis.en"));
    let added: Vec<String> = english[105..108].to_vec();
    english.splice(40..40, added);
    let en = duiqi::read_document(english.join("\n").as_bytes(), "en", &options).unwrap();
    let zh = read_path(example("genesis/genesis.zh").to_str().unwrap(), &options).unwrap();
    let alignment = aligner().align(&en, &zh);
    duiqi::check_coverage(&alignment, en.len(), zh.len()).unwrap();
    for sentence in 40..43 {
        let bead = alignment.iter().find(|b| b.src.contains(&sentence)).unwrap();
        assert!(bead.tgt.is_empty(), "added sentence {sentence} was paired: {bead:?}");
    }
    assert!(alignment.iter().filter(|b| b.tgt.is_empty() || b.src.is_empty()).count() <= 4, "{alignment:?}");
}

#[test]
fn traditional_and_simplified_align_alike() {
    let traditional = "蘇聯勢力控制了新疆。1944年新疆伊犁穆斯林民族發動了暴動。隨後,伊犁民族軍成立。";
    let simplified = "苏联势力控制了新疆。1944年新疆伊犁穆斯林民族发动了暴动。随后,伊犁民族军成立。";
    let english = "Soviet influence dominated Xinjiang. In 1944 the Moslems in Yili rose in rebellion. \
                   Soon after, the Yili National Army was established.";
    let read = |text: &str| duiqi::read_document(text.as_bytes(), "t", &ReadOptions::default()).unwrap();
    let en = read(english);
    let a = aligner().align(&read(traditional), &en);
    let b = aligner().align(&read(simplified), &en);
    let spans = |x: &[Bead]| x.iter().map(|b| (b.src.clone(), b.tgt.clone())).collect::<Vec<_>>();
    assert_eq!(spans(&a), spans(&b));
    assert_eq!(spans(&a), vec![(0..1, 0..1), (1..2, 1..2), (2..3, 2..3)]);
}

#[test]
fn gold_file_round_trips_through_the_align_format() {
    let gold = read_alignment(&example("yili/yili.align")).unwrap();
    let text: String = gold.iter().map(|(s, t)| format!("{:?}:{:?}\n", s, t).replace(' ', "")).collect();
    assert_eq!(parse_alignment(&text, Path::new("x")).unwrap(), gold);
}

#[test]
fn glossary_finds_romanised_names_and_keeps_traditional_script() {
    let options = ReadOptions::default();
    let zh = read_path(example("yili/yili.zh.txt").to_str().unwrap(), &options).unwrap();
    let en = read_path(example("yili/yili.en.txt").to_str().unwrap(), &options).unwrap();
    let alignment = aligner().align(&zh, &en);
    let terms = aligner().glossary(&zh, &en, &alignment, duiqi::glossary::GlossaryOptions::default());
    let has = |c: &str, e: &str| terms.iter().any(|t| t.chinese == c && t.english == e);
    assert!(has("盛世才", "Sheng Shicai"), "{terms:#?}");
    assert!(has("塔城", "Tacheng"));
    let sheng = terms.iter().find(|t| t.chinese == "盛世才").unwrap();
    assert!(sheng.kinds.contains(&duiqi::glossary::Kind::Name));
    assert!(terms.iter().all(|t| !t.chinese.contains('联')), "Traditional 聯 must stay Traditional");
    // Against the hand-made glossary of the abstract: most pairs found, few lines wrong.
    let gold: Vec<(String, Vec<String>)> = std::fs::read_to_string(example("yili/yili.glossary.tsv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(zh, en)| (zh.to_string(), en.split('|').map(str::to_lowercase).collect()))
        .collect();
    let correct = |t: &&duiqi::glossary::Term| {
        gold.iter().any(|(zh, en)| *zh == t.chinese && en.contains(&t.english.to_lowercase()))
    };
    let right = terms.iter().filter(correct).count();
    assert!(right >= 14 && right * 10 >= terms.len() * 8, "{right} right of {} lines: {terms:#?}", terms.len());
}

#[test]
fn a_name_unknown_to_every_resource_is_learned_from_a_repeated_pattern() {
    // 阿勒泰 is rendered by its older name "Ashan": no dictionary or romanisation links them.
    let pairs = [
        ("阿勒泰的牧民很多。", "The herders of Ashan are many."),
        ("我们去了阿勒泰。", "We went to Ashan."),
        ("城里很安静。", "The town was quiet."),
        ("阿勒泰在北方。", "Ashan lies in the north."),
        ("他们喜欢喝茶。", "They like to drink tea."),
        ("阿勒泰的冬天很冷。", "Winter in Ashan is cold."),
        ("河水很清。", "The river is clear."),
    ];
    let zh: String = pairs.iter().map(|p| p.0).collect();
    let en: String = pairs.iter().map(|p| p.1).collect::<Vec<_>>().join(" ");
    let read = |t: &str| duiqi::read_document(t.as_bytes(), "t", &ReadOptions::default()).unwrap();
    let (zh, en) = (read(&zh), read(&en));
    let alignment = aligner().align(&zh, &en);
    let terms = aligner().glossary(&zh, &en, &alignment, duiqi::glossary::GlossaryOptions::default());
    let ashan = terms.iter().find(|t| t.english == "Ashan").expect("Ashan is in the glossary");
    assert_eq!(ashan.chinese, "阿勒泰");
    assert_eq!(ashan.kinds, [duiqi::glossary::Kind::Learned]);
}

#[test]
fn a_batch_keeps_every_sentence_of_every_pair_and_reports_its_progress() {
    let options = ReadOptions { presplit: true, ..ReadOptions::default() };
    let read = |name: &str| read_path(example(name).to_str().unwrap(), &options).unwrap();
    let pairs =
        vec![(read("yili/yili.zh"), read("yili/yili.en")), (read("genesis/genesis.en"), read("genesis/genesis.zh"))];
    let reports = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&reports);
    let aligner = duiqi::Aligner::new(duiqi::AlignOptions::default())
        .unwrap()
        .with_progress(move |p| seen.lock().unwrap().push(p));
    let alignments = aligner.align_batch(&pairs);
    assert_eq!(alignments.len(), 2);
    for ((src, tgt), alignment) in pairs.iter().zip(&alignments) {
        duiqi::check_coverage(alignment, src.len(), tgt.len()).unwrap();
    }
    let mut done: Vec<usize> = reports.lock().unwrap().iter().map(|p| p.pairs_done).collect();
    done.sort_unstable();
    assert_eq!(done, [1, 2], "one report per pair finished (threads may report out of order)");
    assert!(reports.lock().unwrap().iter().all(|p| p.pairs == 2 && p.to_encode == 0), "no model, nothing encoded");
}

#[test]
fn align_with_glossary_equals_align_then_glossary() {
    let options = ReadOptions::default();
    let zh = read_path(example("yili/yili.zh.txt").to_str().unwrap(), &options).unwrap();
    let en = read_path(example("yili/yili.en.txt").to_str().unwrap(), &options).unwrap();
    for (src, tgt) in [(&zh, &en), (&en, &zh)] {
        let glossary_options = duiqi::glossary::GlossaryOptions { all_words: true };
        let (alignment, terms) = aligner().align_with_glossary(src, tgt, glossary_options);
        assert_eq!(alignment, aligner().align(src, tgt));
        assert_eq!(terms, aligner().glossary(src, tgt, &alignment, glossary_options));
        assert!(terms.iter().any(|t| t.chinese == "盛世才" && t.english == "Sheng Shicai"));
    }
}
