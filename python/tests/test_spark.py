"""duiqi.spark on a local Spark (local[2], tasks retried up to 4 times): the beads equal
`duiqi align --batch` on the same records, bad records get error rows, and a task that
fails mid-partition is retried to the same, complete output. Needs pyspark, pyarrow, Java,
and the release binary (cargo build --release; or DUIQI_BIN)."""

import ast
import json
import os
import subprocess

import pytest
from pyspark.sql import SparkSession

import duiqi
from duiqi import spark as dq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "data", "examples")
BINARY = os.environ.get("DUIQI_BIN", os.path.join(ROOT, "target", "release", "duiqi"))


def records():
    """Genesis in passages of 6 gold beads, the seed abstract, and bad records."""
    folder = os.path.join(EXAMPLES, "genesis")
    en = open(os.path.join(folder, "genesis.en"), encoding="utf-8").read().splitlines()
    zh = open(os.path.join(folder, "genesis.zh"), encoding="utf-8").read().splitlines()
    gold = [[ast.literal_eval(p) for p in line.strip().split(":")] for line in open(os.path.join(folder, "genesis.align"))]
    found = []
    for k in range(0, len(gold), 6):
        beads = gold[k:k + 6]
        src = " ".join(en[i] for b in beads for i in b[0])
        tgt = "".join(zh[i] for b in beads for i in b[1])
        found.append({"id": f"gen{k // 6}", "src": src, "tgt": tgt})
    read = lambda name: open(os.path.join(EXAMPLES, "yili", name), encoding="utf-8").read()
    found.insert(3, {"id": "seed", "src": read("yili.zh.txt"), "tgt": read("yili.en.txt")})
    found.insert(5, {"id": "empty", "src": "", "tgt": "起初神创造天地。"})
    found.insert(7, {"id": "same", "src": "In the beginning.", "tgt": "In the end."})
    found.insert(9, {"id": "binary", "src": "\x00\x01\x02\x03\x04", "tgt": "起初神创造天地。"})
    found.insert(11, {"id": "missing", "src": None, "tgt": "起初神创造天地。"})
    return found


@pytest.fixture(scope="module")
def spark():
    session = (
        SparkSession.builder.master("local[2,4]")
        .appName("duiqi-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(spark):
    return spark.createDataFrame(records(), "id string, src string, tgt string").repartition(3)


def run_batch(tmp_path, *options):
    """`duiqi align --batch` on the same records: its standard output."""
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    run = subprocess.run([BINARY, "align", "--no-model", "--batch", str(path), *options], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # the bad records fail
    return run.stdout


def batch_rows(tmp_path):
    """{(id, bead): row} of `duiqi align --batch`."""
    return {(r["id"], r.get("bead")): r for r in map(json.loads, run_batch(tmp_path).splitlines())}


def spark_rows(df):
    return {(r.id, r.bead): r for r in df.collect()}


def test_spark_beads_equal_the_batch_and_bad_records_get_their_error(spark, corpus, tmp_path):
    expected = batch_rows(tmp_path)
    found = spark_rows(dq.align(corpus))
    assert set(found) == set(expected)
    for key, row in found.items():
        want = expected[key]
        if row.error is not None:
            assert row.error == want["error"] and row.bead is None
            continue
        assert (row.src, row.tgt, row.src_text, row.tgt_text) == (want["src"], want["tgt"], want["src_text"], want["tgt_text"])
        assert round(row.score, 4) == pytest.approx(want["score"], abs=1e-4)
    errors = {key[0]: row.error for key, row in found.items() if row.error}
    assert set(errors) == {"empty", "same", "binary", "missing"}
    assert "both in 'en'" in errors["same"] and "binary" in errors["binary"]
    assert sum(1 for key in found if key[0] == "seed") > 5


def test_the_lexicon_is_learned_from_the_whole_corpus(spark, corpus):
    (lexicon,) = dq.learn(corpus)
    assert "神" in lexicon.partners("god")
    one_passage = spark.createDataFrame(records()[:2], "id string, src string, tgt string")
    (small,) = dq.learn(one_passage)
    assert len(small) < len(lexicon)
    assert dq.learn(corpus, passes=1) == []
    given = sorted(dq.align(corpus, lexicons=[lexicon]).collect())
    assert given == sorted(dq.align(corpus).collect()), "a lexicon learned once serves align()"
    empty = spark.createDataFrame([], "id string, src string, tgt string")
    assert [len(l) for l in dq.learn(empty)] == [0] and dq.align(empty).collect() == []


def test_a_task_failing_mid_partition_is_retried_to_the_same_complete_output(spark, corpus):
    expected = sorted(dq.align(corpus).collect())
    spark.sparkContext.setLocalProperty("duiqi.failFirstAttempt", "true")
    try:
        retried = sorted(dq.align(corpus).collect())
    finally:
        spark.sparkContext.setLocalProperty("duiqi.failFirstAttempt", None)
    assert retried == expected
    assert len(retried) == len({(r.id, r.bead) for r in retried}), "no row twice"


def test_the_corpus_glossary_counts_pairs_over_records(spark, corpus, tmp_path):
    terms = {(r.chinese, r.english): r for r in dq.glossary(corpus).collect()}
    run_batch(tmp_path, "--glossary", str(tmp_path / "glossary.tsv"))
    lines = (tmp_path / "glossary.tsv").read_text(encoding="utf-8").splitlines()[1:]
    expected = {(c, e): (int(b), int(n), sorted(ids.split(","))) for c, e, b, n, ids in (l.split("\t") for l in lines)}
    assert {k: (t.beads, t.records, t.ids) for k, t in terms.items()} == expected
    abel = terms[("亚伯", "Abel")]
    assert abel.records == len(abel.ids) >= 2 and abel.beads >= abel.records
    assert any(t.ids == ["seed"] for t in terms.values()), "the seed's own names"
