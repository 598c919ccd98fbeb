// The claim panel's workflow: the transition buttons and the forms for what a transition
// needs, the lifecycle timeline (from the audit events), and "Already checked?": earlier claims
// of the team that say the same thing in any language (this claim can be linked to one) and
// other fact-checkers' reviews of it; and the claim's due date, which editors set, change or clear.
// Mixed into ClaimPanel.prototype (claim-panel.js): `this` is the panel.

import { api, apiList } from "./api.js";
import { errorMessages, excerpt } from "./claims.js";
import { isStale } from "./conflicts.js";
import { fromLocalInput, isOverdue, toLocalInput } from "./due-dates.js";
import { correctionsLog, lifecycleEntries, linkedTo, statusLabel } from "./lifecycle.js";
import { languageName, languageTag, matchedByText, matchScore, reviewDay, scoreText, similarAnswer } from "./matches.js";
import { apiForm, el, field, formatDate, link, select } from "./panel-dom.js";

// How the workflow form labels each field a transition needs (per action where it differs).
const NEED_LABELS = {
  assignee: "Assign to",
  rating: "Rating",
  summary: "Summary",
  rationale: "Rationale",
  reason: "Reason",
  note: "Note",
};
const NOTE_LABELS = {
  request_changes: "What needs to change",
  propose_correction: "Correction note",
  withdraw_correction: "Why the correction is withdrawn",
  retract: "Public retraction note",
};
// Statuses with a verdict on the public record (or taken back from it): their history has a corrections log.
const ON_RECORD = new Set(["published", "correction_in_review", "correction_approved", "retracted"]);
const OPTIONAL_NEEDS = new Set(["rationale"]);
// While a new claim's meaning is still being computed, "Already checked?" asks again this often, this many times.
const SIMILAR_RETRY_MS = 3000;
const SIMILAR_RETRIES = 5;

/** Text and elements separated by " · ", leaving out the empty ones. */
function joined(parts) {
  return parts.filter(Boolean).flatMap((part, index) => (index ? [" · ", part] : [part]));
}

export const workflowMethods = {
  /** The team's members, loaded once per page: assignee choices and names in the timeline. */
  members() {
    if (!this.membersPromise) {
      this.membersPromise = apiList(`teams/${this.page.teamId}/members/`).catch(() => {
        this.membersPromise = null;
        return [];
      });
    }
    return this.membersPromise;
  },

  /** The audit events: the lifecycle timeline, the corrections log and the full history. */
  async loadActivity() {
    const claimId = this.claim.id;
    const published =
      ON_RECORD.has(this.claim.status) || Boolean(this.claim.current_verdict && this.claim.current_verdict.published_at);
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
    this.renderHistory(events);
  },

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
  },

  /** Earlier claims of the team that say the same thing (in any language), with their verdicts, and other
   * fact-checkers' reviews of it; link an earlier claim instead of redoing the work. */
  async loadSimilar(attempt = 0) {
    const claimId = this.claim.id;
    let answer;
    let failed = false;
    try {
      answer = similarAnswer(await api(`claims/${claimId}/similar/`));
    } catch {
      answer = similarAnswer(null);
      failed = true;
    }
    if (!this.claim || this.claim.id !== claimId) return;
    this.similarFailed = failed;
    this.similar = answer.results;
    this.similarThreshold = answer.threshold;
    this.elsewhere = answer.elsewhere;
    this.similarPending = answer.pending && attempt < SIMILAR_RETRIES;
    this.renderSimilar();
    if (this.similarPending) {
      setTimeout(() => {
        if (this.claim && this.claim.id === claimId) this.loadSimilar(attempt + 1);
      }, SIMILAR_RETRY_MS);
    }
  },

  /** A match's language, score and how it was found, all in words: [Spanish, 83% match, strong, same meaning]. */
  matchFacts(match) {
    const language = languageName(match.language, document.documentElement.lang || undefined);
    const score = scoreText(matchScore(match));
    const how = matchedByText(match.matched_by);
    return [
      language ? el("span", { className: "match-language", text: language }) : null,
      score ? el("span", { className: "match-score", text: score }) : null,
      how ? el("span", { className: "match-how", text: how }) : null,
    ].filter(Boolean);
  },

  renderSimilar() {
    const section = this.sections.similar;
    const results = this.similar || [];
    const elsewhere = this.elsewhere || [];
    // A re-render (a later answer) keeps the keyboard on the same earlier claim's button.
    const focused = section.contains(document.activeElement) ? document.activeElement.closest("li.similar-claim") : null;
    const focusedId = focused && focused.dataset.claimId;
    section.hidden = false;
    const items = results.map((earlier) => {
      const verdict = earlier.current_verdict;
      const linked = this.linkedTo === earlier.id;
      const item = el("li", { className: "similar-claim", dataset: { claimId: earlier.id } },
        el("blockquote", { className: "claim-quote", lang: languageTag(earlier.language) || null, text: excerpt(earlier.exact) }));
      const facts = el("p", {}, el("span", { className: `status status-${earlier.status}`, text: earlier.status_label || statusLabel(earlier.status) }));
      if (verdict && verdict.rating) facts.append(" ", el("span", { className: "rating", text: verdict.rating.label }));
      facts.append(" ", el("span", { className: "muted" }, ...joined([`claim #${earlier.id}`, ...this.matchFacts(earlier)])));
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
    const bar = this.similarThreshold === null || this.similarThreshold === undefined
      ? ""
      : ` (a match of at least ${Math.round(this.similarThreshold * 100)}%)`;
    let intro;
    if (this.linkedTo) {
      intro = el("p", { className: "linked-note", text: `Linked to already-checked claim #${this.linkedTo}.` });
    } else if (this.similarFailed) {
      intro = el("p", { className: "muted similar-empty", text: "Earlier claims like this one could not be looked up." });
    } else if (items.length) {
      intro = el("p", { className: "muted", text: `Earlier claims of your team that say the same thing, in any language${bar}. Link one instead of checking this claim again.` });
    } else {
      intro = el("p", { className: "muted similar-empty", text: `No earlier claim of your team matches this one${bar}.` });
    }
    const pending = this.similarPending
      ? el("p", { className: "muted similar-pending", text: "Compared by wording so far; matches in other languages follow in a moment." })
      : null;
    section.replaceChildren(el("h3", { id: "panel-similar-h", text: "Already checked?" }), intro, pending,
      items.length ? el("ul", { className: "similar", "aria-label": "Earlier claims of your team" }, ...items) : null);
    if (elsewhere.length) {
      section.append(el("h4", { id: "panel-elsewhere-h", text: "Checked elsewhere" }),
        el("ul", { className: "similar elsewhere", "aria-labelledby": "panel-elsewhere-h" }, ...elsewhere.map((review) => this.elsewhereItem(review))));
    }
    if (focusedId) section.querySelector(`li.similar-claim[data-claim-id="${CSS.escape(focusedId)}"] button`)?.focus();
  },

  /** Another fact-checker's review: "Checked by <publisher>" linking to it, what they checked and rated. */
  elsewhereItem(review) {
    const publisher = review.publisher || "another fact-checker";
    const to = link(review.url, publisher);
    if (to.tagName === "A") to.append(el("span", { className: "visually-hidden", text: " (opens in a new tab)" }));
    const item = el("li", { className: "similar-claim elsewhere-review", dataset: { reviewId: review.id } },
      el("p", { className: "checked-by" }, "Checked by ", to));
    if (review.claim_reviewed) {
      item.append(el("blockquote", { className: "claim-quote", lang: languageTag(review.language) || null, text: excerpt(review.claim_reviewed) }));
    }
    const facts = el("p", {});
    if (review.rating_text) {
      facts.append(el("span", { className: "visually-hidden", text: "Their rating: " }), el("span", { className: "rating", text: review.rating_text }), " ");
    }
    const day = reviewDay(review.published_at, document.documentElement.lang || undefined);
    facts.append(el("span", { className: "muted" }, ...joined([
      review.claimant ? `said by ${review.claimant}` : null,
      day ? el("time", { datetime: review.published_at, text: day }) : null,
      ...this.matchFacts(review),
    ])));
    item.append(facts);
    return item;
  },

  async linkEarlier(earlier, button) {
    button.disabled = true;
    try {
      const claim = await api(`claims/${this.claim.id}/similar/`, {
        method: "POST",
        // The version whose workflow the user saw (see ClaimPanel.refresh).
        body: { earlier: earlier.id, version: this.loadedVersion ?? this.claim.version },
      });
      this.linkedTo = earlier.id;
      this.setClaim(claim, { own: "workflow" });
      this.renderSimilar();
      this.announce(`Linked to already-checked claim #${earlier.id}.`);
      this.sections.similar.querySelector(".linked-note")?.setAttribute("tabindex", "-1");
    } catch (error) {
      button.disabled = false;
      if (isStale(error)) await this.workflowConflict(error.body);
      else this.announce(error.message);
    }
  },

  needControl(action, name) {
    const current = this.claim.current_verdict;
    const prefill = ["propose", "propose_correction"].includes(action) && current ? current : null;
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
  },

  /**
   * The due date, in its own section after the workflow's. Editors (the policy's "claim.plan") get
   * a date-time input saved against the version it was filled from: a live update refills the
   * input only while it is untouched, and a save over someone else's change is refused (409),
   * shown, and may be sent again against the claim as it is now. Others read the date.
   */
  renderDue() {
    const claim = this.claim;
    if (!this.sections.due) {
      this.sections.due = el("section", { className: "panel-section due-date", "aria-labelledby": "panel-due-h" });
      this.sections.workflow.after(this.sections.due);
      this.sections.dueState = null;
    }
    const section = this.sections.due;
    const when = claim.due_at
      ? [el("time", { datetime: claim.due_at, text: formatDate(claim.due_at) }), isOverdue(claim.due_at) ? el("strong", { className: "overdue", text: " (overdue)" }) : null]
      : [el("span", { className: "muted", text: "No due date." })];
    if (!this.page.canPlan) {
      section.replaceChildren(el("h3", { id: "panel-due-h", text: "Due date" }), el("p", { className: "due-now" }, ...when));
      return;
    }
    let state = this.sections.dueState;
    if (!state) {
      const input = el("input", { type: "datetime-local", name: "due_at", id: "panel-due-at", "aria-describedby": "panel-due-help" });
      const errors = el("div", { className: "error", role: "alert" });
      const save = el("button", { type: "submit", text: "Save due date" });
      const clear = el("button", { type: "button", className: "secondary", text: "Clear due date" });
      const form = el("form", { className: "stack panel-form due-form", "aria-labelledby": "panel-due-h" },
        el("div", { className: "field" }, el("label", { for: input.id, text: "Due date and time" }), input,
          el("small", { className: "muted", id: "panel-due-help", text: "In your time zone. Clear it to leave the claim without one." })),
        el("div", {}, save, " ", clear), errors);
      const submit = async (value) => {
        errors.replaceChildren();
        save.disabled = clear.disabled = true;
        try {
          await this.saveDue(value);
        } catch (error) {
          errors.replaceChildren(el("p", { text: error.message }));
        } finally {
          save.disabled = clear.disabled = false;
        }
      };
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        submit(input.value);
      });
      clear.addEventListener("click", () => submit(""));
      const now = el("p", { className: "due-now" });
      section.replaceChildren(el("h3", { id: "panel-due-h", text: "Due date" }), now, form);
      state = { input, errors, now, shown: null, version: claim.version };
      this.sections.dueState = state;
    }
    state.now.replaceChildren(...when);
    const incoming = toLocalInput(claim.due_at);
    if (state.shown === null || state.input.value === state.shown) {
      state.input.value = incoming;
      state.shown = incoming;
      state.version = claim.version;
    }
  },

  /** Save `value` (a datetime-local value, "" to clear) as the due date. Throws with a message to show. */
  async saveDue(value) {
    const state = this.sections.dueState;
    const dueAt = value ? fromLocalInput(value) : null;
    if (value && !dueAt) throw new Error("Enter a date and a time, such as 2025-04-01 14:30.");
    const claimId = this.claim.id;
    let saved;
    try {
      saved = await api(`claims/${claimId}/`, { method: "PATCH", body: { version: state.version, due_at: dueAt } });
    } catch (error) {
      if (!isStale(error)) {
        const messages = error.body && error.body.error ? errorMessages(error.body.error) : [];
        throw new Error(messages.length ? messages.join(" ") : error.message);
      }
      const { current, last_change: lastChange } = error.body;
      const who = (lastChange && lastChange.by && lastChange.by.username) || "Someone";
      // The input keeps the typed date; saving again now sets it on the claim as it is now.
      state.version = current.version;
      state.shown = toLocalInput(current.due_at);
      this.setClaim(current);
      const now = current.due_at ? formatDate(current.due_at) : "none";
      throw new Error(`${who} changed this claim after you opened it (its due date is now ${now}). Your due date was not saved: save again to set it.`);
    }
    if (!this.claim || this.claim.id !== claimId || this.sections.dueState !== state) return;
    state.version = saved.version;
    state.shown = toLocalInput(saved.due_at);
    state.input.value = state.shown;
    this.setClaim(saved, { own: "details" });
    this.renderDue();
    this.announce(saved.due_at ? `Due date saved: ${formatDate(saved.due_at)}.` : "Due date cleared.");
  },

  async loadWorkflow() {
    const claimId = this.claim.id;
    this.renderDue();
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
  },

  async transition(action, values) {
    let claim;
    try {
      claim = await api(`claims/${this.claim.id}/transitions/`, {
        method: "POST",
        // The version whose actions the user saw, not a newer one polling brought meanwhile.
        body: { action, ...values, version: this.loadedVersion ?? this.claim.version },
      });
    } catch (error) {
      if (!isStale(error)) throw error;
      await this.workflowConflict(error.body, action, values);
      return;
    }
    this.setClaim(claim, { own: "workflow" });
    this.announce(`Claim is now ${claim.status_label || claim.status}.`);
    // The buttons were replaced: keep the keyboard in the workflow section.
    this.sections.workflow.setAttribute("tabindex", "-1");
    this.sections.workflow.focus();
  },
};
