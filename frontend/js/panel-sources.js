// The claim panel's sources: each source with its snapshot's fetch state and the evidence
// found in it, fetching again, polling while a fetch or an evidence check is pending, and adding a source.
// Mixed into ClaimPanel.prototype (claim-panel.js): `this` is the panel.

import { api } from "./api.js";
import { apiForm, el, field, link, marked, select } from "./panel-dom.js";

const PENDING_FETCH = new Set(["pending", "fetching"]);
const SOURCE_POLL_MS = 3000;

/** One evidence item: its label (which says found or not, once), the excerpt with the match marked,
 * and a link to the passage in the snapshot's text view. */
function evidenceItem(e) {
  const label = e.label || e.kind;
  const item = el("li", { className: e.found ? "found" : "missing" }, el("span", { className: "evidence-label", text: label }));
  if (e.found && e.excerpt) {
    item.append(" ", el("q", { className: "evidence-excerpt" }, ...marked(e.excerpt, e.mark_start, e.mark_end)));
  }
  if (e.found && e.url) {
    const go = link(e.url, e.page ? `Show on page ${e.page}` : "Show the passage");
    go.setAttribute("aria-label", `Show the passage: ${label}`);
    go.classList.add("evidence-link");
    item.append(" ", go);
  }
  return item;
}

export const sourceMethods = {
  renderSources() {
    const list = this.sections.sources;
    const sources = this.claim.sources || [];
    if (sources.length === 0) {
      list.replaceChildren(el("li", { className: "muted", text: "No sources yet." }));
    } else {
      list.replaceChildren(...sources.map((source) => this.sourceItem(source)));
    }
    if (sources.some((s) => !s.snapshot || PENDING_FETCH.has(s.snapshot.status) || s.evidence_pending)) this.startSourcePoll();
    else this.stopSourcePoll();
  },

  sourceItem(source) {
    const snapshot = source.snapshot;
    const status = snapshot ? snapshot.status : "pending";
    const item = el("li", { className: "source", dataset: { sourceId: source.id } },
      el("span", { className: `stance stance-${source.stance}`, text: source.stance }), " ", link(source.url, source.url));
    if (source.note) item.append(el("p", { className: "note", text: source.note }));
    const state = el("p", { className: `fetch fetch-${status}` }, el("span", { className: "fetch-status", text: `Fetch: ${status}` }));
    if (snapshot && snapshot.reason) state.append(` — ${snapshot.reason}`);
    if (snapshot && snapshot.status === "fetched") {
      const title = snapshot.title || snapshot.final_url || source.url;
      state.append(" · ", snapshot.stored_copy_url ? link(snapshot.stored_copy_url, title) : el("span", { text: title }));
      if (snapshot.stored_copy_url) state.append(el("span", { className: "muted", text: " (stored copy)" }));
      if (snapshot.warc_url) {
        const replay = link(`/snapshots/${snapshot.id}/replay/?claim=${this.claim.id}`, "Replay");
        replay.setAttribute("aria-label", `Replay the preserved page: ${title}`);
        state.append(" · ", replay);
      }
    }
    item.append(state);
    if (source.evidence_pending && status === "fetched") {
      item.append(el("p", { className: "evidence-pending muted", text: "Looking for the claim in the report…" }));
    } else if (source.evidence && source.evidence.length) {
      item.append(el("ul", { className: "evidence" }, ...source.evidence.map(evidenceItem)));
      const textUrl = source.evidence.map((e) => e.url).find(Boolean);
      if (textUrl) state.append(" · ", link(textUrl.split("#")[0], "extracted text"));
    }
    const refetch = el("button", { type: "button", className: "secondary small", text: "Fetch again", "aria-label": `Fetch ${source.url} again` });
    refetch.addEventListener("click", async () => {
      try {
        await api(`sources/${source.id}/refetch/`, { method: "POST", body: {} });
        this.announce("Fetching the source again.");
        this.startSourcePoll();
      } catch (error) {
        this.announce(error.message);
      }
    });
    if (!PENDING_FETCH.has(status)) item.append(" ", refetch);
    return item;
  },

  startSourcePoll() {
    if (this.sourcePoll) return;
    this.sourcePoll = setInterval(async () => {
      if (!this.claim) return this.stopSourcePoll();
      try {
        this.setClaim(await api(`claims/${this.claim.id}/`));
      } catch {
        // The next tick tries again.
      }
    }, SOURCE_POLL_MS);
  },

  stopSourcePoll() {
    clearInterval(this.sourcePoll);
    this.sourcePoll = null;
  },

  sourceForm() {
    const url = el("input", { name: "url", type: "url", required: true, placeholder: "https://" });
    const note = el("input", { name: "note", type: "text" });
    const stance = select("stance", this.page.stances, "supports");
    return apiForm("Add a source", [field("Source URL", url), field("Note", note), field("Stance", stance)], "Add source",
      async (data, form) => {
        await api(`claims/${this.claim.id}/sources/`, {
          method: "POST",
          body: { url: data.get("url"), note: data.get("note"), stance: data.get("stance") },
        });
        form.reset();
        this.setClaim(await api(`claims/${this.claim.id}/`));
        this.announce("Source added.");
      });
  },
};
