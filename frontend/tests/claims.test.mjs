import assert from "node:assert/strict";
import { test } from "node:test";

import {
  anchorLabel,
  arrangeClaims,
  claimChanged,
  claimIdOfHash,
  claimQuote,
  errorMessages,
  fuzzyDescription,
  excerpt,
  highlightOf,
  highlightsOf,
  isTypingTarget,
  mergeClaims,
  placeClaim,
  stepClaim,
} from "../js/claims.js";
import { selectorsForSpan } from "../js/anchoring.js";
import { cpLength, cpSlice } from "../js/codepoints.js";

const TEXT = "Café 👨‍👩‍👧‍👦 owners 🇪🇺 said rents rose 14 % in a year; 大阪市 grew, «الميناء» too.";

function claimAt(id, text, start, end, extra = {}) {
  const { quote } = selectorsForSpan(text, start, end);
  return { id, ...quote, start, end, anchor_outcome: "exact", anchor_score: 1, version: 1, updated_at: "2025-01-01T00:00:00Z", ...extra };
}

test("a claim whose quote is at its offsets stays there (code points, not UTF-16)", () => {
  const utf16Start = TEXT.indexOf("said");
  const cpStart = cpLength(TEXT.slice(0, utf16Start));
  assert.ok(cpStart < utf16Start); // the emoji before it count once each as code points
  const claim = claimAt(1, TEXT, cpStart, cpStart + 4);
  assert.equal(claim.exact, "said");
  assert.deepEqual(placeClaim(TEXT, claim), { start: cpStart, end: cpStart + 4, outcome: "exact", score: 1 });
});

test("a claim whose text moved is re-anchored by the same rules as the server", () => {
  const old = claimAt(1, TEXT, 30, 40);
  const edited = `Breaking: ${TEXT}`;
  const place = placeClaim(edited, old);
  assert.equal(place.outcome, "moved");
  assert.equal(cpSlice(edited, place.start, place.end), old.exact);
});

test("a claim whose text is gone is an orphan, never moved onto other text", () => {
  const claim = claimAt(1, TEXT, 5, 16);
  const place = placeClaim("Something else entirely, nothing alike at all.", claim);
  assert.deepEqual(place, { start: null, end: null, outcome: "orphan", score: 0 });
});

test("a fuzzy anchor recorded by the server is trusted where it points", () => {
  const claim = { ...claimAt(1, TEXT, 0, 4), exact: "Cafe", anchor_outcome: "fuzzy", anchor_score: 0.8 };
  assert.deepEqual(placeClaim(TEXT, claim), { start: 0, end: 4, outcome: "fuzzy", score: 0.8 });
});

test("a fuzzy position is trusted only for the revision it was recorded for", () => {
  const claim = { ...claimAt(1, TEXT, 0, 4), exact: "Cafe", anchor_outcome: "fuzzy", anchor_score: 0.8, anchored_revision: 2 };
  assert.deepEqual(placeClaim(TEXT, claim, 2), { start: 0, end: 4, outcome: "fuzzy", score: 0.8 });
  // On a page showing another revision the offsets point into other text: re-anchor the quote instead.
  const elsewhere = `Intro, then something else: ${TEXT}`;
  const place = placeClaim(elsewhere, claim, 1);
  assert.notEqual(place.start, 0, "not drawn over 'Intr' at the stored offsets");
  assert.equal(cpSlice(elsewhere, place.start, place.end), "Café", "found again by the same rules as the server");
  assert.equal(place.outcome, "fuzzy");
});

test("stored offsets of another revision are used only where the text there is the quote", () => {
  const revision1 = "The council approved a flood wall. The river rose in April.";
  const revision2 = `Update: ${revision1}`;
  const start2 = revision2.indexOf("flood wall");
  // The server re-anchored the claim for revision 2 ("moved"); the page still shows revision 1.
  const claim = { id: 1, exact: "flood wall", prefix: "approved a ", suffix: ". The river", start: start2, end: start2 + 10, anchor_outcome: "moved", anchor_score: 1, anchored_revision: 2 };
  const place = placeClaim(revision1, claim, 1);
  assert.equal(cpSlice(revision1, place.start, place.end), "flood wall");
  assert.equal(place.outcome, "exact", "in the older text it sits where it was: no 'moved' badge");
  // On revision 2 the server's outcome is shown.
  assert.deepEqual(placeClaim(revision2, claim, 2), { start: start2, end: start2 + 10, outcome: "moved", score: 1 });
});

test("a claim the server orphaned on this revision is never drawn", () => {
  const text = "The council approved a flood wall.";
  const orphan = { id: 1, exact: "flood wall", prefix: "", suffix: "", start: null, end: null, anchor_outcome: "orphan", anchor_score: 0, anchored_revision: 2 };
  assert.equal(placeClaim(text, orphan, 2).outcome, "orphan");
  // A page still showing the older revision, where the quote still is, shows it there.
  const older = placeClaim(text, orphan, 1);
  assert.equal(cpSlice(text, older.start, older.end), "flood wall");
  assert.equal(older.outcome, "exact");
});

test("no placement other than a fuzzy one covers text other than the quote", () => {
  const text = "Rents rose 14 % in a year; the council approved a flood wall on Tuesday.";
  const claims = [
    { id: 1, exact: "flood wall", start: 0, end: 10, anchor_outcome: "exact", anchored_revision: 1 }, // stale offsets
    { id: 2, exact: "approved a", start: text.indexOf("approved a"), end: text.indexOf("approved a") + 10, anchor_outcome: "moved", anchored_revision: 3 },
    { id: 3, exact: "Rents rise", start: 0, end: 10, anchor_outcome: "fuzzy", anchor_score: 0.7, anchored_revision: 2 },
  ];
  for (const revision of [1, 2, 3]) {
    for (const { claim, place } of arrangeClaims(text, claims, revision).placed) {
      if (place.outcome === "fuzzy") continue;
      assert.equal(cpSlice(text, place.start, place.end), claim.exact, `claim ${claim.id} on revision ${revision}`);
    }
  }
});

test("badges name the outcome, a fuzzy one with its score", () => {
  assert.equal(anchorLabel({ outcome: "exact", score: 1 }), "");
  assert.equal(anchorLabel({ outcome: "moved", score: 1 }), "moved");
  assert.equal(anchorLabel({ outcome: "fuzzy", score: 0.8249 }), "fuzzy 82%");
  assert.equal(anchorLabel({ outcome: "orphan", score: 0 }), "orphan");
  assert.match(fuzzyDescription({ outcome: "fuzzy", score: 0.8 }), /80% alike/);
});

test("claims are arranged in document order, orphans apart", () => {
  const a = claimAt(3, TEXT, 30, 40);
  const b = claimAt(1, TEXT, 5, 20);
  const inner = claimAt(2, TEXT, 5, 10);
  const orphan = { id: 4, exact: "not here at all", prefix: "", suffix: "", start: null, end: null, anchor_outcome: "orphan" };
  const { placed, orphans } = arrangeClaims(TEXT, [a, orphan, inner, b]);
  assert.deepEqual(placed.map((p) => p.claim.id), [1, 2, 3]);
  assert.deepEqual(orphans.map((p) => p.claim.id), [4]);
});

test("merging keeps the newer version and reports what changed", () => {
  const byId = new Map();
  assert.deepEqual(mergeClaims(byId, [{ id: 1, version: 2, updated_at: "a" }]), [1]);
  assert.deepEqual(mergeClaims(byId, [{ id: 1, version: 1, updated_at: "b" }]), []);
  assert.deepEqual(mergeClaims(byId, [{ id: 1, version: 2, updated_at: "a" }]), []);
  assert.deepEqual(mergeClaims(byId, [{ id: 1, version: 3, updated_at: "c" }, { id: 2, version: 1 }]), [1, 2]);
  // A new verdict leaves the version alone but changes the claim.
  assert.deepEqual(mergeClaims(byId, [{ id: 2, version: 1, current_verdict: { rating: { label: "False" } } }]), [2]);
  assert.equal(byId.get(1).version, 3);
});

// Highlights as GET /api/v1/articles/{id}/highlights/ answers them: no quote unless fuzzy or orphaned.
function highlightAt(id, start, end, extra = {}) {
  return { id, start, end, status: "new", version: 1, anchor_outcome: "exact", anchor_score: 1, rating: null, exact: null, ...extra };
}

test("highlights are placed where the server put them in their revision, without their quote", () => {
  const start = cpLength(TEXT.slice(0, TEXT.indexOf("大阪市")));
  const answer = {
    article: 9,
    revision: 3,
    claims: [
      highlightAt(1, start, start + 3, { anchor_outcome: "moved" }),
      highlightAt(2, 0, 4, { anchor_outcome: "fuzzy", anchor_score: 0.8, exact: "Cafe" }),
      highlightAt(3, null, null, { anchor_outcome: "orphan", anchor_score: 0, exact: "gone" }),
    ],
  };
  const claims = highlightsOf(answer);
  assert.ok(claims.every((claim) => claim.anchored_revision === 3));
  const { placed, orphans } = arrangeClaims(TEXT, claims, 3);
  assert.deepEqual(placed.map(({ claim, place }) => [claim.id, place]), [
    [2, { start: 0, end: 4, outcome: "fuzzy", score: 0.8 }],
    [1, { start, end: start + 3, outcome: "moved", score: 1 }],
  ]);
  assert.deepEqual(orphans.map(({ claim }) => claim.id), [3]);
  // What the list shows: the text at an exact or moved highlight, the stored quote of the others.
  assert.equal(claimQuote(TEXT, placed[1].claim, placed[1].place), "大阪市");
  assert.equal(claimQuote(TEXT, placed[0].claim, placed[0].place), "Cafe");
  assert.equal(claimQuote(TEXT, orphans[0].claim, orphans[0].place), "gone");
});

test("a claim's full JSON becomes a highlight that keeps its quote and context", () => {
  const claim = {
    ...claimAt(5, TEXT, 5, 16),
    status: "in_review",
    status_label: "In review",
    anchored_revision: 2,
    current_verdict: { id: 8, rating: { id: 4, label: "False", value: 0, color: "#c0392b" }, summary: "No." },
    sources: [{ id: 1 }],
  };
  const highlight = highlightOf(claim);
  assert.deepEqual(highlight, {
    id: 5,
    start: 5,
    end: 16,
    status: "in_review",
    version: 1,
    anchor_outcome: "exact",
    anchor_score: 1,
    rating: { id: 4, label: "False", color: "#c0392b" },
    exact: claim.exact,
    prefix: claim.prefix,
    suffix: claim.suffix,
    anchored_revision: 2,
  });
  assert.equal(highlightOf({ ...claim, current_verdict: null }).rating, null);
  // With its quote it is re-anchored on a page showing another revision, like any claim.
  const place = placeClaim(`Breaking: ${TEXT}`, highlight, 1);
  assert.equal(cpSlice(`Breaking: ${TEXT}`, place.start, place.end), claim.exact);
});

test("the open claim is loaded again when its highlight says it changed", () => {
  const shown = { id: 1, version: 2, status: "new", current_verdict: null };
  assert.equal(claimChanged(shown, highlightAt(1, 0, 4, { version: 2 })), false);
  assert.equal(claimChanged(shown, highlightAt(1, 0, 4, { version: 3 })), true);
  assert.equal(claimChanged(shown, highlightAt(1, 0, 4, { version: 1 })), false, "an older answer");
  assert.equal(claimChanged(shown, undefined), false);
  const rated = { ...shown, current_verdict: { rating: { id: 4, label: "False", value: 0, color: "#c0392b" } } };
  const same = highlightAt(1, 0, 4, { version: 2, rating: { id: 4, label: "False", color: "#c0392b" } });
  assert.equal(claimChanged(rated, same), false);
  assert.equal(claimChanged(rated, { ...same, rating: { ...same.rating, color: "#000000" } }), true, "the rating's colour");
});

test("next and previous claim wrap around", () => {
  assert.equal(stepClaim([4, 7, 9], null, 1), 4);
  assert.equal(stepClaim([4, 7, 9], null, -1), 9);
  assert.equal(stepClaim([4, 7, 9], 7, 1), 9);
  assert.equal(stepClaim([4, 7, 9], 9, 1), 4);
  assert.equal(stepClaim([4, 7, 9], 4, -1), 9);
  assert.equal(stepClaim([], 4, 1), null);
});

test("excerpts count code points and never split an emoji", () => {
  const long = "😀".repeat(200);
  const short = excerpt(long, 10);
  assert.equal(Array.from(short).length, 10);
  assert.ok(short.endsWith("…"));
  assert.equal(excerpt("a\n\n b\tc"), "a b c");
});

test("single-letter shortcuts do not fire while typing", () => {
  assert.equal(isTypingTarget({ tagName: "TEXTAREA" }), true);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "url" }), true);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "submit" }), false);
  assert.equal(isTypingTarget({ tagName: "BUTTON" }), false);
  assert.equal(isTypingTarget({ tagName: "DIV", isContentEditable: true }), true);
  assert.equal(isTypingTarget(null), false);
});

test("API errors become readable messages", () => {
  const error = { status: 400, code: "invalid", message: "Invalid input.", fields: { url: ["Enter a valid URL."] } };
  assert.deepEqual(errorMessages(error), ["Invalid input.", "url: Enter a valid URL."]);
  assert.deepEqual(errorMessages(null), []);
});

test("a link to #claim-<id> names that claim; anything else names none", () => {
  assert.equal(claimIdOfHash("#claim-42"), 42);
  for (const hash of ["", "#", "#claim-", "#claim-4x", "#claim-42/x", "#comment-3", null]) {
    assert.equal(claimIdOfHash(hash), null);
  }
});
