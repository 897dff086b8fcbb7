//! `duiqi align --batch RECORDS.jsonl`: a corpus of document pairs with their texts inline,
//! one JSON object a line (`{"id": …, "src": …, "tgt": …}`), aligned as one batch (one
//! lexicon learned from all of them) a thousand records at a time, so memory stays bounded:
//! each round reads the file again. Writes a JSON line per bead, or per record that fails.

use super::input::InputArgs;
use anyhow::{Context, Result};
use duiqi::corpus::{Record, RecordRow};
use duiqi::{CorpusCounts, CorpusLexicon};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

/// Records aligned together; the lexicon is learned from all the records whatever this is.
const CHUNK_RECORDS: usize = 1000;

/// True when the batch file holds JSON records rather than tab-separated paths.
pub fn is_records_file(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl")) {
        return true;
    }
    let first_line = std::fs::File::open(path).ok().and_then(|f| std::io::BufReader::new(f).lines().next()?.ok());
    first_line.is_some_and(|line| line.trim_start_matches('\u{FEFF}').trim_start().starts_with('{'))
}

/// One line of the records file: a record, or why the line is not one.
struct Line {
    id: String,
    texts: Result<(String, String), String>,
}

/// Reads the records file a chunk at a time, handing each chunk to `each`.
fn for_each_chunk(path: &Path, mut each: impl FnMut(&[Line]) -> Result<()>) -> Result<()> {
    let file = std::fs::File::open(path).with_context(|| format!("{}: cannot read the records", path.display()))?;
    let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}: cannot read line {}", path.display(), number + 1))?;
        let line = line.trim_start_matches('\u{FEFF}');
        if line.trim().is_empty() {
            continue;
        }
        chunk.push(parse_line(line, number + 1));
        if chunk.len() == CHUNK_RECORDS {
            each(&chunk)?;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        each(&chunk)?;
    }
    Ok(())
}

/// A record's id (a string, or a number written as such) and texts; a line that is not a
/// record gets the id `line N`.
fn parse_line(line: &str, number: usize) -> Line {
    let fallback = format!("line {number}");
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(e) => return Line { id: fallback, texts: Err(format!("not a JSON object: {e}")) },
    };
    let id = match &value["id"] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => fallback,
    };
    // A missing or null text is an empty one (as a null in a DataFrame column).
    let text = |key: &str| match &value[key] {
        serde_json::Value::Null => Ok(String::new()),
        serde_json::Value::String(text) => Ok(text.clone()),
        _ => Err(format!("\"{key}\" is not a text")),
    };
    let texts = text("src").and_then(|src| Ok((src, text("tgt")?)));
    Line { id, texts }
}

/// The chunk's lines that are records.
fn records(chunk: &[Line]) -> Vec<Record<'_>> {
    let texts = chunk.iter().filter_map(|l| Some((l, l.texts.as_ref().ok()?)));
    texts.map(|(l, (src, tgt))| Record { id: &l.id, src, tgt }).collect()
}

/// Runs the batch: the rounds that learn the lexicon, then the aligning one. Returns whether
/// every record was aligned.
pub fn run(path: &Path, input: &InputArgs, output: Option<&Path>, glossary: Option<&Path>) -> Result<bool> {
    if input.paragraphs_first {
        anyhow::bail!("--paragraphs-first does not apply to records; align them sentence by sentence");
    }
    let aligner = input.aligner()?;
    let options = input.read_options()?;
    let mut lexicons: Vec<CorpusLexicon> = Vec::new();
    for _ in 1..input.passes {
        let mut counts = CorpusCounts::default();
        for_each_chunk(path, |chunk| {
            counts.merge(&aligner.count_records(&records(chunk), &options, &lexicons.iter().collect::<Vec<_>>()));
            Ok(())
        })?;
        lexicons.push(counts.lexicon());
    }
    let lexicons: Vec<&CorpusLexicon> = lexicons.iter().collect();
    let mut out = super::output(output)?;
    let glossary_options = glossary.map(|_| duiqi::glossary::GlossaryOptions::default());
    let mut terms: BTreeMap<(String, String), (usize, Vec<String>)> = BTreeMap::new();
    let (mut failed, mut total) = (0usize, 0usize);
    for_each_chunk(path, |chunk| {
        let (rows, chunk_terms) =
            aligner.align_records_with_terms(&records(chunk), &options, &lexicons, glossary_options);
        let mut rows = rows.into_iter().peekable();
        for line in chunk {
            total += 1;
            if let Err(error) = &line.texts {
                failed += 1;
                write_row(&mut out, &RecordRow::failed(&line.id, error))?;
                continue;
            }
            while let Some(row) = rows.next_if(|row| row.id == line.id) {
                failed += usize::from(row.error.is_some());
                write_row(&mut out, &row)?;
            }
        }
        for (id, found) in chunk_terms {
            for term in found {
                let entry = terms.entry((term.chinese, term.english)).or_default();
                entry.0 += term.count;
                entry.1.push(id.clone());
            }
        }
        Ok(())
    })?;
    out.flush()?;
    if let Some(path) = glossary {
        let mut file = super::output(Some(path))?;
        writeln!(file, "chinese\tenglish\tbeads\trecords\tids")?;
        for ((chinese, english), (beads, ids)) in &terms {
            writeln!(file, "{chinese}\t{english}\t{beads}\t{}\t{}", ids.len(), ids.join(","))?;
        }
        file.flush()?;
    }
    if failed > 0 {
        eprintln!("duiqi: {failed} of {total} records failed; their rows carry the error");
    }
    Ok(failed == 0)
}

/// A bead as `{"id", "bead", "src", "tgt", "src_text", "tgt_text", "score"}`, or a failed
/// record as `{"id", "error"}`.
fn write_row(out: &mut dyn Write, row: &RecordRow) -> Result<()> {
    let value = match &row.error {
        Some(error) => serde_json::json!({ "id": row.id, "error": error }),
        None => serde_json::json!({
            "id": row.id, "bead": row.bead, "src": row.src, "tgt": row.tgt,
            "src_text": row.src_text, "tgt_text": row.tgt_text, "score": (f64::from(row.score) * 1e4).round() / 1e4,
        }),
    };
    writeln!(out, "{value}")?;
    Ok(())
}
