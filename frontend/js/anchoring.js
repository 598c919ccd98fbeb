// Selectors and re-anchoring over reader text, in code points. Mirrors
// annotations/anchoring/selectors.py and matching.py rule for rule and constant
// for constant; tests/fixtures/anchoring_cases.json holds the shared cases.

import { CodePointIndex, codePoints, cpLength } from "./codepoints.js";
import { offsetMap } from "./diff.js";

export { OffsetMap, offsetMap, textEdit } from "./diff.js";

export const CONTEXT_LENGTH = 32;
export const MIN_QUOTE_SIMILARITY = 0.75;
export const QUOTE_WEIGHT = 0.6;
export const PREFIX_WEIGHT = 0.15;
export const SUFFIX_WEIGHT = 0.15;
export const POSITION_WEIGHT = 0.1;
export const MIN_FUZZY_SCORE = 0.6;
export const FUZZY_MIN_SLACK = 64;
export const MAX_FUZZY_QUOTE_LENGTH = 1000;
export const MOVED_FIRST_WINDOW = 64;

const ORPHAN = Object.freeze({ start: null, end: null, outcome: "orphan", score: 0 });

const asIndex = (text) => (text instanceof CodePointIndex ? text : new CodePointIndex(text));

/** {quote: {exact, prefix, suffix}, position: {start, end}} for text[start:end]. */
export function selectorsForSpan(text, start, end, context = CONTEXT_LENGTH) {
  const index = asIndex(text);
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= index.length)) {
    throw new RangeError(`span [${start}, ${end}) is not a non-empty span of a text of length ${index.length}`);
  }
  return {
    quote: {
      exact: index.slice(start, end),
      prefix: index.slice(Math.max(0, start - context), start),
      suffix: index.slice(end, Math.min(index.length, end + context)),
    },
    position: { start, end },
  };
}

/** Levenshtein distance counted in code points. */
export function editDistance(a, b) {
  let x = codePoints(a);
  let y = codePoints(b);
  if (x.length < y.length) [x, y] = [y, x];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) {
      current.push(Math.min(previous[j - 1] + (x[i - 1] !== y[j - 1] ? 1 : 0), previous[j] + 1, current[j - 1] + 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/** 1 - edit distance / length of the longer string; two empty strings agree fully. */
export function similarity(a, b) {
  const longest = Math.max(cpLength(a), cpLength(b));
  if (longest === 0) return 1.0;
  return 1.0 - editDistance(a, b) / longest;
}

function contextSimilarity(index, start, end, quote) {
  const before = index.slice(Math.max(0, start - cpLength(quote.prefix)), start);
  const after = index.slice(end, Math.min(index.length, end + cpLength(quote.suffix)));
  return [similarity(quote.prefix, before), similarity(quote.suffix, after)];
}

/** Start offsets of `needle` lying wholly within text[lo:hi] (code points). */
function occurrences(index, needle, lo, hi) {
  const found = [];
  const stop = index.toUtf16(hi);
  let at = index.str.indexOf(needle, index.toUtf16(lo));
  while (at >= 0 && at + needle.length <= stop) {
    found.push(index.toCodePoint(at));
    at = index.str.indexOf(needle, at + 1);
  }
  return found;
}

/**
 * Find the claim described by quote/position in the new text.
 * Returns {start, end, outcome: "exact"|"moved"|"fuzzy"|"orphan", score}.
 */
export function reanchor(text, quote, position, { oldText = null } = {}) {
  const index = asIndex(text);
  const alignment = oldText === null ? null : offsetMap(oldText, index);
  return reanchorIn(index, quote, position, alignment);
}

/** reanchor() for many [quote, position] pairs of one article; the texts are aligned once. */
export function reanchorMany(text, claims, { oldText = null } = {}) {
  const index = asIndex(text);
  const alignment = oldText === null ? null : offsetMap(oldText, index);
  return claims.map(([quote, position]) => reanchorIn(index, quote, position, alignment));
}

function reanchorIn(index, quote, position, alignment) {
  const exact = quote.exact;
  if (!exact) return ORPHAN;
  const length = cpLength(exact);
  let expected = null;
  if (position) {
    expected = alignment === null ? position.start : alignment.mapOffset(position.start);
    expected = Math.min(Math.max(expected, 0), index.length);
    if (index.str.startsWith(exact, index.toUtf16(expected))) {
      return { start: expected, end: expected + length, outcome: expected === position.start ? "exact" : "moved", score: 1.0 };
    }
  }
  const start = nearestOccurrence(index, quote, expected);
  if (start !== null) return { start, end: start + length, outcome: "moved", score: 1.0 };
  if (expected !== null) return fuzzy(index, quote, expected);
  return ORPHAN;
}

function bestByContext(index, starts, quote) {
  const length = cpLength(quote.exact);
  let best = starts[0];
  if (starts.length === 1) return best;
  let bestAgreement = -Infinity;
  for (const start of starts) {
    const [before, after] = contextSimilarity(index, start, start + length, quote);
    const agreement = before + after;
    if (agreement > bestAgreement || (agreement === bestAgreement && start < best)) {
      best = start;
      bestAgreement = agreement;
    }
  }
  return best;
}

function nearestOccurrence(index, quote, expected) {
  const exact = quote.exact;
  const length = cpLength(exact);
  if (expected === null) {
    const starts = occurrences(index, exact, 0, index.length);
    return starts.length ? bestByContext(index, starts, quote) : null;
  }
  for (let reach = MOVED_FIRST_WINDOW; ; reach *= 4) {
    const lo = Math.max(0, expected - reach);
    const hi = Math.min(index.length, expected + length + reach);
    const starts = occurrences(index, exact, lo, hi);
    const whole = lo === 0 && hi === index.length;
    if (starts.length) {
      const nearest = Math.min(...starts.map((s) => Math.abs(s - expected)));
      if (nearest <= reach || whole) {
        return bestByContext(index, starts.filter((s) => Math.abs(s - expected) === nearest), quote);
      }
    } else if (whole) {
      return null;
    }
  }
}

function fuzzy(index, quote, expected) {
  const m = cpLength(quote.exact);
  if (m > MAX_FUZZY_QUOTE_LENGTH) return ORPHAN;
  const slack = Math.max(FUZZY_MIN_SLACK, m);
  const lo = Math.max(0, expected - slack);
  const hi = Math.min(index.length, expected + m + slack);
  const maxErrors = Math.floor(m * (1 - MIN_QUOTE_SIMILARITY));
  let best = null;
  for (const [regionStart, regionEnd, errors] of approximateOccurrences(codePoints(quote.exact), codePoints(index.slice(lo, hi)), maxErrors)) {
    const start = regionStart + lo;
    const end = regionEnd + lo;
    const [before, after] = contextSimilarity(index, start, end, quote);
    const closeness = Math.max(0.0, 1.0 - Math.abs(start - expected) / (slack + m));
    const score =
      QUOTE_WEIGHT * (1.0 - errors / m) + PREFIX_WEIGHT * before + SUFFIX_WEIGHT * after + POSITION_WEIGHT * closeness;
    if (best === null || score > best.score) best = { start, end, outcome: "fuzzy", score };
  }
  if (best === null || best.score < MIN_FUZZY_SCORE) return ORPHAN;
  return best;
}

// Sellers' algorithm with Ukkonen's cut-off; ties prefer substitution, then
// skipping a region code point, then skipping a pattern code point (as matching.py).
function approximateOccurrences(pattern, region, maxErrors) {
  const m = pattern.length;
  const over = maxErrors + 1;
  let prevCost = Array.from({ length: m + 1 }, (_, i) => i);
  let prevStart = new Array(m + 1).fill(0);
  let last = Math.min(m, maxErrors);
  const found = [];
  for (let j = 1; j <= region.length; j += 1) {
    const ch = region[j - 1];
    const curCost = new Array(m + 1).fill(over);
    const curStart = new Array(m + 1).fill(j);
    curCost[0] = 0;
    const top = Math.min(m, last + 1);
    for (let i = 1; i <= top; i += 1) {
      let cost = prevCost[i - 1] + (pattern[i - 1] !== ch ? 1 : 0);
      let start = prevStart[i - 1];
      const skipRegion = prevCost[i] + 1;
      if (skipRegion < cost) {
        cost = skipRegion;
        start = prevStart[i];
      }
      const skipPattern = curCost[i - 1] + 1;
      if (skipPattern < cost) {
        cost = skipPattern;
        start = curStart[i - 1];
      }
      curCost[i] = Math.min(cost, over);
      curStart[i] = start;
    }
    last = top;
    while (last > 0 && curCost[last] > maxErrors) last -= 1;
    if (curCost[m] <= maxErrors) found.push([curStart[m], j, curCost[m]]);
    prevCost = curCost;
    prevStart = curStart;
  }
  return found;
}
