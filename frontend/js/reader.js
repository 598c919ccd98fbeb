// The reading view: highlights, marking claims from a selection, the sidebar,
// the claim panel and live updates. Pure logic lives in claims.js and
// anchoring.js; DOM offsets in text-map.js; the server is reached through api.js.

import { ApiError, api, apiList } from "./api.js";
import { ClaimPanel } from "./claim-panel.js";
import { arrangeClaims, errorMessages, isTypingTarget, mergeClaims, stepClaim } from "./claims.js";
import { CodePointIndex } from "./codepoints.js";
import { LivePoller } from "./live.js";
import { Sidebar } from "./sidebar.js";
import { clearHighlights, highlightMany, marksOf, rangeToOffsets } from "./text-map.js";

class Reader {
  constructor(doc, page) {
    this.doc = doc;
    this.page = page;
    this.root = doc.getElementById("article-text");
    this.index = new CodePointIndex(page.text);
    this.claims = new Map();
    this.order = [];
    this.activeId = null;
    this.pendingSpan = null;
    this.renderDeferred = false;
    this.markButton = doc.getElementById("mark-claim-button");
    this.status = doc.getElementById("reader-status");
    this.sidebar = new Sidebar(doc, { onOpen: (id, options) => this.openClaim(id, options) });
    this.panel = new ClaimPanel(doc, {
      page,
      onChange: (claim) => this.upsert([claim]),
      onDelete: (id) => this.remove(id),
      onClose: () => this.setActive(null),
    });
    this.live = new LivePoller({
      articleId: page.articleId,
      since: page.serverNow,
      onClaims: (claims) => this.upsert(claims),
      onFull: (claims) => this.replaceAll(claims),
    });
    this.bind();
  }

  async start() {
    try {
      const claims = await apiList(`articles/${this.page.articleId}/claims/?page_size=500`);
      this.live.seen(claims);
      mergeClaims(this.claims, claims);
      this.render();
    } catch (error) {
      this.announce(`Claims could not be loaded: ${error.message}`);
    }
    this.live.start();
    this.doc.body.dataset.readerReady = "1";
  }

  // --- rendering --------------------------------------------------------------------------

  selecting() {
    const selection = this.doc.getSelection();
    return selection && !selection.isCollapsed && this.root.contains(selection.anchorNode);
  }

  render() {
    const arranged = arrangeClaims(this.index, Array.from(this.claims.values()));
    this.order = arranged.placed.map(({ claim }) => claim.id);
    this.sidebar.render(arranged);
    if (this.selecting()) {
      // Rewrapping text nodes now would break the selection the reviewer is making.
      this.renderDeferred = true;
      return;
    }
    this.renderDeferred = false;
    const t0 = performance.now();
    clearHighlights(this.root);
    highlightMany(this.root, arranged.placed.map(({ claim, place }) => ({ id: claim.id, start: place.start, end: place.end })));
    this.root.dataset.highlightMs = (performance.now() - t0).toFixed(1);
    this.setActive(this.activeId);
  }

  upsert(claims) {
    const changed = mergeClaims(this.claims, claims);
    if (changed.length === 0) return;
    this.render();
    if (this.panel.claim) {
      const open = this.claims.get(this.panel.claim.id);
      if (open && changed.includes(open.id) && open !== this.panel.claim) this.panel.setClaim(open);
    }
  }

  replaceAll(claims) {
    const next = new Map();
    mergeClaims(next, claims);
    for (const [id, claim] of this.claims) {
      const fresh = next.get(id);
      if (fresh && (claim.version ?? 0) > (fresh.version ?? 0)) next.set(id, claim);
    }
    this.claims = next;
    if (this.panel.claim && !next.has(this.panel.claim.id)) this.panel.close();
    this.render();
  }

  remove(id) {
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
      if (this.renderDeferred && !this.selecting()) this.render();
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
    this.doc.getSelection().removeAllRanges();
    this.markButton.hidden = true;
    this.pendingSpan = null;
    try {
      const claim = await api(`articles/${this.page.articleId}/claims/`, { method: "POST", body: span });
      this.upsert([claim]);
      this.announce("Claim marked.");
      this.openClaim(claim.id, { scroll: false });
    } catch (error) {
      const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [error.message];
      this.announce(`The claim could not be marked: ${messages.join(" ")}`);
    }
  }

  async markQuote(form) {
    const input = form.querySelector("#quote-input");
    const errorBox = form.querySelector("#quote-error");
    errorBox.textContent = "";
    try {
      const claim = await api(`articles/${this.page.articleId}/claims/`, { method: "POST", body: { exact: input.value } });
      input.value = "";
      this.upsert([claim]);
      this.announce("Claim marked.");
      this.openClaim(claim.id, { scroll: true });
    } catch (error) {
      const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [error.message];
      errorBox.textContent = messages.join(" ");
    }
  }

  // --- finding claims -------------------------------------------------------------------

  async openClaim(id, { scroll = true } = {}) {
    let claim = this.claims.get(id);
    if (!claim) {
      try {
        claim = await api(`claims/${id}/`);
        this.upsert([claim]);
      } catch {
        return;
      }
    }
    this.setActive(id);
    if (scroll) marksOf(this.root, id)[0]?.scrollIntoView({ block: "center", behavior: "auto" });
    const returnFocus = this.sidebar.button(id) || this.doc.activeElement;
    this.panel.open(claim, { returnFocus });
  }

  step(direction) {
    const next = stepClaim(this.order, this.activeId, direction);
    if (next === null) return;
    this.setActive(next);
    marksOf(this.root, next)[0]?.scrollIntoView({ block: "center", behavior: "auto" });
    this.sidebar.button(next)?.focus({ preventScroll: true });
    const claim = this.claims.get(next);
    if (claim) this.announce(`Claim ${this.order.indexOf(next) + 1} of ${this.order.length}: ${claim.exact}`);
  }

  bind() {
    const doc = this.doc;
    let timer = null;
    doc.addEventListener("selectionchange", () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.onSelectionChange(), 60);
    });
    this.root.addEventListener("mouseup", () => this.onSelectionChange());
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
    doc.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.panel.isOpen) {
        event.preventDefault();
        this.panel.close();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
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

const dataNode = document.getElementById("reader-data");
if (dataNode && document.getElementById("article-text")) {
  const reader = new Reader(document, JSON.parse(dataNode.textContent));
  reader.start();
}
