// duiqi review: the page. It shows the beads, sends each edit to the server with the
// revision it last saw, and shows what the server answers (the server saves every change).
// Rows are drawn in blocks, and only the blocks near the screen hold rows: a book has
// tens of thousands of beads.
"use strict";

const token = new URLSearchParams(location.search).get("token") || "";
const rows = document.getElementById("rows");
const statusLine = document.getElementById("status");
const BLOCK = 100;           // beads per block
let view = null;             // {revision, src, tgt, beads}
let confidence = [];         // "low" | "mid" | "high" per bead
let selected = 0;
let focus = 0;               // the focused sentence of the selected bead (source first, then target)
let cut = null;              // while splitting: {src, tgt}, the first sentence of each side's second half
let explained = null;        // {bead, shares, kinds, marks}: the evidence shown for a bead
let marked = null;           // {zh, en}: the glossary pair whose occurrences are marked
let blocks = [];             // {element, filled}
let rowHeight = 40;          // average row height, to size blocks not drawn

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

const size = range => range.end - range.start;

// Confidence classes: the bead's score per sentence against the document's spread.
function classes(beads) {
  const per = beads.map(b => b.score / Math.max(1, size(b.src) + size(b.tgt)));
  const sorted = [...per].sort((a, b) => a - b);
  const at = q => sorted[Math.floor(q * (sorted.length - 1))] ?? 0;
  const [low, mid] = [at(0.1), at(0.35)];
  return per.map((p, i) => (size(beads[i].src) === 0 || size(beads[i].tgt) === 0 || p <= low)
    ? "low" : p <= mid ? "mid" : "high");
}

// The sentences of the selected bead, in focus order: [{target, sentence}].
function sentencesOf(bead) {
  const list = [];
  for (let i = bead.src.start; i < bead.src.end; i++) list.push({ target: false, sentence: i });
  for (let i = bead.tgt.start; i < bead.tgt.end; i++) list.push({ target: true, sentence: i });
  return list;
}

// `text` as nodes, with `ranges` ({start, end, kind, title}, UTF-16 offsets) marked; a
// range overlapping one already marked is left out.
function highlight(text, ranges) {
  const nodes = [];
  let at = 0;
  for (const range of [...ranges].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (range.start < at) continue;
    nodes.push(text.slice(at, range.start));
    const mark = document.createElement("mark");
    mark.className = range.kind;
    mark.textContent = text.slice(range.start, range.end);
    if (range.title) mark.title = range.title;
    nodes.push(mark);
    at = range.end;
  }
  nodes.push(text.slice(at));
  return nodes;
}

// The occurrences of the marked glossary term in a sentence.
function termRanges(text, language) {
  const term = marked && (language === "zh" ? marked.zh : marked.en);
  const ranges = [];
  if (!term) return ranges;
  for (let found = text.indexOf(term); found >= 0; found = text.indexOf(term, found + term.length)) {
    ranges.push({ start: found, end: found + term.length, kind: "term" });
  }
  return ranges;
}

function side(k, doc, range, target) {
  const cell = document.createElement("div");
  cell.className = "side";
  if (range.start === range.end) cell.classList.add("empty");
  const order = sentencesOf(view.beads[k]);
  const cutAt = k === selected && cut ? (target ? cut.tgt : cut.src) : null;
  for (let i = range.start; i < range.end; i++) {
    const p = document.createElement("p");
    p.dataset.sentence = i;
    p.dataset.target = target;
    const n = document.createElement("span");
    n.className = "i";
    n.textContent = i;
    const text = doc.sentences[i];
    const links = explained && explained.bead === k ? (explained.marks[target ? "tgt" : "src"][i] || []) : [];
    p.append(n, ...highlight(text, [...links, ...termRanges(text, doc.language)]));
    const here = order[focus];
    if (k === selected && here && here.target === target && here.sentence === i) p.classList.add("focus");
    if (cutAt === i) p.classList.add("cut");
    cell.append(p);
  }
  if (cutAt === range.end) cell.classList.add("cut-end");
  return cell;
}

function row(k) {
  const bead = view.beads[k];
  const element = document.createElement("div");
  element.className = `bead ${confidence[k]} ${bead.status}${k === selected ? " selected" : ""}`;
  element.dataset.index = k;
  const n = document.createElement("span");
  n.className = "n";
  n.textContent = k;
  const score = document.createElement("span");
  score.className = "score";
  score.textContent = bead.score.toFixed(2);
  element.append(n, side(k, view.src, bead.src, false), side(k, view.tgt, bead.tgt, true), score);
  if (explained && explained.bead === k) {
    const why = document.createElement("div");
    why.className = "why";
    why.append(explained.shares);
    if (explained.kinds.length) why.append(" — linked: ");
    for (const kind of explained.kinds) {
      const legend = document.createElement("mark");
      legend.className = kind;
      legend.textContent = kind;
      why.append(legend, " ");
    }
    element.append(why);
  }
  return element;
}

// Blocks: those near the screen hold their rows, the others only their height.
const observer = new IntersectionObserver(entries => {
  for (const entry of entries) {
    const b = Number(entry.target.dataset.block);
    if (entry.isIntersecting) fill(b); else empty(b);
  }
}, { rootMargin: "1200px 0px" });

function fill(b) {
  const block = blocks[b];
  if (!block || block.filled) return;
  const fragment = document.createDocumentFragment();
  for (let k = b * BLOCK; k < Math.min(view.beads.length, (b + 1) * BLOCK); k++) fragment.append(row(k));
  block.element.replaceChildren(fragment);
  block.element.style.height = "";
  block.filled = true;
  const beads = block.element.childElementCount;
  if (beads) rowHeight = 0.8 * rowHeight + 0.2 * block.element.offsetHeight / beads;
}

function empty(b) {
  const block = blocks[b];
  if (!block || !block.filled || (selected >= b * BLOCK && selected < (b + 1) * BLOCK)) return;
  block.element.style.height = `${block.element.offsetHeight}px`;
  block.element.replaceChildren();
  block.filled = false;
}

// Builds the blocks from block `from` on again (their beads changed); those that held
// rows are drawn at once, so the screen does not flicker.
function layout(from) {
  const count = Math.ceil(view.beads.length / BLOCK);
  const wasFilled = blocks.map(b => b.filled);
  for (const block of blocks.splice(from)) {
    observer.unobserve(block.element);
    block.element.remove();
  }
  for (let b = from; b < count; b++) {
    const element = document.createElement("section");
    element.className = "block";
    element.dataset.block = b;
    element.style.height = `${Math.min(BLOCK, view.beads.length - b * BLOCK) * rowHeight}px`;
    rows.append(element);
    blocks.push({ element, filled: false });
    if (wasFilled[b]) fill(b);
    observer.observe(element);
  }
  document.body.dataset.revision = view.revision;
  document.body.dataset.beads = view.beads.length;
}

// The row of bead k, drawn if its block was not.
function rowOf(k) {
  const b = Math.floor(k / BLOCK);
  fill(b);
  return blocks[b]?.element.children[k % BLOCK];
}

// Draws bead k again (after its focus, cut or evidence changed).
function redraw(k) {
  if (k < 0 || k >= view.beads.length || !blocks[Math.floor(k / BLOCK)]?.filled) return;
  rowOf(k).replaceWith(row(k));
}

function render() {
  confidence = classes(view.beads);
  document.getElementById("names").textContent = `${view.src.name} ↔ ${view.tgt.name}`;
  for (const block of blocks) block.filled = false;
  layout(0);
  select(Math.min(selected, view.beads.length - 1));
}

// A change touches a run of beads: only the blocks from the first bead that differs are
// built again.
function update(changed) {
  const same = (a, b) => a.src.start === b.src.start && a.src.end === b.src.end && a.tgt.start === b.tgt.start
    && a.tgt.end === b.tgt.end && a.score === b.score && a.status === b.status;
  const old = view.beads;
  let head = 0;
  if (changed.src !== undefined) {
    // The texts changed (an edit, or its undo, anywhere): every row is drawn again.
    view.src = changed.src;
    view.tgt = changed.tgt;
  } else {
    while (head < old.length && head < changed.beads.length && same(old[head], changed.beads[head])) head++;
  }
  view.beads = changed.beads;
  view.revision = changed.revision;
  const before = confidence;
  confidence = classes(view.beads);
  explained = null;
  cut = null;
  const from = Math.floor(head / BLOCK);
  layout(from);
  // Rows above the change keep their beads; their confidence may shift with the spread.
  for (let k = 0; k < Math.min(head, from * BLOCK); k++) {
    if (before[k] !== confidence[k] && blocks[Math.floor(k / BLOCK)].filled) redraw(k);
  }
  select(Math.min(selected, view.beads.length - 1), focus);
}

// Draws the rows on screen again (after the marked term changed).
function refresh() {
  blocks.forEach((block, b) => { if (block.filled) { block.filled = false; fill(b); } });
}

function select(k, keepFocus) {
  const previous = selected;
  selected = Math.max(0, Math.min(k, view.beads.length - 1));
  if (previous !== selected) {
    focus = 0;
    cut = null;
    if (explained && explained.bead === previous) explained = null;
  } else if (keepFocus === undefined) {
    focus = 0;
  }
  focus = Math.min(focus, Math.max(0, sentencesOf(view.beads[selected]).length - 1));
  redraw(previous);
  const element = rowOf(selected);
  if (element) {
    element.replaceWith(row(selected));
    rowOf(selected).scrollIntoView({ block: "nearest" });
  }
}

async function change(path, body) {
  try {
    const started = performance.now();
    const changed = await call("POST", path, { revision: view.revision, ...body });
    update(changed);
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

// The evidence behind the selected bead: each signal's share of its score, and the words,
// names and numbers that link its two sides, marked in both texts.
async function explain() {
  if (explained && explained.bead === selected) {
    explained = null;
    return redraw(selected);
  }
  try {
    const k = selected;
    const answer = await call("GET", `/api/explain?bead=${k}`);
    const shares = answer.shares.length
      ? answer.shares.map(([signal, share]) => `${signal} ${share >= 0 ? "+" : "−"}${Math.abs(share).toFixed(2)}`).join(" · ")
      : "no explanation for this bead";
    const marks = { src: {}, tgt: {} };
    const word = (doc, place) => doc.sentences[place.sentence].slice(place.start, place.end);
    for (const link of answer.links) {
      for (const [name, place, other, doc] of [["src", link.src, link.tgt, view.tgt], ["tgt", link.tgt, link.src, view.src]]) {
        const list = (marks[name][place.sentence] ||= []);
        let range = list.find(r => r.start === place.start && r.end === place.end);
        if (!range) list.push(range = { start: place.start, end: place.end, kind: link.kind, partners: new Set() });
        range.partners.add(word(doc, other));
        range.title = `${range.kind}: ${[...range.partners].join(", ")}`;
      }
    }
    const kinds = [...new Set(answer.links.map(l => l.kind))];
    explained = { bead: k, shares, kinds, marks };
    redraw(k);
    rowOf(k)?.scrollIntoView({ block: "nearest" });
  } catch (error) {
    say(error.message);
  }
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
        refresh();
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

// Edits the focused sentence in place: Enter saves, a line break (Shift+Enter) splits
// the sentence there, Escape leaves it as it was.
function editSentence() {
  const here = sentencesOf(view.beads[selected])[focus];
  if (!here) return;
  const p = rowOf(selected).querySelector(`p[data-target="${here.target}"][data-sentence="${here.sentence}"]`);
  const box = document.createElement("textarea");
  box.value = (here.target ? view.tgt : view.src).sentences[here.sentence];
  box.rows = Math.max(2, Math.ceil(box.value.length / 60));
  box.addEventListener("keydown", event => {
    event.stopPropagation();
    if (event.key === "Escape") { redraw(selected); rows.focus({ preventScroll: true }); }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      rows.focus({ preventScroll: true });
      edit({ op: "edit_sentence", target: here.target, sentence: here.sentence, text: box.value });
    }
  });
  p.replaceChildren(box);
  box.focus();
}

function exportFile() {
  const format = document.getElementById("format").value;
  const link = document.createElement("a");
  link.href = `/api/export?format=${format}&token=${token}`;
  link.download = `alignment.${format}`;
  link.click();
}

// Split mode: move each side's cut, Enter splits there, Escape gives up.
function splitKeys(key, bead) {
  const move = (side, by) => {
    const range = bead[side];
    cut[side] = Math.max(range.start, Math.min(range.end, cut[side] + by));
  };
  switch (key) {
    case "j": case "ArrowDown": move("src", 1); break;
    case "k": case "ArrowUp": move("src", -1); break;
    case "J": move("tgt", 1); break;
    case "K": move("tgt", -1); break;
    case "Enter": {
      const at = cut;
      cut = null;
      return edit({ op: "split", bead: selected, src_at: at.src, tgt_at: at.tgt });
    }
    case "Escape": cut = null; break;
    default: return;
  }
  redraw(selected);
}

document.addEventListener("keydown", event => {
  if (document.getElementById("keys").open || ["SELECT", "TEXTAREA"].includes(event.target.tagName)) return;
  const bead = view?.beads[selected];
  if (!bead) return;
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key;
  const handled = () => event.preventDefault();
  if (ctrl && key === "z") { handled(); return change("/api/undo", {}); }
  if (ctrl && key === "y") { handled(); return change("/api/redo", {}); }
  if (ctrl || event.altKey && !"xX".includes(key)) return;
  if (cut) { handled(); return splitKeys(key === "ArrowDown" && event.shiftKey ? "J" : key === "ArrowUp" && event.shiftKey ? "K" : key, bead); }
  const target = event.altKey;
  const sentences = sentencesOf(bead);
  switch (key) {
    case "j": case "ArrowDown": handled(); return select(selected + 1);
    case "k": case "ArrowUp": handled(); return select(selected - 1);
    case "Tab":
      handled();
      focus = (focus + (event.shiftKey ? sentences.length - 1 : 1)) % Math.max(1, sentences.length);
      return redraw(selected);
    case "c": return edit({ op: "confirm", bead: selected, through: false });
    case "C": return edit({ op: "confirm", bead: selected, through: true });
    case "u": return edit({ op: "unconfirm", bead: selected });
    case "m": return edit({ op: "merge_next", bead: selected });
    case "M": if (selected > 0) { selected -= 1; return edit({ op: "merge_next", bead: selected }); } return;
    case "s":
      cut = { src: Math.min(bead.src.start + 1, bead.src.end), tgt: Math.min(bead.tgt.start + 1, bead.tgt.end) };
      say("split: j/k move the source cut, J/K the target cut, Enter splits, Escape gives up");
      return redraw(selected);
    case "[": return edit({ op: "move_first_up", bead: selected, target: false });
    case "]": return edit({ op: "move_last_down", bead: selected, target: false });
    case "{": return edit({ op: "move_first_up", bead: selected, target: true });
    case "}": return edit({ op: "move_last_down", bead: selected, target: true });
    case "x": return edit({ op: "unpair", bead: selected, target, last: false });
    case "X": return edit({ op: "unpair", bead: selected, target, last: true });
    case "e": case "Enter": handled(); return editSentence();
    case "J": {
      const here = sentences[focus];
      return here && edit({ op: "join_next", target: here.target, sentence: here.sentence });
    }
    case "n": return next(b => b.status !== "confirmed");
    case "l": return next((b, k) => confidence[k] === "low");
    case "o": return next(b => size(b.src) !== 1 || size(b.tgt) !== 1);
    case "z": return change("/api/undo", {});
    case "Z": return change("/api/redo", {});
    case "R": say("re-aligning…"); return change("/api/realign", {});
    case "E": return exportFile();
    case "i": return explain();
    case "g": return glossary();
    case "?": return document.getElementById("keys").showModal();
  }
});

// Mouse: a click selects a bead and focuses a sentence (while splitting, it puts that
// side's cut before the sentence); a double click edits the sentence.
rows.addEventListener("click", event => {
  const element = event.target.closest(".bead");
  if (!element || event.target.tagName === "TEXTAREA") return;
  const k = Number(element.dataset.index);
  const p = event.target.closest("p[data-sentence]");
  if (cut && k === selected && p) {
    cut[p.dataset.target === "true" ? "tgt" : "src"] = Number(p.dataset.sentence);
    return redraw(selected);
  }
  select(k);
  if (p) {
    const at = sentencesOf(view.beads[selected])
      .findIndex(s => String(s.target) === p.dataset.target && s.sentence === Number(p.dataset.sentence));
    focus = Math.max(0, at);
    redraw(selected);
  }
});
rows.addEventListener("dblclick", event => {
  if (event.target.closest("p[data-sentence]") && !cut) editSentence();
});

document.getElementById("realign").addEventListener("click", () => change("/api/realign", {}));
document.getElementById("export").addEventListener("click", exportFile);
document.getElementById("help").addEventListener("click", () => document.getElementById("keys").showModal());

call("GET", "/api/project").then(data => { view = data; render(); rows.focus({ preventScroll: true }); }).catch(error => say(error.message));
