//! A corpus aligned from merged counts (as a cluster would) equals the same pairs aligned
//! as one batch.

use crate::example;
use duiqi::{AlignOptions, Aligner, CorpusCounts, CorpusLexicon, Document, Language};

/// Genesis cut into passages of eight gold beads (both sides), and the seed abstract.
fn corpus() -> Vec<(Document, Document)> {
    let lines = |name: &str| std::fs::read_to_string(example(name)).unwrap().lines().map(String::from).collect();
    let (en, zh): (Vec<String>, Vec<String>) = (lines("genesis/genesis.en"), lines("genesis/genesis.zh"));
    let gold = duiqi::eval::read_alignment(&example("genesis/genesis.align")).unwrap();
    let mut pairs: Vec<(Document, Document)> = gold
        .chunks(8)
        .map(|beads| {
            let en_side = beads.iter().flat_map(|b| b.0.iter().map(|&i| en[i].clone()));
            let zh_side = beads.iter().flat_map(|b| b.1.iter().map(|&i| zh[i].clone()));
            (Document::from_sentences(Language::English, en_side), Document::from_sentences(Language::Chinese, zh_side))
        })
        .collect();
    let read = |name: &str| duiqi::read_path(example(name).to_str().unwrap(), &Default::default()).unwrap();
    pairs.push((read("yili/yili.zh.txt"), read("yili/yili.en.txt")));
    pairs
}

/// Counts gathered in `parts` slices, merged last part first.
fn merged_counts(
    aligner: &Aligner,
    pairs: &[(&Document, &Document)],
    lexicons: &[&CorpusLexicon],
    parts: usize,
) -> CorpusCounts {
    let mut counts = CorpusCounts::default();
    for chunk in pairs.chunks(pairs.len().div_ceil(parts)).rev() {
        let part = aligner.corpus_counts(chunk, lexicons);
        counts.merge(&CorpusCounts::from_bytes(&part.to_bytes()).expect("counts read back"));
    }
    counts
}

#[test]
fn merged_counts_learn_the_batch_lexicon_and_align_as_the_batch_does() {
    let pairs = corpus();
    let refs: Vec<(&Document, &Document)> = pairs.iter().map(|(s, t)| (s, t)).collect();
    for passes in [2, 3] {
        let aligner = Aligner::new(AlignOptions { passes, ..AlignOptions::default() }).unwrap();
        let mut learned: Vec<CorpusLexicon> = Vec::new();
        for _ in 1..passes {
            let lexicons: Vec<&CorpusLexicon> = learned.iter().collect();
            let counts = merged_counts(&aligner, &refs, &lexicons, 3);
            let lexicon = counts.lexicon();
            let whole = merged_counts(&aligner, &refs, &lexicons, 1);
            assert_eq!(whole.beads(), counts.beads());
            assert!(whole.lexicon() == lexicon, "merging in another order learns the same");
            assert_eq!(CorpusLexicon::from_bytes(&lexicon.to_bytes()), Some(lexicon.clone()));
            learned.push(lexicon);
        }
        let lexicons: Vec<&CorpusLexicon> = learned.iter().collect();
        assert!(lexicons[0].partners("god").iter().any(|w| w == "神"), "{:?}", lexicons[0].partners("god"));
        let batch = aligner.align_batch(&pairs);
        let corpus = aligner.align_with_lexicons(&refs, &lexicons);
        assert_eq!(corpus, batch, "{passes} passes");
        // Aligning a few pairs at a time with the corpus's lexicon gives the same beads.
        let in_parts: Vec<_> = refs.chunks(4).flat_map(|c| aligner.align_with_lexicons(c, &lexicons)).collect();
        assert_eq!(in_parts, batch);
    }
}

#[test]
fn counts_and_lexicons_refuse_bytes_that_are_not_theirs() {
    let pairs = corpus();
    let refs: Vec<(&Document, &Document)> = pairs.iter().take(3).map(|(s, t)| (s, t)).collect();
    let counts = crate::aligner().corpus_counts(&refs, &[]);
    let bytes = counts.to_bytes();
    assert!(counts.beads() > 0);
    for cut in [0, 8, bytes.len() / 2, bytes.len() - 1] {
        assert!(CorpusCounts::from_bytes(&bytes[..cut]).is_none(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(CorpusCounts::from_bytes(&longer).is_none());
    assert_eq!(CorpusLexicon::from_bytes(&bytes), None, "counts are not a lexicon");
    let lexicon = counts.lexicon().to_bytes();
    assert!(CorpusCounts::from_bytes(&lexicon).is_none(), "a lexicon is not counts");
}
