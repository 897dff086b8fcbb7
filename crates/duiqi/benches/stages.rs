//! Throughput of each stage in bytes of text (both sides): split, normalise, score (the
//! signals' set-up) and search (which scores the beads it visits), on Genesis 1–5 (KJV ×
//! CUV, from data/examples) repeated eight times; and the scoring inner loop alone: every
//! bead shape the search may ask for at every cell of a corridor around the diagonal.
//! Run: cargo bench -p duiqi --features internals

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duiqi::internals::{BeadScorer, Corridor, MAX_SHAPES, normalize, scorer, search, shapes};
use duiqi::split::split_text;
use duiqi::{AlignOptions, Aligner, Document, Language, ReadOptions, read_document};
use std::hint::black_box;

fn texts() -> (String, String) {
    let example = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/genesis").join(name);
        std::fs::read_to_string(path).expect("the bundled example").repeat(8)
    };
    (example("genesis.en"), example("genesis.zh"))
}

fn stages(c: &mut Criterion) {
    let (en_text, zh_text) = texts();
    let bytes = (en_text.len() + zh_text.len()) as u64;
    let aligner = Aligner::new(AlignOptions::default()).expect("default options");
    let options = ReadOptions { presplit: true, ..ReadOptions::default() };
    let read = |text: &str| read_document(text.as_bytes(), "bench", &options).expect("the example reads");
    let (en, zh): (Document, Document) = (read(&en_text), read(&zh_text));
    let (en_norm, zh_norm) = (normalize(&aligner, &en), normalize(&aligner, &zh));

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes)).sample_size(10);
    group.bench_function("split", |b| {
        b.iter(|| (split_text(black_box(&en_text), Language::English), split_text(&zh_text, Language::Chinese)))
    });
    group.bench_function("normalise", |b| b.iter(|| (normalize(&aligner, black_box(&en)), normalize(&aligner, &zh))));
    group.bench_function("score", |b| b.iter(|| scorer(&aligner, black_box(&en_norm), &zh_norm)));
    group.bench_function("search", |b| {
        b.iter_batched(
            || scorer(&aligner, &en_norm, &zh_norm),
            |mut s| search(&aligner, &mut s, en.len(), zh.len()),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("align (two passes)", |b| b.iter(|| aligner.align(black_box(&en), &zh)));
    group.finish();

    // The scoring inner loop: every bead shape the search asks for (m + n ≤ 5) ending at
    // every cell of a corridor 20 sentences wide around the diagonal, its tables prepared.
    let (n_src, n_tgt) = (en.len(), zh.len());
    let mut combined = scorer(&aligner, &en_norm, &zh_norm);
    combined.prepare(&Corridor::around_path(&[(0, 0), (n_src, n_tgt)], n_src, n_tgt, 20), 4);
    let shapes = shapes(5);
    let cells: Vec<(usize, usize)> = (4..=n_src)
        .flat_map(|i| {
            let centre = i * n_tgt / n_src;
            (centre.saturating_sub(10).max(4)..(centre + 10).min(n_tgt + 1)).map(move |j| (i, j))
        })
        .collect();
    let mut group = c.benchmark_group("bead scoring");
    group.throughput(Throughput::Elements((cells.len() * shapes.len()) as u64)).sample_size(10);
    group.bench_function("every shape in a corridor", |b| {
        let mut scores = [0f32; MAX_SHAPES];
        b.iter(|| {
            let mut total = 0.0f32;
            for &(i, j) in &cells {
                combined.score_ending_at(i, j, &shapes, &mut scores[..shapes.len()]);
                total += scores[..shapes.len()].iter().sum::<f32>();
            }
            black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
