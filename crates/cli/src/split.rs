//! `duiqi split FILE`.

use anyhow::Result;
use duiqi::{Language, ReadOptions, encoding_for_label};
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The text to split (a file, or - for standard input).
    input: String,
    /// Read in this encoding instead of detecting it.
    #[arg(long)]
    encoding: Option<String>,
    /// The language (zh or en); detected from the script by default.
    #[arg(long)]
    lang: Option<String>,
    /// Read the input as this format (text, docx, odt, epub, html, md, srt, vtt, pdf).
    #[arg(long, value_parser = super::input::input_format)]
    from: Option<duiqi::InputFormat>,
}

pub fn run(args: Args) -> Result<()> {
    let language = args.lang.as_deref().map(Language::parse).transpose()?;
    let encoding = args.encoding.as_deref().map(encoding_for_label).transpose()?;
    let document =
        super::input::read_path(&args.input, &ReadOptions { encoding, language, presplit: false, format: args.from })?;
    let mut out = super::output(None)?;
    for sentence in &document.sentences {
        writeln!(out, "{}", sentence.text)?;
    }
    out.flush()?;
    Ok(())
}
