"""duiqi on Apache Spark: align a DataFrame of document pairs, learning one lexicon from the
whole corpus, as ``duiqi align --batch RECORDS.jsonl`` does on one machine (same beads).

>>> from duiqi import spark as dq
>>> beads = dq.align(df, src="zh", tgt="en", id="doc_id")      # doctest: +SKIP
>>> terms = dq.glossary(df, src="zh", tgt="en", id="doc_id")   # doctest: +SKIP

How: each partition is aligned with the bundled resources and its word counts are
emitted (``Aligner.count_records``, in ``mapInArrow``); the counts are merged across the
cluster (``treeAggregate``); the lexicon is learned on the driver and broadcast; then every
partition is aligned with it. With ``passes=3`` the counting round runs twice. A record
that cannot be aligned (an empty side, binary bytes, two texts in one language) gets a row
with its ``error``; the others are unaffected. Outputs depend only on the records and the
lexicon, so a task Spark retries gives the same rows.

Needs pyspark and pyarrow (``pip install pyspark pyarrow``) on the driver and duiqi on
every executor; see the README for spark-submit on a cluster.
"""

import os

from ._duiqi import Aligner, CorpusCounts, CorpusLexicon, Records

BEADS_SCHEMA = (
    "id string, bead int, src array<int>, tgt array<int>, src_text string, tgt_text string, "
    "score float, error string"
)
TERMS_SCHEMA = "chinese string, english string, beads long, records long, ids array<string>"
_RECORD_TERMS_SCHEMA = "id string, chinese string, english string, count long"

# Per executor process: aligners by their options, lexicons by broadcast id.
_ALIGNERS = {}
_LEXICONS = {}


def _model_path(path):
    """A model file as given, else as shipped to the executors with --files."""
    if path is None or path == "auto" or os.path.exists(path):
        return path
    from pyspark import SparkFiles

    shipped = SparkFiles.get(os.path.basename(path))
    return shipped if os.path.exists(shipped) else path


def _aligner(options):
    if options not in _ALIGNERS:
        kwargs = dict(options)
        for key in ("model", "muse"):
            kwargs[key] = _model_path(kwargs.get(key))
        _ALIGNERS[options] = Aligner(**kwargs)
    return _ALIGNERS[options]


def _broadcast(spark, learned):
    """The lexicons (bytes) broadcast, with a key to find them read on the executors."""
    import uuid

    return uuid.uuid4().hex, spark.sparkContext.broadcast(learned)


def _lexicons(shared):
    key, broadcast = shared
    if key not in _LEXICONS:
        _LEXICONS[key] = [CorpusLexicon.from_bytes(b) for b in broadcast.value]
    return _LEXICONS[key]


# Records aligned at once within an Arrow batch, as the command line's JSONL batch does:
# memory stays bounded whatever the batch size.
_CHUNK = 1000


def _chunks(batches):
    """The ids and texts of every _CHUNK records, missing texts as empty ones (an error row)."""
    for batch in batches:
        for start in range(0, batch.num_rows, _CHUNK):
            data = batch.slice(start, _CHUNK).to_pydict()
            yield data["id"], [s or "" for s in data["src"]], [t or "" for t in data["tgt"]]


def _fail_first_attempt():
    """For fault-injection tests: when the job's local property duiqi.failFirstAttempt is
    "true", the first attempt of partition 0's task fails after its first chunk, and Spark
    must retry it (sparkContext.setLocalProperty)."""
    from pyspark import TaskContext

    context = TaskContext.get()
    if context is None or context.getLocalProperty("duiqi.failFirstAttempt") != "true":
        return
    if context.partitionId() == 0 and context.attemptNumber() == 0:
        raise RuntimeError("duiqi: injected failure on the first attempt")


def _arrow_schema(terms):
    """The Arrow types of BEADS_SCHEMA (or of the per-record terms)."""
    import pyarrow as pa

    if terms:
        fields = [("id", pa.string()), ("chinese", pa.string()), ("english", pa.string()), ("count", pa.int64())]
    else:
        indices = pa.list_(pa.int32())
        fields = [("id", pa.string()), ("bead", pa.int32()), ("src", indices), ("tgt", indices),
                  ("src_text", pa.string()), ("tgt_text", pa.string()), ("score", pa.float32()),
                  ("error", pa.string())]
    return pa.schema(fields)


def _merge(a, b):
    counts = CorpusCounts.from_bytes(a)
    counts.merge(CorpusCounts.from_bytes(b))
    return counts.to_bytes()


class _Job:
    """The records of a DataFrame and how to align them."""

    def __init__(self, df, src, tgt, id, options, languages):
        from pyspark.sql import functions as F

        self.records = df.select(
            F.col(id).cast("string").alias("id"),
            F.col(src).cast("string").alias("src"),
            F.col(tgt).cast("string").alias("tgt"),
        )
        self.spark = df.sparkSession
        self.options = tuple(sorted(options.items()))
        self.languages = languages

    def learn(self, passes):
        """The lexicons of passes − 1 counting rounds, as bytes."""
        import pyarrow as pa

        options, languages, learned = self.options, self.languages, []
        for _ in range(passes - 1):
            shared = _broadcast(self.spark, learned)

            def count(batches, shared=shared):
                aligner, lexicons, counts = _aligner(options), _lexicons(shared), CorpusCounts()
                for columns in _chunks(batches):
                    counts.merge(aligner.count_records(Records(*columns, **languages), lexicons))
                yield pa.RecordBatch.from_pydict({"counts": [counts.to_bytes()]})

            parts = self.records.mapInArrow(count, "counts binary").rdd.map(lambda row: bytes(row[0]))
            merged = parts.treeAggregate(CorpusCounts().to_bytes(), _merge, _merge)
            learned = learned + [CorpusCounts.from_bytes(merged).lexicon().to_bytes()]
        return learned

    def aligned(self, learned, terms):
        """Bead rows (or with terms=True, each record's term rows) of every partition."""
        import pyarrow as pa

        options, languages = self.options, self.languages
        shared = _broadcast(self.spark, learned)

        def align(batches):
            aligner, lexicons, schema = _aligner(options), _lexicons(shared), _arrow_schema(terms)
            for k, columns in enumerate(_chunks(batches)):
                beads, found = aligner.align_records(Records(*columns, **languages), lexicons, glossary=terms)
                yield pa.RecordBatch.from_pydict(found if terms else beads, schema=schema)
                if k == 0:
                    _fail_first_attempt()

        return self.records.mapInArrow(align, _RECORD_TERMS_SCHEMA if terms else BEADS_SCHEMA)


def _job(df, src, tgt, id, passes, max_bead, model, muse, neural_share, presplit, src_lang, tgt_lang):
    options = dict(max_bead=max_bead, passes=passes, model=model, muse=muse, neural_share=neural_share)
    return _Job(df, src, tgt, id, options, dict(presplit=presplit, src_lang=src_lang, tgt_lang=tgt_lang))


def learn(df, src="src", tgt="tgt", id="id", *, passes=2, max_bead=5, presplit=False, src_lang=None,
          tgt_lang=None):
    """The corpus's lexicons (one with the default two passes), to pass to align() and
    glossary() so that they do not learn them again."""
    job = _job(df, src, tgt, id, passes, max_bead, None, None, 0.7, presplit, src_lang, tgt_lang)
    return [CorpusLexicon.from_bytes(b) for b in job.learn(passes)]


def align(df, src="src", tgt="tgt", id="id", *, passes=2, max_bead=5, model=None, muse=None,
          neural_share=0.7, presplit=False, src_lang=None, tgt_lang=None, lexicons=None):
    """A DataFrame of beads (BEADS_SCHEMA): a row per bead of every record, or per record
    that cannot be aligned with its error. model, muse: model files as duiqi.Aligner takes
    them (shipped with --files, they are found by name). presplit: texts hold a sentence a
    line. lexicons: from learn()."""
    job = _job(df, src, tgt, id, passes, max_bead, model, muse, neural_share, presplit, src_lang, tgt_lang)
    learned = [l.to_bytes() for l in lexicons] if lexicons is not None else job.learn(passes)
    return job.aligned(learned, terms=False)


def glossary(df, src="src", tgt="tgt", id="id", *, passes=2, max_bead=5, model=None, muse=None,
          neural_share=0.7, presplit=False, src_lang=None, tgt_lang=None, lexicons=None):
    """A DataFrame of the corpus's name and term pairs (TERMS_SCHEMA): the beads pairing
    them over all records, how many records and which."""
    from pyspark.sql import functions as F

    job = _job(df, src, tgt, id, passes, max_bead, model, muse, neural_share, presplit, src_lang, tgt_lang)
    learned = [l.to_bytes() for l in lexicons] if lexicons is not None else job.learn(passes)
    found = job.aligned(learned, terms=True)
    return (
        found.groupBy("chinese", "english")
        .agg(
            F.sum("count").alias("beads"),
            F.countDistinct("id").alias("records"),
            F.sort_array(F.collect_set("id")).alias("ids"),
        )
        .orderBy("chinese", "english")
    )
