// Carrying offsets of an old reader text into its revision. Mirrors
// annotations/anchoring/diff.py step for step and tie for tie (see its docstring):
// common prefix/suffix widened to whole lines, a patience diff of the lines, of the
// words inside replaced lines, and common prefix/suffix inside replaced words;
// pure insertions and deletions slide to line, sentence or word boundaries.
// The work runs on UTF-16 indices, which only ever fall between code points;
// the segments are converted to code points at the end.

import { CodePointIndex } from "./codepoints.js";

export const MAX_DIFF_WORK = 1_000_000;

const LINES = /[^\n]*\n|[^\n]+/g;
const WORDS = /[ \t\n\r\f\v]+|[^ \t\n\r\f\v]+/g;
const VISIBLE = /[^ \t\n\r\f\v]/;
const SPACE = new Set([" ", "\t", "\n", "\r", "\f", "\v"]);
const SENTENCE_END = new Set([...".!?:;\"')\u201d\u2019\u00bb\u2026"]);

const isHigh = (str, i) => {
  const unit = str.charCodeAt(i);
  return unit >= 0xd800 && unit <= 0xdbff;
};
const isLow = (str, i) => {
  const unit = str.charCodeAt(i);
  return unit >= 0xdc00 && unit <= 0xdfff;
};

/** [prefix, suffix]: lengths in UTF-16 units of the common ends, never splitting a code point. */
function commonEnds(a, b) {
  const limit = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  if (prefix > 0 && isHigh(a, prefix - 1) && (isLow(a, prefix) || isLow(b, prefix))) prefix -= 1;
  const rest = limit - prefix;
  let suffix = 0;
  while (suffix < rest && a.charCodeAt(a.length - suffix - 1) === b.charCodeAt(b.length - suffix - 1)) suffix += 1;
  if (
    suffix > 0 &&
    isLow(a, a.length - suffix) &&
    (isHigh(a, a.length - suffix - 1) || isHigh(b, b.length - suffix - 1))
  ) {
    suffix -= 1;
  }
  return [prefix, suffix];
}

const asIndex = (text) => (text instanceof CodePointIndex ? text : new CodePointIndex(text));

/** The single replaced span {prefix, oldEnd, newEnd} (code points) turning oldText into newText. */
export function textEdit(oldText, newText) {
  const [prefix, suffix] = commonEnds(oldText, newText);
  const oldIndex = asIndex(oldText);
  const newIndex = asIndex(newText);
  return {
    prefix: oldIndex.toCodePoint(prefix),
    oldEnd: oldIndex.toCodePoint(oldText.length - suffix),
    newEnd: newIndex.toCodePoint(newText.length - suffix),
  };
}

/** Equal segments [oldStart, newStart, length] (code points), increasing in both texts. */
export class OffsetMap {
  constructor(segments, oldLength, newLength) {
    this.segments = segments;
    this.oldLength = oldLength;
    this.newLength = newLength;
  }

  /** Where `offset` of the old text lies in the new one; past an insertion made there. */
  mapOffset(offset) {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segments[mid][0] <= offset) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    const [oldStart, newStart, length] = k >= 0 ? segments[k] : [0, 0, 0];
    if (offset <= oldStart + length) return newStart + offset - oldStart;
    const nextNew = k + 1 < segments.length ? segments[k + 1][1] : this.newLength;
    return Math.min(newStart + offset - oldStart, nextNew);
  }
}

/**
 * Align oldText with its revision newText. Either may be a CodePointIndex (reused
 * for the conversion to code points).
 */
export function offsetMap(oldText, newText) {
  const oldIndex = asIndex(oldText);
  const newIndex = asIndex(newText);
  const old = oldIndex.str;
  const neu = newIndex.str;
  if (old === neu) return new OffsetMap(old ? [[0, 0, oldIndex.length]] : [], oldIndex.length, newIndex.length);
  const [prefix, commonSuffix] = commonEnds(old, neu);
  const lo = prefix === 0 ? 0 : old.lastIndexOf("\n", prefix - 1) + 1;
  let suffix = commonSuffix;
  if (suffix && !(lineStart(old, old.length - suffix) && lineStart(neu, neu.length - suffix))) {
    const newline = old.indexOf("\n", old.length - suffix);
    suffix = newline < 0 ? 0 : old.length - newline - 1;
  }
  const oldHi = old.length - suffix;
  const newHi = neu.length - suffix;
  const segments = [[0, 0, lo]];
  const budget = [MAX_DIFF_WORK];
  for (const [a0, a1, b0, b1, same] of align(old, neu, lo, oldHi, lo, newHi, LINES, budget)) {
    if (same) {
      segments.push([a0, b0, a1 - a0]);
      continue;
    }
    for (const [c0, c1, d0, d1, sameWords] of align(old, neu, a0, a1, b0, b1, WORDS, budget)) {
      if (sameWords) {
        segments.push([c0, d0, c1 - c0]);
      } else {
        const [p, s] = commonEnds(old.slice(c0, c1), neu.slice(d0, d1));
        segments.push([c0, d0, p]);
        segments.push([c1 - s, d1 - s, s]);
      }
    }
  }
  segments.push([oldHi, newHi, suffix]);
  const merged = [];
  for (const [a, b, n] of segments) {
    if (n <= 0) continue;
    const start = oldIndex.toCodePoint(a);
    const to = newIndex.toCodePoint(b);
    const length = oldIndex.toCodePoint(a + n) - start;
    const last = merged[merged.length - 1];
    if (last && last[0] + last[2] === start && last[1] + last[2] === to) last[2] += length;
    else merged.push([start, to, length]);
  }
  return new OffsetMap(merged, oldIndex.length, newIndex.length);
}

const lineStart = (text, at) => at === 0 || text.charCodeAt(at - 1) === 10;

function align(old, neu, a0, a1, b0, b1, tokens, budget) {
  if (a0 === a1 || b0 === b1) return [[a0, a1, b0, b1, false]];
  const a = old.slice(a0, a1).match(tokens);
  const b = neu.slice(b0, b1).match(tokens);
  const aAt = starts(a, a0);
  const bAt = starts(b, b0);
  const blocks = matchingBlocks(a, b, budget);
  slide(blocks, a, b, aAt, bAt, old, neu);
  const stretches = [];
  let i = 0;
  let j = 0;
  for (const [bi, bj, n] of blocks) {
    if (n === 0) continue;
    if (i < bi || j < bj) stretches.push([aAt[i], aAt[bi], bAt[j], bAt[bj], false]);
    stretches.push([aAt[bi], aAt[bi + n], bAt[bj], bAt[bj + n], true]);
    i = bi + n;
    j = bj + n;
  }
  if (i < a.length || j < b.length) stretches.push([aAt[i], aAt[a.length], bAt[j], bAt[b.length], false]);
  return stretches;
}

function starts(tokens, base) {
  const out = [base];
  for (const token of tokens) {
    base += token.length;
    out.push(base);
  }
  return out;
}

function matchingBlocks(a, b, budget) {
  const blocks = [
    [0, 0, 0],
    [a.length, b.length, 0],
  ];
  const stack = [[0, a.length, 0, b.length]];
  while (stack.length) {
    let [alo, ahi, blo, bhi] = stack.pop();
    let n = 0;
    while (alo + n < ahi && blo + n < bhi && a[alo + n] === b[blo + n]) n += 1;
    if (n) {
      blocks.push([alo, blo, n]);
      alo += n;
      blo += n;
    }
    n = 0;
    while (alo < ahi - n && blo < bhi - n && a[ahi - n - 1] === b[bhi - n - 1]) n += 1;
    if (n) {
      ahi -= n;
      bhi -= n;
      blocks.push([ahi, bhi, n]);
    }
    const work = ahi - alo + bhi - blo;
    if (alo === ahi || blo === bhi || work > budget[0]) continue;
    budget[0] -= work;
    const anchors = uniqueAnchors(a, alo, ahi, b, blo, bhi);
    const gaps = [];
    for (const [i, j] of anchors) {
      blocks.push([i, j, 1]);
      gaps.push([alo, i, blo, j]);
      alo = i + 1;
      blo = j + 1;
    }
    if (anchors.length) {
      gaps.push([alo, ahi, blo, bhi]);
      for (let g = gaps.length - 1; g >= 0; g -= 1) stack.push(gaps[g]);
    }
  }
  blocks.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const merged = [blocks[0]];
  for (const block of blocks.slice(1)) {
    const last = merged[merged.length - 1];
    if (last[2] && block[2] && last[0] + last[2] === block[0] && last[1] + last[2] === block[1]) last[2] += block[2];
    else merged.push(block);
  }
  return merged;
}

// Blank lines and runs of whitespace are never anchors.
function uniqueAnchors(a, alo, ahi, b, blo, bhi) {
  const inA = new Map();
  for (let i = alo; i < ahi; i += 1) inA.set(a[i], inA.has(a[i]) ? -1 : i);
  const inB = new Map();
  for (let j = blo; j < bhi; j += 1) inB.set(b[j], inB.has(b[j]) ? -1 : j);
  const pairs = [];
  for (const [token, i] of inA) {
    if (i >= 0 && (inB.get(token) ?? -1) >= 0 && VISIBLE.test(token)) pairs.push([i, inB.get(token)]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const tails = [];
  const tailJs = [];
  const back = [];
  pairs.forEach(([, j], index) => {
    let lo = 0;
    let hi = tailJs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tailJs[mid] <= j) lo = mid + 1;
      else hi = mid;
    }
    back.push(lo ? tails[lo - 1] : -1);
    tails[lo] = index;
    tailJs[lo] = j;
  });
  const run = [];
  for (let index = tails.length ? tails[tails.length - 1] : -1; index >= 0; index = back[index]) run.push(pairs[index]);
  return run.reverse();
}

function slide(blocks, a, b, aAt, bAt, old, neu) {
  for (let k = 0; k < blocks.length - 1; k += 1) {
    const before = blocks[k];
    const after = blocks[k + 1];
    const loA = before[0] + before[2];
    const loB = before[1] + before[2];
    let seq;
    let at;
    let text;
    let lo;
    let hi;
    if (loA === after[0] && loB < after[1]) [seq, at, text, lo, hi] = [b, bAt, neu, loB, after[1]];
    else if (loB === after[1] && loA < after[0]) [seq, at, text, lo, hi] = [a, aAt, old, loA, after[0]];
    else continue;
    let up = 0;
    while (up < before[2] && seq[hi - 1 - up] === seq[lo - 1 - up]) up += 1;
    let down = 0;
    while (down < after[2] && seq[lo + down] === seq[hi + down]) down += 1;
    if (up === 0 && down === 0) continue;
    let best = 0;
    let bestScore = -1;
    for (let shift = -up; shift <= down; shift += 1) {
      const score = edge(text, at[lo + shift]) + edge(text, at[hi + shift]);
      if (score >= bestScore) {
        best = shift;
        bestScore = score;
      }
    }
    before[2] += best;
    after[0] += best;
    after[1] += best;
    after[2] -= best;
  }
}

function edge(text, at) {
  if (at === text.length || lineStart(text, at)) return 3;
  if (SPACE.has(text[at - 1])) return at >= 2 && SENTENCE_END.has(text[at - 2]) ? 2 : 1;
  return 0;
}
