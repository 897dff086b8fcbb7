// duiqi review: the page. It shows the beads, sends each edit to the server with the
// revision it last saw, and shows what the server answers (the server saves every change).
"use strict";

const token = new URLSearchParams(location.search).get("token") || "";
const rows = document.getElementById("rows");
const statusLine = document.getElementById("status");
let view = null;      // {revision, src, tgt, beads}
let selected = 0;
let marked = null;    // {zh, en}: the glossary pair whose occurrences are marked

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "x-duiqi-token": token, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { data = { error: text }; }
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(message) { statusLine.textContent = message; }

// Confidence classes: the bead's score per sentence against the document's spread.
function classes(beads) {
  const per = beads.map(b => b.score / Math.max(1, (b.src.end - b.src.start) + (b.tgt.end - b.tgt.start)));
  const sorted = [...per].sort((a, b) => a - b);
  const at = q => sorted[Math.floor(q * (sorted.length - 1))] ?? 0;
  const [low, mid] = [at(0.1), at(0.35)];
  return per.map((p, i) => (beads[i].src.start === beads[i].src.end || beads[i].tgt.start === beads[i].tgt.end || p <= low)
    ? "low" : p <= mid ? "mid" : "high");
}

function side(doc, range) {
  const cell = document.createElement("div");
  cell.className = "side";
  if (range.start === range.end) cell.classList.add("empty");
  for (let i = range.start; i < range.end; i++) {
    const p = document.createElement("p");
    const n = document.createElement("span");
    n.className = "i";
    n.textContent = i;
    p.append(n, ...marks(doc.sentences[i], marked && (doc.language === "zh" ? marked.zh : marked.en)));
    cell.append(p);
  }
  return cell;
}

function row(bead) {
  const row = document.createElement("div");
  const n = document.createElement("span");
  n.className = "n";
  const score = document.createElement("span");
  score.className = "score";
  score.textContent = bead.score.toFixed(2);
  row.append(n, side(view.src, bead.src), side(view.tgt, bead.tgt), score);
  row.addEventListener("click", () => select(Number(row.dataset.index)));
  return row;
}

// Numbers, confidence and status of the rows from `from` on.
function restyle(from) {
  const confidence = classes(view.beads);
  for (let k = 0; k < view.beads.length; k++) {
    const element = rows.children[k];
    const name = `bead ${confidence[k]} ${view.beads[k].status}`;
    if (element.className.replace(" selected", "") !== name) element.className = name;
    if (k >= from) {
      element.dataset.index = k;
      element.firstChild.textContent = k;
    }
  }
  document.body.dataset.revision = view.revision;
  select(Math.min(selected, view.beads.length - 1));
}

// `text` as nodes, with the occurrences of `term` marked.
function marks(text, term) {
  if (!term) return [text];
  const nodes = [];
  let at = 0;
  for (let found = text.indexOf(term); found >= 0; found = text.indexOf(term, at)) {
    nodes.push(text.slice(at, found));
    const mark = document.createElement("mark");
    mark.textContent = term;
    nodes.push(mark);
    at = found + term.length;
  }
  nodes.push(text.slice(at));
  return nodes;
}

// The glossary panel: the pairs the alignment links; a click marks them in both texts.
async function glossary() {
  const panel = document.getElementById("glossary");
  if (!panel.hidden) { panel.hidden = true; return; }
  try {
    const terms = await call("GET", "/api/glossary");
    const list = panel.querySelector("ol");
    list.replaceChildren(...terms.map(term => {
      const item = document.createElement("li");
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = ` ${term.count}× ${term.kinds.join(", ")}`;
      item.append(`${term.chinese} ↔ ${term.english}`, count);
      item.addEventListener("click", () => {
        list.querySelector(".on")?.classList.remove("on");
        item.classList.add("on");
        marked = { zh: term.chinese, en: term.english };
        render();
        const first = view.beads.findIndex(b => {
          const zh = view.src.language === "zh" ? b.src : b.tgt;
          for (let i = zh.start; i < zh.end; i++) if (term.chinese_sentences.includes(i)) return true;
          return false;
        });
        if (first >= 0) select(first);
      });
      return item;
    }));
    panel.hidden = false;
  } catch (error) {
    say(error.message);
  }
}

function render() {
  const fragment = document.createDocumentFragment();
  view.beads.forEach(bead => fragment.append(row(bead)));
  rows.replaceChildren(fragment);
  document.getElementById("names").textContent = `${view.src.name} ↔ ${view.tgt.name}`;
  restyle(0);
}

// A change touches a run of beads: rebuild only the rows between what stayed the same at
// the start and at the end (a book has thousands).
function update(beads, revision) {
  const same = (a, b) => a.src.start === b.src.start && a.src.end === b.src.end && a.tgt.start === b.tgt.start
    && a.tgt.end === b.tgt.end && a.score === b.score;
  const old = view.beads;
  let head = 0;
  while (head < old.length && head < beads.length && same(old[head], beads[head])) head++;
  let tail = 0;
  while (tail < old.length - head && tail < beads.length - head
    && same(old[old.length - 1 - tail], beads[beads.length - 1 - tail])) tail++;
  view.beads = beads;
  view.revision = revision;
  const fragment = document.createDocumentFragment();
  beads.slice(head, beads.length - tail).forEach(bead => fragment.append(row(bead)));
  for (let k = old.length - tail - 1; k >= head; k--) rows.children[k].remove();
  rows.insertBefore(fragment, rows.children[head] || null);
  restyle(head);
}

function select(k) {
  rows.querySelector(".selected")?.classList.remove("selected");
  selected = Math.max(0, Math.min(k, view.beads.length - 1));
  const row = rows.children[selected];
  row?.classList.add("selected");
  row?.scrollIntoView({ block: "nearest" });
}

async function change(path, body) {
  try {
    const started = performance.now();
    const changed = await call("POST", path, { revision: view.revision, ...body });
    update(changed.beads, changed.revision);
    // How long the change took, request to page updated (read by bench/review_speed.py).
    document.body.dataset.changeMs = Math.round(performance.now() - started);
    say("saved");
  } catch (error) {
    say(error.message);
  }
}

const edit = e => change("/api/edit", { edit: e });

function next(test) {
  for (let k = selected + 1; k < view.beads.length; k++) if (test(view.beads[k], k)) return select(k);
  say("no such bead below");
}

// The evidence behind the selected bead: each signal's share of its score.
async function explain() {
  const element = rows.children[selected];
  const shown = element.querySelector(".why");
  if (shown) return shown.remove();
  try {
    const answer = await call("GET", `/api/explain?bead=${selected}`);
    const why = document.createElement("div");
    why.className = "why";
    why.textContent = answer.shares.length
      ? answer.shares.map(([signal, share]) => `${signal} ${share >= 0 ? "+" : "−"}${Math.abs(share).toFixed(2)}`).join(" · ")
      : "no explanation for this bead";
    element.append(why);
  } catch (error) {
    say(error.message);
  }
}

function exportFile() {
  const format = document.getElementById("format").value;
  const link = document.createElement("a");
  link.href = `/api/export?format=${format}&token=${token}`;
  link.download = `alignment.${format}`;
  link.click();
}

document.addEventListener("keydown", event => {
  if (document.getElementById("keys").open || event.target.tagName === "SELECT") return;
  const bead = view?.beads[selected];
  if (!bead) return;
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key;
  const handled = () => event.preventDefault();
  if (ctrl && key === "z") { handled(); return change("/api/undo", {}); }
  if (ctrl && key === "y") { handled(); return change("/api/redo", {}); }
  if (ctrl || event.altKey && !"xX".includes(key)) return;
  const target = event.altKey;
  const confidence = classes(view.beads);
  switch (key) {
    case "j": case "ArrowDown": handled(); return select(selected + 1);
    case "k": case "ArrowUp": handled(); return select(selected - 1);
    case "c": return edit({ op: "confirm", bead: selected, through: false });
    case "C": return edit({ op: "confirm", bead: selected, through: true });
    case "m": return edit({ op: "merge_next", bead: selected });
    case "M": if (selected > 0) { selected -= 1; return edit({ op: "merge_next", bead: selected }); } return;
    case "s": {
      const cut = r => Math.min(r.start + 1, r.end);
      return edit({ op: "split", bead: selected, src_at: cut(bead.src), tgt_at: cut(bead.tgt) });
    }
    case "[": return edit({ op: "move_first_up", bead: selected, target: false });
    case "]": return edit({ op: "move_last_down", bead: selected, target: false });
    case "{": return edit({ op: "move_first_up", bead: selected, target: true });
    case "}": return edit({ op: "move_last_down", bead: selected, target: true });
    case "x": return edit({ op: "unpair", bead: selected, target, last: false });
    case "X": return edit({ op: "unpair", bead: selected, target, last: true });
    case "n": return next(b => b.status !== "confirmed");
    case "l": return next((b, k) => confidence[k] === "low");
    case "o": return next(b => b.src.end - b.src.start !== 1 || b.tgt.end - b.tgt.start !== 1);
    case "z": return change("/api/undo", {});
    case "Z": return change("/api/redo", {});
    case "R": say("re-aligning…"); return change("/api/realign", {});
    case "E": return exportFile();
    case "i": return explain();
    case "g": return glossary();
    case "?": return document.getElementById("keys").showModal();
  }
});

document.getElementById("realign").addEventListener("click", () => change("/api/realign", {}));
document.getElementById("export").addEventListener("click", exportFile);
document.getElementById("help").addEventListener("click", () => document.getElementById("keys").showModal());

call("GET", "/api/project").then(data => { view = data; render(); rows.focus(); }).catch(error => say(error.message));
