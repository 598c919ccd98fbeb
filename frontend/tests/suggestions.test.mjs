import assert from "node:assert/strict";
import { test } from "node:test";

import { orderSuggestions, overlapsEnough, suggestionDetails, visibleSuggestions } from "../js/suggestions.js";

const s = (id, start, end, score, extra = {}) => ({ id, start, end, score, revision: 2, reasons: ["figure"], model_version: "base-1", ...extra });

test("a span hits another when they share half of the shorter one", () => {
  assert.equal(overlapsEnough({ start: 0, end: 10 }, { start: 5, end: 100 }), true);
  assert.equal(overlapsEnough({ start: 0, end: 10 }, { start: 6, end: 100 }), false);
  assert.equal(overlapsEnough({ start: 0, end: 10 }, { start: 10, end: 20 }), false);
  assert.equal(overlapsEnough({ start: 20, end: 30 }, { start: 0, end: 100 }), true);
});

test("suggestions of another revision, or covered by a claim, are not shown", () => {
  const list = [s(1, 0, 20, 0.9), s(2, 30, 60, 0.8), s(3, 70, 90, 0.7, { revision: 1 })];
  const claims = [{ id: 9, start: 35, end: 50 }, { id: 10, start: null, end: null }];
  assert.deepEqual(visibleSuggestions(list, claims, 2).map((x) => x.id), [1]);
});

test("the list is best first, or in text order", () => {
  const list = [s(1, 50, 60, 0.5), s(2, 0, 10, 0.9), s(3, 20, 30, 0.9)];
  assert.deepEqual(orderSuggestions(list, "score").map((x) => x.id), [2, 3, 1]);
  assert.deepEqual(orderSuggestions(list, "text").map((x) => x.id), [2, 3, 1].sort((a, b) => list.find((x) => x.id === a).start - list.find((x) => x.id === b).start));
  assert.equal(list[0].id, 1, "the input is left as it was");
});

test("the details name the score, the reasons and the model", () => {
  assert.equal(suggestionDetails(s(1, 0, 5, 0.876, { reasons: ["amount", "attribution"] })), "score 0.88: amount, attribution; model base-1");
  assert.equal(suggestionDetails(s(1, 0, 5, 0.3, { reasons: [] })), "score 0.30: no single reason; model base-1");
});
