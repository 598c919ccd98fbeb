// The claim panel: details, workflow actions, the lifecycle timeline, already-checked
// claims, sources with their snapshots, verdict with its corrections log, comments,
// history, and deleting. A non-modal dialog; Escape closes it.
// Everything shown is set with textContent, never parsed as HTML.
// The sections live in their own modules (panel-sources.js, panel-workflow.js,
// panel-discussion.js) whose methods are mixed into ClaimPanel.prototype below.
//
// The panel never loses typing: live updates reach the details form only in the inputs the user
// has not touched, and never change the version it saves against while it has unsaved edits, so
// a save over someone else's is refused (409) and merged field by field (conflicts.js).

import { ApiError, api } from "./api.js";
import {
  DETAIL_FIELDS,
  FIELD_LABELS,
  changedBy,
  detailValues,
  editedFields,
  followClaim,
  isStale,
  mergeDetails,
  mergeMessage,
  patchBody,
  resolveConflict,
} from "./conflicts.js";
import { discussionMethods } from "./panel-discussion.js";
import { apiForm, el, field, formatDate, select } from "./panel-dom.js";
import { sourceMethods } from "./panel-sources.js";
import { workflowMethods } from "./panel-workflow.js";

// How often a save merged without asking may be retried when others keep saving.
const MAX_MERGE_RETRIES = 3;

export class ClaimPanel {
  constructor(doc, { page, onChange, onDelete, onClose, onSettled = () => {} }) {
    this.doc = doc;
    this.page = page;
    this.root = doc.getElementById("claim-panel");
    this.body = doc.getElementById("claim-panel-body");
    this.title = doc.getElementById("claim-panel-title");
    this.onChange = onChange;
    this.onDelete = onDelete;
    this.onClose = onClose;
    this.onSettled = onSettled;
    this.claim = null;
    this.details = null;
    this.wasEditing = false;
    this.returnFocus = null;
    this.sourcePoll = null;
    doc.getElementById("claim-panel-close").addEventListener("click", () => this.close());
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      }
    });
    // Finishing an edit (saving, discarding, cancelling a workflow form) lets a waiting revision in.
    for (const type of ["input", "change", "click"]) this.root.addEventListener(type, () => setTimeout(() => this.checkSettled(), 0));
  }

  /** Does the panel hold unsaved edits: details typed but not saved, or a workflow form open? */
  hasUnsavedEdits() {
    if (!this.isOpen || !this.sections) return false;
    return this.detailsEdited() || this.workflowFormOpen();
  }

  detailsEdited() {
    return Boolean(this.details && editedFields(this.details.shown, this.detailInputs()).length > 0);
  }

  /** Switching to another claim would drop the details being typed here. */
  canSwitchTo(claimId) {
    return !(this.isOpen && this.claim && this.claim.id !== claimId && this.detailsEdited());
  }

  refuseSwitch() {
    const message = `Save or discard your changes to claim #${this.claim.id} first.`;
    this.announce(message);
    this.details.form.querySelector(".error").replaceChildren(el("p", { text: message }));
    this.details.form.querySelector("button[type=submit]").focus();
  }

  workflowFormOpen() {
    return Boolean(this.sections && this.sections.workflow.querySelector("form"));
  }

  checkSettled() {
    if (this.claim && this.sections && !this.workflowFormOpen() && this.loadedVersion !== this.claim.version) {
      // A workflow form held the actions of an older version; it is closed now.
      this.reloadWorkflow();
    }
    const editing = this.hasUnsavedEdits();
    if (this.wasEditing && !editing) this.onSettled();
    this.wasEditing = editing;
  }

  get isOpen() {
    return !this.root.hidden;
  }

  async open(claim, { returnFocus } = {}) {
    if (this.isOpen && this.claim && this.claim.id === claim.id && this.sections) {
      // Already open: keep whatever is being typed.
      this.returnFocus = returnFocus || this.returnFocus;
      this.root.focus();
      return;
    }
    if (!this.canSwitchTo(claim.id)) {
      this.refuseSwitch();
      return;
    }
    this.returnFocus = returnFocus || this.doc.activeElement;
    this.claim = claim;
    this.details = null;
    this.sections = null;
    this.loadedVersion = null;
    this.activityVersion = null;
    this.root.hidden = false;
    this.root.closest(".reader-layout")?.classList.add("panel-open");
    this.render();
    this.root.focus();
    try {
      this.setClaim(await api(`claims/${claim.id}/`));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.close();
        this.onDelete(claim.id);
      }
    }
  }

  close() {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.root.closest(".reader-layout")?.classList.remove("panel-open");
    this.claim = null;
    this.sections = null;
    this.details = null;
    this.stopSourcePoll();
    this.body.replaceChildren();
    let target = this.returnFocus;
    this.returnFocus = null;
    if (target && !target.isConnected && target.dataset && target.dataset.claimId) {
      // The sidebar was re-rendered meanwhile: return to the same claim's new button.
      target = this.doc.querySelector(`.claims-sidebar button.claim-item[data-claim-id="${target.dataset.claimId}"]`);
    }
    if (target && target.isConnected && typeof target.focus === "function") target.focus();
    this.onClose();
    this.checkSettled();
  }

  /**
   * A newer copy of the open claim, from polling or from this panel's own write (`own`:
   * "details" or "workflow", the section that wrote it).
   */
  setClaim(claim, { own = null } = {}) {
    if (!this.claim || claim.id !== this.claim.id) return;
    if ((claim.version ?? 0) < (this.claim.version ?? 0)) return; // a late answer with an older copy
    const first = !this.sections;
    this.claim = claim;
    if (first) this.render();
    else this.refresh({ own });
    this.onChange(claim);
  }

  render() {
    const claim = this.claim;
    this.title.textContent = `Claim #${claim.id}`;
    this.sections = {
      summary: el("div", { className: "panel-summary" }),
      workflow: el("section", { className: "panel-section", "aria-label": "Workflow" }),
      sources: el("ul", { className: "sources" }),
      verdict: el("div", { className: "current-verdict" }),
      comments: el("ul", { className: "comments" }),
      history: el("ol", { className: "history" }),
      lifecycle: el("ol", { className: "lifecycle", "aria-label": "Lifecycle timeline" }),
      corrections: el("div", { className: "corrections-log" }),
      similar: el("section", { className: "panel-section similar-claims", "aria-labelledby": "panel-similar-h", hidden: true }),
    };
    this.loadedVersion = null;
    this.activityVersion = null;
    this.similar = null;
    this.linkedTo = null;
    this.body.replaceChildren(
      this.sections.summary,
      this.sections.workflow,
      el("section", { className: "panel-section", "aria-labelledby": "panel-lifecycle-h" },
        el("h3", { id: "panel-lifecycle-h", text: "Lifecycle" }), this.sections.lifecycle),
      this.sections.similar,
      this.detailsForm(),
      el("section", { className: "panel-section", "aria-labelledby": "panel-sources-h" },
        el("h3", { id: "panel-sources-h", text: "Sources" }), this.sections.sources, this.sourceForm()),
      el("section", { className: "panel-section", "aria-labelledby": "panel-verdict-h" },
        el("h3", { id: "panel-verdict-h", text: "Verdict" }), this.sections.verdict, this.sections.corrections, this.verdictForm()),
      el("section", { className: "panel-section", "aria-labelledby": "panel-comments-h" },
        el("h3", { id: "panel-comments-h", text: "Comments" }), this.sections.comments, this.commentForm()),
      el("details", { className: "panel-section" }, el("summary", { text: "History" }), this.sections.history),
      this.deleteSection(),
    );
    this.refresh();
    this.loadComments();
    this.loadSimilar();
  }

  /** Re-render what the server owns; leave half-typed form inputs alone. */
  refresh({ own = null } = {}) {
    const claim = this.claim;
    const { summary } = this.sections;
    const status = el("p", {}, el("span", { className: `status status-${claim.status}`, text: claim.status_label || claim.status }));
    if (claim.assignee) status.append(` · assigned to ${claim.assignee.username}`);
    if (claim.created_by) status.append(` · marked by ${claim.created_by.username}`);
    const parts = [el("blockquote", { className: "claim-quote", text: claim.exact }), status];
    if (claim.anchor_outcome && claim.anchor_outcome !== "exact") {
      const note = {
        moved: "The article text changed; this claim moved with its quote.",
        fuzzy: `The article text changed; this claim now points at similar (${Math.round((claim.anchor_score ?? 0) * 100)}% alike), not identical, text.`,
        orphan: "The article text changed and this quote is no longer in it (orphaned).",
      }[claim.anchor_outcome];
      if (note) parts.push(el("p", { className: `anchor-note anchor-${claim.anchor_outcome}`, text: note }));
    }
    summary.replaceChildren(...parts);
    this.renderSources();
    this.renderVerdict();
    this.followDetails(claim);
    if (this.loadedVersion !== claim.version) {
      // A new version (this panel's write, or someone else's seen by polling): what may be done next changes.
      // `loadedVersion` is the version whose actions are shown, and the one a transition is sent with;
      // a workflow form being filled in keeps it, unless this panel's own details save moved it on.
      if (this.workflowFormOpen() && own !== "workflow") {
        if (own === "details") this.loadedVersion = claim.version;
      } else {
        this.reloadWorkflow();
      }
    }
    if (this.activityVersion !== claim.version) {
      this.activityVersion = claim.version;
      this.loadActivity();
    }
  }

  reloadWorkflow() {
    this.loadedVersion = this.claim.version;
    this.workflowLoading = this.loadWorkflow();
    return this.workflowLoading;
  }

  /**
   * A transition (or link) was refused: the claim changed since its actions were shown. Show
   * the actions for the claim as it is now, reopen the form with what was typed, and say why.
   */
  async workflowConflict({ current, last_change: lastChange }, action = null, values = {}) {
    const who = (lastChange && lastChange.by && lastChange.by.username) || "Someone";
    const message = `${who} changed this claim after you opened it (it is now ${current.status_label || current.status}); nothing was done. The actions shown are for the claim as it is now: check it and try again.`;
    this.sections.workflow.querySelector("form")?.remove();
    this.setClaim(current, { own: "workflow" });
    await this.workflowLoading;
    if (!this.claim || this.claim.id !== current.id) return;
    const section = this.sections.workflow;
    const button = action && section.querySelector(`button[data-action="${CSS.escape(action)}"]`);
    if (button && Object.keys(values).length) {
      button.click();
      await this.members();
      for (const [name, value] of Object.entries(values)) {
        const control = section.querySelector(`form [name="${CSS.escape(name)}"]`);
        if (control && value !== null && value !== undefined) control.value = String(value);
      }
    }
    section.hidden = false;
    section.querySelector(".workflow-conflict")?.remove();
    section.querySelector("h3")?.after(el("p", { className: "workflow-conflict error", role: "alert", text: message }));
    this.announce(message);
  }

  // --- the details form --------------------------------------------------------------------

  detailInputs() {
    const values = {};
    for (const name of DETAIL_FIELDS) values[name] = this.details.inputs[name].value;
    return values;
  }

  writeDetailInputs(values) {
    for (const [name, value] of Object.entries(values)) {
      const input = this.details.inputs[name];
      if (input.value !== value) input.value = value;
    }
  }

  setDetailsState(state) {
    this.details.version = state.version;
    this.details.shown = state.shown;
    this.details.form.dataset.version = String(state.version);
  }

  /** A newer copy of the claim: untouched inputs follow it, typed ones stay. */
  followDetails(claim, { adopt = false } = {}) {
    if (!this.details) return;
    const { state, writes } = followClaim(this.details, this.detailInputs(), claim, { adopt });
    this.writeDetailInputs(writes);
    this.setDetailsState(state);
  }

  detailsForm() {
    const claim = this.claim;
    const values = detailValues(claim);
    const restated = el("textarea", { name: "restated", rows: 3 });
    restated.value = values.restated;
    const claimant = el("input", { name: "claimant", type: "text", value: values.claimant });
    const claimDate = el("input", { name: "claim_date", type: "date", value: values.claim_date });
    const priority = select("priority", this.page.priorities, claim.priority);
    const conflicts = el("div", { className: "conflicts", hidden: true });
    const note = el("p", { className: "merge-note", hidden: true });
    const form = apiForm(
      "Claim details",
      [conflicts, note, field("Claim as restated", restated), field("Claimant", claimant), field("Claim date", claimDate), field("Priority", priority)],
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
      inputs: { restated, claimant, claim_date: claimDate, priority },
      conflicts: [],
      version: claim.version,
      shown: values,
    };
    form.dataset.version = String(claim.version);
    return el("section", { className: "panel-section", "aria-labelledby": "panel-details-h" },
      el("h3", { id: "panel-details-h", text: "Details" }), form);
  }

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
  }

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
  }

  showConflicts(conflicts, lastChange, message) {
    const details = this.details;
    details.conflicts = conflicts.map((c) => ({ ...c, choice: null }));
    const groups = details.conflicts.map((conflict) => this.conflictGroup(conflict, lastChange));
    details.conflictArea.replaceChildren(el("p", { className: "conflict-intro", text: message }), ...groups);
    details.conflictArea.hidden = false;
    this.announce(message);
    groups[0].querySelector("input[type=radio]").focus();
  }

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
  }

  clearConflicts() {
    if (!this.details) return;
    this.details.conflicts = [];
    this.details.conflictArea.replaceChildren();
    this.details.conflictArea.hidden = true;
  }

  discardDetails() {
    this.clearConflicts();
    this.details.note.hidden = true;
    this.setDetailsState({ version: this.claim.version, shown: detailValues(this.claim) });
    this.writeDetailInputs(detailValues(this.claim));
    this.details.form.querySelector(".error").replaceChildren();
    this.announce("Changes discarded.");
  }

  deleteSection() {
    const area = el("div", { className: "delete-area" });
    const start = el("button", { type: "button", className: "danger", text: "Delete claim" });
    start.addEventListener("click", () => {
      const confirm = el("button", { type: "button", className: "danger", text: "Yes, delete this claim" });
      const cancel = el("button", { type: "button", className: "secondary", text: "Keep the claim" });
      const error = el("p", { className: "error", role: "alert" });
      cancel.addEventListener("click", () => {
        area.replaceChildren(start);
        start.focus();
      });
      confirm.addEventListener("click", async () => {
        try {
          const id = this.claim.id;
          await api(`claims/${id}/`, { method: "DELETE", headers: { "If-Match": `"${this.claim.version}"` } });
          this.close();
          this.onDelete(id);
        } catch (e) {
          error.textContent = e.message;
        }
      });
      area.replaceChildren(el("p", { role: "alert", text: "Delete this claim with its sources, verdicts and comments?" }), confirm, " ", cancel, error);
      confirm.focus();
    });
    area.append(start);
    return el("section", { className: "panel-section", "aria-label": "Delete" }, area);
  }

  announce(message) {
    const status = this.doc.getElementById("reader-status");
    if (status) status.textContent = message;
  }
}

Object.assign(ClaimPanel.prototype, sourceMethods, workflowMethods, discussionMethods);
