// Offsets into reader text are Unicode code points (W3C Web Annotation model);
// the DOM counts UTF-16 code units. Convert only at that edge, with these helpers.
// A lone surrogate counts as one code point, as in Python.

const isHigh = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

function pairAt(str, i) {
  return i + 1 < str.length && isHigh(str.charCodeAt(i)) && isLow(str.charCodeAt(i + 1));
}

/** Number of code points in `str`. */
export function cpLength(str) {
  let count = 0;
  for (let i = 0; i < str.length; i += pairAt(str, i) ? 2 : 1) count += 1;
  return count;
}

/**
 * Code point offset of UTF-16 `index` in `str`: the number of code points that
 * start before it (an index splitting a surrogate pair counts that pair).
 */
export function utf16ToCodePoint(str, index) {
  if (!(index >= 0)) throw new RangeError(`negative UTF-16 index ${index}`);
  const stop = Math.min(index, str.length);
  let count = 0;
  for (let i = 0; i < stop; i += pairAt(str, i) ? 2 : 1) count += 1;
  return count;
}

/** UTF-16 index where code point number `cp` starts (str.length past the end). */
export function codePointToUtf16(str, cp) {
  if (!(cp >= 0)) throw new RangeError(`negative code point offset ${cp}`);
  let i = 0;
  for (let n = 0; n < cp && i < str.length; n += 1) i += pairAt(str, i) ? 2 : 1;
  return i;
}

/** `str` sliced by code point offsets, like Python's str[start:end] for start, end >= 0. */
export function cpSlice(str, start, end = Infinity) {
  const from = codePointToUtf16(str, start);
  if (end === Infinity) return str.slice(from);
  if (end <= start) return "";
  let i = from;
  for (let n = start; n < end && i < str.length; n += 1) i += pairAt(str, i) ? 2 : 1;
  return str.slice(from, i);
}

/** The code points of `str` as numbers. */
export function codePoints(str) {
  const out = [];
  for (let i = 0; i < str.length; i += 1) {
    const unit = str.charCodeAt(i);
    if (pairAt(str, i)) {
      out.push(((unit - 0xd800) << 10) + (str.charCodeAt(i + 1) - 0xdc00) + 0x10000);
      i += 1;
    } else {
      out.push(unit);
    }
  }
  return out;
}

/**
 * A table from code point offsets to UTF-16 indices, for repeated conversions
 * over one long text in O(1) (and O(log n) back).
 */
export class CodePointIndex {
  constructor(str) {
    this.str = str;
    const table = new Uint32Array(str.length + 1);
    let n = 0;
    let i = 0;
    while (i < str.length) {
      table[n] = i;
      n += 1;
      i += pairAt(str, i) ? 2 : 1;
    }
    table[n] = str.length;
    this.toUtf16Table = table.subarray(0, n + 1);
    this.length = n;
  }

  toUtf16(cp) {
    return this.toUtf16Table[Math.min(Math.max(cp, 0), this.length)];
  }

  /** Code point offset of a UTF-16 index (rounded up inside a surrogate pair). */
  toCodePoint(index) {
    const table = this.toUtf16Table;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  slice(start, end) {
    return this.str.slice(this.toUtf16(start), this.toUtf16(end));
  }
}
