"""Caret mode in headless Chromium: a claim marked with the keyboard alone, after an emoji and an
astral-plane letter, gets the same W3C selectors as the same span marked with the mouse."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Article, Claim
from annotations.services.articles import article_create
from tests.e2e.helpers import select_span, selected_offsets, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = (
    "Minutes of the harbour council.\n\n"
    "The family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 from \U0001d53cast Quay said "
    "rents rose 14 % in a year. Nobody disputed it."
)
QUOTE = "rents rose 14 % in a year"


def annotation_selectors(page: Page, claim: Claim) -> list[dict[str, Any]]:
    """The claim's W3C Web Annotation selectors, as the API gives them."""
    annotation = page.evaluate(
        """async (id) => {
          const answer = await fetch(`/api/v1/claims/${id}/annotation`, {headers: {Accept: "application/ld+json"}});
          return answer.json();
        }""",
        claim.pk,
    )
    return annotation["target"]["selector"]


def new_claim(article: Article, before: set[int]) -> Claim:
    return Claim.objects.filter(article=article).exclude(pk__in=before).get()


def expect_selected(page: Page, text: str, quote: str) -> None:
    start = text.index(quote)
    expect(page.locator("#caret-status")).to_contain_text(quote)
    assert selected_offsets(page) == {"start": start, "end": start + len(quote)}


def test_a_claim_marked_with_the_keyboard_alone_has_the_mouses_selectors(login_page, team, reviewer, artifacts_dir):
    by_keyboard = article_create(team=team, user=reviewer, title="Keyboard", source=SOURCE, source_format="markdown")
    by_mouse = article_create(team=team, user=reviewer, title="Mouse", source=SOURCE, source_format="markdown")
    text = by_keyboard.text
    start = text.index(QUOTE)
    page = login_page(reviewer)
    page.goto(f"/articles/{by_keyboard.pk}/")
    wait_ready(page)
    toggle = page.get_by_role("button", name="Select with the keyboard")
    status = page.locator("#caret-status")

    # F7 enters caret mode at the first paragraph, Escape leaves; both are announced.
    page.keyboard.press("F7")
    expect(status).to_contain_text("Caret mode on")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".caret-indicator")).to_be_visible()
    expect(page.get_by_role("region", name="Article text")).to_be_focused()
    page.keyboard.press("Escape")
    expect(status).to_have_text("Caret mode off.")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".caret-indicator")).to_be_hidden()

    page.keyboard.press("F7")
    expect(status).to_contain_text("At: Minutes")
    # Down a line into the second paragraph, to its start; words to the end of "said", a character on.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    expect(status).to_have_text("The")
    for _ in range(6):  # The, family (the emoji is no word), from, 𝔼ast, Quay, said
        page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(status).to_have_text("rents")
    # Alt+Shift+Right extends by word, Shift+Right by character, Ctrl+Shift+Down to the sentence's end.
    page.keyboard.press("Alt+Shift+ArrowRight")
    page.keyboard.press("Alt+Shift+ArrowRight")
    expect_selected(page, text, "rents rose")
    page.keyboard.press("Shift+ArrowRight")
    expect_selected(page, text, "rents rose ")
    page.keyboard.press("Control+Shift+ArrowDown")
    expect_selected(page, text, QUOTE + ".")
    page.keyboard.press("Shift+ArrowLeft")
    expect_selected(page, text, QUOTE)
    page.screenshot(path=str(artifacts_dir / "reader-caret-selection.png"))

    # `c` marks it, through the same path as a mouse selection.
    page.keyboard.press("c")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    keyboard_claim = new_claim(by_keyboard, set())
    assert (keyboard_claim.start, keyboard_claim.end, keyboard_claim.exact) == (start, start + len(QUOTE), QUOTE)
    expect(toggle).to_have_attribute("aria-pressed", "false")  # the panel took the focus: caret mode is off
    keyboard_selectors = annotation_selectors(page, keyboard_claim)

    # The same span with the mouse, in the same text.
    page.goto(f"/articles/{by_mouse.pk}/")
    wait_ready(page)
    select_span(page, start, start + len(QUOTE))
    page.keyboard.press("c")
    expect(page.get_by_role("dialog")).to_be_visible()
    mouse_claim = new_claim(by_mouse, set())
    assert annotation_selectors(page, mouse_claim) == keyboard_selectors
    quote = next(s for s in keyboard_selectors if s["type"] == "TextQuoteSelector")
    position = next(s for s in keyboard_selectors if s["type"] == "TextPositionSelector")
    assert quote["exact"] == QUOTE and quote["prefix"] == text[max(0, start - 32) : start]
    assert (position["start"], position["end"]) == (start, start + len(QUOTE))
    assert page.js_errors == []


def test_caret_mode_from_the_button_moves_by_line_and_leaves_when_the_focus_goes(login_page, team, reviewer):
    paragraphs = [f"Paragraph {n} says the harbour budget grew by {n} million this year." * 3 for n in range(1, 6)]
    article = article_create(
        team=team, user=reviewer, title="Lines", source="\n\n".join(paragraphs), source_format="markdown"
    )
    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    page.get_by_role("button", name="Select with the keyboard").click()
    expect(page.locator("#caret-keys")).to_be_visible()
    caret_top = "() => document.querySelector('.caret-indicator').getBoundingClientRect().top"
    first = page.evaluate(caret_top)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.evaluate(caret_top)
    assert second > first
    page.keyboard.press("Shift+ArrowUp")
    offsets = selected_offsets(page)
    assert offsets is not None and offsets["end"] > offsets["start"]
    page.keyboard.press("Shift+End")
    assert selected_offsets(page)["end"] == len(paragraphs[0])  # the end of the first paragraph
    # Tab leaves the article (past the "Mark claim" button beside the selection, if it stops there): caret mode ends.
    toggle = page.get_by_role("button", name="Select with the keyboard")
    for _ in range(2):
        page.keyboard.press("Tab")
        if toggle.get_attribute("aria-pressed") == "false":
            break
    expect(page.locator("#caret-status")).to_have_text("Caret mode off.")
    assert page.js_errors == []
