#!/usr/bin/env python3
"""Review page speed: align a pair (presplit), open the page in headless Chromium, time the
page becoming interactive, edits (request to page updated, server saved; timed in the page), re-aligning
the rest and scrolling to the end.
Usage: python3 bench/review_speed.py SRC TGT PROJECT.duiqi.json (needs chromium, chromedriver, selenium)"""
import json, re, subprocess, sys, time, statistics, os, signal
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
src, tgt, out = sys.argv[1], sys.argv[2], sys.argv[3]
if os.path.exists(out): os.remove(out)
t0 = time.perf_counter()
p = subprocess.Popen([os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "target", "release", "duiqi"), "review", src, tgt, "-o", out, "--presplit", "--no-model"], stdout=subprocess.PIPE, text=True)
url = re.search(r"http://\S+", p.stdout.readline()).group(0)
aligned = time.perf_counter() - t0
o = webdriver.ChromeOptions(); o.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"): o.add_argument(a)
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
n = len(json.load(open(out))["beads"])
t1 = time.perf_counter(); d.get(url)
WebDriverWait(d, 60, poll_frequency=0.01).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-revision") is not None)
interactive = time.perf_counter() - t1
rev = lambda: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-revision"))
times = []
for key in ["c", "j", "c", "m", "z", "Z", "s" + Keys.ENTER, "z"] * 2:
    before = rev(); t = time.perf_counter()
    d.find_element(By.ID, "rows").send_keys(key)
    if key == "j": continue
    WebDriverWait(d, 30, poll_frequency=0.005).until(lambda _: rev() > before)
    times.append(int(d.find_element(By.TAG_NAME, "body").get_attribute("data-change-ms")) / 1000)
t = time.perf_counter(); before = rev()
d.find_element(By.ID, "rows").send_keys("R")
WebDriverWait(d, 120, poll_frequency=0.01).until(lambda _: rev() > before)
realign = time.perf_counter() - t
last = int(d.find_element(By.TAG_NAME, "body").get_attribute("data-beads")) - 1
t = time.perf_counter(); d.execute_script("window.scrollTo(0, document.body.scrollHeight)")
WebDriverWait(d, 30, poll_frequency=0.005).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'.bead[data-index="{last}"]'))
scroll = time.perf_counter() - t
drawn = len(d.find_elements(By.CSS_SELECTOR, ".bead"))
print(f"{n} beads: aligned+saved+served {aligned:.2f} s, page interactive {interactive:.2f} s, edit (request to page updated, measured in the page) median {statistics.median(times)*1000:.0f} ms (max {max(times)*1000:.0f}), re-align the rest {realign:.2f} s, scroll to end and last row drawn {scroll*1000:.0f} ms ({drawn} rows drawn)")
d.quit(); p.kill()
