// The claim panel: details, workflow actions, the lifecycle timeline, already-checked
// claims, sources with their snapshots, verdict with its corrections log, comments,
// history, and deleting. A non-modal dialog; Escape closes it.
// Everything shown is set with textContent, never parsed as HTML.

import { ApiError, api, apiList } from "./api.js";
import { errorMessages, excerpt } from "./claims.js";
import { correctionsLog, lifecycleEntries, linkedTo, statusLabel } from "./lifecycle.js";

const PENDING_FETCH = new Set(["pending", "fetching"]);
const SOURCE_POLL_MS = 3000;

// How the workflow form labels each field a transition needs (per action where it differs).
const NEED_LABELS = {
  assignee: "Assign to",
  rating: "Rating",
  summary: "Summary",
  rationale: "Rationale",
  reason: "Reason",
  note: "Note",
};
const NOTE_LABELS = { request_changes: "What needs to change", correct: "Correction note" };
const OPTIONAL_NEEDS = new Set(["rationale"]);

let uid = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function field(label, control) {
  uid += 1;
  control.id = control.id || `panel-field-${uid}`;
  return el("div", { className: "field" }, el("label", { for: control.id, text: label }), control);
}

function select(name, options, value) {
  const node = el("select", { name });
  for (const option of options) {
    const item = el("option", { value: option.value, text: option.label });
    if (String(option.value) === String(value ?? "")) item.selected = true;
    node.append(item);
  }
  return node;
}

function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return ["http:", "https:"].includes(parsed.protocol) || parsed.origin === window.location.origin ? parsed.href : null;
  } catch {
    return null;
  }
}

function link(url, text) {
  const href = safeUrl(url);
  return href ? el("a", { href, rel: "noopener nofollow noreferrer", target: "_blank", text }) : el("span", { text });
}

/** A form with an error area; `submit` returns a promise, errors are shown in the form. */
function apiForm(label, children, buttonText, submit) {
  const errors = el("div", { className: "error", role: "alert" });
  const button = el("button", { type: "submit", text: buttonText });
  const form = el("form", { className: "stack panel-form", "aria-label": label }, ...children, el("div", {}, button), errors);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    button.disabled = true;
    try {
      await submit(new FormData(form), form);
    } catch (error) {
      const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [String(error)];
      errors.replaceChildren(...(messages.length ? messages : [error.message]).map((m) => el("p", { text: m })));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

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

  renderSources() {
    const list = this.sections.sources;
    const sources = this.claim.sources || [];
    if (sources.length === 0) {
      list.replaceChildren(el("li", { className: "muted", text: "No sources yet." }));
    } else {
      list.replaceChildren(...sources.map((source) => this.sourceItem(source)));
    }
    if (sources.some((s) => !s.snapshot || PENDING_FETCH.has(s.snapshot.status))) this.startSourcePoll();
    else this.stopSourcePoll();
  }

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
    }
    item.append(state);
    if (source.evidence && source.evidence.length) {
      item.append(el("ul", { className: "evidence" }, ...source.evidence.map((e) => el("li", { className: e.found ? "found" : "missing" },
        el("strong", { text: `${e.label || e.kind}: ` }), e.found ? (e.excerpt || "found") : "not found in the source"))));
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
  }

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
  }

  stopSourcePoll() {
    clearInterval(this.sourcePoll);
    this.sourcePoll = null;
  }

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
  }

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
  }

  verdictForm() {
    const options = [{ value: "", label: "Choose a rating" }, ...this.page.ratings.map((r) => ({ value: r.id, label: r.label }))];
    const rating = select("rating", options, "");
    rating.required = true;
    const summary = el("textarea", { name: "summary", rows: 2, required: true });
    const rationale = el("textarea", { name: "rationale", rows: 4 });
    return apiForm("Verdict", [field("Rating", rating), field("Summary", summary), field("Rationale", rationale)], "Save verdict",
      async (data, form) => {
        await api(`claims/${this.claim.id}/verdicts/`, {
          method: "POST",
          body: { rating: Number(data.get("rating")), summary: data.get("summary"), rationale: data.get("rationale") },
        });
        form.reset();
        this.setClaim(await api(`claims/${this.claim.id}/`));
        this.announce("Verdict saved.");
      });
  }

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
  }

  commentForm() {
    const body = el("textarea", { name: "body", rows: 2, required: true });
    return apiForm("Add a comment", [field("Comment", body)], "Add comment", async (data, form) => {
      await api(`claims/${this.claim.id}/comments/`, { method: "POST", body: { body: data.get("body") } });
      form.reset();
      await this.loadComments();
      this.announce("Comment added.");
    });
  }

  /** The team's members, loaded once per page: assignee choices and names in the timeline. */
  members() {
    if (!this.membersPromise) {
      this.membersPromise = apiList(`teams/${this.page.teamId}/members/`).catch(() => {
        this.membersPromise = null;
        return [];
      });
    }
    return this.membersPromise;
  }

  /** The audit events: the lifecycle timeline, the corrections log and the full history. */
  async loadActivity() {
    const claimId = this.claim.id;
    const published = Boolean(this.claim.current_verdict && this.claim.current_verdict.published_at);
    let events;
    let verdicts = [];
    let members;
    try {
      [events, verdicts, members] = await Promise.all([
        apiList(`claims/${claimId}/events/`),
        published ? apiList(`claims/${claimId}/verdicts/`) : Promise.resolve([]),
        this.members(),
      ]);
    } catch {
      if (this.claim && this.claim.id === claimId) {
        this.sections.lifecycle.replaceChildren(el("li", { className: "muted", text: "The timeline could not be loaded." }));
      }
      return;
    }
    if (!this.claim || this.claim.id !== claimId) return;
    const usernames = new Map(members.map((m) => [m.user.id, m.user.username]));
    this.renderLifecycle(lifecycleEntries(events, { usernames }));
    this.renderCorrections(correctionsLog(verdicts, events, this.claim.current_verdict && this.claim.current_verdict.id));
    this.linkedTo = linkedTo(events);
    if (this.similar) this.renderSimilar();
    this.sections.history.replaceChildren(
      ...(events.length ? events.map((e) => el("li", {},
        `${formatDate(e.created_at)} · ${e.actor ? e.actor.username || e.actor : "system"} · ${e.action}`)) : [el("li", { className: "muted", text: "No history." })]),
    );
  }

  renderLifecycle(entries) {
    const list = this.sections.lifecycle;
    if (entries.length === 0) {
      list.replaceChildren(el("li", { className: "muted", text: "No steps yet." }));
      return;
    }
    list.replaceChildren(...entries.map((entry) => {
      const item = el("li", { className: "lifecycle-step", dataset: { action: entry.action } });
      if (entry.status) item.append(el("span", { className: `status status-${entry.status}`, text: entry.statusLabel }), " ");
      item.append(el("span", { className: "step-label", text: entry.label }));
      if (entry.detail) item.append(" ", el("span", { className: "step-detail", text: entry.action === "claim.assign" ? entry.detail : `— ${entry.detail}` }));
      item.append(el("br"), el("span", { className: "muted", text: `${entry.who} · ` }),
        el("time", { datetime: entry.when, className: "muted", text: formatDate(entry.when) }));
      return item;
    }));
  }

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
          ` published ${formatDate(verdict.published_at)}${verdict.author ? ` by ${verdict.author.username}` : ""}, since corrected`,
          el("p", { className: "verdict-summary", text: verdict.summary }));
        if (correction) {
          item.append(el("p", { className: "correction-note", text: `Correction${correction.by ? ` by ${correction.by}` : ""}: ${correction.note}` }));
        }
        return item;
      })),
    );
  }

  /** Earlier claims of the team with similar wording, with their verdicts; link one instead of redoing the work. */
  async loadSimilar() {
    const claimId = this.claim.id;
    let results;
    try {
      results = (await api(`claims/${claimId}/similar/`)).results || [];
    } catch {
      results = [];
    }
    if (!this.claim || this.claim.id !== claimId) return;
    this.similar = results;
    this.renderSimilar();
  }

  renderSimilar() {
    const section = this.sections.similar;
    const results = this.similar || [];
    section.hidden = results.length === 0 && !this.linkedTo;
    const items = results.map((earlier) => {
      const verdict = earlier.current_verdict;
      const linked = this.linkedTo === earlier.id;
      const item = el("li", { className: "similar-claim", dataset: { claimId: earlier.id } },
        el("blockquote", { className: "claim-quote", text: excerpt(earlier.exact) }));
      const facts = el("p", {}, el("span", { className: `status status-${earlier.status}`, text: earlier.status_label || statusLabel(earlier.status) }));
      if (verdict && verdict.rating) facts.append(" ", el("span", { className: "rating", text: verdict.rating.label }));
      facts.append(el("span", { className: "muted", text: ` · claim #${earlier.id} · ${Math.round((earlier.similarity || 0) * 100)}% similar` }));
      item.append(facts);
      if (verdict && verdict.summary) item.append(el("p", { className: "verdict-summary", text: verdict.summary }));
      if (linked) {
        item.append(el("p", { className: "linked-note", text: "This claim is linked to it." }));
      } else if (!this.linkedTo) {
        const button = el("button", { type: "button", className: "secondary small", text: `Link to claim #${earlier.id}` });
        button.addEventListener("click", () => this.linkEarlier(earlier, button));
        item.append(button);
      }
      return item;
    });
    const intro = this.linkedTo
      ? el("p", { className: "linked-note", text: `Linked to already-checked claim #${this.linkedTo}.` })
      : el("p", { className: "muted", text: "Earlier claims of your team with similar wording. Link one instead of checking this claim again." });
    section.replaceChildren(el("h3", { id: "panel-similar-h", text: "Already checked?" }), intro,
      items.length ? el("ul", { className: "similar" }, ...items) : null);
  }

  async linkEarlier(earlier, button) {
    button.disabled = true;
    try {
      const claim = await api(`claims/${this.claim.id}/similar/`, {
        method: "POST",
        body: { earlier: earlier.id, version: this.claim.version },
      });
      this.linkedTo = earlier.id;
      this.setClaim(claim);
      this.renderSimilar();
      this.announce(`Linked to already-checked claim #${earlier.id}.`);
      this.sections.similar.querySelector(".linked-note")?.setAttribute("tabindex", "-1");
    } catch (error) {
      button.disabled = false;
      this.announce(error.message);
    }
  }

  needControl(action, name) {
    const current = this.claim.current_verdict;
    const prefill = ["propose", "correct"].includes(action) && current ? current : null;
    if (name === "assignee") {
      const control = select("assignee", [{ value: "", label: "Choose a member" }], "");
      this.members().then((members) => {
        for (const m of members) {
          const option = el("option", { value: m.user.id, text: `${m.user.username} (${m.role})` });
          if (this.claim && this.claim.assignee && this.claim.assignee.id === m.user.id) option.selected = true;
          control.append(option);
        }
      });
      return control;
    }
    if (name === "rating") {
      const options = [{ value: "", label: "Choose a rating" }, ...this.page.ratings.map((r) => ({ value: r.id, label: r.label }))];
      return select("rating", options, prefill && prefill.rating ? prefill.rating.id : "");
    }
    const control = el("textarea", { name, rows: name === "rationale" ? 4 : 2 });
    if (prefill && (name === "summary" || name === "rationale")) control.value = prefill[name] || "";
    return control;
  }

  async loadWorkflow() {
    const claimId = this.claim.id;
    const section = this.sections.workflow;
    let allowed;
    try {
      allowed = (await api(`claims/${claimId}/transitions/`)).allowed || [];
    } catch {
      section.hidden = true;
      return;
    }
    if (!this.claim || this.claim.id !== claimId) return;
    section.hidden = allowed.length === 0;
    const buttons = el("div", { className: "workflow-actions" });
    const needsArea = el("div");
    for (const transition of allowed) {
      const label = transition.label || transition.action;
      const button = el("button", { type: "button", className: "secondary", text: label, dataset: { action: transition.action } });
      button.addEventListener("click", () => {
        if (!transition.needs || transition.needs.length === 0) {
          button.disabled = true;
          this.transition(transition.action, {}).catch((error) => {
            button.disabled = false;
            this.announce(error.message);
          });
          return;
        }
        const inputs = transition.needs.map((name) => {
          const control = this.needControl(transition.action, name);
          if (!OPTIONAL_NEEDS.has(name)) control.required = true;
          const text = name === "note" ? NOTE_LABELS[transition.action] || NEED_LABELS.note : NEED_LABELS[name] || name.replaceAll("_", " ");
          return field(text, control);
        });
        const form = apiForm(label, inputs, label, async (data) => {
          const values = {};
          for (const name of transition.needs) {
            const value = data.get(name);
            values[name] = ["assignee", "rating"].includes(name) ? (value ? Number(value) : null) : value;
          }
          await this.transition(transition.action, values);
        });
        const cancel = el("button", { type: "button", className: "secondary", text: "Cancel" });
        cancel.addEventListener("click", () => {
          needsArea.replaceChildren();
          button.focus();
        });
        form.querySelector("button[type=submit]").after(" ", cancel);
        needsArea.replaceChildren(form);
        form.querySelector("select, textarea, input")?.focus();
      });
      buttons.append(button);
    }
    section.replaceChildren(el("h3", { text: "Workflow" }), buttons, needsArea);
  }

  async transition(action, values) {
    const claim = await api(`claims/${this.claim.id}/transitions/`, {
      method: "POST",
      body: { action, ...values, version: this.claim.version },
    });
    this.setClaim(claim);
    this.announce(`Claim is now ${claim.status_label || claim.status}.`);
    // The buttons were replaced: keep the keyboard in the workflow section.
    this.sections.workflow.setAttribute("tabindex", "-1");
    this.sections.workflow.focus();
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
