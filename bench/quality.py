#!/usr/bin/env python3
"""Quality table: strict/lax P/R/F1 of `duiqi align` on the seed (raw and presplit),
MAC-Dev (six chapters, zh→en) and the Bible sets (en→zh, verse-merged), beside the
published anchors. Also prints wall time and peak memory per set (median of --runs).

The set `mac-additions` is MAC-Dev with untranslated additions: about one gold bead in 30
is preceded by a run of 1–3 sentences taken from far away in the same chapter, on one
side, which the gold leaves unpaired (a comparable text, like the seed, but 1,400 beads
long). It is made afresh in a temporary directory on each run (MAC-Dev is copyrighted).

usage: bench/quality.py [--sets startup,seed,mac,mac-batch,mac-additions,bible001,bible006,glossary] [--runs 3] [--weights SPEC]
                        [--shared ../shared] [--check] [--neural MODEL_FILE [--neural-share F]]
Without --neural every run gets --no-model (the bundled, lexical default); with it, --model.
Needs the measuring data in ../shared (see its README); builds the release binary first.
--check also runs shared/tools/score_align.py and fails if it disagrees with `duiqi eval`."""
import argparse, os, re, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANCHORS = {
    "seed-presplit": "—", "seed-raw": "—",
    "mac-batch": "Vecalign 0.863, Bertalign 0.911",
    "mac-additions": "— (MAC-Dev with added unpaired sentences; see --help)",
    "mac": "Gale-Church 0.485, Hunalign 0.610, Bleualign 0.641, Vecalign 0.863, Bertalign 0.911",
    "bible001": "Gale-Church 0.821, Hunalign 0.895, Bleualign 0.788, Vecalign 0.978, Bertalign 0.979",
    "bible006": "Gale-Church 0.567, Hunalign 0.818, Vecalign 0.957, Bertalign 0.974",
}
TIME_ANCHORS = {"bible001": "Hunalign 0.8 s", "bible003": "Hunalign 11.8 s", "bible006": "Hunalign 33.4 s, 1.8 GB"}


def run_timed(cmd, stdout_path):
    """Runs cmd, returns (wall seconds, peak RSS MB) via GNU time or /proc."""
    with open(stdout_path, "w") as out:
        timed = ["/usr/bin/time", "-f", "%e %M"] + cmd if os.path.exists("/usr/bin/time") else cmd
        proc = subprocess.run(timed, stdout=out, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    m = re.match(r"^([\d.]+) (\d+)$", last)
    return (float(m.group(1)), int(m.group(2)) / 1024) if m else (float("nan"), float("nan"))


def make_additions(mac, out, rate=0.03, seed=1):
    """Writes MAC-Dev with added unpaired sentences to out/{zh,en,gold} (see the module doc)."""
    import ast, random
    rng = random.Random(seed)
    for d in ("zh", "en", "gold"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    for name in sorted(f for f in os.listdir(os.path.join(mac, "gold")) if f.endswith(".align")):
        i = name[:-6]
        text = {side: open(os.path.join(mac, side, i), encoding="utf-8").read().splitlines() for side in ("zh", "en")}
        new = {"zh": [], "en": []}
        gold = []
        for k, line in enumerate(open(os.path.join(mac, "gold", name))):
            if not line.strip():
                continue
            src, tgt = (list(ast.literal_eval(part)) for part in line.strip().split(":"))
            if k > 0 and rng.random() < rate:
                side = rng.choice(["en", "zh"])
                here = (tgt or [0])[0] if side == "en" else (src or [0])[0]
                for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                    far = rng.choice([j for j in range(len(text[side])) if abs(j - here) > 40])
                    gold.append(([], [len(new["en"])]) if side == "en" else ([len(new["zh"])], []))
                    new[side].append(text[side][far])
            gold.append((list(range(len(new["zh"]), len(new["zh"]) + len(src))),
                         list(range(len(new["en"]), len(new["en"]) + len(tgt)))))
            new["zh"].extend(text["zh"][x] for x in src)
            new["en"].extend(text["en"][x] for x in tgt)
        for side in ("zh", "en"):
            open(os.path.join(out, side, i), "w", encoding="utf-8").write("\n".join(new[side]) + "\n")
        with open(os.path.join(out, "gold", name), "w") as f:
            f.writelines(f"{s}:{t}\n".replace(" ", "") for s, t in gold)


def unpaired(gold_dir, test_dir):
    """(gold one-sided beads, one-sided beads written, of which correct)."""
    def read(path):
        return {line.strip().replace(" ", "") for line in open(path) if line.strip().startswith("[]") or line.strip().endswith(":[]")}
    counts = [0, 0, 0]
    for name in os.listdir(gold_dir):
        gold, test = read(os.path.join(gold_dir, name)), read(os.path.join(test_dir, name))
        counts = [counts[0] + len(gold), counts[1] + len(test), counts[2] + len(gold & test)]
    return counts


def scores(binary, gold, test, extra=()):
    out = subprocess.run([binary, "eval", gold, test, *extra], capture_output=True, text=True, check=True).stdout
    return dict(kv.split("=") for kv in out.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="startup,seed,mac,mac-batch,mac-additions,bible001,bible006,glossary")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--weights", default=None)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--neural", metavar="MODEL_FILE", help="align with this model (scripts/fetch-model.sh)")
    ap.add_argument("--neural-share", type=float, help="with --neural: share of each text to encode (default: duiqi's)")
    ap.add_argument("--encoder", choices=["e5", "muse", "both"], help="with --neural: which encoders (default: duiqi's)")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "duiqi")
    data = os.path.join(args.shared, "data")
    extra = ["--weights", args.weights] if args.weights else []
    extra += ["--model", args.neural] if args.neural else ["--no-model"]
    if args.neural and args.neural_share is not None:
        extra += ["--neural-share", str(args.neural_share)]
    if args.neural and args.encoder:
        extra += ["--encoder", args.encoder]
    tmp = tempfile.mkdtemp(prefix="duiqi-bench-")
    rows = []

    def measure(name, jobs, gold_dir, ids=None, verses=None):
        """jobs: list of (src, tgt, out_name, presplit)."""
        test_dir = os.path.join(tmp, name)
        os.makedirs(test_dir, exist_ok=True)
        walls, mems = [], []
        for _ in range(args.runs):
            total_wall, peak = 0.0, 0.0
            for src, tgt, out_name, presplit in jobs:
                cmd = [binary, "align", src, tgt] + (["--presplit"] if presplit else []) + extra
                wall, mem = run_timed(cmd, os.path.join(test_dir, out_name))
                total_wall += wall
                peak = max(peak, mem)
            walls.append(total_wall)
            mems.append(peak)
        eval_extra = (["--ids", ",".join(ids)] if ids else []) + (["--verses", *verses] if verses else [])
        s = scores(binary, gold_dir, test_dir, eval_extra)
        if args.check:
            ref_cmd = ["python3", os.path.join(args.shared, "tools", "score_align.py"), gold_dir, test_dir]
            ref_cmd += (["--ids", ",".join(ids)] if ids else []) + (["--verses", *verses] if verses else [])
            ref = dict(kv.split("=") for kv in subprocess.run(ref_cmd, capture_output=True, text=True, check=True).stdout.split())
            if ref != s:
                sys.exit(f"{name}: duiqi eval {s} != score_align.py {ref}")
        rows.append((name, s, statistics.median(walls), statistics.median(mems)))

    sets = args.sets.split(",")
    startup = []
    if "startup" in sets:
        tiny_zh, tiny_en = os.path.join(tmp, "tiny.zh"), os.path.join(tmp, "tiny.en")
        open(tiny_zh, "w", encoding="utf-8").write("你好。\n")
        open(tiny_en, "w", encoding="utf-8").write("Hello.\n")
        for _ in range(max(args.runs, 5)):
            startup.append(run_timed([binary, "align", tiny_zh, tiny_en] + extra, os.path.join(tmp, "tiny.align")))
    if "seed" in sets:
        seed = os.path.join(data, "seed")
        measure("seed-presplit", [(f"{seed}/yili.zh", f"{seed}/yili.en", "yili.align", True)], seed)
        raw = open(os.path.join(seed, "yili-abstract.txt"), encoding="utf-8").read().splitlines()
        zh_raw, en_raw = os.path.join(tmp, "yili.zh.txt"), os.path.join(tmp, "yili.en.txt")
        open(zh_raw, "w", encoding="utf-8").write(raw[0] + "\n")
        open(en_raw, "w", encoding="utf-8").write(raw[1] + "\n")
        measure("seed-raw", [(zh_raw, en_raw, "yili.align", False)], seed)
    if "mac-batch" in sets:
        mac = os.path.join(data, "mac-dev")
        ids = sorted(f[:-6] for f in os.listdir(os.path.join(mac, "gold")) if f.endswith(".align"))
        test_dir = os.path.join(tmp, "mac-batch")
        os.makedirs(test_dir, exist_ok=True)
        jobs = os.path.join(tmp, "mac.jobs")
        with open(jobs, "w") as f:
            for i in ids:
                f.write(f"{mac}/zh/{i}\t{mac}/en/{i}\t{test_dir}/{i}.align\n")
        walls, mems = [], []
        for _ in range(args.runs):
            wall, mem = run_timed([binary, "align", "--batch", jobs, "--presplit"] + extra, os.path.join(tmp, "batch.log"))
            walls.append(wall)
            mems.append(mem)
        rows.append(("mac-batch", scores(binary, os.path.join(mac, "gold"), test_dir), statistics.median(walls),
                     statistics.median(mems)))
    if "mac" in sets:
        mac = os.path.join(data, "mac-dev")
        ids = sorted(f[:-6] for f in os.listdir(os.path.join(mac, "gold")) if f.endswith(".align"))
        measure("mac", [(f"{mac}/zh/{i}", f"{mac}/en/{i}", f"{i}.align", True) for i in ids], os.path.join(mac, "gold"))
    additions_line = None
    if "mac-additions" in sets:
        added = os.path.join(tmp, "mac-additions-data")
        make_additions(os.path.join(data, "mac-dev"), added)
        ids = sorted(f[:-6] for f in os.listdir(os.path.join(added, "gold")))
        measure("mac-additions", [(f"{added}/zh/{i}", f"{added}/en/{i}", f"{i}.align", True) for i in ids],
                os.path.join(added, "gold"))
        gold, written, correct = unpaired(os.path.join(added, "gold"), os.path.join(tmp, "mac-additions"))
        additions_line = (f"MAC-Dev with additions: {correct} of its {gold} unpaired sentences found; "
                          f"{written - correct} of the {written} written unpaired are wrong")
    bible = os.path.join(data, "bible")
    sizes = {}
    if os.path.exists(os.path.join(bible, "sets.tsv")):
        for line in open(os.path.join(bible, "sets.tsv")).read().splitlines()[1:]:
            set_id, en_lines, zh_lines = line.split("\t")
            sizes[set_id] = (int(en_lines), int(zh_lines))
    for name in sets:
        if not name.startswith("bible"):
            continue
        set_id = name[len("bible"):]
        en_lines, zh_lines = sizes[set_id]
        en, zh = os.path.join(tmp, f"en.{set_id}"), os.path.join(tmp, f"zh.{set_id}")
        with open(os.path.join(bible, "en.txt"), encoding="utf-8") as f:
            open(en, "w", encoding="utf-8").writelines(line for _, line in zip(range(en_lines), f))
        with open(os.path.join(bible, "zh.txt"), encoding="utf-8") as f:
            open(zh, "w", encoding="utf-8").writelines(line for _, line in zip(range(zh_lines), f))
        measure(name, [(en, zh, f"{set_id}.align", True)], os.path.join(bible, "gold"), ids=[set_id],
                verses=[os.path.join(bible, "en.verse"), os.path.join(bible, "zh.verse")])

    if "glossary" in sets:
        seed = os.path.join(data, "seed")
        raw = open(os.path.join(seed, "yili-abstract.txt"), encoding="utf-8").read().splitlines()
        zh_raw, en_raw = os.path.join(tmp, "g.zh.txt"), os.path.join(tmp, "g.en.txt")
        open(zh_raw, "w", encoding="utf-8").write(raw[0] + "\n")
        open(en_raw, "w", encoding="utf-8").write(raw[1] + "\n")
        out = subprocess.run([binary, "glossary", zh_raw, en_raw] + extra, capture_output=True, text=True, check=True).stdout
        found = [line.split("\t")[:2] for line in out.splitlines()[1:] if line.strip()]
        gold = {}
        for line in open(os.path.join(seed, "yili.glossary.tsv"), encoding="utf-8"):
            zh, en = line.rstrip("\n").split("\t")
            gold[zh] = {v.lower() for v in en.split("|")}
        correct = [(zh, en) for zh, en in found if en.lower() in gold.get(zh, set())]
        covered = {zh for zh, _ in correct}
        glossary_line = (f"Seed glossary: {len(covered)} of {len(gold)} gold pairs found (target >= 16); "
                         f"{len(correct)} of {len(found)} output lines correct = "
                         f"{(len(correct) / len(found) if found else 0):.0%} (target >= 80%)")
    else:
        glossary_line = None
    print(f"Signals: {'bundled lexical + neural model ' + args.neural if args.neural else 'bundled lexical only (no model)'}\n")
    print(f"| set | strict P | strict R | strict F1 | lax P | lax R | lax F1 | published strict F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, s, _, _ in rows:
        print(f"| {name} | {s['p_strict']} | {s['r_strict']} | **{s['f1_strict']}** | {s['p_lax']} | {s['r_lax']} | {s['f1_lax']} | {ANCHORS.get(name, '')} |")
    print()
    print(f"| set | wall s (median of {args.runs}) | peak MB | reference |")
    print("|---|---|---|---|")
    for name, _, wall, mem in rows:
        print(f"| {name} | {wall:.2f} | {mem:.0f} | {TIME_ANCHORS.get(name, '')} |")
    if startup:
        wall = statistics.median(w for w, _ in startup)
        print(f"| start-up (one-sentence pair, dictionary included) | {wall:.2f} | {max(m for _, m in startup):.0f} | target 0.30 s |")
    for line in (additions_line, glossary_line):
        if line:
            print("\n" + line)
    walls = {name: wall for name, _, wall, _ in rows}
    if "bible001" in walls and "bible006" in walls:
        print(f"\nBible 006 / Bible 001 wall time: {walls['bible006'] / walls['bible001']:.1f}x for 6x the data (target <= 8x)")


if __name__ == "__main__":
    main()
