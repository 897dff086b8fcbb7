//! duiqi for Python: a thin face over the library. Texts go in as `str` or `bytes`, beads
//! come out with indices, texts, scores and character offsets; the work runs with the GIL
//! released.

use duiqi::glossary::{GlossaryOptions, Term};
use duiqi::model::{self, Model};
use duiqi::{AlignOptions, Document, Format, Language, ReadOptions};
use pyo3::create_exception;
use pyo3::exceptions::{PyFileNotFoundError, PyIndexError, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyIterator, PyList, PyString};
use std::path::PathBuf;
use std::sync::Arc;

create_exception!(duiqi, DuiqiError, PyValueError, "Base class of duiqi's errors.");
create_exception!(duiqi, InputError, DuiqiError, "A text that cannot be aligned: empty, binary, no sentence.");
create_exception!(duiqi, EncodingError, InputError, "Bytes that are not valid in the encoding used to read them.");
create_exception!(
    duiqi,
    LanguageError,
    InputError,
    "A text in a language duiqi does not align, or two in one language."
);
create_exception!(duiqi, OptionError, DuiqiError, "An option out of its range, or an unknown encoding or language.");
create_exception!(duiqi, ModelError, DuiqiError, "A model file that cannot be used.");

/// The Python exception for a library error.
fn to_py(error: duiqi::Error) -> PyErr {
    use duiqi::Error as E;
    let message = error.to_string();
    match error {
        E::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
        E::Io { .. } => PyOSError::new_err(message),
        E::Undecodable { .. } => EncodingError::new_err(message),
        E::UndetectedLanguage { .. } | E::OtherLanguage { .. } | E::SameLanguage { .. } => {
            LanguageError::new_err(message)
        }
        E::UnknownEncoding(_) | E::UnknownLanguage(_) | E::InvalidOption { .. } => OptionError::new_err(message),
        E::Model(_) => ModelError::new_err(message),
        _ => InputError::new_err(message),
    }
}

/// A text as given from Python: `str`, or `bytes` to be decoded.
enum Text {
    Str(String),
    Bytes(Vec<u8>),
    /// A file given as a path (`pathlib.Path`): its name tells its format.
    File(String, Vec<u8>),
}

impl Text {
    fn extract(value: &Bound<'_, PyAny>) -> PyResult<Text> {
        if let Ok(text) = value.cast::<PyString>() {
            Ok(Text::Str(text.to_cow()?.into_owned()))
        } else if let Ok(bytes) = value.cast::<PyBytes>() {
            Ok(Text::Bytes(bytes.as_bytes().to_vec()))
        } else if value.hasattr("__fspath__")? {
            let path: String = value.call_method0("__fspath__")?.extract()?;
            let bytes =
                std::fs::read(&path).map_err(|source| to_py(duiqi::Error::Io { name: path.clone(), source }))?;
            Ok(Text::File(path, bytes))
        } else {
            Err(pyo3::exceptions::PyTypeError::new_err("a text must be str, bytes or a path (pathlib.Path)"))
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Text::Str(text) => text.as_bytes(),
            Text::Bytes(bytes) | Text::File(_, bytes) => bytes,
        }
    }
}

/// How to read the texts of one call.
struct Reading {
    src: ReadOptions,
    tgt: ReadOptions,
}

impl Reading {
    fn new(
        presplit: bool,
        src_lang: Option<&str>,
        tgt_lang: Option<&str>,
        encoding: Option<&str>,
    ) -> PyResult<Reading> {
        let language = |code: Option<&str>| code.map(Language::parse).transpose().map_err(to_py);
        let encoding = encoding.map(duiqi::encoding_for_label).transpose().map_err(to_py)?;
        let options = |language| ReadOptions { encoding, language, presplit, ..Default::default() };
        Ok(Reading { src: options(language(src_lang)?), tgt: options(language(tgt_lang)?) })
    }

    fn pair(&self, src: &Text, tgt: &Text) -> duiqi::Result<(Document, Document)> {
        let (src, tgt) = (read(src, "source", &self.src)?, read(tgt, "target", &self.tgt)?);
        duiqi::check_pair(&src, &tgt, "source", "target")?;
        Ok((src, tgt))
    }
}

/// Reads a text: `str` as the UTF-8 it is (an `encoding` is for bytes), bytes as told.
fn read(text: &Text, name: &str, options: &ReadOptions) -> duiqi::Result<Document> {
    match text {
        Text::Str(_) => duiqi::read_document(text.bytes(), name, &ReadOptions { encoding: None, ..options.clone() }),
        Text::Bytes(_) => duiqi::read_document(text.bytes(), name, options),
        Text::File(path, bytes) => duiqi::read_document(bytes, path, options),
    }
}

/// Character offsets of the byte offsets `bytes` (sorted) in `text`.
fn char_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(bytes.len());
    let (mut chars, mut at) = (0, 0);
    for &byte in bytes {
        chars += text[at..byte].chars().count();
        at = byte;
        offsets.push(chars);
    }
    offsets
}

/// One bead: consecutive source sentences and the target sentences they correspond to
/// (either side may be empty).
#[pyclass(module = "duiqi", frozen, get_all)]
struct Bead {
    /// Source sentence indices (0-based).
    src: Vec<usize>,
    /// Target sentence indices (0-based).
    tgt: Vec<usize>,
    /// The source sentences, joined as the language writes them.
    src_text: String,
    /// The target sentences, joined as the language writes them.
    tgt_text: String,
    /// The bead's evidence: higher is better, comparable within one alignment.
    score: f32,
    /// (start, end) character offsets of the source sentences in the source text, or None.
    src_span: Option<(usize, usize)>,
    /// (start, end) character offsets of the target sentences in the target text, or None.
    tgt_span: Option<(usize, usize)>,
}

#[pymethods]
impl Bead {
    fn __repr__(&self) -> String {
        format!("Bead(src={:?}, tgt={:?}, score={:.4})", self.src, self.tgt, self.score)
    }
}

/// One text of an alignment, with its sentences' character spans.
struct Side {
    document: Document,
    /// (start, end) character offsets of each sentence: in the `str` given (a leading BOM
    /// counted), or in the decoded text of bytes.
    spans: Vec<(usize, usize)>,
}

impl Side {
    fn new(document: Document, given: &Text) -> Side {
        let bom = usize::from(matches!(given, Text::Str(text) if text.starts_with('\u{FEFF}')));
        let bytes: Vec<usize> = document.sentences.iter().flat_map(|s| [s.span.start, s.span.end]).collect();
        let chars = char_offsets(&document.text, &bytes);
        let spans = chars.chunks(2).map(|pair| (pair[0] + bom, pair[1] + bom)).collect();
        Side { document, spans }
    }
}

/// What an alignment holds: the two texts and the beads.
struct Aligned {
    src: Side,
    tgt: Side,
    beads: duiqi::Alignment,
}

/// An alignment: a sequence of [`Bead`]s covering every sentence of both texts once, in
/// order, and the texts' sentences; writes itself in the formats of translation tools.
#[pyclass(module = "duiqi", frozen)]
struct Alignment {
    aligned: Arc<Aligned>,
}

impl Alignment {
    fn bead(&self, index: usize) -> Bead {
        let Aligned { src, tgt, beads } = &*self.aligned;
        let bead = &beads[index];
        let side = |side: &Side, range: &std::ops::Range<usize>| {
            let span = (!range.is_empty()).then(|| (side.spans[range.start].0, side.spans[range.end - 1].1));
            (side.document.join(range.clone()), span)
        };
        let ((src_text, src_span), (tgt_text, tgt_span)) = (side(src, &bead.src), side(tgt, &bead.tgt));
        Bead {
            src: bead.src.clone().collect(),
            tgt: bead.tgt.clone().collect(),
            src_text,
            tgt_text,
            score: bead.score,
            src_span,
            tgt_span,
        }
    }

    fn write(&self, format: Format) -> PyResult<String> {
        String::from_utf8(self.bytes(format)?).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn bytes(&self, format: Format) -> PyResult<Vec<u8>> {
        let Aligned { src, tgt, beads } = &*self.aligned;
        let mut out = Vec::new();
        duiqi::write_alignment(&mut out, format, beads, &src.document, &tgt.document)
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        Ok(out)
    }
}

#[pymethods]
impl Alignment {
    fn __len__(&self) -> usize {
        self.aligned.beads.len()
    }

    fn __getitem__(&self, index: isize) -> PyResult<Bead> {
        let len = self.aligned.beads.len() as isize;
        let index = if index < 0 { index + len } else { index };
        if !(0..len).contains(&index) {
            return Err(PyIndexError::new_err("bead index out of range"));
        }
        Ok(self.bead(index as usize))
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        PyList::new(py, self.beads())?.try_iter()
    }

    /// The beads, in order.
    #[getter]
    fn beads(&self) -> Vec<Bead> {
        (0..self.aligned.beads.len()).map(|i| self.bead(i)).collect()
    }

    /// The source sentences, as split (index i is sentence i of the beads).
    #[getter]
    fn src_sentences(&self) -> Vec<String> {
        self.aligned.src.document.sentences.iter().map(|s| s.text.clone()).collect()
    }

    /// The target sentences, as split.
    #[getter]
    fn tgt_sentences(&self) -> Vec<String> {
        self.aligned.tgt.document.sentences.iter().map(|s| s.text.clone()).collect()
    }

    /// The source text as decoded (without a BOM): what the spans of bytes given index.
    #[getter]
    fn source_text(&self) -> String {
        self.aligned.src.document.text.clone()
    }

    /// The target text as decoded (without a BOM).
    #[getter]
    fn target_text(&self) -> String {
        self.aligned.tgt.document.text.clone()
    }

    /// `[0,1]:[2]` lines, as Vecalign and Bertalign write.
    fn to_align(&self) -> PyResult<String> {
        self.write(Format::Align)
    }

    /// Source text, target text and score, tab-separated, a bead a line.
    fn to_tsv(&self) -> PyResult<String> {
        self.write(Format::Tsv)
    }

    /// One JSON object a line: indices, texts, score.
    fn to_jsonl(&self) -> PyResult<String> {
        self.write(Format::Jsonl)
    }

    /// A TMX 1.4b translation memory.
    fn to_tmx(&self) -> PyResult<String> {
        self.write(Format::Tmx)
    }

    /// An XLIFF 2.1 bilingual file.
    fn to_xliff(&self) -> PyResult<String> {
        self.write(Format::Xliff)
    }

    /// A side-by-side HTML reader (one self-contained page).
    fn to_html(&self) -> PyResult<String> {
        self.write(Format::Html)
    }

    /// An Excel workbook (xlsx bytes): a row per bead, a "confirmed" column to fill in.
    fn to_xlsx<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.bytes(Format::Xlsx)?))
    }

    fn __repr__(&self) -> String {
        let Aligned { src, tgt, beads } = &*self.aligned;
        let (n_src, n_tgt) = (src.document.len(), tgt.document.len());
        format!("Alignment({} beads, {n_src} source and {n_tgt} target sentences)", beads.len())
    }
}

/// Aligns texts with their translations; holds the bundled dictionary and segmenter (and
/// the neural model when given one), so build one and reuse it.
///
/// max_bead: largest m + n of an m-n bead (2 to 8). passes: 1 uses the bundled resources
/// only, 2 (default) also learns word pairs from a first alignment. model: None (lexical
/// signals only), a model file's path, or "auto" ($DUIQI_MODEL, else the cache file
/// scripts/fetch-model.sh writes, if present). muse: None, the directory holding the mUSE
/// files, or "auto" (beside the e5 model, where scripts/fetch-model.sh puts them): every
/// sentence embedded, faster than e5 on long texts. With both, a pair of up to 200 KB of
/// text uses e5 and a longer one mUSE, unless both_encoders=True (both on every pair).
/// neural_share: with e5, the share of a long text encoded. progress: called as progress(pairs_done, pairs, encoded, to_encode)
/// from worker threads while aligning; its exceptions are ignored.
#[pyclass(name = "Aligner", module = "duiqi", frozen)]
struct PyAligner {
    inner: duiqi::Aligner,
}

#[pymethods]
impl PyAligner {
    #[new]
    #[pyo3(signature = (max_bead=5, passes=2, model=None, neural_share=0.7, progress=None, muse=None, both_encoders=false))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    fn new(
        py: Python<'_>,
        max_bead: usize,
        passes: usize,
        model: Option<PathBuf>,
        neural_share: f32,
        progress: Option<Py<PyAny>>,
        muse: Option<PathBuf>,
        both_encoders: bool,
    ) -> PyResult<PyAligner> {
        let mut options = AlignOptions { both_encoders, ..AlignOptions::default() };
        options.search.max_bead = max_bead;
        options.passes = passes;
        options.neural_share = neural_share;
        let path = match model {
            Some(path) if path.as_os_str() == "auto" => model::locate(None),
            other => other,
        };
        let muse = match muse {
            Some(directory) if directory.as_os_str() == "auto" => Some(model::muse::locate(None).ok_or_else(|| {
                ModelError::new_err(format!("muse=\"auto\" but no mUSE files; {}", model::FETCH_HINT))
            })?),
            other => other,
        };
        let inner = py.detach(|| -> duiqi::Result<duiqi::Aligner> {
            let mut aligner = duiqi::Aligner::new(options)?;
            if let Some(path) = path {
                aligner = aligner.with_model(Model::load(&path)?);
            }
            if let Some(directory) = muse {
                aligner = aligner.with_muse(model::muse::Muse::load(&directory)?);
            }
            Ok(aligner)
        });
        let mut inner = inner.map_err(to_py)?;
        if let Some(callback) = progress {
            inner = inner.with_progress(move |p: duiqi::Progress| {
                Python::attach(|py| {
                    let _ = callback.call1(py, (p.pairs_done, p.pairs, p.encoded, p.to_encode));
                });
            });
        }
        Ok(PyAligner { inner })
    }

    /// True when a neural model is in use.
    #[getter]
    fn has_model(&self) -> bool {
        self.inner.has_model()
    }

    /// Aligns `src` with `tgt` (str, or bytes to decode). presplit: one sentence per line,
    /// taken exactly as given. src_lang / tgt_lang: "zh" or "en" instead of detecting the
    /// language; encoding: a label such as "gb18030" for bytes instead of detecting it.
    #[pyo3(signature = (src, tgt, *, presplit=false, src_lang=None, tgt_lang=None, encoding=None))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    fn align(
        &self,
        py: Python<'_>,
        src: &Bound<'_, PyAny>,
        tgt: &Bound<'_, PyAny>,
        presplit: bool,
        src_lang: Option<&str>,
        tgt_lang: Option<&str>,
        encoding: Option<&str>,
    ) -> PyResult<Alignment> {
        let reading = Reading::new(presplit, src_lang, tgt_lang, encoding)?;
        let (src, tgt) = (Text::extract(src)?, Text::extract(tgt)?);
        let aligned = py.detach(|| -> duiqi::Result<Aligned> {
            let (src_doc, tgt_doc) = reading.pair(&src, &tgt)?;
            let beads = self.inner.align(&src_doc, &tgt_doc);
            Ok(Aligned { src: Side::new(src_doc, &src), tgt: Side::new(tgt_doc, &tgt), beads })
        });
        Ok(Alignment { aligned: Arc::new(aligned.map_err(to_py)?) })
    }

    /// Aligns many (src, tgt) pairs in parallel, learning one lexicon from all of them, with
    /// the GIL released. A pair that cannot be read raises its error, naming the pair.
    #[pyo3(signature = (pairs, *, presplit=false, src_lang=None, tgt_lang=None, encoding=None))]
    fn align_many(
        &self,
        py: Python<'_>,
        pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
        presplit: bool,
        src_lang: Option<&str>,
        tgt_lang: Option<&str>,
        encoding: Option<&str>,
    ) -> PyResult<Vec<Alignment>> {
        let reading = Reading::new(presplit, src_lang, tgt_lang, encoding)?;
        let texts: Vec<(Text, Text)> =
            pairs.iter().map(|(s, t)| Ok((Text::extract(s)?, Text::extract(t)?))).collect::<PyResult<_>>()?;
        let aligned = py.detach(|| -> Result<Vec<Aligned>, (usize, duiqi::Error)> {
            let documents: Vec<(Document, Document)> = texts
                .iter()
                .enumerate()
                .map(|(i, (s, t))| reading.pair(s, t).map_err(|e| (i, e)))
                .collect::<Result<_, _>>()?;
            let alignments = self.inner.align_batch(&documents);
            Ok(documents
                .into_iter()
                .zip(alignments)
                .zip(&texts)
                .map(|(((src, tgt), beads), (src_text, tgt_text))| Aligned {
                    src: Side::new(src, src_text),
                    tgt: Side::new(tgt, tgt_text),
                    beads,
                })
                .collect())
        });
        match aligned {
            Ok(aligned) => Ok(aligned.into_iter().map(|a| Alignment { aligned: Arc::new(a) }).collect()),
            Err((index, error)) => {
                let py_error = to_py(error);
                let message = format!("pair {index}: {}", py_error.value(py));
                Err(PyErr::from_type(py_error.get_type(py), message))
            }
        }
    }

    /// The word counts of a corpus's records (a Records), aligned with the lexicons
    /// learned so far: merge them across the corpus (duiqi.spark does it on a cluster).
    /// Unreadable records count for nothing.
    #[pyo3(signature = (records, lexicons=Vec::new()))]
    fn count_records(
        &self,
        py: Python<'_>,
        records: PyRef<'_, Records>,
        lexicons: Vec<PyRef<'_, CorpusLexicon>>,
    ) -> PyResult<CorpusCounts> {
        let lexicons: Vec<&duiqi::CorpusLexicon> = lexicons.iter().map(|l| &l.inner).collect();
        let (list, options) = (records.list(), records.options());
        let counts = py.detach(|| self.inner.count_records(&list, &options, &lexicons));
        Ok(CorpusCounts { inner: counts })
    }

    /// Aligns a corpus's records (a Records) with its lexicons: columns (a dict of lists)
    /// of one row per bead (id, bead, src, tgt, src_text, tgt_text, score, error) or per
    /// record that cannot be read (its error). With glossary=True, also the columns id,
    /// chinese, english, count of each record's names and terms.
    #[pyo3(signature = (records, lexicons=Vec::new(), *, glossary=false))]
    fn align_records<'py>(
        &self,
        py: Python<'py>,
        records: PyRef<'_, Records>,
        lexicons: Vec<PyRef<'_, CorpusLexicon>>,
        glossary: bool,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
        let lexicons: Vec<&duiqi::CorpusLexicon> = lexicons.iter().map(|l| &l.inner).collect();
        let (list, options) = (records.list(), records.options());
        let glossary = glossary.then(GlossaryOptions::default);
        let (rows, terms) = py.detach(|| self.inner.align_records_with_terms(&list, &options, &lexicons, glossary));
        let columns = PyDict::new(py);
        columns.set_item("id", rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())?;
        let bead = |r: &duiqi::corpus::RecordRow| r.error.is_none().then_some(r.bead);
        columns.set_item("bead", rows.iter().map(bead).collect::<Vec<_>>())?;
        let side = |r: &duiqi::corpus::RecordRow, v: &Vec<usize>| r.error.is_none().then(|| v.clone());
        columns.set_item("src", rows.iter().map(|r| side(r, &r.src)).collect::<Vec<_>>())?;
        columns.set_item("tgt", rows.iter().map(|r| side(r, &r.tgt)).collect::<Vec<_>>())?;
        let text = |r: &duiqi::corpus::RecordRow, t: &str| r.error.is_none().then(|| t.to_string());
        columns.set_item("src_text", rows.iter().map(|r| text(r, &r.src_text)).collect::<Vec<_>>())?;
        columns.set_item("tgt_text", rows.iter().map(|r| text(r, &r.tgt_text)).collect::<Vec<_>>())?;
        columns.set_item("score", rows.iter().map(|r| r.error.is_none().then_some(r.score)).collect::<Vec<_>>())?;
        columns.set_item("error", rows.iter().map(|r| r.error.as_deref()).collect::<Vec<_>>())?;
        let term_columns = PyDict::new(py);
        let flat: Vec<(&str, &Term)> =
            terms.iter().flat_map(|(id, ts)| ts.iter().map(move |t| (id.as_str(), t))).collect();
        term_columns.set_item("id", flat.iter().map(|(id, _)| *id).collect::<Vec<_>>())?;
        term_columns.set_item("chinese", flat.iter().map(|(_, t)| t.chinese.as_str()).collect::<Vec<_>>())?;
        term_columns.set_item("english", flat.iter().map(|(_, t)| t.english.as_str()).collect::<Vec<_>>())?;
        term_columns.set_item("count", flat.iter().map(|(_, t)| t.count).collect::<Vec<_>>())?;
        Ok((columns, term_columns))
    }

    /// The names and terms an alignment pairs (Chinese with English): a list of dicts with
    /// chinese, english, count, confidence, kinds and chinese_sentences. all_words: also
    /// pairs of common words and numbers.
    #[pyo3(signature = (alignment, *, all_words=false))]
    fn glossary<'py>(
        &self,
        py: Python<'py>,
        alignment: &Alignment,
        all_words: bool,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let aligned = Arc::clone(&alignment.aligned);
        let terms: Vec<Term> = py.detach(|| {
            let (src, tgt) = (&aligned.src.document, &aligned.tgt.document);
            self.inner.glossary(src, tgt, &aligned.beads, GlossaryOptions { all_words })
        });
        terms
            .into_iter()
            .map(|term| {
                let dict = PyDict::new(py);
                dict.set_item("chinese", term.chinese)?;
                dict.set_item("english", term.english)?;
                dict.set_item("count", term.count)?;
                dict.set_item("confidence", term.confidence)?;
                dict.set_item("kinds", term.kinds.iter().map(|k| k.label()).collect::<Vec<_>>())?;
                dict.set_item("chinese_sentences", term.chinese_sentences)?;
                Ok(dict)
            })
            .collect()
    }
}

/// The sentences duiqi finds in `text` (str or bytes); lang: "zh" or "en" instead of
/// detecting it.
#[pyfunction]
#[pyo3(signature = (text, *, lang=None, encoding=None))]
fn split(py: Python<'_>, text: &Bound<'_, PyAny>, lang: Option<&str>, encoding: Option<&str>) -> PyResult<Vec<String>> {
    let reading = Reading::new(false, lang, None, encoding)?;
    let text = Text::extract(text)?;
    let document = py.detach(|| duiqi::read_document(text.bytes(), "text", &reading.src)).map_err(to_py)?;
    Ok(document.sentences.into_iter().map(|s| s.text).collect())
}

/// Records from three equally long lists.
/// A corpus's records (ids, srcs, tgts: lists of str of the same length) and how to read
/// them (presplit: a sentence a line; the languages, detected by default), for
/// Aligner.count_records and Aligner.align_records.
#[pyclass(module = "duiqi", frozen)]
struct Records {
    ids: Vec<String>,
    srcs: Vec<String>,
    tgts: Vec<String>,
    reading: Reading,
}

#[pymethods]
impl Records {
    #[new]
    #[pyo3(signature = (ids, srcs, tgts, *, presplit=false, src_lang=None, tgt_lang=None))]
    fn new(
        ids: Vec<String>,
        srcs: Vec<String>,
        tgts: Vec<String>,
        presplit: bool,
        src_lang: Option<&str>,
        tgt_lang: Option<&str>,
    ) -> PyResult<Records> {
        if ids.len() != srcs.len() || ids.len() != tgts.len() {
            return Err(PyValueError::new_err("ids, srcs and tgts must be lists of the same length"));
        }
        Ok(Records { ids, srcs, tgts, reading: Reading::new(presplit, src_lang, tgt_lang, None)? })
    }

    fn __len__(&self) -> usize {
        self.ids.len()
    }
}

impl Records {
    fn list(&self) -> Vec<duiqi::corpus::Record<'_>> {
        let records = self.ids.iter().zip(&self.srcs).zip(&self.tgts);
        records.map(|((id, src), tgt)| duiqi::corpus::Record { id, src, tgt }).collect()
    }

    fn options(&self) -> (ReadOptions, ReadOptions) {
        (self.reading.src.clone(), self.reading.tgt.clone())
    }
}

/// The word counts of a corpus's aligned records (Aligner.count_records): merge those of
/// every part of the corpus, then learn its lexicon. to_bytes/from_bytes carry them
/// between processes.
#[pyclass(module = "duiqi")]
#[derive(Default)]
struct CorpusCounts {
    inner: duiqi::CorpusCounts,
}

#[pymethods]
impl CorpusCounts {
    #[new]
    fn new() -> CorpusCounts {
        CorpusCounts::default()
    }

    /// Counts written by to_bytes.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<CorpusCounts> {
        let inner =
            duiqi::CorpusCounts::from_bytes(data).ok_or_else(|| InputError::new_err("not duiqi corpus counts"))?;
        Ok(CorpusCounts { inner })
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Adds another part's counts.
    fn merge(&mut self, other: &CorpusCounts) {
        self.inner.merge(&other.inner);
    }

    /// Paired beads counted.
    #[getter]
    fn beads(&self) -> u64 {
        self.inner.beads()
    }

    /// The lexicon these counts teach.
    fn lexicon(&self, py: Python<'_>) -> CorpusLexicon {
        CorpusLexicon { inner: py.detach(|| self.inner.lexicon()) }
    }
}

/// A corpus's learned lexicon (CorpusCounts.lexicon): source words and stems with the
/// target ones they translate.
#[pyclass(module = "duiqi", frozen)]
struct CorpusLexicon {
    inner: duiqi::CorpusLexicon,
}

#[pymethods]
impl CorpusLexicon {
    /// A lexicon written by to_bytes.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<CorpusLexicon> {
        let inner = duiqi::CorpusLexicon::from_bytes(data).ok_or_else(|| InputError::new_err("not a duiqi lexicon"))?;
        Ok(CorpusLexicon { inner })
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// The target units learned for a source unit (a Chinese word, an English stem).
    fn partners(&self, unit: &str) -> Vec<String> {
        self.inner.partners(unit).to_vec()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

#[pymodule]
fn _duiqi(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add_class::<PyAligner>()?;
    module.add_class::<Alignment>()?;
    module.add_class::<Bead>()?;
    module.add_class::<Records>()?;
    module.add_class::<CorpusCounts>()?;
    module.add_class::<CorpusLexicon>()?;
    module.add_function(wrap_pyfunction!(split, module)?)?;
    module.add("DuiqiError", py.get_type::<DuiqiError>())?;
    module.add("InputError", py.get_type::<InputError>())?;
    module.add("EncodingError", py.get_type::<EncodingError>())?;
    module.add("LanguageError", py.get_type::<LanguageError>())?;
    module.add("OptionError", py.get_type::<OptionError>())?;
    module.add("ModelError", py.get_type::<ModelError>())?;
    Ok(())
}
