// The snapshot's text view: highlights the passage a W3C TextPositionSelector in the address's
// fragment names (`#selector(type=TextPositionSelector,start=…,end=…)`, code points of the
// snapshot's text), scrolls it into view and moves the focus to it. Each line of the text is a
// <p data-start> holding one text node; offsets convert to UTF-16 only here, line by line.

import { CodePointIndex } from "./codepoints.js";

const SELECTOR = /^#selector\((.*)\)$/;

/** The start and end of a TextPositionSelector in a fragment, or null. */
export function parseSelector(hash) {
  const found = SELECTOR.exec(decodeURIComponent(hash || ""));
  if (!found) return null;
  const fields = Object.fromEntries(found[1].split(",").map((pair) => pair.split("=").map((s) => s.trim())));
  const start = Number(fields.start);
  const end = Number(fields.end);
  if (fields.type !== "TextPositionSelector" || !Number.isInteger(start) || !Number.isInteger(end)) return null;
  return start >= 0 && end > start ? { start, end } : null;
}

function clear(root) {
  for (const mark of root.querySelectorAll("mark.passage")) {
    mark.replaceWith(...mark.childNodes);
  }
  for (const line of root.querySelectorAll("p[data-start]")) line.normalize();
}

function highlight(root, { start, end }) {
  const marks = [];
  for (const line of root.querySelectorAll("p[data-start]")) {
    const text = line.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    const index = new CodePointIndex(text.data);
    const lineStart = Number(line.dataset.start);
    const from = Math.max(start, lineStart) - lineStart;
    const to = Math.min(end, lineStart + index.length) - lineStart;
    if (from >= to) continue;
    const range = document.createRange();
    range.setStart(text, index.toUtf16(from));
    range.setEnd(text, index.toUtf16(to));
    const mark = document.createElement("mark");
    mark.className = "passage";
    range.surroundContents(mark);
    marks.push(mark);
  }
  return marks;
}

function show() {
  const root = document.getElementById("snapshot-text");
  const status = document.getElementById("passage-status");
  if (!root || !status) return;
  clear(root);
  const selector = parseSelector(window.location.hash);
  if (!selector) {
    status.textContent = "";
    return;
  }
  const marks = highlight(root, selector);
  if (!marks.length) {
    status.textContent = "The passage is not in this text.";
    return;
  }
  const first = marks[0];
  first.id = "passage";
  first.tabIndex = -1;
  const page = first.closest("[data-page]");
  status.textContent = `The passage is highlighted${page ? ` on page ${page.dataset.page}` : ""}.`;
  first.scrollIntoView({ block: "center" });
  first.focus({ preventScroll: true });
  document.body.dataset.passageShown = "1";
}

window.addEventListener("hashchange", show);
show();
