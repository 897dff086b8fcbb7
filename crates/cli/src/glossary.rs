//! `duiqi glossary SRC TGT`.

use super::input::InputArgs;
use anyhow::{Result, bail};
use duiqi::glossary::{GlossaryOptions, write_json, write_tsv};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Source text (a file, or - for standard input).
    src: String,
    /// Target text (a file, or - for standard input).
    tgt: String,
    /// Output format: tsv or json.
    #[arg(long, short, default_value = "tsv")]
    format: String,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Also list pairs of common words, not only names and capitalised terms.
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(args: Args) -> Result<()> {
    if !matches!(args.format.as_str(), "tsv" | "json") {
        bail!("unknown glossary format '{}'; use tsv or json", args.format);
    }
    let ((src, tgt), aligner) = args.input.read_pair_and_aligner(&args.src, &args.tgt)?;
    let (_, terms) = aligner.align_with_glossary(&src, &tgt, GlossaryOptions { all_words: args.all });
    write_glossary(args.output.as_deref(), &args.format, &terms)
}

/// Writes terms as TSV or JSON to a file or standard output.
pub fn write_glossary(path: Option<&std::path::Path>, format: &str, terms: &[duiqi::glossary::Term]) -> Result<()> {
    let mut out = super::output(path)?;
    if format == "json" {
        write_json(&mut out, terms)?
    } else {
        write_tsv(&mut out, terms)?
    }
    out.flush()?;
    Ok(())
}
