"""The review page in a real browser (headless Chromium through WebDriver): review the
seed pair with the keyboard only (confirm, merge, split, move a sentence, edit, split and
join sentences, undo), see the evidence of a bead, re-align, export TMX, and kill and
restart the server mid-review without losing anything; and a long pair, of which only the
rows near the screen are drawn.

Run by .ci/run after `cargo build --release` (Debian's chromium and chromium-driver,
pip's selenium): python3 -m pytest crates/review/tests/browser_test.py
With DUIQI_SCREENSHOT=FILE it also saves a screenshot of the page (the README's).
"""

import json
import os
import re
import signal
import subprocess
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait as SeleniumWait


def WebDriverWait(driver, timeout):
    """Waits, trying again when the page redraws the element being read (rows re-render)."""
    return SeleniumWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DUIQI = os.environ.get("DUIQI_BIN", os.path.join(ROOT, "target", "release", "duiqi"))
ZH = os.path.join(ROOT, "data", "examples", "yili", "yili.zh.txt")
EN = os.path.join(ROOT, "data", "examples", "yili", "yili.en.txt")


def serve(*args):
    """Starts `duiqi review ARGS`; returns the process and the URL it prints."""
    process = subprocess.Popen([DUIQI, "review", *args, "--no-model"], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    url = re.search(r"http://\S+", line)
    assert url, f"no URL in {line!r}"
    return process, url.group(0)


def project(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def beads(driver):
    return driver.find_elements(By.CSS_SELECTOR, ".bead")


def shown_beads(driver):
    """How many beads the page holds (drawn or not)."""
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-beads") or -1)


def shown_revision(driver):
    return driver.find_element(By.TAG_NAME, "body").get_attribute("data-revision")


def press(driver, keys, path, until=lambda: True):
    """Types `keys` on the page and waits until the server has saved a new revision, the
    page shows it, and `until()` holds."""
    before = project(path)["revision"]
    driver.find_element(By.ID, "rows").send_keys(keys)

    def done(d):
        revision = project(path)["revision"]
        return revision > before and shown_revision(d) == str(revision) and until()

    WebDriverWait(driver, 10).until(done)


def test_review_with_the_keyboard_and_lose_nothing(browser):
    scratch = tempfile.mkdtemp()
    path = os.path.join(scratch, "seed.duiqi.json")
    server, url = serve(ZH, EN, "-o", path)
    try:
        browser.get(url)
        WebDriverWait(browser, 10).until(lambda d: shown_beads(d) == len(project(path)["beads"]))
        start = project(path)
        count = len(start["beads"])

        press(browser, "c", path, lambda: project(path)["beads"][0]["status"] == "confirmed")
        assert "confirmed" in beads(browser)[0].get_attribute("class")

        press(browser, "jm", path, lambda: len(project(path)["beads"]) == count - 1)
        assert len(beads(browser)) == count - 1
        browser.find_element(By.ID, "rows").send_keys("s")
        assert browser.find_elements(By.CSS_SELECTOR, ".bead.selected .cut, .bead.selected .cut-end")
        merged = project(path)["beads"][1]
        press(browser, "J" + Keys.ENTER, path, lambda: len(project(path)["beads"]) == count)
        halves = project(path)["beads"][1:3]
        assert halves[0]["src"] == {"start": merged["src"]["start"], "end": merged["src"]["start"] + 1}
        assert halves[0]["tgt"]["end"] == min(merged["tgt"]["start"] + 2, merged["tgt"]["end"]), "J moved the target cut"

        # Edit the first target sentence of bead 1: a line break splits it; J joins it again.
        before_edit = project(path)
        first_target = before_edit["beads"][1]["tgt"]["start"]
        sentences = before_edit["tgt"]["sentences"]
        rows = browser.find_element(By.ID, "rows")
        rows.send_keys(Keys.TAB * (before_edit["beads"][1]["src"]["end"] - before_edit["beads"][1]["src"]["start"]))
        rows.send_keys("e")
        box = WebDriverWait(browser, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, ".bead.selected textarea"))
        box.send_keys(Keys.END)
        box.send_keys(Keys.SHIFT + Keys.ENTER)  # a modifier is held to the end of the call
        box.send_keys("An added sentence.")
        box.send_keys(Keys.ENTER)
        WebDriverWait(browser, 10).until(lambda d: len(project(path)["tgt"]["sentences"]) == len(sentences) + 1)
        edited = project(path)
        assert edited["tgt"]["sentences"][first_target + 1]["text"] == "An added sentence."
        assert edited["tgt"]["sentences"][first_target]["text"] == sentences[first_target]["text"]
        WebDriverWait(browser, 10).until(lambda d: "An added sentence." in d.find_element(By.CSS_SELECTOR, ".bead.selected").text)
        press(browser, "J", path, lambda: len(project(path)["tgt"]["sentences"]) == len(sentences))
        assert project(path)["tgt"]["sentences"][first_target]["text"].endswith(" An added sentence.")
        press(browser, "z", path)
        press(browser, "z", path, lambda: project(path)["tgt"]["sentences"] == sentences)

        before_move = project(path)["beads"]
        press(browser, "]", path, lambda: project(path)["beads"] != before_move)
        moved = project(path)["beads"]
        assert sum(b["src"]["end"] - b["src"]["start"] for b in moved[:2]) < sum(
            b["src"]["end"] - b["src"]["start"] for b in before_move[:2]
        ), "the last source sentence of bead 1 went down"
        press(browser, "z", path, lambda: project(path)["beads"] == before_move)

        press(browser, "R", path)
        after = project(path)
        assert after["beads"][0] == start["beads"][0] | {"status": "confirmed"}, "the confirmed bead is kept"

        browser.find_element(By.ID, "rows").send_keys("i")
        why = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".bead.selected .why"))
        assert re.search(r"(lexicon|names|numbers|length|unpaired) [+−]\d", why[0].text), why[0].text
        linked = browser.find_elements(By.CSS_SELECTOR, ".bead.selected mark.dictionary, .bead.selected mark.name")
        assert linked, "the words that link the bead's sides are marked"
        assert " ↔ " not in linked[0].get_attribute("title") and ":" in linked[0].get_attribute("title")

        browser.find_element(By.ID, "rows").send_keys("g")
        terms = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#glossary li"))
        sheng = next(t for t in terms if t.text.startswith("盛世才 ↔ Sheng Shicai"))
        sheng.click()
        marks = WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.TAG_NAME, "mark"))
        assert {m.text for m in marks} == {"盛世才", "Sheng Shicai"}
        if os.environ.get("DUIQI_SCREENSHOT"):
            browser.find_element(By.ID, "rows").send_keys("i")
            WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".bead.selected .why"))
            browser.save_screenshot(os.environ["DUIQI_SCREENSHOT"])
        browser.find_element(By.ID, "rows").send_keys("g")

        tmx = browser.execute_async_script(
            "const done = arguments[0];"
            "fetch('/api/export?format=tmx', {headers: {'x-duiqi-token': new URLSearchParams(location.search).get('token')}})"
            ".then(r => r.text()).then(done);"
        )
        assert tmx.count("<tu>") == len(after["beads"])
        offered = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#format option")]
        assert {"tmx", "xliff", "xlsx", "tsv", "jsonl", "html", "align"} <= set(offered), offered
        xliff = browser.execute_async_script(
            "const done = arguments[0];"
            "fetch('/api/export?format=xliff', {headers: {'x-duiqi-token': new URLSearchParams(location.search).get('token')}})"
            ".then(r => r.text()).then(done);"
        )
        assert xliff.count("<unit ") == len(after["beads"]) and 'version="2.1"' in xliff

        # Killed mid-review: a new server on the project file shows exactly what was saved.
        saved = project(path)
        server.send_signal(signal.SIGKILL)
        server.wait()
        server, url = serve(path)
        browser.get(url)
        WebDriverWait(browser, 10).until(lambda d: shown_beads(d) == len(saved["beads"]))
        assert project(path) == saved
        statuses = ["confirmed" in row.get_attribute("class") for row in beads(browser)]
        assert statuses == [b["status"] == "confirmed" for b in saved["beads"]]
        press(browser, Keys.CONTROL + "z", path)
    finally:
        server.kill()
        server.wait()


def test_a_long_pair_draws_only_the_rows_near_the_screen(browser):
    scratch = tempfile.mkdtemp()
    zh, en = os.path.join(scratch, "long.zh.txt"), os.path.join(scratch, "long.en.txt")
    count = 3000
    with open(zh, "w", encoding="utf-8") as f:
        f.writelines(f"这是第{n}句话，它说了{n}件事。\n" for n in range(1, count + 1))
    with open(en, "w", encoding="utf-8") as f:
        f.writelines(f"This is sentence {n}, which says {n} things.\n" for n in range(1, count + 1))
    server, url = serve(zh, en, "-o", os.path.join(scratch, "long.duiqi.json"))
    try:
        browser.get(url)
        WebDriverWait(browser, 30).until(lambda d: shown_beads(d) == count)
        drawn = len(beads(browser))
        assert 0 < drawn < count // 4, f"{drawn} rows drawn of {count}"
        rows = browser.find_element(By.ID, "rows")
        rows.send_keys(Keys.END)  # the browser scrolls; the page draws what comes into view
        browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        last = WebDriverWait(browser, 10).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f'.bead[data-index="{count - 1}"]'))
        assert f"This is sentence {count}," in last[0].text
        assert len(beads(browser)) < count // 4
    finally:
        server.kill()
        server.wait()
