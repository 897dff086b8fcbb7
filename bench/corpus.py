#!/usr/bin/env python3
"""Corpus scale: pairs per second of (a) `duiqi align --batch RECORDS.jsonl`, (b) duiqi.spark
on local[2], (c) a shell loop calling `duiqi align` once per pair (timed on a sample and
extrapolated), and strict F1 with the corpus-wide lexicon against pair by pair.

The corpus is made afresh from the Bible (../shared/data/bible, KJV × CUV, its verse-level
gold for set 006): a record is a passage of 3–15 consecutive gold beads (start and length
drawn at random, so passages overlap), one sentence a line (--presplit); one record in ten
gets a sentence from elsewhere added on one side, one in twenty loses a Chinese sentence.
Gold beads are the verse beads, shifted to the record's lines; as the Bible scoring does,
consecutive output beads inside one gold bead are merged before scoring.

usage: bench/corpus.py [--pairs 100000] [--loop 300] [--no-spark] [--shared ../shared]
Needs the release binary (built first) and, for (b), the Python package with pyspark.
"""
import argparse, ast, json, os, random, re, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "duiqi")


def make_corpus(shared, pairs, folder, seed=1):
    """Writes records.jsonl; returns {id: gold beads (src lines, tgt lines)}."""
    bible = os.path.join(shared, "data", "bible")
    en = open(os.path.join(bible, "en.txt"), encoding="utf-8").read().splitlines()
    zh = open(os.path.join(bible, "zh.txt"), encoding="utf-8").read().splitlines()
    gold = [[ast.literal_eval(p) for p in line.strip().split(":")] for line in open(os.path.join(bible, "gold", "006.align"))]
    gold = [g for g in gold if g[0] and g[1]]
    rng = random.Random(seed)
    golds = {}
    with open(os.path.join(folder, "records.jsonl"), "w", encoding="utf-8") as out:
        for k in range(pairs):
            length = rng.randint(3, 15)
            start = rng.randrange(len(gold) - length)
            beads = [([en[i] for i in s], [zh[i] for i in t]) for s, t in gold[start:start + length]]
            if rng.random() < 0.05:  # a Chinese sentence dropped
                b = rng.randrange(length)
                if len(beads[b][1]) > 1:
                    beads[b][1].pop(rng.randrange(len(beads[b][1])))
            if rng.random() < 0.1:  # a sentence from elsewhere added on one side
                at = rng.randrange(length + 1)
                if rng.random() < 0.5:
                    beads.insert(at, ([en[rng.randrange(len(en))]], []))
                else:
                    beads.insert(at, ([], [zh[rng.randrange(len(zh))]]))
            src, tgt, record_gold = [], [], []
            for s, t in beads:
                record_gold.append((list(range(len(src), len(src) + len(s))), list(range(len(tgt), len(tgt) + len(t)))))
                src += s
                tgt += t
            golds[f"r{k}"] = record_gold
            out.write(json.dumps({"id": f"r{k}", "src": "\n".join(src), "tgt": "\n".join(tgt)}, ensure_ascii=False) + "\n")
    return golds


def strict(golds, tests):
    """Strict P/R/F1 over records, output beads merged within one gold bead."""
    matched = n_test = n_gold = 0
    for rid, gold in golds.items():
        test = tests.get(rid)
        if test is None:
            continue
        src_of = {i: k for k, (s, _) in enumerate(gold) for i in s}
        tgt_of = {i: k for k, (_, t) in enumerate(gold) for i in t}
        merged = []
        for s, t in test:
            owners = {src_of[i] for i in s} | {tgt_of[i] for i in t}
            if merged and len(owners) == 1 and merged[-1][2] == owners:
                merged[-1][0].extend(s)
                merged[-1][1].extend(t)
            else:
                merged.append((list(s), list(t), owners))
        gold_set = {(tuple(s), tuple(t)) for s, t in gold}
        matched += sum((tuple(s), tuple(t)) in gold_set for s, t, _ in merged)
        n_test += len(merged)
        n_gold += len(gold)
    p, r = matched / max(n_test, 1), matched / max(n_gold, 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def read_rows(path):
    """{id: [(src, tgt)]} of a JSONL bead file (or Spark's JSON output folder)."""
    files = [path] if os.path.isfile(path) else [os.path.join(path, f) for f in os.listdir(path) if f.endswith(".json")]
    rows = {}
    for name in files:
        for line in open(name, encoding="utf-8"):
            row = json.loads(line)
            if row.get("error") is None:
                rows.setdefault(row["id"], []).append((row["bead"], row["src"], row["tgt"]))
    return {rid: [(s, t) for _, s, t in sorted(beads)] for rid, beads in rows.items()}


class PeakMemory(threading.Thread):
    """Polls /proc for the peak RSS (MB) of this process's descendants matching a pattern."""

    def __init__(self, pattern):
        super().__init__(daemon=True)
        self.pattern, self.peak, self.stop = re.compile(pattern), {}, threading.Event()

    def run(self):
        while not self.stop.wait(0.3):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
                    rss = int(open(f"/proc/{pid}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
                except OSError:
                    continue
                match = self.pattern.search(cmd)
                if match:
                    self.peak[pid] = max(self.peak.get(pid, (0, ""))[0], rss), match.group(0)


def run_batch(folder):
    out = os.path.join(folder, "batch.jsonl")
    cmd = ["/usr/bin/time", "-f", "%e %M", BINARY, "align", "--no-model", "--presplit", "--batch",
           os.path.join(folder, "records.jsonl"), "-o", out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, out


def run_spark(folder):
    from pyspark.sql import SparkSession
    from duiqi import spark as dq

    session = (SparkSession.builder.master("local[2]").appName("duiqi-bench")
               .config("spark.ui.enabled", "false").config("spark.driver.memory", "2g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    memory = PeakMemory(r"pyspark\.daemon|pyspark/daemon|org\.apache\.spark\.deploy\.SparkSubmit|java .*pyspark")
    memory.start()
    out = os.path.join(folder, "spark")
    started = time.time()
    df = session.read.schema("id string, src string, tgt string").json(os.path.join(folder, "records.jsonl"))
    dq.align(df, presplit=True).write.mode("overwrite").json(out)
    wall = time.time() - started
    memory.stop.set()
    session.stop()
    by_kind = {}
    for rss, kind in memory.peak.values():
        kind = "JVM" if "java" in kind or "SparkSubmit" in kind else "Python worker"
        by_kind[kind] = max(by_kind.get(kind, 0), rss)
    return wall, by_kind, out


def run_loop(folder, n):
    """A shell loop over the first n records; returns (seconds per pair, {id: beads})."""
    pairs = os.path.join(folder, "loop")
    os.makedirs(pairs, exist_ok=True)
    ids = []
    with open(os.path.join(folder, "records.jsonl"), encoding="utf-8") as records:
        for line, _ in zip(records, range(n)):
            r = json.loads(line)
            open(os.path.join(pairs, r["id"] + ".en"), "w", encoding="utf-8").write(r["src"] + "\n")
            open(os.path.join(pairs, r["id"] + ".zh"), "w", encoding="utf-8").write(r["tgt"] + "\n")
            ids.append(r["id"])
    script = "".join(f'"{BINARY}" align --no-model --presplit {i}.en {i}.zh > {i}.align\n' for i in ids)
    started = time.time()
    subprocess.run(["bash", "-c", script], cwd=pairs, check=True)
    per_pair = (time.time() - started) / len(ids)
    tests = {}
    for i in ids:
        beads = [[ast.literal_eval(p) for p in l.strip().split(":")] for l in open(os.path.join(pairs, i + ".align"))]
        tests[i] = beads
    return per_pair, tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--loop", type=int, default=300, help="records timed in the shell loop")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as folder:
        golds = make_corpus(args.shared, args.pairs, folder)
        size = os.path.getsize(os.path.join(folder, "records.jsonl")) / 2**20
        print(f"Corpus: {args.pairs:,} pairs, {size:.0f} MB of JSONL\n")
        batch_wall, batch_rss, batch_out = run_batch(folder)
        corpus_tests = read_rows(batch_out)
        rows = [("(a) duiqi align --batch, JSONL", batch_wall, f"{batch_rss:.0f} MB")]
        if not args.no_spark:
            spark_wall, spark_rss, spark_out = run_spark(folder)
            same = read_rows(spark_out) == corpus_tests
            memory = ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(spark_rss.items()))
            rows.append((f"(b) duiqi.spark, local[2] ({'same beads' if same else 'BEADS DIFFER'})", spark_wall, memory))
        per_pair, loop_tests = run_loop(folder, args.loop)
        rows.append((f"(c) shell loop, one duiqi a pair ({args.loop} timed)", per_pair * args.pairs, "—"))
        print("| run | wall s | pairs/s | peak memory |\n|---|---|---|---|")
        for name, wall, memory in rows:
            print(f"| {name} | {wall:.1f} | {args.pairs / wall:,.0f} | {memory} |")
        if not args.no_spark:
            print(f"\nSpark overhead over (a): {100 * (spark_wall / batch_wall - 1):+.0f} % (target <= 30 %)")
        print(f"(a) against (c): {per_pair * args.pairs / batch_wall:.0f}x faster (target >= 20x)\n")
        sample = {i: golds[i] for i in loop_tests}
        print("| alignment (the loop's records) | strict P | strict R | strict F1 |\n|---|---|---|---|")
        for name, tests in [("pair by pair", loop_tests), ("corpus-wide lexicon", corpus_tests)]:
            p, r, f = strict(sample, tests)
            print(f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** |")
        p, r, f = strict(golds, corpus_tests)
        print(f"| corpus-wide lexicon, all {args.pairs:,} records | {p:.3f} | {r:.3f} | **{f:.3f}** |")


if __name__ == "__main__":
    main()
