import assert from "node:assert/strict";
import { test } from "node:test";

import { correctionsLog, lifecycleEntries, linkedTo, statusLabel } from "../js/lifecycle.js";

const rita = { id: 1, username: "rita" };
const eddie = { id: 2, username: "eddie" };

function event(id, action, actor, after = {}, before = {}, minute = id) {
  return { id, action, actor, after, before, created_at: `2025-05-01T10:${String(minute).padStart(2, "0")}:00Z` };
}

test("lifecycle entries keep lifecycle events in time order with the status each led to", () => {
  const events = [
    event(3, "claim.propose", rita, { status: "in_review", verdict: 9 }),
    event(1, "claim.create", rita, { exact: "x" }),
    event(2, "claim.assign", eddie, { status: "in_research", assignee: 1, due_at: "…" }),
    event(4, "comment.add", eddie),
    event(5, "claim.request_changes", eddie, { status: "changes_requested", note: "Cite the budget." }),
    event(6, "claim.correct", eddie, { verdict: 12 }),
  ];
  const entries = lifecycleEntries(events, { usernames: new Map([[1, "rita"]]) });
  assert.deepEqual(
    entries.map((e) => [e.action, e.statusLabel, e.who, e.detail]),
    [
      ["claim.create", "New", "rita", ""],
      ["claim.assign", "In research", "eddie", "to rita"],
      ["claim.propose", "In review", "rita", ""],
      ["claim.request_changes", "Changes requested", "eddie", "Cite the budget."],
      ["claim.correct", null, "eddie", ""],
    ],
  );
  assert.equal(entries[1].when, "2025-05-01T10:02:00Z");
});

test("corrections and retractions read in the timeline with their notes", () => {
  const events = [
    event(1, "claim.propose_correction", rita, { status: "correction_in_review", verdict: 13, note: "The budget was revised." }),
    event(2, "claim.approve_correction", eddie, { status: "correction_approved", verdict: 13 }),
    event(3, "claim.publish_correction", eddie, { status: "published", verdict: 13 }),
    event(4, "claim.retract", eddie, { status: "retracted", verdict: 13, note: "The source was fabricated." }),
  ];
  assert.deepEqual(
    lifecycleEntries(events).map((e) => [e.label, e.statusLabel, e.detail]),
    [
      ["Correction proposed", "Correction in review", "The budget was revised."],
      ["Correction approved", "Correction approved", ""],
      ["Correction published", "Published", ""],
      ["Verdict retracted", "Retracted", "The source was fabricated."],
    ],
  );
});

test("an unknown assignee and a system actor still read", () => {
  const [entry] = lifecycleEntries([event(1, "claim.assign", null, { status: "in_research", assignee: 7 })]);
  assert.equal(entry.who, "system");
  assert.equal(entry.detail, "to user #7");
  assert.equal(statusLabel("some_new_state"), "some new state");
});

test("linkedTo finds the last link", () => {
  assert.equal(linkedTo([]), null);
  assert.equal(
    linkedTo([
      event(1, "claim.link_duplicate", rita, { duplicate_of: 4 }),
      event(2, "claim.link_duplicate", rita, { duplicate_of: 5 }),
    ]),
    5,
  );
});

test("the corrections log lists replaced published verdicts with their correction notes", () => {
  const verdicts = [
    { id: 12, published_at: "2025-05-02T00:00:00Z", summary: "new" },
    { id: 9, published_at: "2025-05-01T00:00:00Z", summary: "old" },
    { id: 8, published_at: null, summary: "never published" },
  ];
  const events = [event(6, "verdict.correct", eddie, { verdict: 12, note: "The figure was revised." }, { verdict: 9 })];
  const log = correctionsLog(verdicts, events, 12);
  assert.deepEqual(log.map((entry) => [entry.verdict.id, entry.correction && entry.correction.note]), [
    [9, "The figure was revised."],
  ]);
  assert.deepEqual(correctionsLog(verdicts, [], 12)[0].correction, null);
});
