//! `duiqi review SRC TGT` and `duiqi review PROJECT.duiqi.json`.

use super::input::InputArgs;
use anyhow::{Context, Result};
use duiqi_review::{Project, Side, server};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The source text, or a project file (PROJECT.duiqi.json) to resume.
    first: String,
    /// The target text (with a source text).
    second: Option<String>,
    /// The project file to create (default: beside SRC, SRC's name with .duiqi.json).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The port to serve on, on 127.0.0.1 (default: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Only print the URL; do not open it in the browser.
    #[arg(long)]
    no_browser: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(args: Args) -> Result<()> {
    let aligner = args.input.aligner()?;
    let (project, path) = match &args.second {
        None => {
            let path = PathBuf::from(&args.first);
            (Project::load(&path)?, path)
        }
        Some(tgt) => {
            let path = args.output.clone().unwrap_or_else(|| PathBuf::from(&args.first).with_extension("duiqi.json"));
            if path.exists() {
                anyhow::bail!(
                    "{} exists: resume it with duiqi review {0}, or name another project file with -o",
                    path.display()
                );
            }
            let (src, tgt_doc) = args.input.read_pair(&args.first, tgt)?;
            let alignment = aligner.align(&src, &tgt_doc);
            let project = Project::new(Side::new(&args.first, src), Side::new(tgt, tgt_doc), alignment);
            project.save(&path)?;
            (project, path)
        }
    };
    let running = server::start(project, path.clone(), aligner, args.port)
        .with_context(|| format!("cannot serve on 127.0.0.1:{}", args.port))?;
    println!("duiqi: reviewing {} at {}", path.display(), running.url());
    println!("duiqi: every edit is saved to {}; stop with Ctrl-C", path.display());
    if !args.no_browser && std::io::stdout().is_terminal() {
        open_in_browser(&running.url());
    }
    running.wait()?;
    Ok(())
}

/// Opens `url` in the desktop's browser, where there is a desktop; says so when it cannot
/// (the URL is printed either way). The system's own opener, as a crate would call it.
fn open_in_browser(url: &str) {
    let command: Option<(&str, Vec<&str>)> = if cfg!(target_os = "macos") {
        Some(("open", vec![url]))
    } else if cfg!(windows) {
        Some(("rundll32", vec!["url.dll,FileProtocolHandler", url]))
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        Some(("xdg-open", vec![url]))
    } else {
        None
    };
    let opened = command.is_some_and(|(program, args)| {
        std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    });
    if !opened {
        eprintln!("duiqi: open the URL above in a browser");
    }
}
