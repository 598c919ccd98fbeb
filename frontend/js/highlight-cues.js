// How a claim's highlight shows its status and rating: the rating's colour from the team's scale
// (a neutral one while unrated), and cues that do not rely on colour: the underline style per
// status group (app.css, keyed on data-status) and a glyph after the highlight, the status' symbol
// followed by the rating's number on the scale (①, ②, …), both listed in the legend. Pure: no DOM.

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** The status groups, their underline and the symbol of each status (app.css draws the lines). */
export const STATUS_GROUPS = [
  { line: "dashed", label: "Open", statuses: { new: "○", in_research: "◔" } },
  { line: "double", label: "Under review", statuses: { in_review: "◑", changes_requested: "↺", correction_in_review: "✎" } },
  { line: "solid", label: "Approved", statuses: { approved: "✓", correction_approved: "✓" } },
  { line: "thick", label: "Published", statuses: { published: "★" } },
  { line: "dotted", label: "Set aside", statuses: { retracted: "✕", not_check_worthy: "–" } },
];

const BY_STATUS = new Map(
  STATUS_GROUPS.flatMap((group) => Object.entries(group.statuses).map(([status, glyph]) => [status, { line: group.line, glyph }])),
);

/** {line, glyph} for a status; an unknown one is drawn as open. */
export function statusCue(status) {
  return BY_STATUS.get(status) || { line: "dashed", glyph: "?" };
}

/** The rating's number on the scale as a circled figure (①…⑳, then "(21)"), or "" without one. */
export function ratingNumeral(number) {
  if (!Number.isInteger(number) || number < 1) return "";
  return number <= 20 ? String.fromCodePoint(0x2460 + number - 1) : `(${number})`;
}

/** 1-based place of `rating` ({id, label}) on the scale `ratings` (in display order), or null. */
export function ratingNumber(ratings, rating) {
  if (!rating) return null;
  let at = ratings.findIndex((r) => r.id === rating.id);
  if (at < 0) at = ratings.findIndex((r) => r.label === rating.label);
  return at < 0 ? null : at + 1;
}

/** A colour to apply, or null: only #rrggbb values count (they come from teams). */
export function safeColor(color) {
  return typeof color === "string" && HEX_COLOR.test(color) ? color : null;
}

/**
 * Everything a claim's marks show about it: {status, line, glyph, color, description}. `statusLabels`
 * is a Map status -> label; `ratings` the team's scale in display order.
 */
export function highlightCues(claim, { statusLabels = new Map(), ratings = [] } = {}) {
  const cue = statusCue(claim.status);
  const number = ratingNumber(ratings, claim.rating);
  const statusLabel = statusLabels.get(claim.status) || claim.status || "";
  const rated = claim.rating ? `, rated ${claim.rating.label}` : ", not rated yet";
  return {
    status: claim.status || "",
    line: cue.line,
    glyph: `${cue.glyph}${ratingNumeral(number)}`,
    color: claim.rating ? safeColor(claim.rating.color) : null,
    description: `Claim: ${statusLabel}${rated}`,
  };
}
