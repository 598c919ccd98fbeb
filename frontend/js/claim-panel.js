// The claim panel: details, workflow actions, the lifecycle timeline, already-checked
// claims, sources with their snapshots, verdict with its corrections log, comments,
// history, and deleting. A non-modal dialog; Escape closes it.
// Everything shown is set with textContent, never parsed as HTML.
// The sections live in their own modules (panel-details.js, panel-sources.js, panel-workflow.js,
// panel-discussion.js) whose methods are mixed into ClaimPanel.prototype below.
//
// The panel never loses typing: live updates reach the details form only in the inputs the user
// has not touched, and never change the version it saves against while it has unsaved edits
// (panel-details.js, conflicts.js).

import { ApiError, api } from "./api.js";
import { editedFields } from "./conflicts.js";
import { detailsMethods } from "./panel-details.js";
import { discussionMethods } from "./panel-discussion.js";
import { el } from "./panel-dom.js";
import { sourceMethods } from "./panel-sources.js";
import { workflowMethods } from "./panel-workflow.js";

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

  /**
   * Open claim `id`: with `claim`, its full JSON just written, at once; otherwise the panel says
   * it is loading and takes the focus once the claim is loaded and shown.
   */
  async open(id, { returnFocus, claim = null } = {}) {
    if (this.isOpen && this.loadingId === id) return;
    if (this.isOpen && this.claim && this.claim.id === id && this.sections) {
      // Already open: keep whatever is being typed.
      this.returnFocus = returnFocus || this.returnFocus;
      this.root.focus();
      return;
    }
    if (!this.canSwitchTo(id)) {
      this.refuseSwitch();
      return;
    }
    this.returnFocus = returnFocus || this.doc.activeElement;
    this.claim = null;
    this.details = null;
    this.sections = null;
    this.loadedVersion = null;
    this.activityVersion = null;
    this.stopSourcePoll();
    this.root.hidden = false;
    this.root.closest(".reader-layout")?.classList.add("panel-open");
    this.title.textContent = `Claim #${id}`;
    this.loadingId = id;
    if (!claim) {
      this.body.replaceChildren(el("p", { className: "muted", role: "status", text: "Loading the claim…" }));
      try {
        claim = await api(`claims/${id}/`);
      } catch (error) {
        if (this.loadingId !== id) return;
        this.loadingId = null;
        if (error instanceof ApiError && error.status === 404) {
          this.close();
          this.onDelete(id);
        } else {
          this.body.replaceChildren(el("p", { className: "error", role: "alert", text: `The claim could not be loaded: ${error.message}` }));
          this.root.focus();
        }
        return;
      }
      if (this.loadingId !== id || !this.isOpen) return; // closed, or another claim opened meanwhile
      this.onChange(claim);
    }
    this.loadingId = null;
    this.claim = claim;
    this.render();
    this.root.focus();
  }

  close() {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.root.closest(".reader-layout")?.classList.remove("panel-open");
    this.claim = null;
    this.loadingId = null;
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

Object.assign(ClaimPanel.prototype, detailsMethods, sourceMethods, workflowMethods, discussionMethods);
