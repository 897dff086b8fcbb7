#!/usr/bin/env bash
# Makes the document fixtures of the readers' tests, in crates/duiqi/tests/data/documents/,
# with real tools: pandoc (docx, odt, epub, html), LibreOffice headless (pdf, and the
# tracked-change docx from a hand-written Flat ODT), poppler + img2pdf (the scanned pdf),
# msoffcrypto-tool (the password-protected docx) and Python (the DRM epub).
#
# Run from the repository root:   bash scripts/make-document-fixtures.sh
# It overwrites the files it makes and may be run again: a second run changes no byte.
# structure.md (its input) and README.md in that folder are written by hand.
#
# Needs (Debian 12):  apt-get install --no-install-recommends pandoc libreoffice-writer-nogui \
#                       fonts-wqy-microhei poppler-utils img2pdf unzip
#                     pip install msoffcrypto-tool        (and python3 >= 3.9)
# The committed files are what the tests use; CI does not run this.
set -euo pipefail

SEED_ZH=data/examples/yili/yili.zh.txt
SEED_EN=data/examples/yili/yili.en.txt
OUT=crates/duiqi/tests/data/documents

if [[ ! -f $SEED_ZH || ! -f $SEED_EN || ! -f $OUT/structure.md ]]; then
    echo "run from the repository root (needs $SEED_ZH, $SEED_EN, $OUT/structure.md)" >&2
    exit 1
fi
for tool in pandoc soffice pdftotext pdftoppm pdffonts img2pdf msoffcrypto-tool python3 unzip fc-list; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
# The Chinese font of the docx files, which LibreOffice embeds (subset, with a ToUnicode
# map) in the pdf files. A TrueType font: with Noto CJK (CFF) the pdf comes out twice as big.
CJK_FONT="WenQuanYi Micro Hei"
fc-list : family | grep -q "$CJK_FONT" ||
    { echo "missing font: $CJK_FONT (apt-get install fonts-wqy-microhei)" >&2; exit 1; }

# Fixed dates, so pandoc's and img2pdf's outputs are the same on every run.
export SOURCE_DATE_EPOCH=1704067200 # 2024-01-01T00:00:00Z
export TZ=UTC LC_ALL=C.UTF-8

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# A profile of LibreOffice's own, so a running LibreOffice or a user's settings don't interfere.
LO_PROFILE="file://$TMP/lo-profile"

soffice_convert() { # FORMAT INPUT OUTDIR
    soffice -env:UserInstallation="$LO_PROFILE" --headless --norestore \
        --convert-to "$1" --outdir "$3" "$2" >/dev/null 2> >(grep -v javaldx >&2 || true)
}

# No whitespace at all: the texts compared after a round trip through a PDF's line breaks.
squeeze() { tr -d ' \t\r\n\f\v'; }

# The EPUB template of this pandoc with the title page's content left out: pandoc 2.x
# always puts text/title_page.xhtml into the spine (linear="yes"); with this template
# its <body> is empty, so the title given with --metadata title=… shows up in no body.
pandoc -D epub3 | sed 's/^\$if(titlepage)\$$/$if(duiqi-never-set)$/' >"$TMP/epub3-notitle.html"
grep -q 'duiqi-never-set' "$TMP/epub3-notitle.html" ||
    { echo "pandoc's epub3 template changed: no \$if(titlepage)\$ line" >&2; exit 1; }

# pandoc's reference.docx with the East Asian font named in its styles instead of the
# theme's (which names none, so LibreOffice would take whichever CJK font it finds).
pandoc -o "$TMP/default-reference.docx" --print-default-data-file reference.docx
python3 - "$TMP/default-reference.docx" "$TMP/reference.docx" "$CJK_FONT" <<'EOF'
import re, sys, zipfile

src, dst, font = sys.argv[1:4]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "word/styles.xml":
            data, n = re.subn(rb'w:eastAsiaTheme="\w+"', b'w:eastAsia="' + font.encode() + b'"', data)
            assert n > 0, "no w:eastAsiaTheme in styles.xml"
        zout.writestr(info, data)
EOF
DOCX_OPTS=(--reference-doc="$TMP/reference.docx")

# pandoc 2.17 (epub, odt) and LibreOffice date the zip entries with the time of the run:
# set them to SOURCE_DATE_EPOCH, keeping the order and the compression of the entries
# (so an epub's mimetype stays first and stored), so that a new run changes no byte.
cat >"$TMP/fix-zip-dates.py" <<'EOF'
import os, sys, time, zipfile

date = time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))[:6]
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, data)
EOF
fix_zip_dates() { python3 "$TMP/fix-zip-dates.py" "$@"; }

# LibreOffice 7.4 writes the time of the run into a PDF's /CreationDate, and the /ID and
# /DocChecksum made with it: each replaced in place by as many bytes (the xref offsets stay
# right).
cat >"$TMP/fix-pdf-dates.py" <<'EOF'
import os, re, sys, time

stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))).encode()
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        pdf = f.read()
    pdf, dates = re.subn(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:" + stamp, pdf)
    pdf, ids = re.subn(rb"/ID \[ <[0-9A-F]{32}>\s*<[0-9A-F]{32}> \]",
                       lambda m: re.sub(rb"[0-9A-F]{32}", b"0" * 32, m.group(0)), pdf)
    # LibreOffice's own checksum of the file, made with the date: zeroed (no reader checks it).
    pdf, sums = re.subn(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + b"0" * 32, pdf)
    assert dates == 1 and ids == 1 and sums == 1, (path, dates, ids, sums)
    with open(path, "wb") as f:
        f.write(pdf)
EOF
fix_pdf_dates() { python3 "$TMP/fix-pdf-dates.py" "$@"; }

# ---------------------------------------------------------------------------------------
# a. The seed abstract pair, one paragraph per non-blank line, as docx, epub and pdf.
#    The text goes through HTML so that pandoc reads it verbatim (markdown would turn the
#    apostrophes curly and could read * _ [ as markup).
# ---------------------------------------------------------------------------------------
text_to_html() { # TEXTFILE > HTML (no <title>: pandoc would make it a Title paragraph)
    printf '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8" /></head>\n<body>\n'
    sed -e 's/\r$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$1" |
        grep -v '^$' |
        sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's|^|<p>|' -e 's|$|</p>|'
    printf '</body>\n</html>\n'
}

# pandoc 2.x also starts a chapter that has no level-1 heading with one made of the title
# (<h1 class="unnumbered">TITLE</h1>): taken out again, so that the chapter holds only the
# seed's paragraphs. (The title stays in content.opf, toc.ncx and nav.xhtml, none of them
# in the spine.)
cat >"$TMP/drop-title-heading.py" <<'EOF'
import html, sys, zipfile

path, title = sys.argv[1], sys.argv[2]
chapter = "EPUB/text/ch001.xhtml"
heading = f'<h1 class="unnumbered">{html.escape(title, quote=False)}</h1>\n'.encode()
with zipfile.ZipFile(path) as zin:
    entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
with zipfile.ZipFile(path, "w") as zout:
    for info, data in entries:
        if info.filename == chapter:
            assert data.count(heading) == 1, (path, data[:800])
            data = data.replace(heading, b"")
        zout.writestr(info, data)
EOF

make_seed() { # LANG-SUFFIX SEEDFILE LANG-TAG EPUB-TITLE
    local suffix=$1 seed=$2 lang=$3 title=$4
    local base="yili.$suffix"
    text_to_html "$seed" >"$TMP/$base.html"
    pandoc -f html -t docx "${DOCX_OPTS[@]}" -M lang="$lang" "$TMP/$base.html" -o "$OUT/$base.docx"
    pandoc -f html -t epub3 -M lang="$lang" -M title="$title" \
        -M identifier="urn:duiqi:fixture:$base" --template="$TMP/epub3-notitle.html" \
        "$TMP/$base.html" -o "$OUT/$base.epub"
    python3 "$TMP/drop-title-heading.py" "$OUT/$base.epub" "$title"
    fix_zip_dates "$OUT/$base.docx" "$OUT/$base.epub"
    soffice_convert pdf "$OUT/$base.docx" "$TMP"
    mv "$TMP/$base.pdf" "$OUT/$base.pdf"
    fix_pdf_dates "$OUT/$base.pdf"

    # Checks: the text comes back out of the docx, the epub and the pdf (there as text,
    # not as glyphs without a ToUnicode map).
    local want got
    want=$(sed -e 's/\r$//' "$seed" | squeeze)
    got=$(pandoc -f docx -t plain --wrap=none "$OUT/$base.docx" | squeeze)
    [[ $got == "$want" ]] || { echo "$base.docx: text differs from $seed" >&2; exit 1; }
    got=$(pandoc -f epub -t plain --wrap=none "$OUT/$base.epub" | squeeze)
    [[ $got == "$want" ]] || { echo "$base.epub: text differs from $seed" >&2; exit 1; }
    # -raw: the default mode drops the hyphen of "Sheng-Soviet" broken at a line's end.
    got=$(pdftotext -raw -enc UTF-8 "$OUT/$base.pdf" - | squeeze)
    [[ $got == "$want" ]] || { echo "$base.pdf: pdftotext differs from $seed" >&2; exit 1; }
}

make_seed zh "$SEED_ZH" zh-Hant "伊犁事變摘要"
make_seed en "$SEED_EN" en "The Yili Rebellion: abstract"
pdffonts "$OUT/yili.zh.pdf" | grep -q "${CJK_FONT// /}" ||
    { echo "yili.zh.pdf: $CJK_FONT not embedded" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# b. The structure fixture: structure.md (by hand) to docx, odt, epub, html and pdf.
# ---------------------------------------------------------------------------------------
MD="$OUT/structure.md"
TITLE="The Lighthouse Keeper's Year"
pandoc -f markdown-smart -t docx "${DOCX_OPTS[@]}" "$MD" -o "$OUT/structure.docx"
pandoc -f markdown-smart -t odt "$MD" -o "$OUT/structure.odt"
pandoc -f markdown-smart -t epub3 -M lang=en -M title="$TITLE" \
    -M identifier="urn:duiqi:fixture:structure" --template="$TMP/epub3-notitle.html" \
    "$MD" -o "$OUT/structure.epub"

# The HTML page gets what a web page has around its text: a <nav> menu, a <script> in the
# head and one at the end, a <style> of its own (besides pandoc's), for the reader to drop.
cat >"$TMP/in-header.html" <<'EOF'
<style>
nav.site-menu { background: #234; padding: 0.5em; }
nav.site-menu a { color: #fff; margin-right: 1em; }
</style>
<script>
  window.siteConfig = { theme: "dark", menu: "Home | Logbook | Contact" };
</script>
EOF
cat >"$TMP/before-body.html" <<'EOF'
<nav class="site-menu">
  <a href="/">Home</a>
  <a href="/logbook/">Logbook</a>
  <a href="/contact/">Contact</a>
</nav>
EOF
cat >"$TMP/after-body.html" <<'EOF'
<script>
  document.querySelectorAll("nav.site-menu a").forEach(function (a) { a.title = "Go to " + a.textContent; });
</script>
EOF
pandoc -f markdown-smart -t html5 -s -M pagetitle="$TITLE" -M lang=en \
    -H "$TMP/in-header.html" -B "$TMP/before-body.html" -A "$TMP/after-body.html" \
    "$MD" -o "$OUT/structure.html"

fix_zip_dates "$OUT/structure.docx" "$OUT/structure.odt" "$OUT/structure.epub"
soffice_convert pdf "$OUT/structure.docx" "$TMP"
mv "$TMP/structure.pdf" "$OUT/structure.pdf"
fix_pdf_dates "$OUT/structure.pdf"

# A docx with tracked changes, from a Flat ODT written by hand: one deletion (" slowly")
# and one insertion ("great "). Accepted: "The keeper climbed the stairs and lit the great
# lamp." Original (all rejected): "The keeper climbed the stairs slowly and lit the lamp."
cat >"$TMP/tracked.fodt" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
  <office:body>
    <office:text>
      <text:tracked-changes text:track-changes="true">
        <text:changed-region xml:id="ct1" text:id="ct1">
          <text:deletion>
            <office:change-info>
              <dc:creator>Fixture Editor</dc:creator>
              <dc:date>2024-01-01T10:00:00</dc:date>
            </office:change-info>
            <text:p><text:s/>slowly</text:p>
          </text:deletion>
        </text:changed-region>
        <text:changed-region xml:id="ct2" text:id="ct2">
          <text:insertion>
            <office:change-info>
              <dc:creator>Fixture Editor</dc:creator>
              <dc:date>2024-01-01T10:05:00</dc:date>
            </office:change-info>
          </text:insertion>
        </text:changed-region>
      </text:tracked-changes>
      <text:p>The keeper climbed the stairs<text:change text:change-id="ct1"/> and lit the <text:change-start text:change-id="ct2"/>great <text:change-end text:change-id="ct2"/>lamp.</text:p>
      <text:p>Nothing else changed that night.</text:p>
    </office:text>
  </office:body>
</office:document>
EOF
soffice_convert 'docx:MS Word 2007 XML' "$TMP/tracked.fodt" "$TMP"
mv "$TMP/tracked.docx" "$OUT/tracked.docx"
fix_zip_dates "$OUT/tracked.docx"
unzip -p "$OUT/tracked.docx" word/document.xml | grep -q '<w:ins ' ||
    { echo "tracked.docx: no <w:ins>" >&2; exit 1; }
unzip -p "$OUT/tracked.docx" word/document.xml | grep -q '<w:del ' ||
    { echo "tracked.docx: no <w:del>" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# c. Subtitles: 7 cues each, the same timings; cue 2 holds two sentences, the sentence of
#    cues 4 and 5 runs over both, cue 7 has two lines, cue 6 an <i> tag.
# ---------------------------------------------------------------------------------------
cat >"$OUT/film.en.srt" <<'EOF'
1
00:00:01,000 --> 00:00:03,200
Where have you been all night?

2
00:00:03,800 --> 00:00:06,000
I missed the last train. The station was empty.

3
00:00:06,500 --> 00:00:09,000
You could have called me.

4
00:00:09,400 --> 00:00:12,000
My phone died somewhere between the bridge

5
00:00:12,000 --> 00:00:14,500
and the old market on the hill.

6
00:00:15,200 --> 00:00:17,600
<i>Well</i>, you are home now.

7
00:00:18,000 --> 00:00:20,500
Sit down and eat something
while the soup is still warm.
EOF

cat >"$OUT/film.zh.srt" <<'EOF'
1
00:00:01,000 --> 00:00:03,200
你一整晚去哪儿了？

2
00:00:03,800 --> 00:00:06,000
我错过了末班车。车站里一个人也没有。

3
00:00:06,500 --> 00:00:09,000
你可以给我打个电话的。

4
00:00:09,400 --> 00:00:12,000
我的手机在桥和山上的

5
00:00:12,000 --> 00:00:14,500
老市场之间没电了。

6
00:00:15,200 --> 00:00:17,600
<i>好吧</i>，你总算到家了。

7
00:00:18,000 --> 00:00:20,500
坐下，趁汤还热
吃点东西吧。
EOF

cat >"$OUT/film.en.vtt" <<'EOF'
WEBVTT - The last train (English)

NOTE
A WebVTT copy of film.en.srt for the duiqi reader tests.
The cue text is the same; cue 1 has a setting.

1
00:00:01.000 --> 00:00:03.200 line:85%
Where have you been all night?

2
00:00:03.800 --> 00:00:06.000
I missed the last train. The station was empty.

3
00:00:06.500 --> 00:00:09.000
You could have called me.

4
00:00:09.400 --> 00:00:12.000
My phone died somewhere between the bridge

5
00:00:12.000 --> 00:00:14.500
and the old market on the hill.

6
00:00:15.200 --> 00:00:17.600
<i>Well</i>, you are home now.

7
00:00:18.000 --> 00:00:20.500
Sit down and eat something
while the soup is still warm.
EOF

# ---------------------------------------------------------------------------------------
# d. Bad documents.
# ---------------------------------------------------------------------------------------
# A docx cut off halfway (no central directory).
size=$(stat -c %s "$OUT/yili.en.docx")
head -c $((size / 2)) "$OUT/yili.en.docx" >"$OUT/corrupt.docx"

# A password-protected docx (ECMA-376 agile encryption in an OLE compound file), password
# "secret". The salt is random, so an existing locked.docx that still decrypts to
# yili.en.docx is kept as it is.
if ! { [[ -f $OUT/locked.docx ]] &&
    msoffcrypto-tool -p secret "$OUT/locked.docx" "$TMP/unlocked.docx" 2>/dev/null &&
    cmp -s "$TMP/unlocked.docx" "$OUT/yili.en.docx"; }; then
    msoffcrypto-tool -e -p secret "$OUT/yili.en.docx" "$OUT/locked.docx"
fi
msoffcrypto-tool -p secret "$OUT/locked.docx" "$TMP/unlocked.docx"
cmp -s "$TMP/unlocked.docx" "$OUT/yili.en.docx" ||
    { echo "locked.docx does not decrypt to yili.en.docx" >&2; exit 1; }

# An EPUB whose chapter is "encrypted": META-INF/encryption.xml (as Adobe ADEPT writes it)
# names EPUB/text/ch001.xhtml, and that entry holds random bytes (fixed seed).
python3 - "$OUT/yili.en.epub" "$OUT/drm.epub" <<'EOF'
import os, random, sys, time, zipfile

src, dst = sys.argv[1], sys.argv[2]
chapter = "EPUB/text/ch001.xhtml"
encryption = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#">
    <EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
    <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#">
      <resource xmlns="http://ns.adobe.com/adept">urn:uuid:00000000-0000-4000-8000-000000000000</resource>
    </KeyInfo>
    <CipherData>
      <CipherReference URI="EPUB/text/ch001.xhtml"/>
    </CipherData>
  </EncryptedData>
</encryption>
"""
date = time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))[:6]

def entry(name, compress):
    info = zipfile.ZipInfo(name, date)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info

with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    names = zin.namelist()
    assert names[0] == "mimetype" and chapter in names, names
    for name in names:
        data = zin.read(name)
        if name == "mimetype":
            zout.writestr(entry(name, zipfile.ZIP_STORED), data)
        elif name == chapter:
            noise = random.Random(20240101).randbytes(len(data))
            zout.writestr(entry(name, zipfile.ZIP_STORED), noise)
        else:
            zout.writestr(entry(name, zipfile.ZIP_DEFLATED), data)
        if name == "META-INF/container.xml":
            zout.writestr(entry("META-INF/encryption.xml", zipfile.ZIP_DEFLATED), encryption)
EOF

# A "scanned" PDF: page 1 of yili.en.pdf rendered to a 1-bit 150 dpi bitmap, wrapped by
# img2pdf as one CCITT G4 image (as a scanner's PDF has it), with no text layer at all.
pdftoppm -r 150 -mono -f 1 -l 1 -singlefile "$OUT/yili.en.pdf" "$TMP/scan"
img2pdf --engine internal --imgsize 150dpi --nodate "$TMP/scan.pbm" -o "$OUT/scanned.pdf" >/dev/null
[[ -z $(pdftotext "$OUT/scanned.pdf" - | squeeze) ]] ||
    { echo "scanned.pdf has a text layer" >&2; exit 1; }

# An HTML page with a title, a menu, a script and a style, and no body text.
cat >"$OUT/empty.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Loading…</title>
  <style>
    nav { display: flex; gap: 1em; }
    #app:empty::before { content: "Loading"; }
  </style>
  <script src="/static/app.js" defer></script>
</head>
<body>
  <nav>
    <a href="/">Home</a>
    <a href="/about/">About</a>
  </nav>
  <div id="app"></div>
  <script>
    document.getElementById("app").textContent = "Hello from JavaScript";
  </script>
</body>
</html>
EOF

echo "made in $OUT:"
ls -l "$OUT" | awk 'NR > 1 { printf "  %8d  %s\n", $5, $9 }'
