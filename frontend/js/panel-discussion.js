// The claim panel's discussion: the current verdict with its corrections log and the
// verdict form, comments, and the full history.
// Mixed into ClaimPanel.prototype (claim-panel.js): `this` is the panel.

import { ApiError, api, apiList } from "./api.js";
import { apiForm, el, field, formatDate, select } from "./panel-dom.js";

export const discussionMethods = {
  renderVerdict() {
    const verdict = this.claim.current_verdict;
    if (!verdict) {
      this.sections.verdict.replaceChildren(el("p", { className: "muted", text: "No verdict yet." }));
      return;
    }
    const rating = el("span", { className: "rating", text: verdict.rating ? verdict.rating.label : "" });
    const state = verdict.published_at ? "published" : verdict.approved_at ? "approved" : "proposed";
    this.sections.verdict.replaceChildren(
      el("p", {}, rating, ` ${state}${verdict.author ? ` by ${verdict.author.username}` : ""}`),
      el("p", { className: "verdict-summary", text: verdict.summary }),
      verdict.rationale ? el("p", { className: "verdict-rationale", text: verdict.rationale }) : null,
    );
  },

  verdictForm() {
    const options = [{ value: "", label: "Choose a rating" }, ...this.page.ratings.map((r) => ({ value: r.id, label: r.label }))];
    const rating = select("rating", options, "");
    rating.required = true;
    const summary = el("textarea", { name: "summary", rows: 2, required: true });
    const rationale = el("textarea", { name: "rationale", rows: 4 });
    return apiForm("Verdict", [field("Rating", rating), field("Summary", summary), field("Rationale", rationale)], "Save verdict",
      async (data, form) => {
        const body = {
          rating: Number(data.get("rating")),
          summary: data.get("summary"),
          rationale: data.get("rationale"),
          version: this.claim.version,
        };
        try {
          await api(`claims/${this.claim.id}/verdicts/`, { method: "POST", body });
        } catch (error) {
          if (error instanceof ApiError && error.status === 409 && error.body && error.body.current) {
            // Keep the typed verdict; show the claim as it is now, then the user saves again.
            this.setClaim(error.body.current);
            throw new Error("Someone else changed this claim meanwhile. Check it above and save the verdict again.");
          }
          throw error;
        }
        form.reset();
        this.setClaim(await api(`claims/${this.claim.id}/`));
        this.announce("Verdict saved.");
      });
  },

  renderCorrections(log) {
    const area = this.sections.corrections;
    if (log.length === 0) {
      area.replaceChildren();
      return;
    }
    area.replaceChildren(
      el("h4", { id: "panel-corrections-h", text: "Corrections log" }),
      el("ol", { className: "corrections", "aria-labelledby": "panel-corrections-h" }, ...log.map(({ verdict, correction }) => {
        const item = el("li", { className: "corrected-verdict", dataset: { verdictId: verdict.id } },
          el("span", { className: "rating", text: verdict.rating ? verdict.rating.label : "" }),
          ` published ${formatDate(verdict.published_at)}${verdict.author ? ` by ${verdict.author.username}` : ""}`,
          verdict.retracted_at ? `, retracted ${formatDate(verdict.retracted_at)}` : ", since corrected",
          el("p", { className: "verdict-summary", text: verdict.summary }));
        if (verdict.retracted_at) {
          item.append(el("p", { className: "retraction-note", text: `Retraction: ${verdict.retraction_note}` }));
        }
        if (correction) {
          item.append(el("p", { className: "correction-note", text: `Correction${correction.by ? ` by ${correction.by}` : ""}: ${correction.note}` }));
        }
        return item;
      })),
    );
  },

  async loadComments() {
    const claimId = this.claim.id;
    try {
      const comments = await apiList(`claims/${claimId}/comments/`);
      if (!this.claim || this.claim.id !== claimId) return;
      this.sections.comments.replaceChildren(
        ...(comments.length ? comments.map((c) => el("li", {},
          el("strong", { text: c.author ? c.author.username : "someone" }), ` · ${formatDate(c.created_at)}`,
          el("p", { text: c.body }))) : [el("li", { className: "muted", text: "No comments yet." })]),
      );
    } catch {
      this.sections.comments.replaceChildren(el("li", { className: "muted", text: "Comments could not be loaded." }));
    }
  },

  commentForm() {
    const body = el("textarea", { name: "body", rows: 2, required: true });
    return apiForm("Add a comment", [field("Comment", body)], "Add comment", async (data, form) => {
      await api(`claims/${this.claim.id}/comments/`, { method: "POST", body: { body: data.get("body") } });
      form.reset();
      await this.loadComments();
      this.announce("Comment added.");
    });
  },

  /** The full audit history in the collapsed History section. */
  renderHistory(events) {
    this.sections.history.replaceChildren(
      ...(events.length ? events.map((e) => el("li", {},
        `${formatDate(e.created_at)} · ${e.actor ? e.actor.username || e.actor : "system"} · ${e.action}`)) : [el("li", { className: "muted", text: "No history." })]),
    );
  },
};
