// Caret movement over reader text for keyboard selection (caret mode), in code points. Pure: no
// DOM. The caret lives inside the text blocks (paragraphs, list items, headings); the newlines
// that separate blocks in reader text are not on screen, so the caret steps over them. Characters
// are grapheme clusters, words and sentences come from Intl.Segmenter, each within one block.

import { CodePointIndex } from "./codepoints.js";

const SEGMENTERS = new Map();

function segmenter(granularity) {
  if (!SEGMENTERS.has(granularity)) SEGMENTERS.set(granularity, new Intl.Segmenter(undefined, { granularity }));
  return SEGMENTERS.get(granularity);
}

/** Sorted, disjoint [start, end] blocks: nested or overlapping ones merge into the outer one. */
export function mergeBlocks(blocks) {
  const sorted = blocks
    .filter((b) => Number.isInteger(b.start) && Number.isInteger(b.end) && b.start <= b.end)
    .map((b) => ({ start: b.start, end: b.end }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged = [];
  for (const block of sorted) {
    const last = merged[merged.length - 1];
    if (last && block.start <= last.end) last.end = Math.max(last.end, block.end);
    else merged.push(block);
  }
  return merged.filter((b) => b.end > b.start);
}

/** The reader text with its blocks, and per block its grapheme, word and sentence segments. */
export class CaretText {
  /** `text`: the reader text (string or CodePointIndex); `blocks`: [{start, end}] in code points. */
  constructor(text, blocks) {
    this.index = text instanceof CodePointIndex ? text : new CodePointIndex(text);
    this.blocks = mergeBlocks(blocks);
    this.cache = new Map();
  }

  get length() {
    return this.index.length;
  }

  /** Index of the block holding `offset` (its end included), else of the next block, else the last. */
  blockAt(offset) {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid].end < offset) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(lo, blocks.length - 1);
  }

  /** `offset` moved onto a caret position: inside a block, a gap snapping to the next block's start. */
  clamp(offset) {
    if (this.blocks.length === 0) return 0;
    const block = this.blocks[this.blockAt(offset)];
    return Math.min(Math.max(offset, block.start), block.end);
  }

  /**
   * Segments of block `b` at `granularity` ("grapheme", "word", "sentence"):
   * [{start, end, wordLike}] in code points of the reader text.
   */
  segments(b, granularity) {
    const key = `${b}:${granularity}`;
    if (!this.cache.has(key)) {
      const block = this.blocks[b];
      const str = this.index.slice(block.start, block.end);
      const local = new CodePointIndex(str);
      const list = [];
      for (const part of segmenter(granularity).segment(str)) {
        list.push({
          start: block.start + local.toCodePoint(part.index),
          end: block.start + local.toCodePoint(part.index + part.segment.length),
          wordLike: part.isWordLike !== false,
          text: part.segment,
        });
      }
      this.cache.set(key, list);
    }
    return this.cache.get(key);
  }

  slice(start, end) {
    return this.index.slice(start, end);
  }
}

function intoNextBlock(ct, b, direction) {
  const next = ct.blocks[b + direction];
  if (!next) return null;
  return direction > 0 ? next.start : next.end;
}

function characterStep(ct, offset, direction) {
  const b = ct.blockAt(offset);
  const block = ct.blocks[b];
  const bounds = ct.segments(b, "grapheme");
  if (direction > 0) {
    const seg = bounds.find((s) => s.end > offset);
    if (seg && offset < block.end) return seg.end;
    return intoNextBlock(ct, b, 1) ?? offset;
  }
  const seg = [...bounds].reverse().find((s) => s.start < offset);
  if (seg && offset > block.start) return seg.start;
  return intoNextBlock(ct, b, -1) ?? offset;
}

function wordStep(ct, offset, direction) {
  const b = ct.blockAt(offset);
  const block = ct.blocks[b];
  const words = ct.segments(b, "word").filter((s) => s.wordLike);
  if (direction > 0) {
    const word = words.find((s) => s.end > offset);
    if (word) return word.end;
    if (offset < block.end) return block.end;
    return intoNextBlock(ct, b, 1) ?? offset;
  }
  const word = [...words].reverse().find((s) => s.start < offset);
  if (word) return word.start;
  if (offset > block.start) return block.start;
  return intoNextBlock(ct, b, -1) ?? offset;
}

function sentenceStep(ct, offset, direction) {
  const b = ct.blockAt(offset);
  const block = ct.blocks[b];
  const sentences = ct.segments(b, "sentence").map((s) => ({ start: s.start, end: s.end - trailingSpace(s.text) }));
  if (direction > 0) {
    const sentence = sentences.find((s) => s.end > offset);
    if (sentence) return sentence.end;
    if (offset < block.end) return block.end;
    const next = intoNextBlock(ct, b, 1);
    return next === null ? offset : sentenceStep(ct, next, 1);
  }
  const sentence = [...sentences].reverse().find((s) => s.start < offset);
  if (sentence) return sentence.start;
  const previous = intoNextBlock(ct, b, -1);
  return previous === null ? block.start : sentenceStep(ct, previous, -1);
}

function trailingSpace(str) {
  const match = /\s+$/u.exec(str);
  return match ? Array.from(match[0]).length : 0;
}

/**
 * Where the caret at `offset` goes, one `unit` ("character", "word", "sentence", "paragraph",
 * "paragraph-edge", "text") forwards (direction 1) or backwards (-1). Forwards a word or sentence
 * ends at its end, backwards at its start; a paragraph or the text at their end or start (from
 * the edge of a paragraph, "paragraph" goes on to the next one, "paragraph-edge" stays).
 */
export function moveCaret(ct, offset, unit, direction) {
  if (ct.blocks.length === 0) return 0;
  const at = ct.clamp(offset);
  if (unit === "character") return characterStep(ct, at, direction);
  if (unit === "word") return wordStep(ct, at, direction);
  if (unit === "sentence") return sentenceStep(ct, at, direction);
  if (unit === "paragraph") {
    const block = ct.blocks[ct.blockAt(at)];
    if (direction > 0) return at < block.end ? block.end : (intoNextBlock(ct, ct.blockAt(at), 1) ?? at);
    return at > block.start ? block.start : (intoNextBlock(ct, ct.blockAt(at), -1) ?? at);
  }
  if (unit === "paragraph-edge") {
    const block = ct.blocks[ct.blockAt(at)];
    return direction > 0 ? block.end : block.start;
  }
  if (unit === "text") return direction > 0 ? ct.blocks[ct.blocks.length - 1].end : ct.blocks[0].start;
  throw new RangeError(`unknown caret unit ${unit}`);
}

/**
 * The caret after a key: {anchor, focus}. With `extend` the focus moves and the anchor stays;
 * without it a selection collapses to its side in `direction` (as browsers do) before moving
 * further only for a collapsed caret.
 */
export function stepSelection(ct, { anchor, focus }, unit, direction, extend) {
  if (extend) return { anchor, focus: moveCaret(ct, focus, unit, direction) };
  if (anchor !== focus && unit === "character") {
    const edge = direction > 0 ? Math.max(anchor, focus) : Math.min(anchor, focus);
    return { anchor: edge, focus: edge };
  }
  const moved = moveCaret(ct, focus, unit, direction);
  return { anchor: moved, focus: moved };
}

/** The selected span {start, end}, or null for a collapsed caret. */
export function selectedSpan({ anchor, focus }) {
  if (anchor === focus) return null;
  return { start: Math.min(anchor, focus), end: Math.max(anchor, focus) };
}

/** The word (or, between words, the grapheme) at `offset`, for announcing where the caret is. */
export function textAtCaret(ct, offset) {
  if (ct.blocks.length === 0) return "";
  const at = ct.clamp(offset);
  const b = ct.blockAt(at);
  const word = ct.segments(b, "word").find((s) => s.start <= at && at < s.end);
  if (word && word.wordLike) return word.text;
  const grapheme = ct.segments(b, "grapheme").find((s) => s.start <= at && at < s.end);
  if (grapheme) return /^\s$/u.test(grapheme.text) ? "space" : grapheme.text;
  return "end of paragraph";
}
