#!/usr/bin/env python3
"""Every format duiqi writes, read by the tool it is for (run by .ci/run after cargo test):

- XLIFF 2.1: valid against the OASIS schema (xmllint; the schema's path in XLIFF_XSD);
- xlsx: openpyxl reads a header and a row per bead, with the TSV's texts;
- cesAlign: OPUS-tools' opus_read gives back the TSV's pairs;
- several translations: a TMX valid against the TMX 1.4b DTD with a variant per text, and
  a TSV with a column per text, each text's sentences all there, in order;
- the HTML reader: opened in headless Chromium, every sentence of both texts shown, the
  sentences of a bead lit together on hover (with DUIQI_SCREENSHOT=FILE, a screenshot).

Usage: python3 crates/cli/tests/check_formats.py [path/to/duiqi]
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DUIQI = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/duiqi")
YILI = os.path.join(ROOT, "data/examples/yili")
DOCS = os.path.join(ROOT, "crates/duiqi/tests/data/documents")
ZH, EN, EN2 = (os.path.join(YILI, f) for f in ("yili.zh.txt", "yili.en.txt", "yili.en2.txt"))
SCRATCH = tempfile.mkdtemp()


def duiqi(*args):
    return subprocess.run([DUIQI, "align", "--no-model", *args], check=True, capture_output=True, text=True).stdout


def squeeze(text):
    return "".join(text.split())


def sentences(path):
    out = subprocess.run([DUIQI, "split", path], check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def tsv_pairs(src, tgt):
    return [tuple(line.split("\t")[:2]) for line in duiqi(src, tgt, "-f", "tsv").splitlines()]


def check_xliff():
    path = os.path.join(SCRATCH, "yili.xlf")
    duiqi(ZH, EN, "-f", "xliff", "-o", path)
    schema = os.environ["XLIFF_XSD"]
    subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema, path], check=True, capture_output=True)
    units = ET.parse(path).getroot().findall(".//{urn:oasis:names:tc:xliff:document:2.0}unit")
    assert len(units) == len(tsv_pairs(ZH, EN)), "a unit per bead"
    print(f"XLIFF: {len(units)} units, valid against {os.path.basename(schema)}")


def check_xlsx():
    path = os.path.join(SCRATCH, "yili.xlsx")
    duiqi(ZH, EN, "-f", "xlsx", "-o", path)
    rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("zh-TW", "en", "score", "confirmed"), rows[0]
    got = [(a or "", b or "") for a, b, *_ in rows[1:]]
    assert got == tsv_pairs(ZH, EN), "the workbook holds the TSV's pairs"
    print(f"xlsx: {len(got)} rows through openpyxl")


def check_ces():
    directory = os.path.join(SCRATCH, "opus")
    os.makedirs(directory)
    duiqi(ZH, EN, "-f", "ces", "-o", os.path.join(directory, "yili.xml"))
    command = ["opus_read", "-d", "duiqi", "-s", "zh", "-t", "en", "-af", "yili.xml", "-p", "raw", "-wm", "moses", "-q"]
    out = subprocess.run(command, cwd=directory, check=True, capture_output=True, text=True).stdout
    got = [tuple(squeeze(side) for side in line.split("\t")) for line in out.splitlines()]
    want = [(squeeze(a), squeeze(b)) for a, b in tsv_pairs(ZH, EN)]
    assert got == want, f"opus_read gives the pairs back:\n{got}\n{want}"
    print(f"cesAlign: {len(got)} links through opus_read")


def check_versions():
    texts = [sentences(p) for p in (ZH, EN, EN2)]
    path = os.path.join(SCRATCH, "versions.tmx")
    duiqi(ZH, EN, EN2, "-f", "tmx", "-o", path)
    subprocess.run(["xmllint", "--noout", "--dtdvalid", os.path.join(HERE, "data/tmx14.dtd"), path], check=True)
    units = ET.parse(path).getroot().findall(".//tu")
    columns = [[u.findall("tuv")[k].find("seg").text or "" for u in units] for k in range(3)]
    for column, text in zip(columns, texts):
        assert squeeze("".join(column)) == squeeze("".join(text)), "every sentence of every text, in order"
    rows = [line.split("\t") for line in duiqi(ZH, EN, EN2, "-f", "tsv").splitlines()]
    assert all(len(r) == 5 for r in rows), "source, two translations, two scores"
    print(f"several translations: {len(units)} units of 3 variants (TMX valid), TSV of 5 columns")


def check_html():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    path = os.path.join(SCRATCH, "reader.html")
    duiqi(ZH, EN, EN2, "-f", "html", "-o", path)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get("file://" + path)
        columns = driver.find_elements(By.CSS_SELECTOR, ".row:first-child > div")
        assert len(columns) == 3, "a column per text"
        for k, text_path in enumerate((ZH, EN, EN2)):
            shown = [s.text for s in driver.find_elements(By.CSS_SELECTOR, f".row > div:nth-child({k + 1}) .s")]
            assert squeeze("".join(shown)) == squeeze("".join(sentences(text_path))), f"column {k}: every sentence"
        first = driver.find_element(By.CSS_SELECTOR, ".s")
        ActionChains(driver).move_to_element(first).perform()
        lit = driver.find_elements(By.CSS_SELECTOR, ".s.on")
        bead = first.get_attribute("data-b")
        assert len(lit) >= 3 and all(s.get_attribute("data-b") == bead for s in lit), "hover lights the bead"
        if os.environ.get("DUIQI_SCREENSHOT"):
            driver.save_screenshot(os.environ["DUIQI_SCREENSHOT"])
        print(f"HTML reader: 3 columns, every sentence shown, hover lights {len(lit)} sentences")
    finally:
        driver.quit()


if __name__ == "__main__":
    check_xliff()
    check_xlsx()
    check_ces()
    check_versions()
    check_html()
