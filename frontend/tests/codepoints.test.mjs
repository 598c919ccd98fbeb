import assert from "node:assert/strict";
import { test } from "node:test";

import { CodePointIndex, codePointToUtf16, codePoints, cpLength, cpSlice, utf16ToCodePoint } from "../js/codepoints.js";

const FAMILY = "👨‍👩‍👧‍👦"; // 7 code points, 11 UTF-16 units
const SAMPLE = `a${FAMILY} é 🇪🇺 大阪 𝔼[x] ع\u00ad\u200b`;

test("cpLength counts code points, not UTF-16 units", () => {
  assert.equal(cpLength(""), 0);
  assert.equal(cpLength(FAMILY), 7);
  assert.equal(FAMILY.length, 11);
  assert.equal(cpLength("🇪🇺"), 2);
  assert.equal(cpLength("e\u0301"), 2);
  assert.equal(cpLength("\ud800x"), 2); // a lone surrogate is one code point
});

test("conversions round-trip at every code point boundary", () => {
  const n = cpLength(SAMPLE);
  for (let cp = 0; cp <= n; cp += 1) {
    const u16 = codePointToUtf16(SAMPLE, cp);
    assert.equal(utf16ToCodePoint(SAMPLE, u16), cp);
    assert.equal(cpSlice(SAMPLE, cp), [...SAMPLE].slice(cp).join(""));
  }
  assert.equal(codePointToUtf16(SAMPLE, n + 5), SAMPLE.length);
});

test("an index inside a surrogate pair counts that pair", () => {
  assert.equal(utf16ToCodePoint("😀x", 1), 1);
  assert.equal(utf16ToCodePoint("😀x", 2), 1);
  assert.equal(utf16ToCodePoint("😀x", 3), 2);
});

test("cpSlice behaves like Python slicing", () => {
  assert.equal(cpSlice("a😀b😀c", 1, 4), "😀b😀");
  assert.equal(cpSlice("a😀b", 2, 1), "");
  assert.equal(cpSlice("a😀b", 1, 99), "😀b");
  assert.throws(() => cpSlice("abc", -1, 2), RangeError);
});

test("codePoints decodes astral characters", () => {
  assert.deepEqual(codePoints("a😀"), [0x61, 0x1f600]);
});

test("CodePointIndex agrees with the scanning helpers", () => {
  const index = new CodePointIndex(SAMPLE);
  assert.equal(index.length, cpLength(SAMPLE));
  for (let cp = 0; cp <= index.length; cp += 1) {
    assert.equal(index.toUtf16(cp), codePointToUtf16(SAMPLE, cp));
    assert.equal(index.toCodePoint(index.toUtf16(cp)), cp);
  }
  for (let u = 0; u <= SAMPLE.length; u += 1) assert.equal(index.toCodePoint(u), utf16ToCodePoint(SAMPLE, u));
  assert.equal(index.slice(1, 8), FAMILY);
});
