// DOM <-> reader-text offsets for the reading view rendered by
// annotations/anchoring/reading_html.py: every block element carries
// data-start/data-end (code points) and holds only its own text, so an offset
// inside a block is data-start plus the code points of the text before it.
// Elements marked data-anchor-ignore (badges, buttons) are not counted.
// Pure conversions live in codepoints.js; this module needs a browser DOM.

import { codePointToUtf16, cpLength, utf16ToCodePoint } from "./codepoints.js";

const BLOCK_SELECTOR = "[data-start][data-end]";
const MARK_SELECTOR = "mark.claim";

function blocksOf(root) {
  return Array.from(root.querySelectorAll(BLOCK_SELECTOR));
}

function textNodes(block) {
  const doc = block.ownerDocument;
  const walker = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement && node.parentElement.closest("[data-anchor-ignore]")
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return nodes;
}

function blockStart(block) {
  return Number.parseInt(block.dataset.start, 10);
}

function blockEnd(block) {
  return Number.parseInt(block.dataset.end, 10);
}

// Is the text node `node` wholly before the boundary point (container, offset)?
function startsBefore(node, container, offset) {
  const range = node.ownerDocument.createRange();
  range.setStart(container, offset);
  return range.comparePoint(node, 0) < 0;
}

/**
 * Code point offset of a boundary point. Points between blocks snap to the next
 * block's start (`side` "start") or the previous block's end (`side` "end").
 */
function pointToOffset(root, blocks, container, offset, side) {
  const element = container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement;
  const block = element && element.closest(BLOCK_SELECTOR);
  if (block && root.contains(block)) {
    let count = blockStart(block);
    for (const node of textNodes(block)) {
      if (node === container) return count + utf16ToCodePoint(node.data, offset);
      if (!startsBefore(node, container, offset)) break;
      count += cpLength(node.data);
    }
    return Math.min(count, blockEnd(block));
  }
  const probe = root.ownerDocument.createRange();
  probe.setStart(container, offset);
  if (side === "start") {
    const next = blocks.find((b) => probe.comparePoint(b, 0) >= 0);
    return next ? blockStart(next) : null;
  }
  const previous = blocks.filter((b) => probe.comparePoint(b, b.childNodes.length) <= 0).pop();
  return previous ? blockEnd(previous) : null;
}

/** {start, end} in reader-text code points for a DOM Range inside root, or null. */
export function rangeToOffsets(root, range) {
  if (!root.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== root) return null;
  const blocks = blocksOf(root);
  const start = pointToOffset(root, blocks, range.startContainer, range.startOffset, "start");
  const end = pointToOffset(root, blocks, range.endContainer, range.endOffset, "end");
  if (start === null || end === null || start >= end) return null;
  return { start, end };
}

/** One Range per text-node piece of reader text [start, end). */
export function offsetsToRanges(root, start, end) {
  const ranges = [];
  for (const block of blocksOf(root)) {
    const from = blockStart(block);
    if (blockEnd(block) <= start || from >= end) continue;
    let at = from;
    for (const node of textNodes(block)) {
      const length = cpLength(node.data);
      const pieceStart = Math.max(start, at);
      const pieceEnd = Math.min(end, at + length);
      if (pieceStart < pieceEnd) {
        const range = node.ownerDocument.createRange();
        range.setStart(node, codePointToUtf16(node.data, pieceStart - at));
        range.setEnd(node, codePointToUtf16(node.data, pieceEnd - at));
        ranges.push(range);
      }
      at += length;
      if (at >= end) break;
    }
  }
  return ranges;
}

/**
 * Wrap reader text [start, end) in <mark class="claim" data-claim-id>, one mark
 * per text-node piece. A mark inside another claim's mark gets data-depth > 0
 * and the class "claim-nested".
 */
export function highlight(root, claimId, start, end) {
  const marks = [];
  for (const range of offsetsToRanges(root, start, end)) {
    const mark = root.ownerDocument.createElement("mark");
    mark.className = "claim";
    mark.dataset.claimId = String(claimId);
    range.surroundContents(mark);
    let depth = 0;
    for (let up = mark.parentElement; up && up !== root; up = up.parentElement) {
      if (up.matches(MARK_SELECTOR)) depth += 1;
    }
    mark.dataset.depth = String(depth);
    if (depth > 0) mark.classList.add("claim-nested");
    marks.push(mark);
  }
  return marks;
}

/** Remove the marks of one claim, or of every claim; text nodes are merged back. */
export function clearHighlights(root, claimId) {
  const selector =
    claimId === undefined ? MARK_SELECTOR : `${MARK_SELECTOR}[data-claim-id="${CSS.escape(String(claimId))}"]`;
  const parents = new Set();
  for (const mark of root.querySelectorAll(selector)) {
    const parent = mark.parentNode;
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    parent.removeChild(mark);
    parents.add(parent);
  }
  for (const parent of parents) parent.normalize();
}
