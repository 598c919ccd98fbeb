// Claim suggestions in the reading view, mixed into Reader.prototype (reader.js): spans the server
// found worth checking, drawn as a dotted underline (the CSS Custom Highlight API: no element is
// added to the text, so claims' marks and offsets are untouched), listed in the sidebar by score or
// in text order, and accepted (the server marks the claim, with the same selectors as a selection
// by hand) or dismissed by key or button. The pure parts are exported for the tests.

import { ApiError, api } from "./api.js";
import { errorMessages, excerpt, highlightOf, stepClaim } from "./claims.js";
import { offsetsToRanges } from "./text-map.js";

// While an article has just been written the worker may still be looking: ask again a few times.
const RETRY_MS = [2000, 3000, 5000, 8000, 13000];

/** Whether two spans share at least half of the shorter one (the server's rule for "already a claim"). */
export function overlapsEnough(a, b) {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return overlap > 0 && 2 * overlap >= Math.min(a.end - a.start, b.end - b.start);
}

/** The suggestions to show on `revision`: in its offsets, and not covered by a claim marked since. */
export function visibleSuggestions(suggestions, claims, revision) {
  const marked = claims.filter((c) => Number.isInteger(c.start) && Number.isInteger(c.end));
  return suggestions.filter(
    (s) => s.revision === revision && Number.isInteger(s.start) && !marked.some((c) => overlapsEnough(s, c)),
  );
}

/** Best first ("score"), or where they are in the text ("text"). */
export function orderSuggestions(suggestions, order) {
  const list = [...suggestions];
  if (order === "text") return list.sort((a, b) => a.start - b.start || a.end - b.end);
  return list.sort((a, b) => b.score - a.score || a.start - b.start);
}

/** What the list and the announcements say about a suggestion, besides its words. */
export function suggestionDetails(s) {
  const reasons = s.reasons.length ? s.reasons.join(", ") : "no single reason";
  return `score ${s.score.toFixed(2)}: ${reasons}; model ${s.model_version}`;
}

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export const suggestionMethods = {
  initSuggestions() {
    this.suggestions = new Map();
    this.activeSuggestion = null;
    this.suggestionSection = this.doc.getElementById("suggestions");
    this.suggestionList = this.doc.getElementById("suggestion-list");
    this.suggestionCount = this.doc.getElementById("suggestion-count");
    this.suggestionOrder = this.doc.getElementById("suggestion-order");
    this.suggestionsFor = this.page.revision;
    if (!this.suggestionSection || !this.page.suggestions) return;
    this.suggestionSection.hidden = false;
    this.suggestionOrder.addEventListener("change", () => this.renderSuggestionList());
    this.suggestionList.addEventListener("click", (event) => {
      const item = event.target.closest("[data-suggestion-id]");
      if (!item) return;
      const id = Number(item.dataset.suggestionId);
      if (event.target.closest(".suggestion-accept")) this.acceptSuggestion(id);
      else if (event.target.closest(".suggestion-dismiss")) this.dismissSuggestion(id);
      else if (event.target.closest(".suggestion-go")) this.showSuggestion(id);
    });
  },

  /** Ask for the article's suggestions; while none count in the revision shown, ask again later. */
  async loadSuggestions(attempt = 0) {
    if (!this.page.suggestions) return;
    clearTimeout(this.suggestionTimer);
    let results = [];
    try {
      const answer = await api(`articles/${this.page.articleId}/suggestions/?page_size=1000`);
      results = answer.results;
    } catch (error) {
      this.announce(`Suggestions could not be loaded: ${error.message}`);
    }
    this.suggestions = new Map(results.map((s) => [s.id, s]));
    this.suggestionsLoaded = true;
    this.drawSuggestions();
    const current = results.some((s) => s.revision === this.page.revision);
    if (!current && attempt < RETRY_MS.length) {
      this.suggestionTimer = setTimeout(() => this.loadSuggestions(attempt + 1), RETRY_MS[attempt]);
    }
  },

  shownSuggestions() {
    const claims = Array.from(this.claims.values()).filter((c) => (c.anchored_revision ?? this.page.revision) === this.page.revision);
    return visibleSuggestions(Array.from(this.suggestions.values()), claims, this.page.revision);
  },

  /** Underline every shown suggestion; neighbours alternate, the active one is wavy on a tint. */
  drawSuggestions() {
    if (!this.suggestions || !this.page.suggestions) return;
    if (this.page.suggestions && this.suggestionsFor !== this.page.revision) {
      // A new revision is shown: its suggestions are asked for (the old ones count in other offsets).
      this.suggestionsFor = this.page.revision;
      if (this.suggestionsLoaded) this.loadSuggestions();
    }
    const shown = orderSuggestions(this.shownSuggestions(), "text");
    if (this.activeSuggestion !== null && !shown.some((s) => s.id === this.activeSuggestion)) this.activeSuggestion = null;
    const registry = globalThis.CSS && globalThis.CSS.highlights;
    if (registry && typeof Highlight === "function") {
      const kinds = { plain: new Highlight(), alternate: new Highlight(), active: new Highlight() };
      shown.forEach((s, i) => {
        const kind = s.id === this.activeSuggestion ? "active" : i % 2 ? "alternate" : "plain";
        for (const range of offsetsToRanges(this.root, s.start, s.end)) kinds[kind].add(range);
      });
      registry.set("suggestion", kinds.plain);
      registry.set("suggestion-alternate", kinds.alternate);
      registry.set("suggestion-active", kinds.active);
    }
    this.root.dataset.suggestions = String(shown.length);
    this.renderSuggestionList(shown);
  },

  renderSuggestionList(shown = this.shownSuggestions()) {
    if (!this.suggestionList) return;
    const order = this.suggestionOrder ? this.suggestionOrder.value : "score";
    const focused = this.doc.activeElement && this.doc.activeElement.closest && this.doc.activeElement.closest("[data-suggestion-id]");
    const focusedAt = focused ? [Number(focused.dataset.suggestionId), this.doc.activeElement.className] : null;
    const items = orderSuggestions(shown, order).map((s) => {
      const li = el(this.doc, "li", "suggestion-item");
      li.dataset.suggestionId = String(s.id);
      if (s.id === this.activeSuggestion) li.setAttribute("aria-current", "true");
      const go = el(this.doc, "button", "suggestion-go", excerpt(s.exact));
      go.type = "button";
      const details = el(this.doc, "p", "suggestion-details muted", suggestionDetails(s));
      details.id = `suggestion-details-${s.id}`;
      go.setAttribute("aria-describedby", details.id);
      const accept = el(this.doc, "button", "suggestion-accept", "Accept");
      accept.type = "button";
      accept.setAttribute("aria-label", `Accept as a claim: ${excerpt(s.exact, 60)}`);
      const dismiss = el(this.doc, "button", "suggestion-dismiss secondary", "Dismiss");
      dismiss.type = "button";
      dismiss.setAttribute("aria-label", `Dismiss: ${excerpt(s.exact, 60)}`);
      li.append(go, details, accept, " ", dismiss);
      return li;
    });
    if (items.length === 0) {
      const message = this.suggestionsLoaded ? "No suggestions." : "Looking for suggestions…";
      items.push(el(this.doc, "li", "muted empty", message));
    }
    this.suggestionList.replaceChildren(...items);
    this.suggestionCount.textContent = `(${shown.length})`;
    if (focusedAt) {
      const again = this.suggestionList.querySelector(`[data-suggestion-id="${focusedAt[0]}"] .${focusedAt[1].split(" ")[0]}`);
      again?.focus({ preventScroll: true });
    }
  },

  /** Make suggestion `id` the active one: underline it as such, scroll to it and say what it is. */
  showSuggestion(id, { focusList = false, said = "" } = {}) {
    const s = this.suggestions.get(id);
    if (!s) return;
    this.activeSuggestion = id;
    this.drawSuggestions();
    const [range] = offsetsToRanges(this.root, s.start, s.end);
    const holder = range && range.startContainer.parentElement;
    holder?.scrollIntoView({ block: "center", behavior: "auto" });
    if (focusList) this.suggestionList.querySelector(`[data-suggestion-id="${id}"] .suggestion-go`)?.focus({ preventScroll: true });
    const shown = orderSuggestions(this.shownSuggestions(), "text");
    const at = shown.findIndex((x) => x.id === id) + 1;
    this.announce(`${said}Suggestion ${at} of ${shown.length} (${suggestionDetails(s)}): ${excerpt(s.exact)}`);
  },

  stepSuggestion(direction) {
    const ids = orderSuggestions(this.shownSuggestions(), "text").map((s) => s.id);
    const next = stepClaim(ids, this.activeSuggestion, direction);
    if (next !== null) this.showSuggestion(next, { focusList: true });
  },

  /** The next suggestion once `id` is decided: the one after it in the text, else the one before. */
  afterDecision(id) {
    const ids = orderSuggestions(this.shownSuggestions(), "text").map((s) => s.id);
    const at = ids.indexOf(id);
    return ids[at + 1] ?? ids[at - 1] ?? null;
  },

  async acceptSuggestion(id = this.activeSuggestion) {
    if (id === null || !this.suggestions.has(id)) return;
    const next = this.afterDecision(id);
    try {
      const claim = await api(`suggestions/${id}/accept/`, { method: "POST" });
      this.suggestions.delete(id);
      this.upsert([highlightOf(claim)]);
      this.afterDecided(next, "Claim marked from the suggestion.");
    } catch (error) {
      this.suggestionRefused(id, error, "accepted");
    }
  },

  async dismissSuggestion(id = this.activeSuggestion) {
    if (id === null || !this.suggestions.has(id)) return;
    const next = this.afterDecision(id);
    try {
      await api(`suggestions/${id}/dismiss/`, { method: "POST" });
      this.suggestions.delete(id);
      this.afterDecided(next, "Suggestion dismissed.");
    } catch (error) {
      this.suggestionRefused(id, error, "dismissed");
    }
  },

  /** Say what was done and move on to the next suggestion, if any. */
  afterDecided(next, done) {
    this.activeSuggestion = null;
    if (next !== null && this.suggestions.has(next)) {
      this.showSuggestion(next, { focusList: true, said: `${done} ` });
    } else {
      this.drawSuggestions();
      this.announce(done);
    }
  },

  suggestionRefused(id, error, what) {
    const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [error.message];
    this.announce(`The suggestion could not be ${what}: ${messages.join(" ")}`);
    if (error instanceof ApiError && [404, 409].includes(error.status)) {
      // Decided elsewhere, marked by hand, or the team turned suggestions off: show what the server has.
      this.suggestions.delete(id);
      this.loadSuggestions(RETRY_MS.length);
    }
  },

  /** The suggestion keys: s / S next and previous, a accept, d dismiss. Returns whether it was one. */
  onSuggestionKey(event) {
    if (!this.page.suggestions) return false;
    if (event.key === "s") this.stepSuggestion(1);
    else if (event.key === "S") this.stepSuggestion(-1);
    else if (event.key === "a" && this.activeSuggestion !== null) this.acceptSuggestion();
    else if (event.key === "d" && this.activeSuggestion !== null) this.dismissSuggestion();
    else return false;
    event.preventDefault();
    return true;
  },
};
