// The claim panel: details, workflow actions, the lifecycle timeline, already-checked
// claims, sources with their snapshots, verdict with its corrections log, comments,
// history, and deleting. A non-modal dialog; Escape closes it.
// Everything shown is set with textContent, never parsed as HTML.
// The sections live in their own modules (panel-sources.js, panel-workflow.js,
// panel-discussion.js) whose methods are mixed into ClaimPanel.prototype below.

import { ApiError, api } from "./api.js";
import { discussionMethods } from "./panel-discussion.js";
import { apiForm, el, field, select } from "./panel-dom.js";
import { sourceMethods } from "./panel-sources.js";
import { workflowMethods } from "./panel-workflow.js";

export class ClaimPanel {
  constructor(doc, { page, onChange, onDelete, onClose }) {
    this.doc = doc;
    this.page = page;
    this.root = doc.getElementById("claim-panel");
    this.body = doc.getElementById("claim-panel-body");
    this.title = doc.getElementById("claim-panel-title");
    this.onChange = onChange;
    this.onDelete = onDelete;
    this.onClose = onClose;
    this.claim = null;
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
  }

  get isOpen() {
    return !this.root.hidden;
  }

  async open(claim, { returnFocus } = {}) {
    this.returnFocus = returnFocus || this.doc.activeElement;
    this.claim = claim;
    this.sections = null;
    this.loadedVersion = null;
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
  }

  /** A newer copy of the open claim (from this panel or from polling). */
  setClaim(claim) {
    if (!this.claim || claim.id !== this.claim.id) return;
    const first = !this.sections;
    this.claim = claim;
    if (first) this.render();
    else this.refresh();
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
  refresh() {
    const claim = this.claim;
    const { summary } = this.sections;
    const status = el("p", {}, el("span", { className: `status status-${claim.status}`, text: claim.status_label || claim.status }));
    if (claim.assignee) status.append(` · assigned to ${claim.assignee.username}`);
    if (claim.created_by) status.append(` · marked by ${claim.created_by.username}`);
    const parts = [el("blockquote", { className: "claim-quote", text: claim.exact }), status];
    if (claim.anchor_outcome && claim.anchor_outcome !== "exact") {
      const note = {
        moved: "The article text changed; this claim moved with its quote.",
        fuzzy: "The article text changed; this claim now points at similar, not identical, text.",
        orphan: "The article text changed and this quote is no longer in it (orphaned).",
      }[claim.anchor_outcome];
      if (note) parts.push(el("p", { className: `anchor-note anchor-${claim.anchor_outcome}`, text: note }));
    }
    summary.replaceChildren(...parts);
    this.renderSources();
    this.renderVerdict();
    const form = this.body.querySelector("form.details-form");
    if (form) form.dataset.version = String(claim.version);
    if (this.loadedVersion !== claim.version) {
      // A new version (this panel's transition, or someone else's seen by polling): what may be done next and the timeline change.
      this.loadedVersion = claim.version;
      this.loadWorkflow();
      this.loadActivity();
    }
  }

  detailsForm() {
    const claim = this.claim;
    const restated = el("textarea", { name: "restated", rows: 3 });
    restated.value = claim.restated || "";
    const claimant = el("input", { name: "claimant", type: "text", value: claim.claimant || "" });
    const claimDate = el("input", { name: "claim_date", type: "date", value: claim.claim_date || "" });
    const priority = select("priority", this.page.priorities, claim.priority);
    const form = apiForm(
      "Claim details",
      [field("Claim as restated", restated), field("Claimant", claimant), field("Claim date", claimDate), field("Priority", priority)],
      "Save claim",
      async (data) => {
        // Only what changed: some fields (priority) need the editor role.
        const wanted = {
          restated: data.get("restated"),
          claimant: data.get("claimant"),
          claim_date: data.get("claim_date") || null,
          priority: Number(data.get("priority")),
        };
        const body = { version: this.claim.version };
        for (const [name, value] of Object.entries(wanted)) {
          if (value !== (this.claim[name] ?? (name === "claim_date" ? null : ""))) body[name] = value;
        }
        try {
          this.setClaim(await api(`claims/${this.claim.id}/`, { method: "PATCH", body }));
          this.announce("Claim saved.");
        } catch (error) {
          if (error instanceof ApiError && error.status === 409 && error.body && error.body.current) {
            this.setClaim(error.body.current);
            throw new Error("Someone else changed this claim meanwhile. Their version is shown above; check it and save again.");
          }
          throw error;
        }
      },
    );
    form.classList.add("details-form");
    return el("section", { className: "panel-section", "aria-labelledby": "panel-details-h" },
      el("h3", { id: "panel-details-h", text: "Details" }), form);
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
