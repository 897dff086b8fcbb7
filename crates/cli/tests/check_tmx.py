#!/usr/bin/env python3
"""TMX as translation tools read it: every TMX duiqi writes for the bundled examples and the
real-text passages is valid against the TMX 1.4b DTD (xmllint), and translate-toolkit's
normal API (unit.source / unit.target) reaches every sentence of both texts, in order.

Usage: python3 crates/cli/tests/check_tmx.py [path/to/duiqi]   (run by .ci/run after cargo test)
"""
import json
import os
import subprocess
import sys
import tempfile

from translate.storage.tmx import tmxfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DUIQI = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/duiqi")
DTD = os.path.join(HERE, "data/tmx14.dtd")
REAL = os.path.join(ROOT, "crates/duiqi/tests/data/realtext")
EXAMPLES = os.path.join(ROOT, "data/examples")
PAIRS = [
    (os.path.join(EXAMPLES, "yili/yili.zh.txt"), os.path.join(EXAMPLES, "yili/yili.en.txt"), []),
    (os.path.join(EXAMPLES, "yili/yili.en.txt"), os.path.join(EXAMPLES, "yili/yili.zh.txt"), []),
    (os.path.join(EXAMPLES, "genesis/genesis.en"), os.path.join(EXAMPLES, "genesis/genesis.zh"), ["--presplit"]),
] + [
    (os.path.join(REAL, f"{name}.zh.txt"), os.path.join(REAL, f"{name}.en.txt"), [])
    for name in ("analects", "pride", "kuangren")
]


def duiqi(src, tgt, options, fmt):
    command = [DUIQI, "align", src, tgt, "--format", fmt, "--no-model", *options]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def squeeze(text):
    return "".join(text.split())


def main():
    checked = failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for src, tgt, options in PAIRS:
            name = f"{os.path.basename(src)} + {os.path.basename(tgt)}"
            beads = [json.loads(line) for line in duiqi(src, tgt, options, "jsonl").splitlines()]
            path = os.path.join(scratch, "out.tmx")
            with open(path, "w", encoding="utf-8") as out:
                out.write(duiqi(src, tgt, options, "tmx"))
            problems = []
            valid = subprocess.run(["xmllint", "--noout", "--dtdvalid", DTD, path], capture_output=True, text=True)
            if valid.returncode != 0:
                problems.append("not valid TMX 1.4b: " + valid.stderr.strip()[:300])
            with open(path, "rb") as tmx:
                units = tmxfile.parsefile(tmx).units
            if len(units) != len(beads):
                problems.append(f"{len(units)} units for {len(beads)} beads")
            sources = squeeze("".join(u.source or "" for u in units))
            targets = squeeze("".join(u.target or "" for u in units))
            if sources != squeeze("".join(b["src_text"] for b in beads)):
                problems.append("unit.source does not give every source sentence in order")
            if targets != squeeze("".join(b["tgt_text"] for b in beads)):
                problems.append("unit.target does not give every target sentence in order")
            one_sided = sum(1 for b in beads if not b["src"] or not b["tgt"])
            status = "FAILED " + "; ".join(problems) if problems else "ok"
            print(f"test tmx {name}: {len(units)} units ({one_sided} one-sided) ... {status}")
            checked += 1
            failed += bool(problems)
    print(f"{checked - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
