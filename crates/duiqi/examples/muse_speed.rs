//! mUSE encoding speed: sentences of a file (one a line) a second, both cores, and the
//! cosine of a run embedded from its sentences' sums against the joined text encoded whole.
//!
//! cargo run --release --example muse_speed -- MODEL_DIR FILE [LINES]

use duiqi::model::muse::{Muse, MusePooled};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let muse = Muse::load(std::path::Path::new(&args[0]))?;
    let text = std::fs::read_to_string(&args[1])?;
    let limit = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
    let lines: Vec<&str> = text.lines().take(limit).collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let started = std::time::Instant::now();
    let pooled = muse.pooled(&lines);
    let embeddings = muse.embed(&pooled);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} sentences, {} KB in {seconds:.2} s: {:.0} KB/s",
        embeddings.len(),
        bytes / 1024,
        bytes as f64 / 1024.0 / seconds
    );
    // Runs of two and three sentences: composed from sums against encoded whole.
    for size in [2, 3] {
        let starts: Vec<usize> = (0..lines.len().saturating_sub(size)).step_by(97).take(200).collect();
        let joined: Vec<String> = starts.iter().map(|&s| lines[s..s + size].join(" ")).collect();
        let whole = muse.encode(&joined.iter().map(String::as_str).collect::<Vec<_>>());
        let composed = muse.embed(&starts.iter().map(|&s| MusePooled::join(&pooled[s..s + size])).collect::<Vec<_>>());
        let cosines: Vec<f32> =
            whole.iter().zip(&composed).map(|(a, b)| a.iter().zip(b).map(|(x, y)| x * y).sum()).collect();
        let mean = cosines.iter().sum::<f32>() / cosines.len().max(1) as f32;
        let min = cosines.iter().copied().fold(1.0, f32::min);
        println!("runs of {size}: composed vs encoded whole, cosine mean {mean:.4}, min {min:.4}");
    }
    Ok(())
}
