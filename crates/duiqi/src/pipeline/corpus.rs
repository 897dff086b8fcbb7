//! Corpora that fit neither one memory nor one machine: the lexicon a batch learns from all
//! its pairs at once is learned instead from counts gathered pair by pair and merged (a
//! map-reduce), then every pair is aligned again with it. The result equals
//! [`Aligner::align_batch`] over all the pairs (sentence by sentence: the paragraphs-first
//! option does not apply here).

use super::pieces::Pieces;
use super::{Aligner, Learning, on_pieces};
use crate::document::{Alignment, Document};
use crate::error::Result;
use crate::features::corpus::{CorpusCounts, CorpusLexicon};
use crate::glossary::{GlossaryOptions, Term};
use crate::read::{InputFormat, ReadOptions, check_pair, read_document};
use rayon::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};

impl Aligner {
    /// The counts a corpus's lexicon is learned from, for some of its pairs: each pair
    /// aligned with the bundled resources and then once with each of `lexicons` (what the
    /// earlier rounds learned; none in the first). Merge the counts of every pair
    /// ([`CorpusCounts::merge`]), learn from them ([`CorpusCounts::lexicon`]), and repeat
    /// with that lexicon added until there are [`AlignOptions::passes`](crate::AlignOptions::passes)
    /// − 1 lexicons (one with the default two passes); then
    /// [`Aligner::align_with_lexicons`].
    pub fn corpus_counts(&self, pairs: &[(&Document, &Document)], lexicons: &[&CorpusLexicon]) -> CorpusCounts {
        let cut: Vec<(Pieces, Pieces)> = pairs.iter().map(|(s, t)| (Pieces::new(s), Pieces::new(t))).collect();
        let documents: Vec<(&Document, &Document)> = cut.iter().map(|(s, t)| (&*s.document, &*t.document)).collect();
        let mut counts = CorpusCounts::default();
        for pass in self.lexical_passes(&documents, Learning::Corpus(lexicons), false) {
            counts.add(&pass.src_units, &pass.tgt_units, &pass.path);
        }
        counts
    }

    /// Aligns pairs of a corpus with the lexicons learned from all of it (see
    /// [`Aligner::corpus_counts`]), then with the neural model when there is one.
    pub fn align_with_lexicons(&self, pairs: &[(&Document, &Document)], lexicons: &[&CorpusLexicon]) -> Vec<Alignment> {
        on_pieces(pairs, |documents| {
            let passes = self.lexical_passes(documents, Learning::Corpus(lexicons), false);
            self.neural_passes(passes, documents)
        })
    }
}

/// A document pair of a corpus, its texts inline (a JSONL line, a DataFrame row).
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    /// The caller's key for the pair, repeated on every row it gives.
    pub id: &'a str,
    /// The source text.
    pub src: &'a str,
    /// The target text.
    pub tgt: &'a str,
}

/// One output row of a record: a bead, or why the record could not be aligned.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow {
    /// The record's id.
    pub id: String,
    /// The bead's number in its record (0 for an error).
    pub bead: usize,
    /// Source sentence indices (0-based) of the bead.
    pub src: Vec<usize>,
    /// Target sentence indices of the bead.
    pub tgt: Vec<usize>,
    /// The bead's source sentences, joined as the language writes them.
    pub src_text: String,
    /// The bead's target sentences.
    pub tgt_text: String,
    /// The bead's score.
    pub score: f32,
    /// Why the record gave no beads (an empty side, binary bytes, two texts in one
    /// language…); `None` for a bead.
    pub error: Option<String>,
}

/// Reads a record's two texts as plain text (languages detected unless `options` fix
/// them), refusing a pair in one language.
fn read_record(record: &Record, options: &(ReadOptions, ReadOptions)) -> Result<(Document, Document)> {
    let plain = |o: &ReadOptions| ReadOptions { format: Some(InputFormat::Text), ..o.clone() };
    let (src_name, tgt_name) = (format!("{}: source", record.id), format!("{}: target", record.id));
    let src = read_document(record.src.as_bytes(), &src_name, &plain(&options.0))?;
    let tgt = read_document(record.tgt.as_bytes(), &tgt_name, &plain(&options.1))?;
    check_pair(&src, &tgt, &src_name, &tgt_name)?;
    Ok((src, tgt))
}

/// The records read, each with its pair or its error.
fn read_records(records: &[Record], options: &(ReadOptions, ReadOptions)) -> Vec<Result<(Document, Document)>> {
    records.par_iter().map(|r| read_record(r, options)).collect()
}

impl Aligner {
    /// [`Aligner::corpus_counts`] over the records that can be read; the others count for
    /// nothing (their rows will carry their error).
    pub fn count_records(
        &self,
        records: &[Record],
        options: &(ReadOptions, ReadOptions),
        lexicons: &[&CorpusLexicon],
    ) -> CorpusCounts {
        let read = read_records(records, options);
        let pairs: Vec<(&Document, &Document)> = read.iter().flatten().map(|(s, t)| (s, t)).collect();
        self.corpus_counts(&pairs, lexicons)
    }

    /// Aligns records with a corpus's lexicons ([`Aligner::align_with_lexicons`]): a row per
    /// bead, in order, or one row with the error of a record that cannot be read. Should the
    /// records fail together on a bug, each is aligned alone, so only the one that triggers
    /// it gets an error row.
    pub fn align_records(
        &self,
        records: &[Record],
        options: &(ReadOptions, ReadOptions),
        lexicons: &[&CorpusLexicon],
    ) -> Vec<RecordRow> {
        self.align_records_with_terms(records, options, lexicons, None).0
    }

    /// [`Aligner::align_records`], and with `glossary` each aligned record's names and terms
    /// ([`Aligner::glossary`]) by record id.
    pub fn align_records_with_terms(
        &self,
        records: &[Record],
        options: &(ReadOptions, ReadOptions),
        lexicons: &[&CorpusLexicon],
        glossary: Option<GlossaryOptions>,
    ) -> (Vec<RecordRow>, Vec<(String, Vec<Term>)>) {
        let read = read_records(records, options);
        let pairs: Vec<(&Document, &Document)> = read.iter().flatten().map(|(s, t)| (s, t)).collect();
        let together = catch_unwind(AssertUnwindSafe(|| self.align_with_lexicons(&pairs, lexicons)));
        let mut alignments = match together {
            Ok(alignments) => alignments.into_iter().map(Ok).collect(),
            Err(_) => pairs
                .iter()
                .map(|pair| {
                    catch_unwind(AssertUnwindSafe(|| self.align_with_lexicons(&[*pair], lexicons).remove(0)))
                        .map_err(|_| "duiqi failed on this record (an internal error: please report it)".to_string())
                })
                .collect::<Vec<_>>(),
        }
        .into_iter();
        let (mut rows, mut terms) = (Vec::new(), Vec::new());
        for (record, pair) in records.iter().zip(&read) {
            let aligned = match pair {
                Ok(pair) => alignments.next().expect("one alignment per pair read").map(|a| (pair, a)),
                Err(error) => Err(error.to_string()),
            };
            match aligned {
                Ok(((src, tgt), alignment)) => {
                    if let Some(glossary) = glossary {
                        terms.push((record.id.to_string(), self.glossary(src, tgt, &alignment, glossary)));
                    }
                    rows.extend(bead_rows(record.id, &alignment, src, tgt));
                }
                Err(error) => rows.push(RecordRow::failed(record.id, &error)),
            }
        }
        (rows, terms)
    }
}

impl RecordRow {
    /// The row of a record that gave no beads.
    pub fn failed(id: &str, error: &str) -> RecordRow {
        RecordRow { error: Some(error.to_string()), ..RecordRow::empty(id) }
    }

    fn empty(id: &str) -> RecordRow {
        RecordRow {
            id: id.to_string(),
            bead: 0,
            src: Vec::new(),
            tgt: Vec::new(),
            src_text: String::new(),
            tgt_text: String::new(),
            score: 0.0,
            error: None,
        }
    }
}

/// A record's beads as rows.
fn bead_rows<'a>(
    id: &'a str,
    alignment: &'a Alignment,
    src: &'a Document,
    tgt: &'a Document,
) -> impl Iterator<Item = RecordRow> + 'a {
    alignment.iter().enumerate().map(move |(k, bead)| RecordRow {
        bead: k,
        src: bead.src.clone().collect(),
        tgt: bead.tgt.clone().collect(),
        src_text: src.join(bead.src.clone()),
        tgt_text: tgt.join(bead.tgt.clone()),
        score: bead.score,
        ..RecordRow::empty(id)
    })
}
