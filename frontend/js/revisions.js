// The reading view against new revisions of its article: noticing one (the article's ETag is
// its revision), when to swap it in, what to tell the reviewer meanwhile and afterwards, and
// what marking a claim sends so the server can map a span of an older revision. Pure: no DOM,
// no network.

import { CodePointIndex } from "./codepoints.js";

/** The revision an ETag names ('"3"', 'W/"3"'), or null. */
export function etagRevision(etag) {
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(etag || "");
  return match ? Number(match[1]) : null;
}

/** The If-None-Match header that asks for the article only when it is past `revision`. */
export function ifNoneMatch(revision) {
  return `"${revision}"`;
}

/**
 * What to do about the article's latest revision: "none" (the page shows it), "apply" now, or
 * "defer" while the reviewer is in the middle of something swapping the text would break: a
 * selection, or unsaved edits in the claim panel. `force` ("Apply now", a refused mark) applies
 * anyway. Returns {action, waitingFor}; waitingFor lists "selection" and/or "edits".
 */
export function revisionPlan({ pageRevision, latestRevision, selecting = false, editing = false, force = false }) {
  if (!Number.isInteger(latestRevision) || latestRevision <= pageRevision) return { action: "none", waitingFor: [] };
  const waitingFor = [];
  if (selecting) waitingFor.push("selection");
  if (editing) waitingFor.push("edits");
  if (force || waitingFor.length === 0) return { action: "apply", waitingFor: [] };
  return { action: "defer", waitingFor };
}

/** The notice shown (and announced) while a newer revision waits for the reviewer. */
export function revisionNotice(revision, waitingFor) {
  const selection = waitingFor.includes("selection");
  const edits = waitingFor.includes("edits");
  let when = "now";
  if (selection && edits) when = "when your selection ends and your claim edits are saved or discarded";
  else if (selection) when = "when your selection ends";
  else if (edits) when = "when your claim edits are saved or discarded";
  return `Revision ${revision} of this article was saved. It will be shown ${when}, or choose “Apply now”.`;
}

function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** What changed for the claims once a revision is shown ({placed, orphans} from arrangeClaims). */
export function revisionSummary(revision, { placed, orphans }) {
  const moved = placed.filter(({ place }) => place.outcome === "moved").length;
  const fuzzy = placed.filter(({ place }) => place.outcome === "fuzzy").length;
  const parts = [];
  if (moved) parts.push(`${count(moved, "claim", "claims")} moved`);
  if (fuzzy) parts.push(`${count(fuzzy, "claim matches", "claims match")} only approximately`);
  if (orphans.length) parts.push(`${count(orphans.length, "claim is", "claims are")} orphaned and listed apart`);
  return `Revision ${revision} of the article is shown.${parts.length ? ` ${parts.join(", ")}.` : ""}`;
}

/**
 * The body for marking text[start:end] of the revision the page shows: the span, the selected
 * text itself, and that revision, so that the server can place it in a newer one.
 */
export function markBody(text, { start, end }, revision) {
  const index = text instanceof CodePointIndex ? text : new CodePointIndex(text);
  return { start, end, exact: index.slice(start, end), revision };
}

/** The newer revision a refused mark names (409 with "revision"), or null. */
export function refusedForRevision(status, body, pageRevision) {
  const revision = body && Number.isInteger(body.revision) ? body.revision : null;
  return status === 409 && revision !== null && revision > pageRevision ? revision : null;
}
