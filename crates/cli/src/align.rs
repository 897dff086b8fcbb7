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
    /// Further translations of the source: each is aligned with it, and the result has a
    /// column (TSV, HTML) or a variant (TMX) per translation.
    #[arg(conflicts_with_all = ["batch", "glossary"])]
    more: Vec<String>,
    /// Align every pair listed in this file, learning one lexicon from all of them: lines
    /// of source, target and output path separated by tabs, or JSON records with the texts
    /// inline (`{"id": …, "src": …, "tgt": …}` a line, .jsonl), written as a JSON line per
    /// bead to -o or standard output. A failing pair is reported (a record: on its row)
    /// and the others are aligned; the exit code is then 1.
    #[arg(long, conflicts_with_all = ["src", "tgt", "level"])]
    batch: Option<PathBuf>,
    /// Also write the glossary of names and terms (TSV) to this file.
    #[arg(long)]
    glossary: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Output format: align, tsv, jsonl, tmx, xliff, xlsx, html (a side-by-side reader)
    /// or ces (OPUS cesAlign: -o FILE.xml, with the sentence documents beside it).
    #[arg(long, short, default_value = "align")]
    format: String,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// What to align and write: sentences, or paragraphs (beads of paragraph indices and
    /// texts).
    #[arg(long, default_value = "sentence", value_parser = ["sentence", "paragraph"])]
    level: String,
}

/// Runs `align`; returns whether every pair succeeded (a batch may partly fail).
pub fn run(args: Args) -> Result<bool> {
    if args.format.eq_ignore_ascii_case("ces") {
        return run_ces(&args).map(|()| true);
    }
    let format = super::format(&args.format)?;
    let read_pair = |src: &str, tgt: &str| args.input.read_pair(src, tgt);
    if let Some(jobs) = &args.batch {
        if super::records::is_records_file(jobs) {
            return super::records::run(jobs, &args.input, args.output.as_deref(), args.glossary.as_deref());
        }
        if args.output.is_some() || args.glossary.is_some() {
            anyhow::bail!(
                "a batch of paths writes each pair to its own output; -o and --glossary are for records (.jsonl)"
            );
        }
        return run_batch(jobs, format, &args.input, &read_pair);
    }
    if !args.more.is_empty() {
        return run_versions(&args, format).map(|()| true);
    }
    let (src_path, tgt_path) = (args.src.as_deref().unwrap_or("-"), args.tgt.as_deref().unwrap_or("-"));
    let ((src, tgt), aligner) = args.input.read_pair_and_aligner(src_path, tgt_path)?;
    let (aligner, progress_shown) = with_terminal_progress(aligner);
    if args.level == "paragraph" {
        let alignment = aligner.align_paragraphs(&src, &tgt);
        end_progress_line(&progress_shown);
        let (src, tgt) = (src.paragraph_document(), tgt.paragraph_document());
        let mut out = super::output(args.output.as_deref())?;
        duiqi::write_alignment(&mut out, format, &alignment, &src, &tgt)?;
        out.flush()?;
        return Ok(true);
    }
    // Sentences are all that is aligned and written from here: the text they were read
    // from is let go (on a book it is as large as the sentences).
    let (src, tgt) = (without_source_text(src), without_source_text(tgt));
    let (alignment, terms) = match &args.glossary {
        Some(_) => aligner.align_with_glossary(&src, &tgt, GlossaryOptions::default()),
        None => (aligner.align(&src, &tgt), Vec::new()),
    };
    end_progress_line(&progress_shown);
    let mut out = super::output(args.output.as_deref())?;
    duiqi::write_alignment(&mut out, format, &alignment, &src, &tgt)?;
    out.flush()?;
    if let Some(path) = &args.glossary {
        super::glossary::write_glossary(Some(path), "tsv", &terms)?;
    }
    Ok(true)
}

fn without_source_text(document: Document) -> Document {
    Document { text: String::new(), ..document }
}

/// `duiqi align SRC TGT1 TGT2 …`: the source with each translation, in one result.
fn run_versions(args: &Args, format: Format) -> Result<()> {
    if !format.takes_versions() {
        anyhow::bail!(
            "format '{}' holds one translation; with several use align, tmx, tsv, jsonl or html",
            args.format
        );
    }
    let src_path = args.src.as_deref().unwrap_or("-");
    let paths: Vec<&str> = args.tgt.iter().chain(&args.more).map(String::as_str).collect();
    let (documents, aligner) = rayon::join(|| args.input.read_versions(src_path, &paths), || args.input.aligner());
    let ((src, versions), aligner) = (documents?, aligner?);
    let (aligner, progress_shown) = with_terminal_progress(aligner);
    let versions: Vec<&Document> = versions.iter().collect();
    let rows = aligner.align_versions(&src, &versions);
    end_progress_line(&progress_shown);
    let mut out = super::output(args.output.as_deref())?;
    duiqi::write_versions(&mut out, format, &rows, &src, &versions)?;
    out.flush()?;
    Ok(())
}

/// `-f ces -o FILE.xml`: the cesAlign link file, and the two sentence documents beside it
/// (FILE.SRC-LANG.xml, FILE.TGT-LANG.xml), named in it relative to its directory.
fn run_ces(args: &Args) -> Result<()> {
    let Some(output) = &args.output else {
        anyhow::bail!("-f ces writes three files: name the link file with -o FILE.xml");
    };
    if args.batch.is_some() || !args.more.is_empty() {
        anyhow::bail!("-f ces writes one pair; align several translations or a batch in another format");
    }
    let (src_path, tgt_path) = (args.src.as_deref().unwrap_or("-"), args.tgt.as_deref().unwrap_or("-"));
    let ((src, tgt), aligner) = args.input.read_pair_and_aligner(src_path, tgt_path)?;
    let alignment = aligner.align(&src, &tgt);
    let stem = output.file_stem().and_then(|s| s.to_str()).unwrap_or("alignment");
    let document_name = |document: &Document| format!("{stem}.{}.xml", document.language.code());
    let (src_name, tgt_name) = (document_name(&src), document_name(&tgt));
    let beside = |name: &str| output.with_file_name(name);
    for (name, document) in [(&src_name, &src), (&tgt_name, &tgt)] {
        let mut out = super::output(Some(&beside(name)))?;
        duiqi::opus::write_sentences(&mut out, document)?;
        out.flush()?;
    }
    let mut out = super::output(Some(output))?;
    duiqi::opus::write_links(&mut out, &alignment, &src_name, &tgt_name)?;
    out.flush()?;
    Ok(())
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

/// One line of a jobs file.
struct Job {
    /// 1-based line number, for messages.
    line: usize,
    src: String,
    tgt: String,
    out: PathBuf,
}

/// Reads the jobs file: malformed lines are reported (and counted in `failed`); no job at
/// all, or two jobs writing one file, is an error before anything runs.
fn read_jobs(jobs_path: &Path, failed: &mut usize) -> Result<Vec<Job>> {
    let name = jobs_path.display();
    let text = std::fs::read_to_string(jobs_path).with_context(|| format!("{name}: cannot read the batch file"))?;
    let mut jobs: Vec<Job> = Vec::new();
    for (number, line) in text.trim_start_matches('\u{FEFF}').lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match line.split('\t').map(str::trim).collect::<Vec<_>>()[..] {
            [src, tgt, out] if !src.is_empty() && !tgt.is_empty() && !out.is_empty() => {
                let job = Job { line: number + 1, src: src.into(), tgt: tgt.into(), out: PathBuf::from(out) };
                check_output(&job, &jobs, &name.to_string())?;
                jobs.push(job);
            }
            _ => {
                eprintln!("duiqi: {name}:{}: expected source, target and output path separated by tabs", number + 1);
                *failed += 1;
            }
        }
    }
    if jobs.is_empty() && *failed == 0 {
        anyhow::bail!("{name}: no pair to align; give lines of source, target and output path separated by tabs");
    }
    Ok(jobs)
}

/// Refuses a job whose output is an earlier job's output, or any job's input (paths
/// compared as absolute, so `out.align` and `./out.align` are one file).
fn check_output(job: &Job, earlier: &[Job], jobs_name: &str) -> Result<()> {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let out = absolute(&job.out);
    let clash = |path: &str| absolute(Path::new(path)) == out;
    let problem = if clash(&job.src) || clash(&job.tgt) {
        Some("is the pair's own input".to_string())
    } else if let Some(other) = earlier.iter().find(|o| absolute(&o.out) == out) {
        Some(format!("is also the output of line {}", other.line))
    } else {
        earlier.iter().find(|o| clash(&o.src) || clash(&o.tgt)).map(|o| format!("is an input of line {}", o.line))
    };
    match problem {
        Some(problem) => anyhow::bail!(
            "{jobs_name}:{}: {} {problem}; give each pair an output file of its own",
            job.line,
            job.out.display()
        ),
        None => Ok(()),
    }
}

/// `--batch`: reads every listed pair, aligns those that could be read together, writes
/// each output; a pair that fails (to read, align or write) is reported with its line in
/// the jobs file and the others are written all the same.
fn run_batch(jobs_path: &Path, format: Format, input: &InputArgs, read_pair: &ReadPair<'_>) -> Result<bool> {
    let mut failed = 0usize;
    let jobs = read_jobs(jobs_path, &mut failed)?;
    let aligner = input.aligner()?;
    let report = |job: &Job, problem: &dyn std::fmt::Display| {
        eprintln!("duiqi: {}:{}: {} + {}: {problem:#}", jobs_path.display(), job.line, job.src, job.tgt);
    };
    let read: Vec<Result<(Document, Document)>> = jobs.par_iter().map(|job| read_pair(&job.src, &job.tgt)).collect();
    let mut pairs = Vec::new();
    let mut readable = Vec::new();
    for (job, pair) in jobs.iter().zip(read) {
        match pair {
            Ok(pair) => {
                pairs.push(pair);
                readable.push(job);
            }
            Err(error) => {
                report(job, &format!("skipped: {}", super::describe(&error)));
                failed += 1;
            }
        }
    }
    let (aligner, progress_shown) = with_terminal_progress(aligner);
    let alignments = align_batch_or_each(&aligner, &pairs);
    end_progress_line(&progress_shown);
    for ((job, (src, tgt)), alignment) in readable.into_iter().zip(&pairs).zip(alignments) {
        let written = alignment.and_then(|alignment| {
            let file =
                std::fs::File::create(&job.out).with_context(|| format!("cannot create {}", job.out.display()))?;
            let mut out =
                super::NamedWriter { inner: std::io::BufWriter::new(file), name: job.out.display().to_string() };
            duiqi::write_alignment(&mut out, format, &alignment, src, tgt)?;
            Ok(out.flush()?)
        });
        if let Err(error) = written {
            report(job, &error);
            failed += 1;
        }
    }
    if failed > 0 {
        eprintln!("duiqi: {failed} of the batch's pairs failed; the others were written");
    }
    Ok(failed == 0)
}

/// Aligns the pairs together (one lexicon learned from all). Should that fail on a bug
/// (a panic), each pair is aligned alone, so that only the pair that triggers it fails.
fn align_batch_or_each(aligner: &Aligner, pairs: &[(Document, Document)]) -> Vec<Result<duiqi::Alignment>> {
    if let Ok(alignments) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| aligner.align_batch(pairs))) {
        return alignments.into_iter().map(Ok).collect();
    }
    eprintln!("duiqi: the batch failed as a whole; aligning each pair on its own");
    pairs
        .par_iter()
        .map(|(src, tgt)| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| aligner.align(src, tgt)))
                .map_err(|_| anyhow::anyhow!("duiqi failed on this pair (an internal error: please report it)"))
        })
        .collect()
}
