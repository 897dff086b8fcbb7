//! `duiqi align SRC TGT` and `duiqi align --batch JOBS.tsv`.

use super::input::InputArgs;
use anyhow::{Context, Result};
use duiqi::glossary::GlossaryOptions;
use duiqi::{Aligner, Document, Format, Progress};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(clap::Args)]
pub struct Args {
    /// Source text (a file, or - for standard input).
    #[arg(required_unless_present = "batch")]
    src: Option<String>,
    /// Target text (a file, or - for standard input).
    #[arg(required_unless_present = "batch")]
    tgt: Option<String>,
    /// Align every pair listed in this file (tab-separated lines: source, target, output
    /// path), learning one lexicon from all of them. A failing pair is reported and
    /// skipped; the exit code is then 1.
    #[arg(long, conflicts_with_all = ["src", "tgt", "output", "glossary"])]
    batch: Option<PathBuf>,
    /// Also write the glossary of names and terms (TSV) to this file.
    #[arg(long)]
    glossary: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Output format: align, tsv, jsonl or tmx.
    #[arg(long, short, default_value = "align")]
    format: String,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `align`; returns whether every pair succeeded (a batch may partly fail).
pub fn run(args: Args) -> Result<bool> {
    let format = Format::from_name(&args.format)
        .ok_or_else(|| anyhow::anyhow!("unknown format '{}'; use align, tsv, jsonl or tmx", args.format))?;
    let read_pair = |src: &str, tgt: &str| args.input.read_pair(src, tgt);
    if let Some(jobs) = &args.batch {
        return run_batch(jobs, format, &args.input, &read_pair);
    }
    let (src_path, tgt_path) = (args.src.as_deref().unwrap_or("-"), args.tgt.as_deref().unwrap_or("-"));
    let (pair, aligner) = rayon::join(|| read_pair(src_path, tgt_path), || args.input.aligner());
    let ((src, tgt), aligner) = (pair?, aligner?);
    let (aligner, progress_shown) = with_terminal_progress(aligner);
    let alignment = aligner.align(&src, &tgt);
    end_progress_line(&progress_shown);
    let mut out = super::output(args.output.as_deref())?;
    duiqi::write_alignment(&mut out, format, &alignment, &src, &tgt)?;
    out.flush()?;
    if let Some(path) = &args.glossary {
        let terms = aligner.glossary(&src, &tgt, &alignment, GlossaryOptions::default());
        super::glossary::write_glossary(Some(path), "tsv", &terms)?;
    }
    Ok(true)
}

/// When standard error is a terminal, `aligner` with a progress line there: pairs of a
/// batch aligned, and sentences encoded (the slow part with a model). The flag tells
/// whether the line was written.
fn with_terminal_progress(aligner: Aligner) -> (Aligner, Arc<AtomicBool>) {
    let shown = Arc::new(AtomicBool::new(false));
    if !std::io::stderr().is_terminal() {
        return (aligner, shown);
    }
    let flag = Arc::clone(&shown);
    let aligner = aligner.with_progress(move |p: Progress| {
        let encoding = (p.to_encode > 0).then(|| format!("{}/{} sentences encoded", p.encoded, p.to_encode));
        let line = match (p.pairs, encoding) {
            (1, None) => return,
            (1, Some(encoding)) => encoding,
            (pairs, None) => format!("{}/{pairs} pairs aligned", p.pairs_done),
            (pairs, Some(encoding)) => format!("{}/{pairs} pairs aligned, {encoding}", p.pairs_done),
        };
        eprint!("\rduiqi: {line}");
        flag.store(true, Ordering::Relaxed);
    });
    (aligner, shown)
}

/// Ends the progress line, if one was written.
fn end_progress_line(shown: &AtomicBool) {
    if shown.load(Ordering::Relaxed) {
        eprintln!();
    }
}

/// Reads a (source, target) pair of paths as documents.
type ReadPair<'a> = dyn Fn(&str, &str) -> Result<(Document, Document)> + Sync + 'a;

/// `--batch`: reads every listed pair, aligns those that could be read together, writes
/// each output; reports each failure on its own line.
fn run_batch(jobs_path: &Path, format: Format, input: &InputArgs, read_pair: &ReadPair<'_>) -> Result<bool> {
    let jobs_text = std::fs::read_to_string(jobs_path)
        .with_context(|| format!("{}: cannot read the batch file", jobs_path.display()))?;
    let mut failed = 0usize;
    let mut jobs = Vec::new();
    for (number, line) in jobs_text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split('\t').map(str::trim).collect::<Vec<_>>()[..] {
            [src, tgt, out] => jobs.push((src.to_string(), tgt.to_string(), PathBuf::from(out))),
            _ => {
                eprintln!(
                    "duiqi: {}:{}: expected source, target and output path separated by tabs",
                    jobs_path.display(),
                    number + 1
                );
                failed += 1;
            }
        }
    }
    let aligner = input.aligner()?;
    let read: Vec<Result<(Document, Document)>> = jobs.par_iter().map(|(src, tgt, _)| read_pair(src, tgt)).collect();
    let mut pairs = Vec::new();
    let mut outputs = Vec::new();
    for ((src, tgt, out), pair) in jobs.into_iter().zip(read) {
        match pair {
            Ok(pair) => {
                pairs.push(pair);
                outputs.push(out);
            }
            Err(error) => {
                eprintln!("duiqi: skipped {src} + {tgt}: {error:#}");
                failed += 1;
            }
        }
    }
    let (aligner, progress_shown) = with_terminal_progress(aligner);
    let alignments = aligner.align_batch(&pairs);
    end_progress_line(&progress_shown);
    for ((out_path, (src, tgt)), alignment) in outputs.iter().zip(&pairs).zip(&alignments) {
        let written = std::fs::File::create(out_path).map_err(anyhow::Error::from).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            duiqi::write_alignment(&mut out, format, alignment, src, tgt)?;
            Ok(out.flush()?)
        });
        if let Err(error) = written {
            eprintln!("duiqi: {}: cannot write: {error:#}", out_path.display());
            failed += 1;
        }
    }
    if failed > 0 {
        eprintln!("duiqi: {failed} of the batch's pairs failed; the others were written");
    }
    Ok(failed == 0)
}
