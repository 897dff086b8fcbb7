//! `duiqi export PROJECT.duiqi.json`.

use anyhow::Result;
use duiqi_review::Project;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The review project file.
    project: PathBuf,
    /// Output format: align, tsv, jsonl or tmx.
    #[arg(long, short, default_value = "tmx")]
    format: String,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Only the beads the reviewer confirmed.
    #[arg(long)]
    confirmed_only: bool,
    /// Only the beads scoring at least this much.
    #[arg(long, allow_hyphen_values = true)]
    min_score: Option<f32>,
}

pub fn run(args: Args) -> Result<()> {
    let format = super::format(&args.format)?;
    let project = Project::load(&args.project)?;
    let mut out = super::output(args.output.as_deref())?;
    project.export(&mut out, format, args.confirmed_only, args.min_score)?;
    out.flush()?;
    Ok(())
}
