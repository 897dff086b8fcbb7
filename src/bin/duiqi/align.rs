//! `duiqi align SRC TGT` and `duiqi align --batch JOBS.tsv`.

use anyhow::{Context, Result, bail};
use duiqi::{AlignOptions, Aligner, Document, Error, Format, Language, ReadOptions, read::encoding_for_label};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    #[arg(long, conflicts_with_all = ["src", "tgt", "output"])]
    batch: Option<PathBuf>,
    /// Output format: align, tsv, jsonl or tmx.
    #[arg(long, short, default_value = "align")]
    format: String,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The inputs have one sentence per line, taken exactly as given.
    #[arg(long)]
    presplit: bool,
    /// Read both inputs in this encoding (utf-8, utf-16le, gb18030, big5, ...).
    #[arg(long)]
    encoding: Option<String>,
    /// Language of the source (zh or en); detected from the script by default.
    #[arg(long)]
    src_lang: Option<String>,
    /// Language of the target (zh or en); detected from the script by default.
    #[arg(long)]
    tgt_lang: Option<String>,
    /// Largest m + n of an m-n bead (2 to 8).
    #[arg(long, default_value_t = 5)]
    max_bead: usize,
    /// 1: bundled resources only; 2: also learn word associations from a first
    /// alignment and realign (default).
    #[arg(long, default_value_t = 2)]
    passes: usize,
    /// Override signal weights, e.g. "lexicon=1.2,skip=0.3" (for fitting).
    #[arg(long, hide = true)]
    weights: Option<String>,
}

/// Runs `align`; returns whether every pair succeeded (a batch may partly fail).
pub fn run(args: Args) -> Result<bool> {
    let format = Format::from_name(&args.format)
        .ok_or_else(|| anyhow::anyhow!("unknown format '{}'; use align, tsv, jsonl or tmx", args.format))?;
    let mut options = AlignOptions::default();
    options.search.max_bead = args.max_bead;
    options.passes = args.passes;
    if let Some(spec) = &args.weights {
        options.weights = options.weights.with_overrides(spec)?;
    }
    let read_options = |lang: &Option<String>| -> Result<ReadOptions> {
        let language = lang
            .as_deref()
            .map(|c| Language::from_code(c).ok_or_else(|| Error::UnknownLanguage(c.to_string())))
            .transpose()?;
        let encoding = args.encoding.as_deref().map(encoding_for_label).transpose()?;
        Ok(ReadOptions { encoding, language, presplit: args.presplit })
    };
    let (src_options, tgt_options) = (read_options(&args.src_lang)?, read_options(&args.tgt_lang)?);
    let read_pair = |src: &str, tgt: &str| -> Result<(Document, Document)> {
        let (s, t) = rayon::join(|| duiqi::read_path(src, &src_options), || duiqi::read_path(tgt, &tgt_options));
        let (s, t) = (s?, t?);
        if s.language == t.language {
            return Err(Error::SameLanguage { src: src.into(), tgt: tgt.into(), language: s.language.code() }.into());
        }
        Ok((s, t))
    };
    if let Some(jobs) = &args.batch {
        return run_batch(jobs, format, options, &read_pair);
    }
    let (src_path, tgt_path) = (args.src.as_deref().unwrap_or("-"), args.tgt.as_deref().unwrap_or("-"));
    if src_path == "-" && tgt_path == "-" {
        bail!("only one of SRC and TGT can be - (standard input)");
    }
    let (pair, aligner) = rayon::join(|| read_pair(src_path, tgt_path), || Aligner::new(options));
    let ((src, tgt), aligner) = (pair?, aligner?);
    let alignment = aligner.align(&src, &tgt);
    let mut out = super::output(args.output.as_deref())?;
    duiqi::write_alignment(&mut out, format, &alignment, &src, &tgt)?;
    out.flush()?;
    Ok(true)
}

/// `--batch`: reads every listed pair, aligns those that could be read together, writes
/// each output; reports each failure on its own line.
fn run_batch(
    jobs_path: &Path,
    format: Format,
    options: AlignOptions,
    read_pair: &(dyn Fn(&str, &str) -> Result<(Document, Document)> + Sync),
) -> Result<bool> {
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
                eprintln!("duiqi: {}:{}: expected source, target and output path separated by tabs", jobs_path.display(), number + 1);
                failed += 1;
            }
        }
    }
    let aligner = Aligner::new(options)?;
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
    let total = pairs.len();
    let show_progress = std::io::stderr().is_terminal();
    let progress = |done: usize| {
        if show_progress {
            eprint!("\raligned {done}/{total} pairs");
        }
    };
    let alignments = aligner.align_batch(&pairs, &progress);
    if show_progress {
        eprintln!();
    }
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
