#!/usr/bin/env python3
"""Reading speed per format: a book-length pair built from the Bible text (chapters as
sections, verses as paragraphs; pandoc makes EPUB, DOCX, ODT and HTML of it), read by
`duiqi split` (read + split), beside the alignment time of the EPUB pair.

Usage: python3 bench/reading_speed.py [--lines 9000] [--runs 3]
(needs pandoc and ../shared; LibreOffice's soffice, if there, adds the PDF of the DOCX)"""
import argparse, os, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DUIQI = os.path.join(ROOT, "target", "release", "duiqi")
BIBLE = os.path.join(ROOT, "..", "shared", "data", "bible")

ap = argparse.ArgumentParser()
ap.add_argument("--lines", type=int, default=9000, help="English lines (the Chinese: the same verses)")
ap.add_argument("--runs", type=int, default=3)
args = ap.parse_args()
tmp = tempfile.mkdtemp()

def lines(name, count=None):
    with open(os.path.join(BIBLE, name), encoding="utf-8") as f:
        return f.read().splitlines()[:count]

en, en_verse = lines("en.txt", args.lines), lines("en.verse", args.lines)
last = en_verse[-1]
zh_verse_all = lines("zh.verse")
zh_count = max(i for i, v in enumerate(zh_verse_all) if v == last) + 1
zh, zh_verse = lines("zh.txt", zh_count), zh_verse_all[:zh_count]

def markdown(text, verses, path):
    out, chapter = [], None
    for line, verse in zip(text, verses):
        this = verse.rsplit(":", 1)[0]
        if this != chapter:
            out.append(f"\n## {this}\n")
            chapter = this
        out.append(line.replace("*", "\\*") + "\n")
    open(path, "w", encoding="utf-8").write("\n".join(out))

files = {}
for lang, text, verses in (("en", en, en_verse), ("zh", zh, zh_verse)):
    md = os.path.join(tmp, f"book.{lang}.md")
    markdown(text, verses, md)
    files[(lang, "md")] = md
    for fmt in ("epub", "docx", "odt", "html"):
        out = os.path.join(tmp, f"book.{lang}.{fmt}")
        subprocess.run(["pandoc", md, "-o", out, "--metadata", "title=Bible"] + (["-s"] if fmt == "html" else []), check=True)
        files[(lang, fmt)] = out
    if subprocess.run(["which", "soffice"], capture_output=True).returncode == 0:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, files[(lang, "docx")]],
                       check=True, capture_output=True)
        files[(lang, "pdf")] = os.path.join(tmp, f"book.{lang}.pdf")

def timed(command):
    walls = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
    return statistics.median(walls)

kb = os.path.getsize(files[("en", "md")]) // 1024
print(f"{len(en)} English and {len(zh)} Chinese verses ({kb} KB of English Markdown, about {kb * 1024 // 2000} pages)\n")
print("| format | size en + zh | read + split en + zh (median s) |")
print("|---|---|---|")
for fmt in [f for f in ("md", "html", "epub", "docx", "odt", "pdf") if ("en", f) in files]:
    size = sum(os.path.getsize(files[(l, fmt)]) for l in ("en", "zh")) // 1024
    wall = sum(timed([DUIQI, "split", files[(l, fmt)]]) for l in ("en", "zh"))
    print(f"| {fmt} | {size} KB | {wall:.2f} |")
wall = timed([DUIQI, "align", files[("en", "epub")], files[("zh", "epub")], "--no-model", "-o", os.devnull])
print(f"\nAligning the EPUB pair (read included, no model): {wall:.2f} s")
