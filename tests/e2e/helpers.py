"""Browser helpers: wait until the reading view is ready, select a span with the mouse, and what
axe-core finds serious on a page."""

from __future__ import annotations

import importlib
from typing import Any

from playwright.sync_api import Page

from annotations.anchoring import ReaderDocument

Axe = importlib.import_module("axe_playwright_python.sync_playwright").Axe  # the package has no type information

# In-page: client coordinates where a mouse press puts the caret exactly at reader-text offset
# `offset` (code points), found by asking the browser (caretRangeFromPoint) about both edges of
# the grapheme next to it, so right-to-left text and emoji sequences work too.
_POINT_FOR_OFFSET = """
async ([offset, side]) => {
  const map = await import("/static/js/text-map.js");
  const root = document.getElementById("article-text");
  const probe = (x, y) => {
    const caret = document.caretRangeFromPoint(x, y);
    if (!caret || !root.contains(caret.startContainer)) return null;
    const range = document.createRange();
    range.setStart(caret.startContainer, caret.startOffset);
    range.setEndAfter(root.lastChild);
    const found = map.rangeToOffsets(root, range);
    return found ? found.start : null;
  };
  // Try both graphemes beside the boundary, edges first, then every pixel across them.
  const graphemeRects = (from, to) => {
    const pieces = map.offsetsToRanges(root, from, to);
    if (!pieces.length) return [];
    const range = pieces[0];
    const node = range.startContainer;
    const segments = Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(node.data));
    const seg = segments.find((s) => s.index <= range.startOffset && range.startOffset < s.index + s.segment.length);
    const grapheme = document.createRange();
    grapheme.setStart(node, seg.index);
    grapheme.setEnd(node, seg.index + seg.segment.length);
    return Array.from(grapheme.getClientRects()).filter((r) => r.width > 0);
  };
  const before = offset > 0 ? graphemeRects(offset - 1, offset) : [];
  const after = graphemeRects(offset, offset + 1);
  const rects = side === "start" ? [...after, ...before] : [...before, ...after];
  for (const rect of rects) {
    const y = rect.top + rect.height / 2;
    const xs = [rect.left + 1, rect.right - 1];
    for (let x = rect.left; x <= rect.right; x += 1) xs.push(x);
    for (const x of xs) {
      if (probe(x, y) === offset) return { x, y };
    }
  }
  throw new Error(`no point puts the caret at ${offset}`);
}
"""


def wait_ready(page: Page) -> None:
    page.wait_for_selector("body[data-reader-ready='1']")


def select_span(page: Page, start: int, end: int) -> None:
    """Drag the mouse from reader-text offset `start` to `end` (code points)."""
    page.evaluate(
        """async (offset) => {
          const map = await import("/static/js/text-map.js");
          const [range] = map.offsetsToRanges(document.getElementById("article-text"), offset, offset + 1);
          range.startContainer.parentElement.scrollIntoView({ block: "center" });
        }""",
        start,
    )
    first = page.evaluate(_POINT_FOR_OFFSET, [start, "start"])
    last = page.evaluate(_POINT_FOR_OFFSET, [end, "end"])
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move((first["x"] + last["x"]) / 2, (first["y"] + last["y"]) / 2, steps=3)
    page.mouse.move(last["x"], last["y"], steps=5)
    page.mouse.up()


def selected_offsets(page: Page) -> Any:
    return page.evaluate(
        """async () => {
          const map = await import("/static/js/text-map.js");
          const sel = document.getSelection();
          return sel.rangeCount ? map.rangeToOffsets(document.getElementById("article-text"), sel.getRangeAt(0)) : null;
        }"""
    )


def marks_text(page: Page, claim_id: int) -> str:
    return page.evaluate(
        "(id) => Array.from(document.querySelectorAll(`#article-text mark.claim[data-claim-id='${id}']`))"
        ".map((m) => m.textContent).join('')",
        claim_id,
    )


def visible_text(layout: dict[str, Any], start: int, end: int) -> str:
    """The part of text[start:end] the browser shows: block separators are not in the DOM."""
    document = ReaderDocument.from_json(layout)
    return "".join(
        document.text[max(start, b.start) : min(end, b.end)] for b in document.blocks if b.start < end and b.end > start
    )


def api_claims(page: Page, article_id: int) -> list[dict[str, Any]]:
    """The article's claims as the API gives them to this page's user."""
    return page.evaluate(
        """async (id) => {
          const { apiList } = await import("/static/js/api.js");
          return apiList(`articles/${id}/claims/?page_size=500`);
        }""",
        article_id,
    )


def all_marks_text(page: Page) -> dict[int, str]:
    """Each highlighted claim's text: its marks' text joined, by claim id."""
    found = page.evaluate(
        """() => {
          const texts = {};
          for (const mark of document.querySelectorAll("#article-text mark.claim")) {
            const id = mark.dataset.claimId;
            texts[id] = (texts[id] || "") + mark.textContent;
          }
          return texts;
        }"""
    )
    return {int(claim_id): text for claim_id, text in found.items()}


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, each with where it is."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
