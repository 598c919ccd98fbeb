// The claim panel's details form against other people's saves: which version it edits, which
// inputs follow live updates, and the three-way merge after a refused (409) save. Pure: values
// are the strings the form's inputs hold, no DOM here.
//
// A form's state is {version, shown}: `shown` holds, per field, the server's value the input was
// last given. A field is edited when its input differs from `shown`; while any is, live updates
// never change `version`, so a save made over someone else's is refused instead of overwriting it.

export const DETAIL_FIELDS = ["restated", "claimant", "claimant_kind", "claim_date", "priority"];

export const FIELD_LABELS = {
  restated: "Claim as restated",
  claimant: "Claimant",
  claimant_kind: "Claimant is",
  claim_date: "Claim date",
  priority: "Priority",
};

/** A claim's details as the form's inputs hold them ("" for none). */
export function detailValues(claim) {
  const text = (value) => (value === null || value === undefined ? "" : String(value));
  return {
    restated: text(claim.restated),
    claimant: text(claim.claimant),
    claimant_kind: text(claim.claimant_kind || "person"),
    claim_date: text(claim.claim_date),
    priority: text(claim.priority),
  };
}

/** The fields whose input holds the user's unsaved change. */
export function editedFields(shown, inputs) {
  return DETAIL_FIELDS.filter((name) => inputs[name] !== shown[name]);
}

/**
 * A newer copy of the claim reached the form. Untouched inputs follow it; edited ones stay, and
 * so does the version while any is edited. `adopt` (the answer to this form's own save) moves the
 * version on regardless. Returns the new {version, shown} and the inputs to write.
 */
export function followClaim(state, inputs, claim, { adopt = false } = {}) {
  const incoming = detailValues(claim);
  const edited = editedFields(state.shown, inputs);
  const shown = { ...state.shown };
  const writes = {};
  for (const name of DETAIL_FIELDS) {
    if (edited.includes(name) && !adopt) continue;
    if (inputs[name] === state.shown[name] && inputs[name] !== incoming[name]) writes[name] = incoming[name];
    shown[name] = incoming[name];
  }
  const version = adopt || edited.length === 0 ? claim.version : state.version;
  return { state: { version, shown }, writes };
}

/**
 * Three-way merge after a refused save: `base` is what the form was given, `mine` its inputs,
 * `theirs` the claim as it is now. A field both sides changed, to different values, is a
 * conflict for the user to settle (its value is kept as mine until then); a field only one side
 * changed takes that side's value without asking.
 * Returns {values, conflicts: [{field, base, mine, theirs}], kept, taken}: `kept` the fields
 * only the user changed, `taken` those only the other side changed.
 */
export function mergeDetails(base, mine, theirs) {
  const values = {};
  const conflicts = [];
  const kept = [];
  const taken = [];
  for (const field of DETAIL_FIELDS) {
    const mineChanged = mine[field] !== base[field];
    const theirsChanged = theirs[field] !== base[field];
    if (mineChanged && theirsChanged && mine[field] !== theirs[field]) {
      conflicts.push({ field, base: base[field], mine: mine[field], theirs: theirs[field] });
      values[field] = mine[field];
    } else if (mineChanged) {
      values[field] = mine[field];
      if (!theirsChanged) kept.push(field);
    } else {
      values[field] = theirs[field];
      if (theirsChanged) taken.push(field);
    }
  }
  return { values, conflicts, kept, taken };
}

/** The value a conflict resolves to for a choice ("mine" or "theirs"); null while unchosen. */
export function resolveConflict(conflict, choice) {
  if (choice === "mine") return conflict.mine;
  if (choice === "theirs") return conflict.theirs;
  return null;
}

function apiValue(field, value) {
  if (field === "claim_date") return value || null;
  if (field === "priority") return Number(value);
  return value;
}

/**
 * The PATCH body for a form: its version and only the fields the user changed (some fields,
 * such as the priority, are an editor's: sending them unchanged would be refused).
 */
export function patchBody(state, inputs) {
  const body = { version: state.version };
  for (const field of editedFields(state.shown, inputs)) body[field] = apiValue(field, inputs[field]);
  return body;
}

/** Was a write refused because the claim changed since it was read (a 409 with the claim as it is now)? */
export function isStale(error) {
  return Boolean(error && error.status === 409 && error.body && error.body.current);
}

/** Who changed `field` and when, from a 409's last_change; null when that change did not touch it. */
export function changedBy(field, lastChange) {
  if (!lastChange || !lastChange.after || !Object.hasOwn(lastChange.after, field)) return null;
  return { username: (lastChange.by && lastChange.by.username) || "someone", at: lastChange.at || null };
}

/** The sentence telling the user what happened to their refused save. */
export function mergeMessage(merge, lastChange) {
  const names = (fields) => fields.map((f) => FIELD_LABELS[f].toLowerCase()).join(", ");
  const touched = (lastChange && lastChange.after) || {};
  // last_change is the latest change to the claim: it names who changed the details only if it touched them
  // (a revision of the article or a workflow step moves the version on too).
  const touchedDetails = DETAIL_FIELDS.some((f) => Object.hasOwn(touched, f));
  const byName = lastChange && lastChange.by && lastChange.by.username;
  const who = touchedDetails && byName ? byName : "Someone";
  if (merge.conflicts.length) {
    return `${who} saved this claim while you were editing it. Both of you changed ${names(merge.conflicts.map((c) => c.field))}: choose “Keep mine” or “Take theirs” for each, then save.`;
  }
  // What they changed: beyond `taken`, the fields their save touched that the form already followed.
  const theirs = DETAIL_FIELDS.filter((f) => merge.taken.includes(f) || (Object.hasOwn(touched, f) && !merge.kept.includes(f)));
  const parts = [
    theirs.length ? `${who} saved this claim while you were editing it.` : "This claim changed while you were editing it, not in the fields you edited.",
  ];
  if (theirs.length) parts.push(`Their change to ${names(theirs)} is kept.`);
  if (merge.kept.length) parts.push(`Your change to ${names(merge.kept)} is added to ${theirs.length ? "their" : "the new"} version.`);
  return parts.join(" ");
}
