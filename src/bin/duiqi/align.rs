//! `duiqi align SRC TGT`.

use anyhow::{Result, bail};
use duiqi::{AlignOptions, Aligner, Error, Format, Language, ReadOptions, read::encoding_for_label};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Source text (a file, or - for standard input).
    src: String,
    /// Target text (a file, or - for standard input).
    tgt: String,
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

pub fn run(args: Args) -> Result<()> {
    if args.src == "-" && args.tgt == "-" {
        bail!("only one of SRC and TGT can be - (standard input)");
    }
    let format = Format::from_name(&args.format)
        .ok_or_else(|| anyhow::anyhow!("unknown format '{}'; use align, tsv, jsonl or tmx", args.format))?;
    let encoding = args.encoding.as_deref().map(encoding_for_label).transpose()?;
    let language = |code: &Option<String>| -> Result<Option<Language>> {
        code.as_deref()
            .map(|c| Language::from_code(c).ok_or_else(|| Error::UnknownLanguage(c.to_string()).into()))
            .transpose()
    };
    let read = |path: &str, lang: &Option<String>| -> Result<duiqi::Document> {
        let options = ReadOptions { encoding, language: language(lang)?, presplit: args.presplit };
        Ok(duiqi::read_path(path, &options)?)
    };
    let mut options = AlignOptions::default();
    options.search.max_bead = args.max_bead;
    options.passes = args.passes;
    if let Some(spec) = &args.weights {
        options.weights = options.weights.with_overrides(spec)?;
    }
    let ((src, tgt), aligner) =
        rayon::join(|| (read(&args.src, &args.src_lang), read(&args.tgt, &args.tgt_lang)), || Aligner::new(options));
    let (src, tgt, aligner) = (src?, tgt?, aligner?);
    if src.language == tgt.language {
        return Err(Error::SameLanguage {
            src: args.src.clone(),
            tgt: args.tgt.clone(),
            language: src.language.code(),
        }
        .into());
    }
    let alignment = aligner.align(&src, &tgt);
    let mut out = super::output(args.output.as_deref())?;
    duiqi::write_alignment(&mut out, format, &alignment, &src, &tgt)?;
    out.flush()?;
    Ok(())
}
