import assert from "node:assert/strict";
import { test } from "node:test";

import {
  changedBy,
  detailValues,
  editedFields,
  followClaim,
  isStale,
  mergeDetails,
  mergeMessage,
  patchBody,
  resolveConflict,
} from "../js/conflicts.js";

const V1 = { id: 7, version: 1, restated: "", claimant: "", claimant_kind: "person", claim_date: null, priority: 2 };

function formFor(claim) {
  return { version: claim.version, shown: detailValues(claim) };
}

test("a claim's details are the strings the inputs hold", () => {
  assert.deepEqual(detailValues(V1), { restated: "", claimant: "", claimant_kind: "person", claim_date: "", priority: "2" });
  const organization = { restated: "R", claimant: "C", claimant_kind: "organization", claim_date: "2025-03-01", priority: 3 };
  assert.deepEqual(detailValues(organization), {
    restated: "R",
    claimant: "C",
    claimant_kind: "organization",
    claim_date: "2025-03-01",
    priority: "3",
  });
});

test("a form is dirty in the fields whose input differs from what it was given", () => {
  const form = formFor(V1);
  assert.deepEqual(editedFields(form.shown, form.shown), []);
  assert.deepEqual(editedFields(form.shown, { ...form.shown, restated: "Typed" }), ["restated"]);
});

test("a live update reaches a clean form whole, version included", () => {
  const form = formFor(V1);
  const v2 = { ...V1, version: 2, claimant: "The mayor" };
  const { state, writes } = followClaim(form, form.shown, v2);
  assert.equal(state.version, 2);
  assert.deepEqual(writes, { claimant: "The mayor" });
  assert.equal(state.shown.claimant, "The mayor");
});

test("a live update never overwrites typing nor moves the version of a dirty form", () => {
  const form = formFor(V1);
  const typing = { ...form.shown, restated: "B's unsaved words" };
  const v2 = { ...V1, version: 2, claimant: "The mayor", restated: "A's words" };
  const { state, writes } = followClaim(form, typing, v2);
  assert.equal(state.version, 1, "the version a dirty form edits against stays");
  assert.deepEqual(writes, { claimant: "The mayor" }, "only the untouched input follows");
  assert.equal(state.shown.restated, "", "the typed field keeps its base");
  assert.equal(state.shown.claimant, "The mayor");
  // The save that follows carries the old version, so the server refuses it instead of overwriting.
  assert.deepEqual(patchBody(state, { ...typing, claimant: "The mayor" }), { version: 1, restated: "B's unsaved words" });
});

test("the answer to the form's own save moves its version on and keeps later typing", () => {
  const form = formFor(V1);
  const saved = { ...V1, version: 2, restated: "Saved words" };
  const stillTyping = { ...form.shown, restated: "Saved words, and more" };
  const { state, writes } = followClaim(form, stillTyping, saved, { adopt: true });
  assert.equal(state.version, 2);
  assert.deepEqual(writes, {});
  assert.deepEqual(editedFields(state.shown, stillTyping), ["restated"]);
});

test("a save only sends the fields the user changed, in the API's types", () => {
  const form = formFor(V1);
  assert.deepEqual(patchBody(form, form.shown), { version: 1 });
  assert.deepEqual(patchBody(form, { ...form.shown, claim_date: "2025-02-03", priority: "3" }), {
    version: 1,
    claim_date: "2025-02-03",
    priority: 3,
  });
  const dated = formFor({ ...V1, claim_date: "2025-02-03" });
  assert.deepEqual(patchBody(dated, { ...dated.shown, claim_date: "" }), { version: 1, claim_date: null });
});

test("merge: each side changed a different field, nothing is asked and nothing lost", () => {
  const base = detailValues(V1);
  const mine = { ...base, restated: "B's restatement" };
  const theirs = { ...base, claimant: "A's claimant" };
  const merge = mergeDetails(base, mine, theirs);
  assert.deepEqual(merge.conflicts, []);
  assert.deepEqual(merge.values, { ...base, restated: "B's restatement", claimant: "A's claimant" });
  assert.deepEqual(merge.kept, ["restated"]);
  assert.deepEqual(merge.taken, ["claimant"]);
});

test("merge: both changed the same field to different values, the user is asked", () => {
  const base = detailValues({ ...V1, claimant: "Council" });
  const mine = { ...base, claimant: "The mayor", restated: "Mine only" };
  const theirs = { ...base, claimant: "The deputy mayor", priority: "3" };
  const merge = mergeDetails(base, mine, theirs);
  assert.deepEqual(merge.conflicts, [{ field: "claimant", base: "Council", mine: "The mayor", theirs: "The deputy mayor" }]);
  assert.equal(merge.values.claimant, "The mayor", "unsaved typing is kept until the user chooses");
  assert.equal(merge.values.restated, "Mine only");
  assert.equal(merge.values.priority, "3");
  assert.equal(resolveConflict(merge.conflicts[0], "theirs"), "The deputy mayor");
  assert.equal(resolveConflict(merge.conflicts[0], "mine"), "The mayor");
  assert.equal(resolveConflict(merge.conflicts[0], null), null);
});

test("merge: both made the same change, or only they changed it, no question", () => {
  const base = detailValues(V1);
  const same = mergeDetails(base, { ...base, claimant: "X" }, { ...base, claimant: "X" });
  assert.deepEqual(same.conflicts, []);
  assert.equal(same.values.claimant, "X");
  const theirsOnly = mergeDetails(base, base, { ...base, claim_date: "2025-01-01" });
  assert.deepEqual(theirsOnly.conflicts, []);
  assert.equal(theirsOnly.values.claim_date, "2025-01-01");
});

test("merge: a field I emptied against their edit is a conflict, not silently theirs", () => {
  const base = detailValues({ ...V1, restated: "Old" });
  const merge = mergeDetails(base, { ...base, restated: "" }, { ...base, restated: "New" });
  assert.deepEqual(merge.conflicts.map((c) => c.field), ["restated"]);
});

test("after a merge the form saves against the current version with only what differs from it", () => {
  const base = detailValues(V1);
  const current = { ...V1, version: 3, claimant: "A's claimant" };
  const merge = mergeDetails(base, { ...base, restated: "B's" }, detailValues(current));
  assert.deepEqual(patchBody(formFor(current), merge.values), { version: 3, restated: "B's" });
});

test("who changed a field and when comes from last_change, only if that change touched it", () => {
  const lastChange = {
    action: "claim.update",
    by: { id: 3, username: "eddie" },
    at: "2025-05-01T10:00:00+00:00",
    before: { claimant: "" },
    after: { claimant: "A's claimant" },
  };
  assert.deepEqual(changedBy("claimant", lastChange), { username: "eddie", at: "2025-05-01T10:00:00+00:00" });
  assert.equal(changedBy("restated", lastChange), null);
  assert.equal(changedBy("claimant", null), null);
});

test("the merge is explained in words", () => {
  const base = detailValues(V1);
  const lastChange = { by: { username: "eddie" }, after: { claimant: "A" } };
  const quiet = mergeDetails(base, { ...base, restated: "B" }, { ...base, claimant: "A" });
  assert.match(mergeMessage(quiet, lastChange), /^eddie saved this claim while you were editing it\. Their change to claimant is kept\. Your change to claim as restated is added/);
  // A field the form already followed (so not "taken" now) is still named as theirs.
  const followed = mergeDetails({ ...base, claimant: "A" }, { ...base, claimant: "A", restated: "B" }, { ...base, claimant: "A" });
  assert.deepEqual(followed.taken, []);
  assert.match(mergeMessage(followed, lastChange), /Their change to claimant is kept\. Your change to claim as restated is added/);
  const asked = mergeDetails(base, { ...base, claimant: "B" }, { ...base, claimant: "A" });
  assert.match(mergeMessage(asked, lastChange), /Both of you changed claimant: choose “Keep mine” or “Take theirs”/);
  assert.match(mergeMessage(asked, null), /^Someone saved/);
  // A version moved on by something else (a revision of the article): no one is blamed for the details.
  const revised = mergeDetails(base, { ...base, restated: "B" }, base);
  const creation = { action: "claim.create", by: { username: "rita" }, after: { exact: "flood wall" } };
  assert.equal(
    mergeMessage(revised, creation),
    "This claim changed while you were editing it, not in the fields you edited. Your change to claim as restated is added to the new version.",
  );
});

test("a stale write is a 409 carrying the claim as it is now", () => {
  assert.equal(isStale({ status: 409, body: { current: V1 } }), true);
  assert.equal(isStale({ status: 409, body: { error: {} } }), false);
  assert.equal(isStale({ status: 428, body: { current: V1 } }), false);
  assert.equal(isStale(null), false);
});
