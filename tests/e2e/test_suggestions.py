"""Claim suggestions in the reading view (headless Chromium): drawn as dotted underlines without
touching the text's elements, walked with keys, accepted into the same claim a hand selection makes,
dismissed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Claim, Suggestion, SuggestionStatus
from annotations.services.articles import article_create
from annotations.services.suggestions import article_suggest
from tests.annotations.services.test_suggestions import STORY
from tests.e2e.helpers import select_span, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECTORS = ("exact", "prefix", "suffix", "start", "end", "anchored_revision", "anchor_outcome")


def open_article(page: Page, article_id: int) -> None:
    page.goto(f"/articles/{article_id}/")
    wait_ready(page)


def test_accepting_a_suggestion_by_key_marks_the_claim_a_hand_selection_marks(
    login_page, team, reviewer, artifacts_dir
):
    article = article_create(team=team, user=reviewer, title="Bridge", source=STORY, source_format="text")
    twin = article_create(team=team, user=reviewer, title="Bridge again", source=STORY, source_format="text")
    article_suggest(article_id=article.pk)
    article_suggest(article_id=twin.pk)
    ranked = list(Suggestion.objects.filter(article=article).order_by("start"))
    assert len(ranked) >= 3
    first, second = ranked[0], ranked[1]

    page = login_page(reviewer)
    open_article(page, article.pk)
    items = page.locator("#suggestion-list li[data-suggestion-id]")
    expect(items).to_have_count(len(ranked))
    expect(page.locator("#article-text")).to_have_attribute("data-suggestions", str(len(ranked)))
    # Drawn by the Custom Highlight API: one range per suggestion, and no element added to the text.
    ranges = page.evaluate(
        "['suggestion', 'suggestion-alternate', 'suggestion-active']"
        ".reduce((n, k) => n + CSS.highlights.get(k).size, 0)"
    )
    assert ranges == len(ranked)
    assert page.locator("#article-text mark").count() == 0
    # Best first by default, with score, reasons and model version; in text order on request.
    best = Suggestion.objects.filter(article=article).order_by("-score", "id").first()
    assert best is not None
    expect(items.first).to_have_attribute("data-suggestion-id", str(best.pk))
    expect(items.first.locator(".suggestion-details")).to_contain_text(f"model {best.model_version}")
    page.select_option("#suggestion-order", "text")
    expect(items.first).to_have_attribute("data-suggestion-id", str(first.pk))

    page.locator("#article-text").focus()
    page.keyboard.press("s")
    expect(page.locator(f"#suggestion-list li[data-suggestion-id='{first.pk}']")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("#reader-status")).to_contain_text(f"Suggestion 1 of {len(ranked)}")
    assert page.evaluate("CSS.highlights.get('suggestion-active').size") == 1
    page.screenshot(path=str(artifacts_dir / "suggestions-active.png"))
    page.keyboard.press("a")
    expect(page.locator("#reader-status")).to_contain_text("Claim marked from the suggestion.")
    first.refresh_from_db()
    assert first.status == SuggestionStatus.ACCEPTED and first.claim_id is not None
    expect(page.locator(f"#article-text mark.claim[data-claim-id='{first.claim_id}']").first).to_be_visible()
    expect(items).to_have_count(len(ranked) - 1)
    # The next suggestion is active now: dismiss it with one key.
    expect(page.locator(f"#suggestion-list li[data-suggestion-id='{second.pk}']")).to_have_attribute(
        "aria-current", "true"
    )
    page.keyboard.press("d")
    expect(items).to_have_count(len(ranked) - 2)
    second.refresh_from_db()
    assert second.status == SuggestionStatus.DISMISSED

    # The same span selected with the mouse in the twin article and marked with `c`.
    hand_page = login_page(reviewer)
    open_article(hand_page, twin.pk)
    twin_item = hand_page.locator(
        f"#suggestion-list li[data-suggestion-id='{Suggestion.objects.get(article=twin, start=first.start).pk}']"
    )
    expect(twin_item).to_have_count(1)
    select_span(hand_page, first.start, first.end)
    hand_page.keyboard.press("c")
    expect(hand_page.get_by_role("dialog")).to_be_visible()
    by_hand = Claim.objects.get(article=twin)
    accepted = Claim.objects.get(pk=first.claim_id)
    assert [getattr(accepted, f) for f in SELECTORS] == [getattr(by_hand, f) for f in SELECTORS]
    # Marking a span by hand takes its suggestion out of the list.
    expect(twin_item).to_have_count(0)
    expect(hand_page.locator("#suggestion-list li[data-suggestion-id]")).to_have_count(len(ranked) - 1)


def test_suggestions_are_listed_with_buttons_and_off_when_the_team_turns_them_off(login_page, team, reviewer):
    article = article_create(team=team, user=reviewer, title="Bridge", source=STORY, source_format="text")
    article_suggest(article_id=article.pk)
    target = Suggestion.objects.filter(article=article).order_by("-score", "id").first()
    assert target is not None
    page = login_page(reviewer)
    open_article(page, article.pk)
    item = page.locator(f"#suggestion-list li[data-suggestion-id='{target.pk}']")
    item.get_by_role("button", name="Dismiss").click()
    expect(item).to_have_count(0)
    target.refresh_from_db()
    assert target.status == SuggestionStatus.DISMISSED

    team.suggestions_enabled = False
    team.save(update_fields=["suggestions_enabled"])
    open_article(page, article.pk)
    expect(page.locator("#suggestions")).to_be_hidden()
    page.locator("#article-text").focus()
    page.keyboard.press("s")
    assert page.evaluate("CSS.highlights.size") == 0
