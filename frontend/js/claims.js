// Pure claim bookkeeping for the reading view: where each claim is shown, in
// which order, and how updates from the server are merged. No DOM here.
//
// The reading view keeps each claim as a highlight: what it draws and lists (the shape of
// GET /api/v1/articles/{id}/highlights/, with the revision its offsets count in). A claim's full
// JSON (from the panel, or just marked) becomes one with highlightOf, keeping its quote and context.

import { reanchor } from "./anchoring.js";
import { CodePointIndex } from "./codepoints.js";

const ORPHAN = Object.freeze({ start: null, end: null, outcome: "orphan", score: 0 });

/**
 * Where to show `claim` in `text` (a CodePointIndex or string) of the article's revision
 * `revision`. The server re-anchors every claim on a revision and records its outcome for
 * `claim.anchored_revision`; only for that revision are a fuzzy position and an orphan taken on
 * trust. Any other stored position is used only where the text there is the claim's quote, else
 * the claim is re-anchored here by the same rules as the server. A claim anchored to a newer
 * revision than the page shows sits in this older text where it was before that edit, so its
 * "moved" is not shown.
 * Returns {start, end, outcome, score}; start and end are null for an orphan.
 */
export function placeClaim(text, claim, revision = null) {
  const index = text instanceof CodePointIndex ? text : new CodePointIndex(text);
  const { start, end } = claim;
  const anchoredHere = !Number.isInteger(revision) || !Number.isInteger(claim.anchored_revision) || claim.anchored_revision === revision;
  const positioned = Number.isInteger(start) && Number.isInteger(end) && start < end && end <= index.length;
  if (anchoredHere && claim.anchor_outcome === "orphan" && start == null) return ORPHAN;
  if (positioned && anchoredHere && claim.anchor_outcome === "fuzzy") {
    return { start, end, outcome: "fuzzy", score: claim.anchor_score ?? 0 };
  }
  if (positioned && anchoredHere && claim.exact == null) {
    // A highlight without its quote: the server says the text at its span is the quote.
    return { start, end, outcome: claim.anchor_outcome || "exact", score: claim.anchor_score ?? 1 };
  }
  if (positioned && index.slice(start, end) === claim.exact) {
    if (anchoredHere) return { start, end, outcome: claim.anchor_outcome || "exact", score: claim.anchor_score ?? 1 };
    return { start, end, outcome: "exact", score: 1 };
  }
  const quote = { exact: claim.exact || "", prefix: claim.prefix || "", suffix: claim.suffix || "" };
  const position = Number.isInteger(start) && Number.isInteger(end) ? { start, end } : null;
  const place = reanchor(index.str, quote, position);
  const claimIsAhead = Number.isInteger(revision) && Number.isInteger(claim.anchored_revision) && claim.anchored_revision > revision;
  return claimIsAhead && place.outcome === "moved" ? { ...place, outcome: "exact" } : place;
}

/** Claims placed in the text of `revision`, split into those shown in document order and the orphans. */
export function arrangeClaims(text, claims, revision = null) {
  const index = text instanceof CodePointIndex ? text : new CodePointIndex(text);
  const placed = [];
  const orphans = [];
  for (const claim of claims) {
    const place = placeClaim(index, claim, revision);
    if (place.start === null) orphans.push({ claim, place });
    else placed.push({ claim, place });
  }
  placed.sort((a, b) => a.place.start - b.place.start || b.place.end - a.place.end || a.claim.id - b.claim.id);
  orphans.sort((a, b) => a.claim.id - b.claim.id);
  return { placed, orphans };
}

/** The badge for a placement ("moved", "fuzzy 82%", "orphan"), or "" for an exact one. */
export function anchorLabel(place) {
  if (!place.outcome || place.outcome === "exact") return "";
  if (place.outcome === "fuzzy") return `fuzzy ${Math.round((place.score ?? 0) * 100)}%`;
  return place.outcome;
}

/** What a fuzzy highlight says about itself (its title and description). */
export function fuzzyDescription(place) {
  return `Approximate match, ${Math.round((place.score ?? 0) * 100)}% alike: the article text changed since this claim was marked.`;
}

/**
 * Merge claims from the server into `byId` (a Map id -> claim), keeping the
 * newer version of each. Returns the ids that changed.
 */
export function mergeClaims(byId, incoming) {
  const changed = [];
  for (const claim of incoming) {
    const known = byId.get(claim.id);
    if (known && (known.version ?? 0) > (claim.version ?? 0)) continue;
    // Sources and verdicts change without bumping the claim's version, so compare the whole claim.
    if (known && known.version === claim.version && JSON.stringify(known) === JSON.stringify(claim)) continue;
    byId.set(claim.id, claim);
    changed.push(claim.id);
  }
  return changed;
}

/** The claims of a highlights answer ({article, revision, claims}), each knowing the revision it is placed in. */
export function highlightsOf(answer) {
  return answer.claims.map((claim) => ({ ...claim, anchored_revision: answer.revision }));
}

/** A claim's full JSON as a highlight, with the quote and context that place it in other revisions too. */
export function highlightOf(claim) {
  const rating = claim.current_verdict ? claim.current_verdict.rating : null;
  return {
    id: claim.id,
    start: claim.start,
    end: claim.end,
    status: claim.status,
    version: claim.version,
    anchor_outcome: claim.anchor_outcome,
    anchor_score: claim.anchor_score,
    rating: rating ? { id: rating.id, label: rating.label, color: rating.color } : null,
    exact: claim.exact,
    prefix: claim.prefix,
    suffix: claim.suffix,
    anchored_revision: claim.anchored_revision,
  };
}

/** The words a claim was marked on: its quote, or for a highlight without one the text at its place. */
export function claimQuote(text, claim, place) {
  if (claim.exact != null) return claim.exact;
  if (place.start === null) return "";
  const index = text instanceof CodePointIndex ? text : new CodePointIndex(text);
  return index.slice(place.start, place.end);
}

/**
 * Does the highlight `fresh` say that the claim the panel shows (its full JSON) has changed since?
 * Every write moves a claim's version on; a rating's label or colour can change on its own.
 */
export function claimChanged(shown, fresh) {
  if (!fresh || (fresh.version ?? 0) < (shown.version ?? 0)) return false;
  if (fresh.version !== shown.version || fresh.status !== shown.status) return true;
  const rating = highlightOf(shown).rating;
  return JSON.stringify(rating) !== JSON.stringify(fresh.rating ?? null);
}

/** The id after (step 1) or before (step -1) `currentId` in `orderedIds`, wrapping around. */
export function stepClaim(orderedIds, currentId, step) {
  if (orderedIds.length === 0) return null;
  const at = orderedIds.indexOf(currentId);
  if (at < 0) return step > 0 ? orderedIds[0] : orderedIds[orderedIds.length - 1];
  return orderedIds[(at + step + orderedIds.length) % orderedIds.length];
}

/** A short, single-line excerpt of a quote for lists (counted in code points). */
export function excerpt(text, limit = 120) {
  const flat = String(text).replace(/\s+/gu, " ").trim();
  const points = Array.from(flat);
  return points.length <= limit ? flat : `${points.slice(0, limit - 1).join("")}…`;
}

/** Does a key event's target take typed text (so single-letter shortcuts must not fire)? */
export function isTypingTarget(target) {
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select" || target.isContentEditable) return true;
  if (tag !== "input") return false;
  const type = (target.type || "text").toLowerCase();
  return !["button", "submit", "reset", "checkbox", "radio"].includes(type);
}

/** Field messages of an API error body as a flat list of "field: message". */
export function errorMessages(error) {
  if (!error) return [];
  const messages = [];
  if (error.message) messages.push(error.message);
  for (const [field, list] of Object.entries(error.fields || {})) {
    for (const message of [].concat(list)) messages.push(field === "non_field_errors" ? message : `${field}: ${message}`);
  }
  return messages;
}

/** The claim id of an address fragment `#claim-<id>` (a link to one claim), or null. */
export function claimIdOfHash(hash) {
  const match = /^#claim-(\d+)$/.exec(hash || "");
  return match ? Number(match[1]) : null;
}
