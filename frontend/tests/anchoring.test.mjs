import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  editDistance,
  reanchor,
  reanchorMany,
  selectorsForSpan,
  similarity,
  textEdit,
} from "../js/anchoring.js";
import { cpSlice } from "../js/codepoints.js";

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
