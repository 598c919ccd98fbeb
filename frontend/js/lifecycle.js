// A claim's lifecycle read from its audit events (GET /api/v1/claims/{id}/events/, oldest
// first): the status transitions with who and when, the corrections log of a published
// verdict, and the earlier claim it was linked to. Pure functions, no DOM.

export const STATUS_LABELS = {
  new: "New",
  in_research: "In research",
  in_review: "In review",
  changes_requested: "Changes requested",
  approved: "Approved",
  published: "Published",
  correction_in_review: "Correction in review",
  correction_approved: "Correction approved",
  retracted: "Retracted",
  not_check_worthy: "Not check-worthy",
};

// Audit actions that belong to the lifecycle, with how the timeline says them.
const LIFECYCLE_ACTIONS = {
  "claim.create": "Marked",
  "claim.assign": "Assigned",
  "claim.propose": "Verdict proposed",
  "claim.request_changes": "Changes requested",
  "claim.resume": "Research resumed",
  "claim.approve": "Verdict approved",
  "claim.publish": "Verdict published",
  "claim.correct": "Published verdict corrected",
  "claim.propose_correction": "Correction proposed",
  "claim.approve_correction": "Correction approved",
  "claim.publish_correction": "Correction published",
  "claim.withdraw_correction": "Correction withdrawn",
  "claim.retract": "Verdict retracted",
  "claim.restore_published": "Published verdict restored to the record",
  "claim.not_check_worthy": "Set aside as not check-worthy",
  "claim.reopen": "Reopened",
  "claim.link_duplicate": "Linked to an already-checked claim",
};

export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status || "").replaceAll("_", " ");
}

function username(user) {
  if (!user) return null;
  return typeof user === "object" ? user.username || null : String(user);
}

function detailOf(event, usernames) {
  const after = event.after || {};
  switch (event.action) {
    case "claim.assign":
      return after.assignee !== undefined && after.assignee !== null
        ? `to ${usernames.get(Number(after.assignee)) || `user #${after.assignee}`}`
        : "";
    case "claim.request_changes":
    case "claim.propose_correction":
    case "claim.withdraw_correction":
    case "claim.retract":
      return after.note || "";
    case "claim.not_check_worthy":
      return after.not_check_worthy_reason || "";
    case "claim.link_duplicate":
      return after.duplicate_of ? `claim #${after.duplicate_of}` : "";
    default:
      return "";
  }
}

/**
 * The lifecycle timeline: one entry per lifecycle event, oldest first.
 * Each entry: {id, action, label, status (the status it led to, or null when unchanged),
 * statusLabel, who, when, detail}. `usernames` maps user ids to names (for assignees).
 */
export function lifecycleEntries(events, { usernames = new Map() } = {}) {
  const ordered = [...(events || [])].sort(
    (a, b) => String(a.created_at).localeCompare(String(b.created_at)) || (a.id ?? 0) - (b.id ?? 0),
  );
  const entries = [];
  for (const event of ordered) {
    const label = LIFECYCLE_ACTIONS[event.action];
    if (!label) continue;
    const after = event.after || {};
    const status = event.action === "claim.create" ? "new" : after.status || null;
    entries.push({
      id: event.id,
      action: event.action,
      label,
      status,
      statusLabel: status ? statusLabel(status) : null,
      who: username(event.actor) || "system",
      when: event.created_at,
      detail: detailOf(event, usernames),
    });
  }
  return entries;
}

/** The id of the earlier claim this one was last linked to, or null. */
export function linkedTo(events) {
  let linked = null;
  for (const event of events || []) {
    if (event.action === "claim.link_duplicate" && event.after && event.after.duplicate_of) {
      linked = Number(event.after.duplicate_of);
    }
  }
  return linked;
}

/**
 * The corrections log: published verdicts that a correction replaced, newest first, each with
 * the note of the correction that replaced it (from the "verdict.correct" audit events).
 */
export function correctionsLog(verdicts, events, currentId) {
  const notes = new Map();
  for (const event of events || []) {
    if (event.action !== "verdict.correct") continue;
    const before = event.before || {};
    const after = event.after || {};
    if (before.verdict) notes.set(Number(before.verdict), { note: after.note || "", by: username(event.actor), when: event.created_at });
  }
  return (verdicts || [])
    .filter((v) => v.id !== currentId && v.published_at)
    .sort((a, b) => String(b.published_at).localeCompare(String(a.published_at)) || b.id - a.id)
    .map((v) => ({ verdict: v, correction: notes.get(v.id) || null }));
}
