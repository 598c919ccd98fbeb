// The claim panel's details form: the claim as restated, claimant (a person or an organization),
// claim date and priority.
// Its methods are mixed into ClaimPanel.prototype (claim-panel.js).
//
// The form never loses typing: live updates reach only the inputs the user has not touched and
// never change the version it saves against while it has unsaved edits, so a save over someone
// else's is refused (409), then merged where only one side changed and asked field by field
// (keep mine, take theirs) where both did. The decisions are pure, in conflicts.js.

import { ApiError, api } from "./api.js";
import {
  DETAIL_FIELDS,
  FIELD_LABELS,
  changedBy,
  detailValues,
  followClaim,
  isStale,
  mergeDetails,
  mergeMessage,
  patchBody,
  resolveConflict,
} from "./conflicts.js";
import { apiForm, el, field, formatDate, select } from "./panel-dom.js";

// ClaimReview names the claimant as a Person or an Organization.
const CLAIMANT_KINDS = [
  { value: "person", label: "A person" },
  { value: "organization", label: "An organization" },
];

// How often a save merged without asking may be retried when others keep saving.
const MAX_MERGE_RETRIES = 3;

export const detailsMethods = {
  detailInputs() {
    const values = {};
    for (const name of DETAIL_FIELDS) values[name] = this.details.inputs[name].value;
    return values;
  },

  writeDetailInputs(values) {
    for (const [name, value] of Object.entries(values)) {
      const input = this.details.inputs[name];
      if (input.value !== value) input.value = value;
    }
  },

  setDetailsState(state) {
    this.details.version = state.version;
    this.details.shown = state.shown;
    this.details.form.dataset.version = String(state.version);
  },

  /** A newer copy of the claim: untouched inputs follow it, typed ones stay. */
  followDetails(claim, { adopt = false } = {}) {
    if (!this.details) return;
    const { state, writes } = followClaim(this.details, this.detailInputs(), claim, { adopt });
    this.writeDetailInputs(writes);
    this.setDetailsState(state);
  },

  detailsForm() {
    const claim = this.claim;
    const values = detailValues(claim);
    const restated = el("textarea", { name: "restated", rows: 3 });
    restated.value = values.restated;
    const claimant = el("input", { name: "claimant", type: "text", value: values.claimant });
    const claimantKind = select("claimant_kind", CLAIMANT_KINDS, values.claimant_kind);
    const claimDate = el("input", { name: "claim_date", type: "date", value: values.claim_date });
    const priority = select("priority", this.page.priorities, claim.priority);
    const conflicts = el("div", { className: "conflicts", hidden: true });
    const note = el("p", { className: "merge-note", hidden: true });
    const form = apiForm(
      "Claim details",
      [conflicts, note, field("Claim as restated", restated), field("Claimant", claimant), field("Claimant is", claimantKind), field("Claim date", claimDate), field("Priority", priority)],
      "Save claim",
      () => this.saveDetails(),
    );
    form.classList.add("details-form");
    const discard = el("button", { type: "button", className: "secondary", text: "Discard changes" });
    discard.addEventListener("click", () => this.discardDetails());
    form.querySelector("button[type=submit]").after(" ", discard);
    this.details = {
      form,
      conflictArea: conflicts,
      note,
      inputs: { restated, claimant, claimant_kind: claimantKind, claim_date: claimDate, priority },
      conflicts: [],
      version: claim.version,
      shown: values,
    };
    form.dataset.version = String(claim.version);
    return el("section", { className: "panel-section", "aria-labelledby": "panel-details-h" },
      el("h3", { id: "panel-details-h", text: "Details" }), form);
  },

  /** Save the user's changes against the version they edited; a refused save is merged. */
  async saveDetails(retries = 0) {
    const details = this.details;
    const unsettled = details.conflicts.filter((c) => !c.choice);
    if (unsettled.length) {
      const names = unsettled.map((c) => FIELD_LABELS[c.field]).join(", ");
      details.conflictArea.querySelector("input[type=radio]")?.focus();
      throw new Error(`Choose “Keep mine” or “Take theirs” for: ${names}.`);
    }
    const body = patchBody(details, this.detailInputs());
    if (Object.keys(body).length === 1) {
      this.clearConflicts();
      this.followDetails(this.claim);
      this.announce("Nothing to save: the claim already says this.");
      this.checkSettled();
      return;
    }
    let saved;
    try {
      saved = await api(`claims/${this.claim.id}/`, { method: "PATCH", body });
    } catch (error) {
      if (!isStale(error)) throw error;
      await this.mergeRefused(error.body, retries);
      return;
    }
    if (!this.details || this.details !== details) return;
    details.note.hidden = retries === 0;
    this.clearConflicts();
    this.followDetails(saved, { adopt: true });
    this.setClaim(saved, { own: "details" });
    this.announce("Claim saved.");
    this.checkSettled();
  },

  /** Someone saved first: keep what only one side changed, ask about the rest. */
  async mergeRefused({ current, last_change: lastChange }, retries) {
    const details = this.details;
    const mine = this.detailInputs();
    const merge = mergeDetails(details.shown, mine, detailValues(current));
    this.setDetailsState({ version: current.version, shown: detailValues(current) });
    this.writeDetailInputs(merge.values);
    this.setClaim(current);
    const message = mergeMessage(merge, lastChange);
    if (merge.conflicts.length === 0) {
      if (retries >= MAX_MERGE_RETRIES) throw new Error(`${message} Save again to keep your change.`);
      this.announce(message);
      details.note.textContent = `${message} Saved.`;
      await this.saveDetails(retries + 1);
      this.announce(details.note.textContent);
      return;
    }
    this.showConflicts(merge.conflicts, lastChange, message);
  },

  showConflicts(conflicts, lastChange, message) {
    const details = this.details;
    details.conflicts = conflicts.map((c) => ({ ...c, choice: null }));
    const groups = details.conflicts.map((conflict) => this.conflictGroup(conflict, lastChange));
    details.conflictArea.replaceChildren(el("p", { className: "conflict-intro", text: message }), ...groups);
    details.conflictArea.hidden = false;
    this.announce(message);
    groups[0].querySelector("input[type=radio]").focus();
  },

  /** One field both sides changed: their saved value beside the unsaved one, and the choice. */
  conflictGroup(conflict, lastChange) {
    const name = conflict.field;
    const by = changedBy(name, lastChange);
    const shown = (value) => {
      if (name === "priority") {
        const option = this.page.priorities.find((p) => String(p.value) === value);
        return option ? option.label : value;
      }
      return value === "" ? "(empty)" : value;
    };
    const group = el("fieldset", { className: "conflict", dataset: { field: name } },
      el("legend", { text: FIELD_LABELS[name] }));
    const whose = by ? `${by.username}'s saved value` : "The saved value";
    const when = by && by.at ? el("time", { datetime: by.at, text: formatDate(by.at) }) : null;
    const options = [
      ["mine", "Keep mine", "Your unsaved value", conflict.mine],
      ["theirs", "Take theirs", whose, conflict.theirs],
    ];
    for (const [choice, label, caption, value] of options) {
      const radio = el("input", { type: "radio", name: `conflict-${name}`, value: choice, id: `conflict-${name}-${choice}` });
      const describedBy = `conflict-${name}-${choice}-value`;
      radio.setAttribute("aria-describedby", describedBy);
      radio.addEventListener("change", () => {
        conflict.choice = choice;
        this.writeDetailInputs({ [name]: resolveConflict(conflict, choice) });
      });
      const note = el("span", { className: "conflict-value", id: describedBy },
        el("span", { className: "muted", text: `${caption}${choice === "theirs" && when ? ", " : ""}` }),
        choice === "theirs" ? when : null,
        el("span", { className: "muted", text: ": " }),
        el("q", { text: shown(value) }));
      group.append(el("div", { className: "conflict-choice" }, radio, el("label", { for: radio.id, text: label }), " ", note));
    }
    return group;
  },

  clearConflicts() {
    if (!this.details) return;
    this.details.conflicts = [];
    this.details.conflictArea.replaceChildren();
    this.details.conflictArea.hidden = true;
  },

  discardDetails() {
    this.clearConflicts();
    this.details.note.hidden = true;
    this.setDetailsState({ version: this.claim.version, shown: detailValues(this.claim) });
    this.writeDetailInputs(detailValues(this.claim));
    this.details.form.querySelector(".error").replaceChildren();
    this.announce("Changes discarded.");
  },
};
