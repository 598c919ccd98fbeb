import assert from "node:assert/strict";
import { test } from "node:test";

import { arrangeClaims } from "../js/claims.js";
import { CodePointIndex } from "../js/codepoints.js";
import {
  etagRevision,
  ifNoneMatch,
  markBody,
  refusedForRevision,
  revisionNotice,
  revisionPlan,
  revisionSummary,
} from "../js/revisions.js";

test("the article's ETag is its revision", () => {
  assert.equal(etagRevision('"3"'), 3);
  assert.equal(etagRevision('W/"12"'), 12);
  assert.equal(etagRevision("3"), null);
  assert.equal(etagRevision(null), null);
  assert.equal(ifNoneMatch(4), '"4"');
});

test("a newer revision is applied at once when the reviewer is not busy", () => {
  assert.deepEqual(revisionPlan({ pageRevision: 1, latestRevision: 2 }), { action: "apply", waitingFor: [] });
});

test("the page's own or an older revision needs nothing", () => {
  assert.equal(revisionPlan({ pageRevision: 2, latestRevision: 2 }).action, "none");
  assert.equal(revisionPlan({ pageRevision: 3, latestRevision: 2, selecting: true }).action, "none");
  assert.equal(revisionPlan({ pageRevision: 3, latestRevision: undefined }).action, "none");
});

test("a selection in progress or unsaved panel edits defer the swap", () => {
  assert.deepEqual(revisionPlan({ pageRevision: 1, latestRevision: 2, selecting: true }), {
    action: "defer",
    waitingFor: ["selection"],
  });
  assert.deepEqual(revisionPlan({ pageRevision: 1, latestRevision: 2, editing: true }), {
    action: "defer",
    waitingFor: ["edits"],
  });
  assert.deepEqual(revisionPlan({ pageRevision: 1, latestRevision: 3, selecting: true, editing: true }).waitingFor, [
    "selection",
    "edits",
  ]);
});

test("“Apply now” applies whatever the reviewer is doing", () => {
  assert.equal(revisionPlan({ pageRevision: 1, latestRevision: 2, selecting: true, editing: true, force: true }).action, "apply");
});

test("the notice says which revision waits and for what", () => {
  assert.equal(
    revisionNotice(2, ["selection"]),
    "Revision 2 of this article was saved. It will be shown when your selection ends, or choose “Apply now”.",
  );
  assert.match(revisionNotice(5, ["edits"]), /Revision 5 .* when your claim edits are saved or discarded/);
  assert.match(revisionNotice(5, ["selection", "edits"]), /when your selection ends and your claim edits are saved or discarded/);
});

test("after a revision the outcomes are summed up", () => {
  const text = "The council approved a flood wall. The river rose in April.";
  const at = (quote) => text.indexOf(quote);
  const claims = [
    { id: 1, exact: "flood wall", start: at("flood wall"), end: at("flood wall") + 10, anchor_outcome: "moved", anchored_revision: 2 },
    { id: 2, exact: "river rise", start: at("river rose"), end: at("river rose") + 10, anchor_outcome: "fuzzy", anchor_score: 0.8, anchored_revision: 2 },
    { id: 3, exact: "gone", start: null, end: null, anchor_outcome: "orphan", anchored_revision: 2 },
    { id: 4, exact: "council", start: at("council"), end: at("council") + 7, anchor_outcome: "exact", anchored_revision: 2 },
  ];
  const arranged = arrangeClaims(text, claims, 2);
  assert.equal(
    revisionSummary(2, arranged),
    "Revision 2 of the article is shown. 1 claim moved, 1 claim matches only approximately, 1 claim is orphaned and listed apart.",
  );
  assert.equal(revisionSummary(3, { placed: [], orphans: [] }), "Revision 3 of the article is shown.");
});

test("marking sends the span, the selected text in code points and the revision shown", () => {
  const text = "Café 👨‍👩‍👧‍👦 owners said rents rose";
  const index = new CodePointIndex(text);
  const start = Array.from(text).indexOf("o");
  const body = markBody(index, { start, end: start + 6 }, 4);
  assert.deepEqual(body, { start, end: start + 6, exact: "owners", revision: 4 });
  assert.deepEqual(markBody(text, { start: 0, end: 4 }, 1), { start: 0, end: 4, exact: "Café", revision: 1 });
});

test("a mark refused for a newer revision names it", () => {
  const body = { error: { status: 409, code: "conflict", fields: { revision: ["…"] } }, revision: 3 };
  assert.equal(refusedForRevision(409, body, 2), 3);
  assert.equal(refusedForRevision(409, body, 3), null);
  assert.equal(refusedForRevision(400, body, 2), null);
  assert.equal(refusedForRevision(409, { error: {} }, 2), null);
});
