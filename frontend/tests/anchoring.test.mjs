import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  editDistance,
  offsetMap,
  reanchor,
  reanchorMany,
  selectorsForSpan,
  similarity,
  textEdit,
} from "../js/anchoring.js";
import { cpLength, cpSlice } from "../js/codepoints.js";

const cases = JSON.parse(readFileSync(new URL("../../tests/fixtures/anchoring_cases.json", import.meta.url), "utf8"));

test("parity fixture: selectors match the stored quote", () => {
  for (const c of cases) {
    const { quote, position } = selectorsForSpan(c.text, c.position.start, c.position.end);
    assert.deepEqual(quote, c.quote, c.name);
    assert.deepEqual(position, c.position, c.name);
  }
});

for (const c of cases) {
  test(`parity fixture: ${c.name}`, () => {
    const options = c.use_old_text ? { oldText: c.text } : {};
    const anchor = reanchor(c.new_text, c.quote, c.position, options);
    assert.deepEqual({ outcome: anchor.outcome, start: anchor.start, end: anchor.end }, c.expected);
    if (anchor.outcome === "exact" || anchor.outcome === "moved") {
      assert.equal(cpSlice(c.new_text, anchor.start, anchor.end), c.quote.exact);
    }
  });
}

test("reanchorMany agrees with reanchor", () => {
  const text = "Rents rose 📈 14% in a year. Rents rose again.";
  const claims = [
    [{ exact: "Rents rose", prefix: "", suffix: " 📈 14%" }, { start: 0, end: 10 }],
    [{ exact: "again", prefix: "Rents rose ", suffix: "." }, { start: 39, end: 44 }],
  ];
  const edited = "🚨 " + text;
  const many = reanchorMany(edited, claims, { oldText: text });
  assert.deepEqual(many, claims.map(([q, p]) => reanchor(edited, q, p, { oldText: text })));
  assert.deepEqual(many.map((a) => [a.outcome, a.start]), [["moved", 2], ["moved", 41]]);
});

test("selectorsForSpan counts code points and rejects bad spans", () => {
  const text = "👨‍👩‍👧‍👦 said €1.2 billion";
  const { quote, position } = selectorsForSpan(text, 13, 17, 4);
  assert.deepEqual(quote, { exact: "€1.2", prefix: "aid ", suffix: " bil" });
  assert.deepEqual(position, { start: 13, end: 17 });
  assert.throws(() => selectorsForSpan(text, 3, 3), RangeError);
  assert.throws(() => selectorsForSpan(text, 0, 99), RangeError);
});

test("edit distance and similarity count code points", () => {
  assert.equal(editDistance("a📈b", "a📉b"), 1);
  assert.equal(editDistance("", "🇪🇺"), 2);
  assert.equal(similarity("", ""), 1);
  assert.equal(similarity("abcd", "abce"), 0.75);
});

test("textEdit never splits a surrogate pair", () => {
  assert.deepEqual(textEdit("x📈y", "x📉y"), { prefix: 1, oldEnd: 2, newEnd: 2 });
  assert.deepEqual(textEdit("abc", "abc"), { prefix: 3, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(textEdit("ab", "a😀b"), { prefix: 1, oldEnd: 1, newEnd: 2 });
});

test("orphans have no position; fuzzy never claims to be exact", () => {
  const text = "The port will double its capacity by 2030.";
  const quote = { exact: "double its capacity", prefix: "The port will ", suffix: " by 2030." };
  const gone = reanchor("Nothing to see here.", quote, { start: 14, end: 33 });
  assert.deepEqual(gone, { start: null, end: null, outcome: "orphan", score: 0 });
  const changed = reanchor(text.replace("capacity", "capacit"), quote, { start: 14, end: 33 });
  assert.equal(changed.outcome, "fuzzy");
  assert.notEqual(cpSlice(text.replace("capacity", "capacit"), changed.start, changed.end), quote.exact);
});

// Segments computed by annotations/anchoring/diff.py for the same texts.
const ALIGNED = [
  [
    "First paragraph.\n\nThe budget was $770 million this year.\n",
    "Editor’s note: figures corrected.\n\nFirst paragraph.\n\nThe budget was $768 million this year.\n",
    [
      [0, 35, 35],
      [37, 72, 20],
    ],
  ],
  [
    "The council said the budget was $770 million.\n\nMore.\n",
    "The council corrected this report on Friday.\n\nThe council said the budget was $770 million.\n\nMore.\n",
    [[0, 46, 53]],
  ],
  [
    "📈 Rents rose 14%.\n\nThe 👨‍👩‍👧 family said so.\n",
    "🚨🚨 Note.\n\n📈 Rents rose 15%.\n\nThe 👨‍👩‍👧 family said so.\n",
    [
      [0, 10, 14],
      [15, 25, 30],
    ],
  ],
  [
    "Title\r\n\r\nThe port will double its capacity.\r\n",
    "Title\n\nThe port will double its capacity.\n",
    [
      [0, 0, 5],
      [8, 6, 35],
      [44, 41, 1],
    ],
  ],
  ["A spokesperson said so.", "A spokesperson said so. The mayor said so.", [[0, 0, 23]]],
];

test("offsetMap gives the segments diff.py gives", () => {
  for (const [oldText, newText, segments] of ALIGNED) {
    assert.deepEqual(offsetMap(oldText, newText).segments, segments, newText);
  }
});

test("offsetMap maps an offset at an insertion past it, inside a change by distance", () => {
  const inserted = offsetMap("Rents rose. Officials said so.", "Rents rose. They fell later. Officials said so.");
  assert.equal(inserted.mapOffset(12), 29);
  const changed = offsetMap("a b xxxxxx c", "a b yy c");
  assert.deepEqual([4, 5, 6, 7, 8, 9, 10].map((o) => changed.mapOffset(o)), [4, 5, 6, 6, 6, 6, 6]);
  assert.deepEqual(offsetMap("abc", "abc").segments, [[0, 0, 3]]);
  assert.deepEqual(offsetMap("", "").segments, []);
});

// A small seeded generator (mulberry32), so failures repeat.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [..."ab .\n", "the ", "The", "😀", "👨‍👩‍👧", "\r\n", "é", "”", "\n\n", "$770", "大", "! "];
const between = (next, lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
const pieces = (next, n) => Array.from({ length: n }, () => PIECES[between(next, 0, PIECES.length - 1)]).join("");

/** `text` after a few insertions, deletions, replacements and line moves that leave `keep` alone. */
function revise(next, text, keep = "") {
  for (let edits = between(next, 1, 4); edits > 0; edits -= 1) {
    if (next() < 0.25 && text.includes("\n")) {
      const lines = text.split("\n");
      const [line] = lines.splice(between(next, 0, lines.length - 1), 1);
      lines.splice(between(next, 0, lines.length), 0, line);
      text = lines.join("\n");
    } else {
      const at = between(next, 0, text.length);
      const end = between(next, at, Math.min(text.length, at + 12));
      if (!keep || !text.slice(at, end).includes(keep)) {
        text = text.slice(0, at) + pieces(next, between(next, 0, 6)) + text.slice(end);
      }
    }
  }
  return text;
}

test("offsetMap segments are equal text, in order; offsets map in order and in range", () => {
  const next = random(20211224);
  for (let n = 0; n < 500; n += 1) {
    const oldText = pieces(next, between(next, 0, 40));
    const newText = revise(next, oldText);
    const map = offsetMap(oldText, newText);
    let previousOld = 0;
    let previousNew = 0;
    for (const [a, b, length] of map.segments) {
      assert.ok(length > 0 && a >= previousOld && b >= previousNew);
      assert.equal(cpSlice(oldText, a, a + length), cpSlice(newText, b, b + length));
      previousOld = a + length;
      previousNew = b + length;
    }
    let previous = 0;
    for (let o = 0; o <= cpLength(oldText); o += 1) {
      const mapped = map.mapOffset(o);
      assert.ok(mapped >= previous && mapped <= cpLength(newText));
      previous = mapped;
    }
  }
});

test("edits away from the quote never make it fuzzy or an orphan", () => {
  const next = random(7);
  const sentinel = "\u0000";
  for (let n = 0; n < 500; n += 1) {
    const left = pieces(next, between(next, 1, 30));
    const claim = pieces(next, between(next, 1, 8));
    const right = pieces(next, between(next, 0, 30));
    const oldText = left + claim + right;
    const { quote, position } = selectorsForSpan(oldText, cpLength(left), cpLength(left) + cpLength(claim));
    const marked = revise(next, left + sentinel + right, sentinel);
    const newText = marked.replace(sentinel, () => claim);
    const anchor = reanchor(newText, quote, position, { oldText });
    assert.ok(anchor.outcome === "exact" || anchor.outcome === "moved", JSON.stringify({ oldText, newText }));
    assert.equal(cpSlice(newText, anchor.start, anchor.end), claim);
  }
});
