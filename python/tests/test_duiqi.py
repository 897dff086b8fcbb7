"""The Python package: the seed example, equality with the command line, bad input, the
GIL released while aligning, progress, formats. Run with `python3 -m pytest python/tests`
after `pip install ./python` and `cargo build --release` (the CLI comparison runs
target/release/duiqi, or $DUIQI_BIN)."""

import json
import os
import subprocess
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

import pytest

import duiqi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "data", "examples")
DUIQI = os.environ.get("DUIQI_BIN", os.path.join(ROOT, "target", "release", "duiqi"))


def example(name):
    with open(os.path.join(EXAMPLES, name), "rb") as f:
        return f.read()


def cli(*args):
    assert os.path.exists(DUIQI), f"build the command line first (cargo build --release): {DUIQI}"
    return subprocess.run([DUIQI, *args, "--no-model"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def aligner():
    return duiqi.Aligner()


def covers_every_sentence(alignment):
    src = [i for bead in alignment for i in bead.src]
    tgt = [i for bead in alignment for i in bead.tgt]
    return src == list(range(len(alignment.src_sentences))) and tgt == list(range(len(alignment.tgt_sentences)))


def test_seed_example(aligner):
    zh, en = example("yili/yili.zh.txt"), example("yili/yili.en.txt")
    alignment = aligner.align(zh, en)
    assert len(alignment.src_sentences) == 12 and len(alignment.tgt_sentences) == 19
    assert covers_every_sentence(alignment)
    assert alignment[0].src == [0, 1] and alignment[0].tgt == [0]
    assert alignment[-1].src_text == alignment.beads[-1].src_text
    # Character offsets into the text given (here decoded from bytes).
    text = zh.decode("utf-8")
    for bead in alignment:
        if bead.src_span:
            start, end = bead.src_span
            assert "".join(text[start:end].split()) == "".join(bead.src_text.split())


def test_spans_index_the_text_given(aligner):
    zh, en = "\ufeff我没走掉。陈清扬把我拽住了。", "I did not leave.\n\nChen  Qingyang\ncaught me."
    alignment = aligner.align(zh, en)
    for bead in alignment:
        (s0, s1), (t0, t1) = bead.src_span, bead.tgt_span
        assert zh[s0:s1] == bead.src_text
        assert " ".join(en[t0:t1].split()) == bead.tgt_text
    from_bytes = aligner.align(zh.encode("utf-8"), en.encode("utf-8"))
    start, end = from_bytes[1].src_span
    assert from_bytes.source_text[start:end] == "陈清扬把我拽住了。"
    # An encoding is for bytes: a str stays the text it is.
    gbk = aligner.align("我没走掉。陈清扬把我拽住了。".encode("gbk"), en, encoding="gbk")
    assert gbk.tgt_sentences == ["I did not leave.", "Chen Qingyang caught me."]


def test_str_and_bytes_give_the_same_alignment(aligner):
    zh, en = example("yili/yili.zh.txt"), example("yili/yili.en.txt")
    from_bytes = aligner.align(zh, en)
    from_str = aligner.align(zh.decode("utf-8"), en.decode("utf-8"))
    assert [(b.src, b.tgt) for b in from_bytes] == [(b.src, b.tgt) for b in from_str]


def test_equals_the_command_line(aligner):
    zh, en = os.path.join(EXAMPLES, "yili/yili.zh.txt"), os.path.join(EXAMPLES, "yili/yili.en.txt")
    expected = [json.loads(line) for line in cli("align", zh, en, "--format", "jsonl").splitlines()]
    got = aligner.align(example("yili/yili.zh.txt"), example("yili/yili.en.txt"))
    assert [(b.src, b.tgt, b.src_text, b.tgt_text) for b in got] == [
        (e["src"], e["tgt"], e["src_text"], e["tgt_text"]) for e in expected
    ]
    assert got.to_jsonl() == cli("align", zh, en, "--format", "jsonl")
    assert got.to_tmx() == cli("align", zh, en, "--format", "tmx")


def test_align_many_equals_the_command_lines_batch(aligner):
    names = [("yili/yili.zh", "yili/yili.en"), ("genesis/genesis.zh", "genesis/genesis.en")]
    with tempfile.TemporaryDirectory() as scratch:
        jobs = os.path.join(scratch, "jobs.tsv")
        outputs = [os.path.join(scratch, f"{k}.align") for k in range(len(names))]
        with open(jobs, "w", encoding="utf-8") as f:
            for (zh, en), out in zip(names, outputs):
                f.write(f"{os.path.join(EXAMPLES, zh)}\t{os.path.join(EXAMPLES, en)}\t{out}\n")
        cli("align", "--batch", jobs, "--presplit")
        expected = [open(out, encoding="utf-8").read() for out in outputs]
    pairs = [(example(zh), example(en)) for zh, en in names]
    got = aligner.align_many(pairs, presplit=True)
    assert [alignment.to_align() for alignment in got] == expected
    assert all(covers_every_sentence(alignment) for alignment in got)


def test_bad_input_raises_typed_errors(aligner):
    en = example("yili/yili.en.txt")
    with pytest.raises(duiqi.InputError, match="empty"):
        aligner.align("", en)
    with pytest.raises(duiqi.InputError, match="binary"):
        aligner.align(b"\x7fELF\x02\x01\x00\x00\x00", en)
    with pytest.raises(duiqi.EncodingError, match="byte 15 is not valid UTF-8"):
        aligner.align(example("yili/yili.zh.txt"), b"We met in a caf\xe9 near the station. Then we left.")
    with pytest.raises(duiqi.LanguageError, match="both in 'en'"):
        aligner.align(en, en)
    with pytest.raises(duiqi.OptionError, match="unsupported language"):
        aligner.align(example("yili/yili.zh.txt"), en, src_lang="tlh")
    with pytest.raises(duiqi.OptionError, match="max_bead must be between 2 and 8"):
        duiqi.Aligner(max_bead=9)
    with pytest.raises(duiqi.OptionError, match="passes must be at least 1"):
        duiqi.Aligner(passes=0)
    with pytest.raises(duiqi.ModelError, match="cannot read"):
        duiqi.Aligner(model="/no/such/model.bin")
    with pytest.raises(TypeError):
        aligner.align(42, en)
    with pytest.raises(duiqi.InputError, match="pair 1: .*empty"):
        aligner.align_many([(example("yili/yili.zh.txt"), en), ("   ", en)])
    assert issubclass(duiqi.EncodingError, duiqi.DuiqiError) and issubclass(duiqi.DuiqiError, ValueError)


def test_the_gil_is_released_while_aligning(aligner):
    zh, en = example("genesis/genesis.zh"), example("genesis/genesis.en")
    pairs = [(zh, en)] * 24
    done = threading.Event()
    result = {}

    def work():
        result["alignments"] = aligner.align_many(pairs, presplit=True)
        done.set()

    worker = threading.Thread(target=work)
    started = time.perf_counter()
    worker.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.perf_counter() - started
    assert len(result["alignments"]) == 24
    # With the GIL held this thread could not run while the aligner works.
    assert elapsed > 0.2, f"too quick to tell ({elapsed:.2f} s)"
    assert ticks >= elapsed * 100, f"{ticks} ticks in {elapsed:.2f} s"


def test_progress_reports_every_pair():
    reports = []
    aligner = duiqi.Aligner(progress=lambda done, pairs, encoded, to_encode: reports.append((done, pairs)))
    pair = (example("yili/yili.zh"), example("yili/yili.en"))
    aligner.align_many([pair, pair, pair], presplit=True)
    assert (3, 3) in reports and all(pairs == 3 for _, pairs in reports)


def test_formats_and_split(aligner):
    alignment = aligner.align(example("yili/yili.zh.txt"), example("yili/yili.en.txt"))
    units = ET.fromstring(alignment.to_tmx()).findall("./body/tu")
    assert len(units) == len(alignment) and all(len(u.findall("tuv")) == 2 for u in units)
    assert len(alignment.to_tsv().splitlines()) == len(alignment)
    assert alignment.to_align().splitlines()[0] == "[0,1]:[0]"
    assert duiqi.split("He said “Stop. Then he left.") == ["He said “Stop.", "Then he left."]
    assert duiqi.split("他說「停。然後他走了。", lang="zh") == ["他說「停。", "然後他走了。"]


def test_glossary(aligner):
    alignment = aligner.align(example("yili/yili.zh.txt"), example("yili/yili.en.txt"))
    terms = {(t["chinese"], t["english"]) for t in aligner.glossary(alignment)}
    assert ("盛世才", "Sheng Shicai") in terms and ("新疆", "Xinjiang") in terms


def test_documents_by_path_and_more_formats(aligner):
    import pathlib
    documents = pathlib.Path(ROOT, "crates", "duiqi", "tests", "data", "documents")
    from_docx = aligner.align(documents / "yili.zh.docx", documents / "yili.en.docx")
    from_text = aligner.align(example("yili/yili.zh.txt"), example("yili/yili.en.txt"))
    assert [(b.src, b.tgt) for b in from_docx] == [(b.src, b.tgt) for b in from_text]
    subtitles = aligner.align(documents / "film.zh.srt", documents / "film.en.srt")
    assert len(subtitles) >= 7
    assert from_text.to_xliff().count("<unit ") == len(from_text)
    assert from_text.to_html().count('class="row') == len(from_text)
    assert from_text.to_xlsx().startswith(b"PK\x03\x04")
    with pytest.raises(duiqi.InputError, match="password-protected"):
        aligner.align(documents / "locked.docx", documents / "yili.en.docx")


def test_muse_when_installed_and_a_clear_error_when_not(monkeypatch):
    if os.environ.get("DUIQI_MODEL") and os.path.exists(os.path.join(os.path.dirname(os.environ["DUIQI_MODEL"]), "muse-weights.npz")):
        with_muse = duiqi.Aligner(muse="auto")
        assert with_muse.has_model
        alignment = with_muse.align(example("yili/yili.zh.txt"), example("yili/yili.en.txt"))
        assert covers_every_sentence(alignment)
    monkeypatch.setenv("DUIQI_MODEL", "/no/such/dir/e5.bin")
    monkeypatch.setenv("XDG_CACHE_HOME", "/no/such/dir")
    with pytest.raises(duiqi.ModelError, match="mUSE"):
        duiqi.Aligner(muse="auto")


def test_records_aligned_with_merged_counts_equal_align_many(aligner):
    en = example("genesis/genesis.en").decode().splitlines()
    zh = example("genesis/genesis.zh").decode().splitlines()
    pairs = [("\n".join(en[k * 20:(k + 1) * 20]), "\n".join(zh[k * 29:(k + 1) * 29])) for k in range(6)]
    ids, srcs, tgts = [f"p{k}" for k in range(6)], [p[0] for p in pairs], [p[1] for p in pairs]
    counts = duiqi.CorpusCounts()
    for part in (slice(0, 2), slice(2, 6)):
        piece = aligner.count_records(duiqi.Records(ids[part], srcs[part], tgts[part], presplit=True))
        counts.merge(duiqi.CorpusCounts.from_bytes(piece.to_bytes()))
    lexicon = duiqi.CorpusLexicon.from_bytes(counts.lexicon().to_bytes())
    assert len(lexicon) > 0 and "神" in lexicon.partners("god")
    records = duiqi.Records(ids + ["bad"], srcs + [""], tgts + ["起初。"], presplit=True)
    assert len(records) == 7
    rows, terms = aligner.align_records(records, [lexicon])
    assert terms == {"id": [], "chinese": [], "english": [], "count": []}, "no glossary asked for"
    many = aligner.align_many(pairs, presplit=True)
    for k, alignment in enumerate(many):
        beads = [(s, t) for i, s, t in zip(rows["id"], rows["src"], rows["tgt"]) if i == f"p{k}"]
        assert beads == [(b.src, b.tgt) for b in alignment]
    assert rows["id"][-1] == "bad" and "empty" in rows["error"][-1] and rows["bead"][-1] is None
    with pytest.raises(duiqi.InputError):
        duiqi.CorpusCounts.from_bytes(b"not counts")
    with pytest.raises(ValueError, match="same length"):
        duiqi.Records(["a"], [], [])
