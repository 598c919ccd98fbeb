// DOM <-> reader-text offsets for the reading view rendered by
// annotations/anchoring/reading_html.py: every block element carries
// data-start/data-end (code points) and holds only its own text, so an offset
// inside a block is data-start plus the code points of the text before it.
// Elements marked data-anchor-ignore (badges, buttons) are not counted.
// Pure conversions live in codepoints.js; this module needs a browser DOM.

import { codePointToUtf16, cpLength, utf16ToCodePoint } from "./codepoints.js";

const BLOCK_SELECTOR = "[data-start][data-end]";
const MARK_SELECTOR = "mark.claim";
const IGNORED_SELECTOR = "[data-anchor-ignore]";

function blocksOf(root) {
  return Array.from(root.querySelectorAll(BLOCK_SELECTOR));
}

// The blocks with their offsets, read once (a long article has thousands).
function blockTable(root) {
  const blocks = blocksOf(root);
  return { blocks, starts: blocks.map(blockStart), ends: blocks.map(blockEnd) };
}

function textNodes(block) {
  const doc = block.ownerDocument;
  // Only a block holding something to ignore pays for a filter called on every text node.
  const filter = block.querySelector(IGNORED_SELECTOR)
    ? {
        acceptNode: (node) =>
          node.parentElement && node.parentElement.closest(IGNORED_SELECTOR) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      }
    : null;
  const walker = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT, filter);
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

/**
 * Keep a span from starting or ending in the gap between two blocks (the "\n\n"
 * separating them in reader text), which a triple click or a drag past the end
 * of a paragraph produces.
 */
function trimToBlocks(blocks, start, end) {
  for (const block of blocks) {
    const from = blockStart(block);
    const to = blockEnd(block);
    if (to <= start) continue;
    if (from >= end) break;
    if (from > start) start = from;
    break;
  }
  for (let i = blocks.length - 1; i >= 0; i -= 1) {
    const from = blockStart(blocks[i]);
    const to = blockEnd(blocks[i]);
    if (from >= end) continue;
    if (to <= start) break;
    if (to < end) end = to;
    break;
  }
  return [start, end];
}

/**
 * The reader text the blocks under root were rendered from, read back from the DOM: each block's
 * text at its data-start, and between blocks the newlines that separate them (the page sends the
 * text once, as HTML). Code points outside any block count as newlines too.
 */
export function readerText(root) {
  const parts = [];
  let at = 0;
  for (const block of blocksOf(root)) {
    const start = blockStart(block);
    if (start < at) continue; // a block nested in one already read
    parts.push("\n".repeat(start - at));
    if (block.querySelector(IGNORED_SELECTOR)) for (const node of textNodes(block)) parts.push(node.data);
    else parts.push(block.textContent);
    at = blockEnd(block);
  }
  return parts.join("");
}

/** {start, end} in reader-text code points for a DOM Range inside root, or null. */
export function rangeToOffsets(root, range) {
  const common = range.commonAncestorContainer;
  if (common !== root && !root.contains(common)) return null;
  const blocks = blocksOf(root);
  let start = pointToOffset(root, blocks, range.startContainer, range.startOffset, "start");
  let end = pointToOffset(root, blocks, range.endContainer, range.endOffset, "end");
  if (start === null || end === null || start >= end) return null;
  [start, end] = trimToBlocks(blocks, start, end);
  if (start >= end) return null;
  return { start, end };
}

// Index of the first block ending after `offset`, given the blocks' ends in document order.
function firstBlockAfter(ends, offset) {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The text nodes of a block (starting at reader-text offset `at`) with their code point offsets.
function pieces(block, at) {
  const list = [];
  for (const node of textNodes(block)) {
    const length = cpLength(node.data);
    list.push({ node, start: at, end: at + length });
    at += length;
  }
  return list;
}

/** One Range per text-node piece of reader text [start, end). */
export function offsetsToRanges(root, start, end) {
  const ranges = [];
  const { blocks, starts, ends } = blockTable(root);
  for (let b = firstBlockAfter(ends, start); b < blocks.length && starts[b] < end; b += 1) {
    for (const piece of pieces(blocks[b], starts[b])) {
      const from = Math.max(start, piece.start);
      const to = Math.min(end, piece.end);
      if (from >= to) continue;
      const range = piece.node.ownerDocument.createRange();
      range.setStart(piece.node, codePointToUtf16(piece.node.data, from - piece.start));
      range.setEnd(piece.node, codePointToUtf16(piece.node.data, to - piece.start));
      ranges.push(range);
    }
  }
  return ranges;
}

function markDepth(mark, root) {
  let depth = 0;
  for (let up = mark.parentElement; up && up !== root; up = up.parentElement) {
    if (up.matches(MARK_SELECTOR)) depth += 1;
  }
  return depth;
}

// Split the piece's text node so that [from, to) is a node of its own, keep the
// block's piece list in step, and return the index of that node's piece.
function isolate(list, index, from, to) {
  let piece = list[index];
  if (from > piece.start) {
    const rest = piece.node.splitText(codePointToUtf16(piece.node.data, from - piece.start));
    const head = { node: piece.node, start: piece.start, end: from };
    piece = { node: rest, start: from, end: piece.end };
    list.splice(index, 1, head, piece);
    index += 1;
  }
  if (to < piece.end) {
    const rest = piece.node.splitText(codePointToUtf16(piece.node.data, to - piece.start));
    list.splice(index, 1, { node: piece.node, start: piece.start, end: to }, { node: rest, start: to, end: piece.end });
  }
  return index;
}

/**
 * Wrap each span {id, start, end} of reader text in <mark class="claim"
 * data-claim-id>, one mark per text-node piece; returns Map id -> marks. Spans
 * are wrapped outermost first, so a claim inside (or overlapping) another gets
 * marks nested in the other's, with data-depth > 0 and the class "claim-nested".
 * Blocks and their text nodes are read once per call, so many spans cost little
 * more than one.
 */
export function highlightMany(root, spans) {
  const doc = root.ownerDocument;
  const { blocks, starts, ends } = blockTable(root);
  const piecesByBlock = new Map();
  const result = new Map();
  const ordered = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start < s.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  for (const span of ordered) {
    const marks = result.get(span.id) || [];
    result.set(span.id, marks);
    for (let b = firstBlockAfter(ends, span.start); b < blocks.length && starts[b] < span.end; b += 1) {
      if (!piecesByBlock.has(b)) piecesByBlock.set(b, pieces(blocks[b], starts[b]));
      const list = piecesByBlock.get(b);
      for (let i = 0; i < list.length; i += 1) {
        const from = Math.max(span.start, list[i].start);
        const to = Math.min(span.end, list[i].end);
        if (list[i].start >= span.end) break;
        if (from >= to) continue;
        i = isolate(list, i, from, to);
        const node = list[i].node;
        const mark = doc.createElement("mark");
        mark.className = "claim";
        mark.dataset.claimId = String(span.id);
        node.parentNode.insertBefore(mark, node);
        mark.appendChild(node);
        const depth = markDepth(mark, root);
        mark.dataset.depth = String(depth);
        if (depth > 0) mark.classList.add("claim-nested");
        marks.push(mark);
      }
    }
  }
  return result;
}

/** Highlight one claim's span; returns its marks. */
export function highlight(root, claimId, start, end) {
  return highlightMany(root, [{ id: claimId, start, end }]).get(claimId) || [];
}

/** The marks of one claim, in document order. */
export function marksOf(root, claimId) {
  return Array.from(root.querySelectorAll(`${MARK_SELECTOR}[data-claim-id="${CSS.escape(String(claimId))}"]`));
}

/** Remove the marks of one claim, or of every claim; text nodes are merged back. */
export function clearHighlights(root, claimId) {
  const marks = claimId === undefined ? Array.from(root.querySelectorAll(MARK_SELECTOR)) : marksOf(root, claimId);
  const parents = new Set();
  for (const mark of marks) {
    const parent = mark.parentNode;
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    parent.removeChild(mark);
    parents.add(parent);
  }
  for (const parent of parents) {
    if (parent.isConnected) parent.normalize();
  }
  // Marks that were nested in removed ones are one level shallower now.
  for (const mark of root.querySelectorAll(MARK_SELECTOR)) {
    const depth = markDepth(mark, root);
    mark.dataset.depth = String(depth);
    mark.classList.toggle("claim-nested", depth > 0);
  }
}
