//! `duiqi`: the command-line face of the library. Parses arguments, calls the library,
//! prints one-line errors and exits 0 (success), 1 (some batch items failed) or 2 (error).

mod align;
mod eval;
mod export;
mod glossary;
mod input;
mod records;
mod review;
mod split;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "duiqi",
    version,
    about = "Align a text with its translation, sentence by sentence (Chinese–English)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Align SRC with TGT and write the beads.
    Align(align::Args),
    /// List the names and terms the alignment pairs: a bilingual glossary.
    Glossary(glossary::Args),
    /// Score an alignment against a gold one (strict and lax P/R/F1).
    Eval(eval::Args),
    /// Print the sentences duiqi finds in a text, one per line.
    Split(split::Args),
    /// Review an alignment in the browser: align SRC with TGT (or resume PROJECT.duiqi.json)
    /// and serve the review page on this machine.
    Review(review::Args),
    /// Write the alignment of a review project (PROJECT.duiqi.json) in a format.
    Export(export::Args),
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("duiqi: internal error{place}: {message}; please report it with the input that caused it");
    }));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Align(args) => align::run(args),
        Command::Eval(args) => eval::run(args).map(|()| true),
        Command::Glossary(args) => glossary::run(args).map(|()| true),
        Command::Split(args) => split::run(args).map(|()| true),
        Command::Export(args) => export::run(args).map(|()| true),
        Command::Review(args) => review::run(args).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("duiqi: {}", describe(&error));
            ExitCode::from(2)
        }
    }
}

/// The error's message for a user of the command line: the library's message, with the
/// option that settles the problem named as a flag.
pub fn describe(error: &anyhow::Error) -> String {
    let message = format!("{error:#}");
    let Some(cause) = error.chain().find_map(|e| e.downcast_ref::<duiqi::Error>()) else {
        return message;
    };
    match cause {
        duiqi::Error::Undecodable { .. } => format!("{message} (--encoding)"),
        duiqi::Error::UndetectedLanguage { .. }
        | duiqi::Error::OtherLanguage { .. }
        | duiqi::Error::SameLanguage { .. } => format!("{message} (--src-lang/--tgt-lang)"),
        duiqi::Error::InvalidOption { option, .. } => {
            message.replacen(&format!("{option} must"), &format!("--{} must", option.replace('_', "-")), 1)
        }
        _ => message,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// An output format by its name.
fn format(name: &str) -> anyhow::Result<duiqi::Format> {
    duiqi::Format::from_name(name)
        .ok_or_else(|| anyhow::anyhow!("unknown format '{name}'; use {}", duiqi::Format::names()))
}

/// Opens `-o FILE`, or standard output; a failed write names the file.
fn output(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn std::io::Write>> {
    use anyhow::Context;
    Ok(match path {
        Some(path) => Box::new(NamedWriter {
            inner: std::io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
            ),
            name: path.display().to_string(),
        }),
        None => Box::new(NamedWriter {
            inner: std::io::BufWriter::new(std::io::stdout().lock()),
            name: "standard output".into(),
        }),
    })
}

/// A writer whose errors say what could not be written: `cannot write out.tsv: No space
/// left on device`.
pub struct NamedWriter<W> {
    /// Where the bytes go.
    pub inner: W,
    /// The file as the user named it.
    pub name: String,
}

impl<W: std::io::Write> NamedWriter<W> {
    fn named(&self, error: std::io::Error) -> std::io::Error {
        std::io::Error::new(error.kind(), format!("cannot write {}: {error}", self.name))
    }
}

impl<W: std::io::Write> std::io::Write for NamedWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.inner.write(bytes).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.named(e))
    }
}

/// glibc gives each thread a malloc arena of its own; with the aligner's large,
/// short-lived tables built on both cores, that fragments memory. Two arenas: Bible 006
/// peaks at 241 MB instead of 296 MB, in the same time.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; it runs before any other thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
