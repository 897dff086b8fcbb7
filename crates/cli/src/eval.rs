//! `duiqi eval GOLD TEST`.

use anyhow::{Context, Result};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Gold alignment: an .align file, or a directory of NNN.align files.
    gold: PathBuf,
    /// Alignment to score: a file, or a directory with files of the same names.
    test: PathBuf,
    /// Only these ids (comma-separated, e.g. 001,002) when scoring directories.
    #[arg(long, value_delimiter = ',')]
    ids: Option<Vec<String>>,
    /// Verse of each source and target line: merge output beads inside one verse first.
    #[arg(long, num_args = 2, value_names = ["SRC_VERSES", "TGT_VERSES"])]
    verses: Option<Vec<PathBuf>>,
}

pub fn run(args: Args) -> Result<()> {
    let verses = match &args.verses {
        Some(paths) => {
            let read = |p: &PathBuf| -> Result<Vec<String>> {
                let text =
                    std::fs::read_to_string(p).with_context(|| format!("{}: cannot read verse file", p.display()))?;
                Ok(text.lines().map(|l| l.trim().to_string()).collect())
            };
            Some((read(&paths[0])?, read(&paths[1])?))
        }
        None => None,
    };
    let verses = verses.as_ref().map(|(s, t)| (s.as_slice(), t.as_slice()));
    let scores = duiqi::eval::evaluate_paths(&args.gold, &args.test, args.ids.as_deref(), verses)?;
    println!("{scores}");
    Ok(())
}
