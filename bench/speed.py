#!/usr/bin/env python3
"""Speed and memory of the lexical default (issue 26's table): wall, CPU (user + sys) and
peak memory of `duiqi align --no-model` on Bible 006 and 001 (en→zh, presplit), a tiny
pair (start-up), and with --big the Bible repeated to 1,000,000 × 1,421,727 lines; medians
of --runs. --save DIR keeps each output; --against DIR checks they are byte-identical to an
earlier --save. --hunalign BINARY runs hunalign beside it as its fair use for Chinese
(`hunalign -onebyteencoding null.dic EN ZH` with the Chinese characters space-separated).

usage: bench/speed.py [--runs 5] [--big] [--save DIR] [--against DIR] [--hunalign BINARY]
Needs the measuring data in ../shared; builds the release binary first.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "duiqi")
TARGETS = {"bible006": "≤ 1.0 s, CPU ≤ 1.6 s, ≤ 120 MB", "bible001": "≤ 0.25 s", "startup": "≤ 0.05 s",
           "bible×33": "≤ 35 s, ≤ 2 GB"}


def timed(cmd, out_path):
    """(wall s, CPU s, peak MB) of one run, by GNU time."""
    with open(out_path, "wb") as out:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + cmd, stdout=out, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")
    wall, user, system, rss = proc.stderr.decode().strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def median_of(runs, cmd, out_path):
    figures = [timed(cmd, out_path) for _ in range(runs)]
    return tuple(statistics.median(f[k] for f in figures) for k in range(3))


def lines(path):
    return open(path, encoding="utf-8").read().splitlines()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big", action="store_true", help="also the Bible repeated to a million lines")
    ap.add_argument("--save")
    ap.add_argument("--against")
    ap.add_argument("--hunalign")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    bible = os.path.join(args.shared, "data", "bible")
    en, zh = lines(os.path.join(bible, "en.txt")), lines(os.path.join(bible, "zh.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        pairs = {}
        for name, n_en in [("bible006", 30000), ("bible001", 5000)]:
            n_zh = {"30000": 42687, "5000": 6301}[str(n_en)]
            pairs[name] = (os.path.join(tmp, name + ".en"), os.path.join(tmp, name + ".zh"))
            open(pairs[name][0], "w", encoding="utf-8").write("\n".join(en[:n_en]) + "\n")
            open(pairs[name][1], "w", encoding="utf-8").write("\n".join(zh[:n_zh]) + "\n")
        pairs["startup"] = (os.path.join(tmp, "s.en"), os.path.join(tmp, "s.zh"))
        open(pairs["startup"][0], "w").write("In the beginning God created the heaven and the earth.\n")
        open(pairs["startup"][1], "w", encoding="utf-8").write("起初神创造天地。\n")
        if args.big:
            big_en = (en * 34)[:1_000_000]
            big_zh = (zh * 34)[:1_421_727]
            pairs["bible×33"] = (os.path.join(tmp, "big.en"), os.path.join(tmp, "big.zh"))
            open(pairs["bible×33"][0], "w", encoding="utf-8").write("\n".join(big_en) + "\n")
            open(pairs["bible×33"][1], "w", encoding="utf-8").write("\n".join(big_zh) + "\n")
        print(f"duiqi align --no-model --presplit, median of {args.runs} runs\n")
        print("| pair | wall s | CPU s | peak MB | target | hunalign wall s, peak MB |\n|---|---|---|---|---|---|")
        for name, (src, tgt) in pairs.items():
            out = os.path.join(tmp, name + ".align")
            runs = 1 if name == "bible×33" else args.runs
            wall, cpu, rss = median_of(runs, [BINARY, "align", "--no-model", "--presplit", src, tgt], out)
            hun = ""
            if args.hunalign and name in ("bible006", "bible001"):
                spaced = src[:-3] + ".zh.spaced"
                open(spaced, "w", encoding="utf-8").write(
                    "\n".join(" ".join(line.replace(" ", "")) for line in lines(tgt)) + "\n")
                null = os.path.join(tmp, "null.dic")
                open(null, "w").close()
                h_wall, _, h_rss = median_of(runs, [args.hunalign, "-onebyteencoding", null, src, spaced], out + ".hun")
                hun = f"{h_wall:.2f}, {h_rss:.0f}"
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {TARGETS.get(name, '')} | {hun} |")
            if args.save:
                os.makedirs(args.save, exist_ok=True)
                shutil.copy(out, os.path.join(args.save, name + ".align"))
            if args.against and os.path.exists(os.path.join(args.against, name + ".align")):
                same = open(out, "rb").read() == open(os.path.join(args.against, name + ".align"), "rb").read()
                print(f"|   {name} output | {'identical' if same else 'DIFFERS'} to {args.against} | | | | |")


if __name__ == "__main__":
    main()
