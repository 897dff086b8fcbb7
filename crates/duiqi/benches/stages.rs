//! Throughput of each stage in bytes of text (both sides): split, normalise, score (the
//! signals' set-up) and search (which scores the beads it visits), on Genesis 1–5 (KJV ×
//! CUV, from data/examples) repeated eight times; and the scoring inner loop alone: every
//! bead shape the search may ask for at every cell of a corridor around the diagonal.
//! Run: cargo bench -p duiqi --features internals

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duiqi::internals::{BeadScorer, Corridor, Rows, normalize, scorer, search, shapes};
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
    // every cell of a corridor 20 sentences wide around the diagonal, its tables prepared,
    // a span of 32 rows at a time as the search asks.
    let (n_src, n_tgt) = (en.len(), zh.len());
    let mut combined = scorer(&aligner, &en_norm, &zh_norm);
    let corridor = Corridor::around_path(&[(0, 0), (n_src, n_tgt)], n_src, n_tgt, 10);
    combined.prepare(&corridor, 4);
    let shapes = shapes(5);
    let spans: Vec<Rows> = (0..=n_src)
        .step_by(32)
        .map(|first| {
            let end = (first + 32).min(n_src + 1);
            Rows { first, lo: &corridor.lo[first..end], hi: &corridor.hi[first..end] }
        })
        .collect();
    let beads: usize = spans.iter().map(|rows| rows.cells_count() * shapes.len()).sum();
    let mut group = c.benchmark_group("bead scoring");
    group.throughput(Throughput::Elements(beads as u64)).sample_size(10);
    group.bench_function("every shape in a corridor", |b| {
        b.iter(|| {
            let mut total = 0.0f32;
            for &rows in &spans {
                let mut scores = vec![0f32; rows.cells_count() * shapes.len()];
                combined.score_rows(rows, &shapes, &mut scores);
                total += scores.iter().filter(|s| s.is_finite()).sum::<f32>();
            }
            black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
