// The reading view: highlights, marking claims from a selection, the sidebar, the claim
// panel, live updates, following new revisions of the article (reader-revisions.js) and claim
// suggestions (suggestions.js), and selecting text with the keyboard (caret-mode.js). Highlights show
// status and rating (highlight-cues.js). Pure logic lives in claims.js, revisions.js, anchoring.js and caret.js;
// DOM offsets in text-map.js; the server is reached through api.js.
//
// The page sends the article's text once, as HTML; the reader text is read back from it. The
// claims come from the article's highlights (what is drawn and listed); a claim's full JSON is
// loaded by the claim panel when the claim is opened.

import { ApiError, api } from "./api.js";
import { caretMethods } from "./caret-mode.js";
import { ClaimPanel } from "./claim-panel.js";
import {
  arrangeClaims,
  claimChanged,
  claimIdOfHash,
  claimQuote,
  errorMessages,
  fuzzyDescription,
  highlightOf,
  highlightsOf,
  isTypingTarget,
  mergeClaims,
  stepClaim,
} from "./claims.js";
import { CodePointIndex } from "./codepoints.js";
import { highlightCues } from "./highlight-cues.js";
import { LivePoller } from "./live.js";
import { revisionMethods } from "./reader-revisions.js";
import { markBody, refusedForRevision } from "./revisions.js";
import { Sidebar } from "./sidebar.js";
import { suggestionMethods } from "./suggestions.js";
import { clearHighlights, highlightMany, marksOf, rangeToOffsets, readerText } from "./text-map.js";

class Reader {
  constructor(doc, page) {
    this.doc = doc;
    this.page = page;
    this.root = doc.getElementById("article-text");
    this.index = new CodePointIndex(readerText(this.root));
    this.claims = new Map();
    this.changedAt = new Map(); // claim id -> when this page last wrote or deleted it (performance.now())
    this.order = [];
    this.activeId = null;
    this.pendingSpan = null;
    this.renderDeferred = false;
    this.pointerDown = false;
    this.selectionSeen = false; // no selectionchange yet: nothing can be selected
    this.pending = null; // a newer revision of the article, waiting for the reviewer
    this.applying = null;
    this.markButton = doc.getElementById("mark-claim-button");
    this.status = doc.getElementById("reader-status");
    this.markError = doc.getElementById("mark-error");
    this.revisionLabel = doc.getElementById("article-revision");
    this.notice = doc.getElementById("revision-notice");
    this.noticeText = doc.getElementById("revision-notice-text");
    this.statusLabels = new Map((page.statuses || []).map(({ value, label }) => [value, label]));
    this.sidebar = new Sidebar(doc, {
      statuses: page.statuses,
      ratings: page.ratings || [],
      quote: (claim, place) => claimQuote(this.index, claim, place),
      onOpen: (id, options) => this.openClaim(id, options),
    });
    this.panel = new ClaimPanel(doc, {
      page,
      onChange: (claim) => this.upsert([highlightOf(claim)]),
      onDelete: (id) => this.remove(id),
      onClose: () => this.setActive(null),
      onSettled: () => this.followRevision(),
    });
    this.live = new LivePoller({
      articleId: page.articleId,
      revision: page.revision,
      onHighlights: (answer, sentAt) => this.onHighlights(answer, sentAt),
      onRevision: (article) => this.onRevision(article),
    });
    this.initSuggestions();
    this.initCaret();
    this.bind();
  }

  async start() {
    try {
      const answer = await this.live.highlights();
      if (answer.revision === this.page.revision) {
        mergeClaims(this.claims, highlightsOf(answer));
        this.render();
      } else {
        // The article was revised since the page was made: show that revision with its claims.
        await this.fetchRevision({ force: true });
      }
    } catch (error) {
      this.announce(`Claims could not be loaded: ${error.message}`);
    }
    this.loadSuggestions();
    this.live.start();
    this.openLinkedClaim();
    window.addEventListener("hashchange", () => this.openLinkedClaim());
    this.doc.body.dataset.readerReady = "1";
  }

  /** A link to `#claim-<id>` (from a notification, an email or a colleague) opens that claim. */
  openLinkedClaim() {
    const id = claimIdOfHash(window.location.hash);
    if (id !== null && this.claims.has(id) && id !== this.activeId) this.openClaim(id);
  }

  /**
   * Highlights from a live update (asked for at `sentAt`): drawn when they count in the revision
   * shown. Ahead of it they mean a newer revision, which is fetched (and shown with its own
   * highlights). Returns whether the answer was taken care of.
   */
  async onHighlights(answer, sentAt) {
    if (answer.revision > this.page.revision) {
      await this.live.checkRevision();
      return Boolean(this.pending && this.pending.revision >= answer.revision) || answer.revision <= this.page.revision;
    }
    if (answer.revision === this.page.revision) {
      this.replaceAll(highlightsOf(answer), sentAt);
      await this.refreshPanel();
    }
    return true;
  }

  // --- rendering --------------------------------------------------------------------------

  selecting() {
    if (this.pointerDown) return true;
    // Asking the browser about the selection lays the whole page out first: not before there is one.
    if (!this.selectionSeen) return false;
    const selection = this.doc.getSelection();
    return Boolean(selection && !selection.isCollapsed && this.root.contains(selection.anchorNode));
  }

  render() {
    const arranged = arrangeClaims(this.index, Array.from(this.claims.values()), this.page.revision);
    this.order = arranged.placed.map(({ claim }) => claim.id);
    this.sidebar.render(arranged);
    if (this.selecting()) {
      // Rewrapping text nodes now would break the selection the reviewer is making.
      this.renderDeferred = true;
      return arranged;
    }
    this.renderDeferred = false;
    const t0 = performance.now();
    clearHighlights(this.root);
    const marks = highlightMany(this.root, arranged.placed.map(({ claim, place }) => ({ id: claim.id, start: place.start, end: place.end })));
    const scale = { statusLabels: this.statusLabels, ratings: this.page.ratings || [] };
    for (const { claim, place } of arranged.placed) {
      const list = marks.get(claim.id) || [];
      const cues = highlightCues(claim, scale);
      const fuzzy = place.outcome === "fuzzy";
      // Only a fuzzy claim's highlight may cover other text than its quote: it says so.
      const description = fuzzy ? fuzzyDescription(place) : "";
      list.forEach((mark, i) => {
        mark.dataset.status = cues.status;
        mark.dataset.line = cues.line;
        if (cues.color) mark.style.setProperty("--claim-color", cues.color);
        mark.title = fuzzy ? `${description} ${cues.description}.` : `${cues.description}.`;
        if (i === list.length - 1) mark.dataset.glyph = fuzzy ? `≈${cues.glyph}` : cues.glyph;
        if (!fuzzy) return;
        mark.classList.add("claim-fuzzy");
        mark.dataset.outcome = "fuzzy";
        mark.dataset.score = String(place.score);
        mark.setAttribute("aria-description", description);
      });
    }
    this.root.dataset.highlightMs = (performance.now() - t0).toFixed(1);
    this.root.dataset.revision = String(this.page.revision);
    this.setActive(this.activeId);
    this.drawSuggestions();
    if (this.caret) this.drawCaret({ scroll: false });
    return arranged;
  }

  /** Claims this page wrote (as highlights): they are newer than any answer asked for before. */
  upsert(claims) {
    const now = performance.now();
    for (const claim of claims) this.changedAt.set(claim.id, now);
    const changed = mergeClaims(this.claims, claims);
    if (changed.length === 0) return;
    this.render();
  }

  /**
   * All the article's claims, as the server answered them for a request sent at `sentAt`
   * (performance.now()). What this page wrote or deleted since then stays as the page has it.
   */
  replaceAll(claims, sentAt) {
    const next = new Map();
    mergeClaims(next, claims);
    for (const [id, at] of this.changedAt) {
      if (at <= sentAt) {
        this.changedAt.delete(id);
        continue;
      }
      const mine = this.claims.get(id);
      if (mine) next.set(id, mine);
      else next.delete(id);
    }
    for (const [id, claim] of this.claims) {
      const fresh = next.get(id);
      if (fresh && (claim.version ?? 0) > (fresh.version ?? 0)) next.set(id, claim);
    }
    this.claims = next;
    if (this.panel.claim && !next.has(this.panel.claim.id)) this.panel.close();
    return this.render();
  }

  /** When the open claim changed, load it and hand it to the panel (which keeps its unsaved edits). */
  async refreshPanel() {
    const shown = this.panel.claim;
    if (!shown || !claimChanged(shown, this.claims.get(shown.id))) return;
    try {
      this.panel.setClaim(await api(`claims/${shown.id}/`));
    } catch {
      // Deleted meanwhile (the next highlights drop it) or offline: the next change tries again.
    }
  }

  remove(id) {
    this.changedAt.set(id, performance.now());
    this.claims.delete(id);
    if (this.activeId === id) this.activeId = null;
    this.render();
    this.announce("Claim deleted.");
  }

  setActive(id) {
    this.activeId = id;
    for (const mark of this.root.querySelectorAll("mark.claim.active")) mark.classList.remove("active");
    if (id !== null) for (const mark of marksOf(this.root, id)) mark.classList.add("active");
    this.sidebar.setActive(id);
  }

  /**
   * Scroll so that claim `id`'s highlight is in the part of the window nothing covers (the claim
   * panel on narrow screens covers the lower part): centred with `center`, else only when it is
   * out of it. Again on the next frame, once a layout change (the panel opening) has settled.
   */
  keepInView(id, { center = false } = {}) {
    const place = (first) => {
      const mark = marksOf(this.root, id)[0];
      if (!mark) return;
      const { top, bottom } = this.uncoveredBand();
      const rect = mark.getBoundingClientRect();
      const inside = rect.top >= top + 8 && rect.bottom <= bottom - 8;
      if (inside && !(center && first)) return;
      const target = top + (bottom - top) / 2 - rect.height / 2;
      window.scrollBy({ top: rect.top - target, left: 0, behavior: "instant" });
    };
    place(true);
    requestAnimationFrame(() => place(false));
  }

  /** The vertical band of the window not covered by the revision notice or a bottom claim panel. */
  uncoveredBand() {
    let top = 0;
    let bottom = window.innerHeight;
    if (!this.notice.hidden) {
      const notice = this.notice.getBoundingClientRect();
      if (notice.top <= 1) top = Math.max(top, notice.bottom);
    }
    if (this.panel.isOpen) {
      const panel = this.panel.root.getBoundingClientRect();
      if (panel.top > 1 && panel.width >= window.innerWidth - 1) bottom = Math.min(bottom, panel.top);
    }
    return { top, bottom: Math.max(bottom, top + 40) };
  }

  announce(message) {
    this.status.textContent = "";
    // A fresh text node makes screen readers announce a repeated message too.
    setTimeout(() => {
      this.status.textContent = message;
    }, 30);
  }

  // --- marking ----------------------------------------------------------------------------

  currentSpan() {
    const selection = this.doc.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    return rangeToOffsets(this.root, selection.getRangeAt(0));
  }

  onSelectionChange() {
    const span = this.currentSpan();
    this.pendingSpan = span;
    if (!span) {
      this.markButton.hidden = true;
      if (this.pending && !this.selecting()) this.followRevision();
      else if (this.renderDeferred && !this.selecting()) this.render();
      return;
    }
    const rects = this.doc.getSelection().getRangeAt(0).getClientRects();
    const last = rects[rects.length - 1];
    if (last) {
      this.markButton.style.left = `${Math.round(last.right + window.scrollX + 4)}px`;
      this.markButton.style.top = `${Math.round(last.bottom + window.scrollY + 4)}px`;
    }
    this.markButton.hidden = false;
  }

  async markSpan(span) {
    if (!span) return;
    // The selected text of the revision shown: the server maps it if the article moved on.
    const body = markBody(this.index, span, this.page.revision);
    this.doc.getSelection().removeAllRanges();
    this.markButton.hidden = true;
    this.pendingSpan = null;
    this.markError.textContent = "";
    try {
      const claim = await api(`articles/${this.page.articleId}/claims/`, { method: "POST", body });
      this.upsert([highlightOf(claim)]);
      this.announce("Claim marked.");
      this.openClaim(claim.id, { scroll: false, claim });
      if (Number.isInteger(claim.anchored_revision) && claim.anchored_revision > this.page.revision) this.live.checkRevision();
    } catch (error) {
      const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [error.message];
      const message = `The claim could not be marked: ${messages.join(" ")}`;
      this.markError.textContent = message;
      this.announce(message);
      const newer = error instanceof ApiError ? refusedForRevision(error.status, error.body, this.page.revision) : null;
      if (newer !== null) await this.fetchRevision({ force: true });
    }
  }

  async markQuote(form) {
    const input = form.querySelector("#quote-input");
    const errorBox = form.querySelector("#quote-error");
    errorBox.textContent = "";
    try {
      const claim = await api(`articles/${this.page.articleId}/claims/`, { method: "POST", body: { exact: input.value } });
      input.value = "";
      this.upsert([highlightOf(claim)]);
      this.announce("Claim marked.");
      this.openClaim(claim.id, { scroll: true, claim });
      if (Number.isInteger(claim.anchored_revision) && claim.anchored_revision > this.page.revision) this.live.checkRevision();
    } catch (error) {
      const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [error.message];
      errorBox.textContent = messages.join(" ");
    }
  }

  // --- finding claims -------------------------------------------------------------------

  /** Open claim `id` in the panel, which loads its full JSON unless `claim` is it (just written). */
  openClaim(id, { scroll = true, claim = null } = {}) {
    if (!this.panel.canSwitchTo(id)) {
      this.panel.refuseSwitch();
      return;
    }
    this.setActive(id);
    const returnFocus = this.sidebar.button(id) || this.doc.activeElement;
    this.panel.open(id, { returnFocus, claim });
    // The panel narrows the article (or covers its lower part): the highlight is kept in sight.
    this.keepInView(id, { center: scroll });
  }

  step(direction) {
    const next = stepClaim(this.order, this.activeId, direction);
    if (next === null) return;
    if (this.panel.isOpen) {
      // The claim list gives way to the panel: the panel shows the next claim instead.
      this.openClaim(next);
      return;
    }
    this.setActive(next);
    marksOf(this.root, next)[0]?.scrollIntoView({ block: "center", behavior: "auto" });
    this.sidebar.button(next)?.focus({ preventScroll: true });
    const claim = this.claims.get(next);
    if (claim) {
      const quote = claimQuote(this.index, claim, { start: claim.start, end: claim.end });
      this.announce(`Claim ${this.order.indexOf(next) + 1} of ${this.order.length}: ${quote}`);
    }
  }

  bind() {
    const doc = this.doc;
    let timer = null;
    doc.addEventListener("selectionchange", () => {
      this.selectionSeen = true;
      clearTimeout(timer);
      timer = setTimeout(() => this.onSelectionChange(), 60);
    });
    this.root.addEventListener("mousedown", (event) => {
      if (event.button === 0) this.pointerDown = true;
    });
    doc.addEventListener("mouseup", () => {
      if (!this.pointerDown) return;
      this.pointerDown = false;
      this.onSelectionChange();
    });
    doc.getElementById("revision-apply").addEventListener("click", () => {
      if (this.pending && typeof this.pending.reading_html !== "string") window.location.reload();
      else this.followRevision({ force: true });
    });
    this.markButton.addEventListener("mousedown", (event) => event.preventDefault());
    this.markButton.addEventListener("click", () => this.markSpan(this.currentSpan() || this.pendingSpan));
    this.root.addEventListener("click", (event) => {
      const mark = event.target.closest("mark.claim");
      if (!mark || this.selecting()) return;
      this.openClaim(Number(mark.dataset.claimId), { scroll: false });
    });
    doc.getElementById("quote-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.markQuote(event.target);
    });
    let width = this.root.getBoundingClientRect().width;
    new ResizeObserver(() => {
      const now = this.root.getBoundingClientRect().width;
      if (Math.abs(now - width) < 1) return;
      width = now;
      // The text reflowed (the panel opened or closed, the window was resized).
      if (this.activeId !== null && this.panel.isOpen) this.keepInView(this.activeId);
      if (this.caret) this.drawCaret();
    }).observe(this.root);
    doc.addEventListener("keydown", (event) => {
      if (this.onCaretKey(event)) return;
      if (event.key === "Escape" && this.panel.isOpen) {
        event.preventDefault();
        this.panel.close();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (this.onSuggestionKey(event)) return;
      const key = event.key;
      if (key === "c" || key === "C") {
        const span = this.currentSpan() || this.pendingSpan;
        if (span) {
          event.preventDefault();
          this.markSpan(span);
        }
      } else if (key === "n" || key === "j") {
        event.preventDefault();
        this.step(1);
      } else if (key === "p" || key === "k") {
        event.preventDefault();
        this.step(-1);
      }
    });
  }
}

Object.assign(Reader.prototype, revisionMethods, suggestionMethods, caretMethods);

const dataNode = document.getElementById("reader-data");
if (dataNode && document.getElementById("article-text")) {
  const reader = new Reader(document, JSON.parse(dataNode.textContent));
  reader.start();
}
