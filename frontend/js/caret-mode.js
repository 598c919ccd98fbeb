// Caret mode in the reading view, mixed into Reader.prototype (reader.js): selecting text with the
// keyboard. F7 or the "Select with the keyboard" button puts a visible caret at the start of the
// paragraph in view (or where a selection is); arrows move it, Shift extends the selection, and
// the selection is the page's own DOM selection, so `c` marks it exactly as it marks a selection
// made with the mouse. The caret is kept as code point offsets of the reader text (caret.js does
// the moving); the DOM is only asked where a line above or below is. Announced through
// #caret-status.

import { CaretText, moveCaret, selectedSpan, stepSelection, textAtCaret } from "./caret.js";
import { excerpt } from "./claims.js";
import { offsetsToRanges, rangeToOffsets } from "./text-map.js";

const BLOCK_SELECTOR = "[data-start][data-end]";

export const caretMethods = {
  initCaret() {
    this.caret = null; // {anchor, focus} in code points while caret mode is on
    this.caretText = null;
    this.caretToggle = this.doc.getElementById("caret-toggle");
    this.caretHint = this.doc.getElementById("caret-keys");
    this.caretStatus = this.doc.getElementById("caret-status");
    this.caretMark = this.doc.createElement("span");
    this.caretMark.className = "caret-indicator";
    this.caretMark.setAttribute("aria-hidden", "true");
    this.caretMark.hidden = true;
    this.doc.body.append(this.caretMark);
    this.caretToggle?.addEventListener("click", () => (this.caret ? this.leaveCaret() : this.enterCaret()));
    // Caret mode ends when the focus leaves the article (the "Mark claim" button beside a selection counts as in it).
    for (const element of [this.root, this.markButton]) {
      element.addEventListener("focusout", (event) => {
        const to = event.relatedTarget;
        if (!this.caret || (to && (this.root.contains(to) || to === this.caretToggle || to === this.markButton))) return;
        this.leaveCaret();
      });
    }
  },

  /** The reader text with its blocks, read again when a new revision replaced the text. */
  caretTextNow() {
    if (!this.caretText || this.caretText.index !== this.index) {
      const blocks = Array.from(this.root.querySelectorAll(BLOCK_SELECTOR), (block) => ({
        start: Number.parseInt(block.dataset.start, 10),
        end: Number.parseInt(block.dataset.end, 10),
      }));
      this.caretText = new CaretText(this.index, blocks);
    }
    return this.caretText;
  },

  enterCaret() {
    const ct = this.caretTextNow();
    if (ct.blocks.length === 0) return;
    const start = this.caretStart(ct);
    this.caret = { anchor: start, focus: start };
    this.root.classList.add("caret-mode");
    this.caretToggle?.setAttribute("aria-pressed", "true");
    if (this.caretHint) this.caretHint.hidden = false;
    this.root.focus({ preventScroll: true });
    this.drawCaret();
    this.sayCaret(`Caret mode on: arrows move, Shift with arrows selects, c marks a claim, Escape leaves. At: ${textAtCaret(ct, start)}`);
  },

  leaveCaret() {
    if (!this.caret) return;
    const collapsed = this.caret.anchor === this.caret.focus;
    this.caret = null;
    this.root.classList.remove("caret-mode");
    this.caretToggle?.setAttribute("aria-pressed", "false");
    if (this.caretHint) this.caretHint.hidden = true;
    this.caretMark.hidden = true;
    const selection = this.doc.getSelection();
    if (collapsed && selection && selection.rangeCount && this.root.contains(selection.anchorNode)) selection.removeAllRanges();
    this.sayCaret("Caret mode off.");
  },

  /** Where caret mode starts: a selection's start in the article, else the first paragraph in view. */
  caretStart(ct) {
    const selection = this.doc.getSelection();
    if (selection && selection.rangeCount && this.root.contains(selection.anchorNode)) {
      const span = rangeToOffsets(this.root, selection.getRangeAt(0));
      if (span) return ct.clamp(span.start);
    }
    const blocks = Array.from(this.root.querySelectorAll(BLOCK_SELECTOR));
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid].getBoundingClientRect().bottom <= 0) lo = mid + 1;
      else hi = mid;
    }
    const block = blocks[Math.min(lo, blocks.length - 1)];
    return ct.clamp(Number.parseInt(block.dataset.start, 10));
  },

  /** A DOM boundary point at reader-text offset `offset`: before its character, or after the last. */
  caretPoint(offset) {
    const ct = this.caretTextNow();
    const block = ct.blocks[ct.blockAt(offset)];
    if (offset < block.end) {
      const [range] = offsetsToRanges(this.root, offset, offset + 1);
      return range ? { node: range.startContainer, offset: range.startOffset } : null;
    }
    const ranges = offsetsToRanges(this.root, offset - 1, offset);
    const range = ranges[ranges.length - 1];
    return range ? { node: range.endContainer, offset: range.endOffset } : null;
  },

  /** The caret's box on screen at `offset`: the left edge of its grapheme, or the right edge of the one before. */
  caretRect(offset) {
    const ct = this.caretTextNow();
    const b = ct.blockAt(offset);
    const block = ct.blocks[b];
    const graphemes = ct.segments(b, "grapheme");
    const after = offset < block.end ? graphemes.find((g) => g.start <= offset && offset < g.end) : null;
    const before = after ? null : graphemes.find((g) => g.start < offset && offset <= g.end);
    const grapheme = after || before;
    if (!grapheme) return null;
    const ranges = offsetsToRanges(this.root, grapheme.start, grapheme.end);
    const range = after ? ranges[0] : ranges[ranges.length - 1];
    if (!range) return null;
    const rects = Array.from(range.getClientRects()).filter((r) => r.height > 0);
    const rect = after ? rects[0] : rects[rects.length - 1];
    if (!rect) return null;
    return { x: after ? rect.left : rect.right, top: rect.top, height: rect.height };
  },

  /** Show the caret and the selection (the document's own) for this.caret; scroll the caret into sight. */
  drawCaret({ scroll = true } = {}) {
    if (!this.caret) return;
    const { anchor, focus } = this.caret;
    const from = this.caretPoint(anchor);
    const to = this.caretPoint(focus);
    const selection = this.doc.getSelection();
    if (from && to && selection) {
      if (anchor === focus) selection.collapse(to.node, to.offset);
      else selection.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
    }
    let rect = this.caretRect(focus);
    if (!rect) {
      this.caretMark.hidden = true;
      return;
    }
    if (scroll) {
      const { top, bottom } = this.uncoveredBand();
      if (rect.top < top + 8 || rect.top + rect.height > bottom - 8) {
        window.scrollBy({ top: rect.top - (top + (bottom - top) / 2), left: 0, behavior: "instant" });
        rect = this.caretRect(focus) || rect;
      }
    }
    this.caretMark.style.left = `${Math.round(rect.x + window.scrollX - 1)}px`;
    this.caretMark.style.top = `${Math.round(rect.top + window.scrollY)}px`;
    this.caretMark.style.height = `${Math.round(rect.height)}px`;
    this.caretMark.hidden = false;
  },

  /** Reader-text offset of a DOM point inside a block of the article, or null. */
  offsetOfPoint(node, offset) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const block = element && element.closest(BLOCK_SELECTOR);
    if (!block || !this.root.contains(block)) return null;
    const range = this.doc.createRange();
    range.setStart(block, 0);
    range.setEnd(node, offset);
    const span = rangeToOffsets(this.root, range);
    return span ? span.end : Number.parseInt(block.dataset.start, 10);
  },

  /** Where the caret goes one line up (-1) or down (1), asked of the layout; null when there is none. */
  lineTarget(direction) {
    const rect = this.caretRect(this.caret.focus);
    if (!rect) return null;
    const x = rect.x + 1;
    let y = direction > 0 ? rect.top + rect.height + 2 : rect.top - 2;
    for (let tries = 0; tries < 60; tries += 1) {
      if (y < 0 || y > window.innerHeight) {
        const by = direction * rect.height * 2;
        window.scrollBy({ top: by, left: 0, behavior: "instant" });
        y -= by;
      }
      const hit = this.doc.caretRangeFromPoint(x, y);
      if (hit && this.root.contains(hit.startContainer)) {
        const offset = this.offsetOfPoint(hit.startContainer, hit.startOffset);
        if (offset !== null && offset !== this.caret.focus) {
          const target = this.caretTextNow().clamp(offset);
          const there = this.caretRect(target);
          if (there && Math.abs(there.top - rect.top) > rect.height / 2) return target;
        }
      }
      y += direction * 6;
    }
    return null;
  },

  /** Move the caret (with `extend`, the selection's focus) one `unit` in `direction`. */
  moveCaretBy(unit, direction, extend) {
    const ct = this.caretTextNow();
    let next;
    if (unit === "line") {
      const target = this.lineTarget(direction) ?? moveCaret(ct, this.caret.focus, "paragraph", direction);
      next = extend ? { anchor: this.caret.anchor, focus: target } : { anchor: target, focus: target };
    } else {
      next = stepSelection(ct, this.caret, unit, direction, extend);
    }
    this.caret = next;
    this.drawCaret();
    const span = selectedSpan(next);
    if (span) this.sayCaret(`Selected ${span.end - span.start} characters: ${excerpt(ct.slice(span.start, span.end), 200)}`);
    else this.sayCaret(textAtCaret(ct, next.focus));
  },

  sayCaret(message) {
    if (this.caretStatus) this.caretStatus.textContent = message;
  },

  /** F7 anywhere; the caret keys while caret mode is on and the article has the focus. Returns whether it was one. */
  onCaretKey(event) {
    if (event.key === "F7" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      if (this.caret) this.leaveCaret();
      else this.enterCaret();
      return true;
    }
    if (!this.caret || !(event.target === this.root || this.root.contains(event.target))) return false;
    const byWord = event.ctrlKey || event.altKey || event.metaKey;
    const keys = {
      ArrowRight: [byWord ? "word" : "character", 1],
      ArrowLeft: [byWord ? "word" : "character", -1],
      ArrowDown: [byWord ? "sentence" : "line", 1],
      ArrowUp: [byWord ? "sentence" : "line", -1],
      End: [event.ctrlKey ? "text" : "paragraph-edge", 1],
      Home: [event.ctrlKey ? "text" : "paragraph-edge", -1],
    };
    if (event.key === "Escape") {
      event.preventDefault();
      this.leaveCaret();
      return true;
    }
    const move = keys[event.key];
    if (!move) return false;
    event.preventDefault();
    this.moveCaretBy(move[0], move[1], event.shiftKey);
    return true;
  },
};
